//! The people who may run a stop's check-in desk.

use crate::db::schema::desk_helpers;
use diesel::prelude::*;

#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = desk_helpers)]
pub struct DeskHelper {
    pub stop_id: String,
    pub email: String,
    pub name: String,
    pub added_by: Option<String>,
    pub created_at: chrono::NaiveDateTime,
}
