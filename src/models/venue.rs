use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{stops, tours, venues};
use crate::domain::venue::{CostKind, VenueKind};
use crate::models::stop::Stop;
use crate::models::tour::Tour;

#[derive(Queryable, Selectable, Identifiable, Clone, Debug)]
#[diesel(table_name = venues)]
pub struct Venue {
    pub id: String,
    pub name: String,
    pub city: String,
    pub address: String,
    pub directions: String,
    pub capacity: i32,
    pub kind: String,
    pub cost: String,
    pub cost_note: String,
    pub contact: String,
    pub weekday_only: bool,
    pub id_check_required: bool,
    pub caveats: String,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Insertable, AsChangeset, Clone, Debug)]
#[diesel(table_name = venues)]
pub struct VenueFields {
    pub name: String,
    pub city: String,
    pub address: String,
    pub directions: String,
    pub capacity: i32,
    pub kind: String,
    pub cost: String,
    pub cost_note: String,
    pub contact: String,
    pub weekday_only: bool,
    pub id_check_required: bool,
    pub caveats: String,
}

impl Venue {
    pub fn kind(&self) -> VenueKind {
        VenueKind::from_db(&self.kind)
    }

    pub fn cost(&self) -> CostKind {
        CostKind::from_db(&self.cost)
    }

    pub fn insert(
        conn: &mut DbConnection,
        id: &str,
        fields: &VenueFields,
        created_by: Option<&str>,
        now: NaiveDateTime,
    ) -> QueryResult<Venue> {
        diesel::insert_into(venues::table)
            .values((
                venues::id.eq(id),
                fields,
                venues::created_by.eq(created_by),
                venues::created_at.eq(now),
                venues::updated_at.eq(now),
            ))
            .execute(conn)?;
        Self::get(conn, id)
    }

    pub fn update(
        conn: &mut DbConnection,
        id: &str,
        fields: &VenueFields,
        now: NaiveDateTime,
    ) -> QueryResult<Venue> {
        diesel::update(venues::table.find(id))
            .set((fields, venues::updated_at.eq(now)))
            .execute(conn)?;
        Self::get(conn, id)
    }

    pub fn get(conn: &mut DbConnection, id: &str) -> QueryResult<Venue> {
        venues::table
            .find(id)
            .select(Venue::as_select())
            .first(conn)
    }

    pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Venue>> {
        Self::get(conn, id).optional()
    }

    pub fn find_many(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<Venue>> {
        venues::table
            .filter(venues::id.eq_any(ids))
            .select(Venue::as_select())
            .load(conn)
    }

    /// The shared venue library, optionally narrowed to a city or a search term.
    pub fn list(conn: &mut DbConnection, search: Option<&str>) -> QueryResult<Vec<Venue>> {
        let mut query = venues::table
            .order((venues::city, venues::name))
            .select(Venue::as_select())
            .into_boxed();
        if let Some(term) = search.map(str::trim).filter(|t| !t.is_empty()) {
            // lower() on both sides: LIKE is case-insensitive on SQLite only.
            let pattern = format!("%{}%", escape_like(&term.to_lowercase()));
            query = query.filter(
                diesel::dsl::sql::<diesel::sql_types::Bool>("(lower(name) LIKE ")
                    .bind::<diesel::sql_types::Text, _>(pattern.clone())
                    .sql(" ESCAPE '\\' OR lower(city) LIKE ")
                    .bind::<diesel::sql_types::Text, _>(pattern)
                    .sql(" ESCAPE '\\')"),
            );
        }
        query.load(conn)
    }

    /// Every stop held (or planned) at this venue, with its tour, newest first.
    pub fn history(conn: &mut DbConnection, venue_id: &str) -> QueryResult<Vec<(Stop, Tour)>> {
        stops::table
            .inner_join(tours::table)
            .filter(stops::venue_id.eq(venue_id))
            .order(stops::starts_at.desc())
            .select((Stop::as_select(), Tour::as_select()))
            .load(conn)
    }
}

fn escape_like(term: &str) -> String {
    term.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
