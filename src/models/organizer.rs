use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::organizers;

#[derive(Queryable, Selectable, Identifiable, Clone, Debug)]
#[diesel(table_name = organizers)]
pub struct Organizer {
    pub id: String,
    pub email: String,
    pub name: String,
    pub password_hash: Option<String>,
    pub is_admin: bool,
    pub created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = organizers)]
pub struct NewOrganizer<'a> {
    pub id: &'a str,
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: Option<&'a str>,
    pub is_admin: bool,
    pub created_at: NaiveDateTime,
}

impl Organizer {
    pub fn insert(conn: &mut DbConnection, new: &NewOrganizer) -> QueryResult<Organizer> {
        diesel::insert_into(organizers::table)
            .values(new)
            .execute(conn)?;
        Self::find(conn, new.id)
    }

    pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Organizer> {
        organizers::table
            .find(id)
            .select(Organizer::as_select())
            .first(conn)
    }

    pub fn find_by_email(conn: &mut DbConnection, email: &str) -> QueryResult<Option<Organizer>> {
        organizers::table
            .filter(organizers::email.eq(email))
            .select(Organizer::as_select())
            .first(conn)
            .optional()
    }

    pub fn count(conn: &mut DbConnection) -> QueryResult<i64> {
        organizers::table.count().get_result(conn)
    }

    pub fn list(conn: &mut DbConnection) -> QueryResult<Vec<Organizer>> {
        organizers::table
            .order(organizers::email)
            .select(Organizer::as_select())
            .load(conn)
    }

    pub fn set_password(conn: &mut DbConnection, id: &str, hash: &str) -> QueryResult<()> {
        diesel::update(organizers::table.find(id))
            .set(organizers::password_hash.eq(Some(hash)))
            .execute(conn)?;
        crate::cache::record(conn, crate::cache::Change::Auth)
    }

    pub fn set_name(conn: &mut DbConnection, id: &str, name: &str) -> QueryResult<()> {
        diesel::update(organizers::table.find(id))
            .set(organizers::name.eq(name))
            .execute(conn)?;
        crate::cache::record(conn, crate::cache::Change::Auth)
    }

    /// Display name, falling back to the address's local part.
    pub fn display_name(&self) -> &str {
        if self.name.is_empty() {
            self.email.split('@').next().unwrap_or(&self.email)
        } else {
            &self.name
        }
    }
}
