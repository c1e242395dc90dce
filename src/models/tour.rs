use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::cache::{self, Change};
use crate::db::DbConnection;
use crate::db::schema::{tour_members, tours};
use crate::domain::access::TeamRole;
use crate::domain::tour::TourStatus;

#[derive(Queryable, Selectable, Identifiable, Clone, Debug)]
#[diesel(table_name = tours)]
pub struct Tour {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub contact_email: Option<String>,
    pub status: TourStatus,
    pub prior_show_rate: f64,
    pub cfp_opens_at: Option<NaiveDateTime>,
    pub cfp_closes_at: Option<NaiveDateTime>,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub report_published_at: Option<NaiveDateTime>,
}

#[derive(Insertable)]
#[diesel(table_name = tours)]
pub struct NewTour {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub contact_email: Option<String>,
    pub status: TourStatus,
    pub prior_show_rate: f64,
    pub cfp_opens_at: Option<NaiveDateTime>,
    pub cfp_closes_at: Option<NaiveDateTime>,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A partial update; `None` leaves a column as it is.
#[derive(AsChangeset, Default)]
#[diesel(table_name = tours)]
pub struct TourChanges {
    pub slug: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub contact_email: Option<Option<String>>,
    pub status: Option<TourStatus>,
    pub prior_show_rate: Option<f64>,
    pub cfp_opens_at: Option<Option<NaiveDateTime>>,
    pub cfp_closes_at: Option<Option<NaiveDateTime>>,
    pub updated_at: Option<NaiveDateTime>,
    pub report_published_at: Option<Option<NaiveDateTime>>,
}

impl Tour {
    /// Takes the tour's lock until commit: a no-op update of its row. On PostgreSQL the row
    /// lock serialises decisions about the tour's team ("a tour keeps at least one owner"),
    /// which would otherwise each see the other's owner still there; SQLite's write
    /// transactions are serial already.
    pub fn lock(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
        diesel::update(tours::table.find(id))
            .set(tours::updated_at.eq(tours::updated_at))
            .execute(conn)
            .map(|_| ())
    }

    pub fn status(&self) -> TourStatus {
        self.status
    }

    /// Readable by anyone: published, or archived (a past tour's pages stay up).
    pub fn is_public(&self) -> bool {
        self.status() != TourStatus::Draft
    }

    pub fn insert(conn: &mut DbConnection, new: &NewTour) -> QueryResult<()> {
        diesel::insert_into(tours::table)
            .values(new)
            .execute(conn)?;
        cache::record(conn, Change::Tour(&new.id))
    }

    /// Unscoped: callers outside `models::access` must not hand this to organizers.
    pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Tour>> {
        tours::table
            .find(id)
            .select(Tour::as_select())
            .first(conn)
            .optional()
    }

    pub fn find_public_by_slug(conn: &mut DbConnection, slug: &str) -> QueryResult<Option<Tour>> {
        tours::table
            .filter(tours::slug.eq(slug))
            .filter(tours::status.ne(TourStatus::Draft.as_str()))
            .select(Tour::as_select())
            .first(conn)
            .optional()
    }

    pub fn slug_taken(
        conn: &mut DbConnection,
        slug: &str,
        except_id: Option<&str>,
    ) -> QueryResult<bool> {
        let mut query = tours::table
            .filter(tours::slug.eq(slug))
            .select(tours::id)
            .into_boxed();
        if let Some(id) = except_id {
            query = query.filter(tours::id.ne(id));
        }
        Ok(query.first::<String>(conn).optional()?.is_some())
    }

    /// Published tours for the home page, newest first.
    pub fn list_published(conn: &mut DbConnection) -> QueryResult<Vec<Tour>> {
        tours::table
            .filter(tours::status.eq(TourStatus::Published))
            .order(tours::created_at.desc())
            .select(Tour::as_select())
            .load(conn)
    }

    /// The tours an organizer is a member of, with their role (site admins see all, with none).
    pub fn list_for_member(
        conn: &mut DbConnection,
        organizer_id: &str,
        is_admin: bool,
    ) -> QueryResult<Vec<(Tour, Option<TeamRole>)>> {
        if is_admin {
            let all: Vec<Tour> = tours::table
                .order(tours::created_at.desc())
                .select(Tour::as_select())
                .load(conn)?;
            let roles: Vec<(String, String)> = tour_members::table
                .filter(tour_members::organizer_id.eq(organizer_id))
                .select((tour_members::tour_id, tour_members::role))
                .load(conn)?;
            return Ok(all
                .into_iter()
                .map(|t| {
                    let role = roles
                        .iter()
                        .find(|(id, _)| *id == t.id)
                        .and_then(|(_, r)| TeamRole::parse(r));
                    (t, role)
                })
                .collect());
        }
        let rows: Vec<(Tour, String)> = tours::table
            .inner_join(tour_members::table)
            .filter(tour_members::organizer_id.eq(organizer_id))
            .order(tours::created_at.desc())
            .select((Tour::as_select(), tour_members::role))
            .load(conn)?;
        Ok(rows
            .into_iter()
            .map(|(t, r)| (t, TeamRole::parse(&r)))
            .collect())
    }

    pub fn update(conn: &mut DbConnection, id: &str, changes: &TourChanges) -> QueryResult<Tour> {
        diesel::update(tours::table.find(id))
            .set(changes)
            .execute(conn)?;
        cache::record(conn, Change::Tour(id))?;
        if changes.report_published_at.is_some() {
            cache::record(conn, Change::Report(id))?;
        }
        tours::table.find(id).select(Tour::as_select()).first(conn)
    }
}
