//! The people an organizer named to run a stop's check-in desk (`desk_helpers`), by address.

use diesel::prelude::*;

use crate::db::schema::desk_helpers;
use crate::db::{self, DbConnection};

#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = desk_helpers)]
pub struct DeskHelper {
    pub stop_id: String,
    pub email: String,
    pub name: String,
    pub added_by: Option<String>,
    pub created_at: chrono::NaiveDateTime,
}

impl DeskHelper {
    /// The helper of the stop with this address, if named.
    pub fn find(
        conn: &mut DbConnection,
        stop_id: &str,
        email: &str,
    ) -> QueryResult<Option<DeskHelper>> {
        desk_helpers::table
            .find((stop_id, email))
            .select(DeskHelper::as_select())
            .first(conn)
            .optional()
    }

    /// Names a helper (once: naming them again changes nothing).
    pub fn add(
        conn: &mut DbConnection,
        stop_id: &str,
        email: &str,
        name: &str,
        added_by: &str,
    ) -> QueryResult<()> {
        if Self::find(conn, stop_id, email)?.is_none() {
            diesel::insert_into(desk_helpers::table)
                .values((
                    desk_helpers::stop_id.eq(stop_id),
                    desk_helpers::email.eq(email),
                    desk_helpers::name.eq(name),
                    desk_helpers::added_by.eq(Some(added_by)),
                    desk_helpers::created_at.eq(db::now()),
                ))
                .execute(conn)?;
        }
        Ok(())
    }

    pub fn remove(conn: &mut DbConnection, stop_id: &str, email: &str) -> QueryResult<()> {
        diesel::delete(desk_helpers::table.find((stop_id, email))).execute(conn)?;
        Ok(())
    }

    /// A stop's helpers, in the order they were named.
    pub fn of_stop(conn: &mut DbConnection, stop_id: &str) -> QueryResult<Vec<DeskHelper>> {
        desk_helpers::table
            .filter(desk_helpers::stop_id.eq(stop_id))
            .order(desk_helpers::created_at)
            .select(DeskHelper::as_select())
            .load(conn)
    }

    /// Every desk this address helps at.
    pub fn of_address(conn: &mut DbConnection, email: &str) -> QueryResult<Vec<DeskHelper>> {
        desk_helpers::table
            .filter(desk_helpers::email.eq(email))
            .select(DeskHelper::as_select())
            .load(conn)
    }
}
