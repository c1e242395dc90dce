use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::cache::{self, Change};
use crate::db::DbConnection;
use crate::db::schema::{outbox, venues};
use crate::domain::venue::{CostKind, VenueKind};
use crate::models::outbox::MailKind;

#[derive(Queryable, Selectable, Identifiable, Clone, Debug)]
#[diesel(table_name = venues)]
pub struct Venue {
    pub id: String,
    pub name: String,
    pub city: String,
    pub address: String,
    pub directions: String,
    pub capacity: i32,
    pub kind: VenueKind,
    pub cost: CostKind,
    pub cost_note: String,
    pub contact: String,
    pub weekday_only: bool,
    pub id_check_required: bool,
    pub caveats: String,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The venue this one was copied from (a tour that used someone else's venue made its own).
    pub copied_from: Option<String>,
}

#[derive(Insertable, AsChangeset, Clone, Debug)]
#[diesel(table_name = venues)]
pub struct VenueFields {
    pub name: String,
    pub city: String,
    pub address: String,
    pub directions: String,
    pub capacity: i32,
    pub kind: VenueKind,
    pub cost: CostKind,
    pub cost_note: String,
    pub contact: String,
    pub weekday_only: bool,
    pub id_check_required: bool,
    pub caveats: String,
}

impl VenueFields {
    /// The fields as text, in a fixed order, for comparing two versions of a venue.
    pub fn facts(&self) -> Vec<(&'static str, String)> {
        vec![
            ("name", self.name.clone()),
            ("city", self.city.clone()),
            ("address", self.address.clone()),
            ("directions", self.directions.clone()),
            ("capacity", self.capacity.to_string()),
            ("kind", self.kind.as_str().to_owned()),
            ("cost", self.cost.as_str().to_owned()),
            ("cost_note", self.cost_note.clone()),
            ("contact", self.contact.clone()),
            ("weekday_only", self.weekday_only.to_string()),
            ("id_check_required", self.id_check_required.to_string()),
            ("caveats", self.caveats.clone()),
        ]
    }
}

impl Venue {
    /// The venue's fields as an update would write them.
    pub fn fields(&self) -> VenueFields {
        VenueFields {
            name: self.name.clone(),
            city: self.city.clone(),
            address: self.address.clone(),
            directions: self.directions.clone(),
            capacity: self.capacity,
            kind: self.kind,
            cost: self.cost,
            cost_note: self.cost_note.clone(),
            contact: self.contact.clone(),
            weekday_only: self.weekday_only,
            id_check_required: self.id_check_required,
            caveats: self.caveats.clone(),
        }
    }

    pub fn kind(&self) -> VenueKind {
        self.kind
    }

    pub fn cost(&self) -> CostKind {
        self.cost
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
        cache::record(conn, Change::Venues)?;
        Self::get(conn, id)
    }

    /// A copy of `origin` made by `created_by`, remembering where it came from.
    pub fn insert_copy(
        conn: &mut DbConnection,
        id: &str,
        fields: &VenueFields,
        created_by: &str,
        origin: &str,
        now: NaiveDateTime,
    ) -> QueryResult<Venue> {
        diesel::insert_into(venues::table)
            .values((
                venues::id.eq(id),
                fields,
                venues::created_by.eq(Some(created_by)),
                venues::copied_from.eq(Some(origin)),
                venues::created_at.eq(now),
                venues::updated_at.eq(now),
            ))
            .execute(conn)?;
        cache::record(conn, Change::Venues)?;
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
        cache::record(conn, Change::Venues)?;
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
}

/// How many change suggestions (e-mails of kind `venue_suggestion`, reply-to the suggester)
/// `suggester` sent since `since`: the outbox is their log, so no table is needed for the
/// limit.
pub fn suggestions_sent_since(
    conn: &mut DbConnection,
    suggester: &str,
    since: NaiveDateTime,
) -> QueryResult<i64> {
    outbox::table
        .filter(outbox::kind.eq(MailKind::VenueSuggestion.as_str()))
        .filter(outbox::reply_to.eq(suggester))
        .filter(outbox::created_at.gt(since))
        .count()
        .get_result(conn)
}

fn escape_like(term: &str) -> String {
    term.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
