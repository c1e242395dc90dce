//! The running counters of each stop's registrations (one row per stop): what the capacity
//! rules decide on, kept in step with the registrations in the same transactions, and the
//! row whose lock serialises every registration change of a stop.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::cache::{self, Change};
use crate::db::DbConnection;
use crate::db::schema::{registrations, stop_counters, stops};
use crate::domain::attendance::{History, RegistrationStatus, StillComing};
use crate::models::stop::Stop;

#[derive(Queryable, Selectable, Clone, Copy, Debug, Default, PartialEq, Eq)]
#[diesel(table_name = stop_counters)]
pub struct Counters {
    pub confirmed: i32,
    pub waitlisted: i32,
    pub cancelled: i32,
    pub checked_in: i32,
    pub still_coming_yes: i32,
}

impl Counters {
    /// A tour's stops past the draft, soonest first, with their venues and running counters
    /// (the tour report).
    pub fn of_planned_stops(
        conn: &mut DbConnection,
        tour_id: &str,
    ) -> QueryResult<Vec<(Stop, crate::models::venue::Venue, Option<Counters>)>> {
        crate::db::schema::stops::table
            .inner_join(crate::db::schema::venues::table)
            .left_join(stop_counters::table)
            .filter(stops::tour_id.eq(tour_id))
            .filter(stops::status.ne(crate::domain::stop::StopStatus::Draft))
            .order(stops::starts_at)
            .select((
                Stop::as_select(),
                crate::models::venue::Venue::as_select(),
                Option::<Counters>::as_select(),
            ))
            .load(conn)
    }

    /// Takes the stop's registration lock: a no-op update of its counter row. On PostgreSQL
    /// this row lock serialises every registration change of the stop until commit.
    pub fn lock(conn: &mut DbConnection, stop_id: &str) -> QueryResult<Counters> {
        diesel::update(stop_counters::table.find(stop_id))
            .set(stop_counters::confirmed.eq(stop_counters::confirmed))
            .execute(conn)?;
        Self::get(conn, stop_id)
    }

    /// The counters of every stop added up (for /metrics).
    pub fn totals(conn: &mut DbConnection) -> QueryResult<Counters> {
        use diesel::dsl::sum;
        type Sums = (
            Option<i64>,
            Option<i64>,
            Option<i64>,
            Option<i64>,
            Option<i64>,
        );
        let (confirmed, waitlisted, cancelled, checked_in, yes): Sums = stop_counters::table
            .select((
                sum(stop_counters::confirmed),
                sum(stop_counters::waitlisted),
                sum(stop_counters::cancelled),
                sum(stop_counters::checked_in),
                sum(stop_counters::still_coming_yes),
            ))
            .first(conn)?;
        let n = |v: Option<i64>| v.unwrap_or(0) as i32;
        Ok(Counters {
            confirmed: n(confirmed),
            waitlisted: n(waitlisted),
            cancelled: n(cancelled),
            checked_in: n(checked_in),
            still_coming_yes: n(yes),
        })
    }

    pub fn get(conn: &mut DbConnection, stop_id: &str) -> QueryResult<Counters> {
        stop_counters::table
            .find(stop_id)
            .select(Counters::as_select())
            .first(conn)
            .optional()
            .map(Option::unwrap_or_default)
    }

    /// Adds the deltas to the stop's counters unless the confirmed count would pass
    /// `target` (when it grows); false then, and nothing changes.
    pub fn apply_within(
        conn: &mut DbConnection,
        stop: &Stop,
        d: Counters,
        target: i64,
    ) -> QueryResult<bool> {
        if d.confirmed <= 0 {
            Self::add(conn, stop, d)?;
            return Ok(true);
        }
        let limit = i32::try_from(target - i64::from(d.confirmed)).unwrap_or(i32::MAX);
        let moved = move_by(conn, &stop.id, d, limit)?;
        if moved {
            figures_changed(conn, stop, &d)?;
        }
        Ok(moved)
    }

    /// Adds the deltas to the stop's counters.
    pub fn add(conn: &mut DbConnection, stop: &Stop, d: Counters) -> QueryResult<()> {
        move_by(conn, &stop.id, d, i32::MAX)?;
        figures_changed(conn, stop, &d)
    }

    /// The counters of several stops in one query (the dashboards), by stop id; a stop
    /// without a row has had no registration yet.
    pub fn of_stops(
        conn: &mut DbConnection,
        stop_ids: &[String],
    ) -> QueryResult<Vec<(String, Counters)>> {
        stop_counters::table
            .filter(stop_counters::stop_id.eq_any(stop_ids.to_vec()))
            .select((stop_counters::stop_id, Counters::as_select()))
            .load(conn)
    }

    /// The done stops of some tours, each with its tour, start and counters: what every
    /// stop's expected show rate learns from (`history` of one stop, for many at once).
    pub fn done_of_tours(
        conn: &mut DbConnection,
        tour_ids: &[String],
    ) -> QueryResult<Vec<(String, NaiveDateTime, Counters)>> {
        stop_counters::table
            .inner_join(stops::table)
            .filter(stops::tour_id.eq_any(tour_ids.to_vec()))
            .filter(stops::status.eq(crate::domain::stop::StopStatus::Done))
            .select((stops::tour_id, stops::starts_at, Counters::as_select()))
            .load(conn)
    }

    /// N and A over the tour's done stops that started before `before`.
    pub fn history(
        conn: &mut DbConnection,
        tour_id: &str,
        before: NaiveDateTime,
    ) -> QueryResult<History> {
        let rows: Vec<(i32, i32)> = stop_counters::table
            .inner_join(stops::table)
            .filter(stops::tour_id.eq(tour_id))
            .filter(stops::status.eq(crate::domain::stop::StopStatus::Done))
            .filter(stops::starts_at.lt(before))
            .select((stop_counters::confirmed, stop_counters::checked_in))
            .load(conn)?;
        Ok(rows.iter().fold(History::default(), |h, (c, a)| History {
            confirmed: h.confirmed + i64::from(*c),
            attended: h.attended + i64::from(*a),
        }))
    }

    /// Recounts from the rows (a check that the running counters are right).
    pub fn recount(conn: &mut DbConnection, stop_id: &str) -> QueryResult<Counters> {
        let rows: Vec<(
            RegistrationStatus,
            Option<NaiveDateTime>,
            Option<StillComing>,
        )> = registrations::table
            .filter(registrations::stop_id.eq(stop_id))
            .select((
                registrations::status,
                registrations::checked_in_at,
                registrations::still_coming,
            ))
            .load(conn)?;
        let mut c = Counters::default();
        for (status, checked_in, coming) in rows {
            match status {
                RegistrationStatus::Confirmed => {
                    c.confirmed += 1;
                    if coming == Some(StillComing::Yes) {
                        c.still_coming_yes += 1;
                    }
                }
                RegistrationStatus::Waitlisted => c.waitlisted += 1,
                RegistrationStatus::Cancelled => c.cancelled += 1,
            }
            if checked_in.is_some() {
                c.checked_in += 1;
            }
        }
        Ok(c)
    }
}

/// Moves each counter of the stop by its delta, if its confirmed count is at most `limit`
/// (`i32::MAX`: always); whether it did.
fn move_by(conn: &mut DbConnection, stop_id: &str, d: Counters, limit: i32) -> QueryResult<bool> {
    let n = diesel::update(
        stop_counters::table
            .find(stop_id)
            .filter(stop_counters::confirmed.le(limit)),
    )
    .set((
        stop_counters::confirmed.eq(stop_counters::confirmed + d.confirmed),
        stop_counters::waitlisted.eq(stop_counters::waitlisted + d.waitlisted),
        stop_counters::cancelled.eq(stop_counters::cancelled + d.cancelled),
        stop_counters::checked_in.eq(stop_counters::checked_in + d.checked_in),
        stop_counters::still_coming_yes.eq(stop_counters::still_coming_yes + d.still_coming_yes),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// The stop's figures moved by `d`.
fn figures_changed(conn: &mut DbConnection, stop: &Stop, d: &Counters) -> QueryResult<()> {
    cache::record(
        conn,
        Change::Figures {
            stop_id: &stop.id,
            tour_id: &stop.tour_id,
            done: stop.status() == crate::domain::stop::StopStatus::Done,
            only_check_ins: *d
                == Counters {
                    checked_in: d.checked_in,
                    ..Counters::default()
                },
        },
    )
}
