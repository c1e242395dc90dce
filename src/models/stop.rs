use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::cache::{self, Change};
use crate::db::schema::{stop_backups, stop_counters, stops, supporters, tours, venues};
use crate::db::{self, DbConnection};
use crate::domain::stop::StopStatus;
use crate::models::tour::Tour;
use crate::models::venue::Venue;

#[derive(Queryable, Selectable, Identifiable, Clone, Debug)]
#[diesel(table_name = stops)]
pub struct Stop {
    pub id: String,
    pub tour_id: String,
    pub city: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub timezone: String,
    pub venue_id: String,
    pub capacity_override: Option<i32>,
    pub show_rate_override: Option<f64>,
    pub livestream_url: Option<String>,
    pub online_viewers: Option<i32>,
    pub status: StopStatus,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Bumped when the stop moves (time or venue), so calendars update their entry.
    pub calendar_sequence: i32,
    /// Once set, agenda changes are shown publicly and moved speakers are told.
    pub agenda_published_at: Option<NaiveDateTime>,
    /// The organizers' word to the stop's people when it was cancelled or moved (shown on
    /// its page and tickets; the e-mails carried it).
    pub notice: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = stops)]
pub struct NewStop {
    pub id: String,
    pub tour_id: String,
    pub city: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub timezone: String,
    pub venue_id: String,
    pub capacity_override: Option<i32>,
    pub show_rate_override: Option<f64>,
    pub livestream_url: Option<String>,
    pub online_viewers: Option<i32>,
    pub status: StopStatus,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(AsChangeset, Default)]
#[diesel(table_name = stops)]
pub struct StopChanges {
    pub city: Option<String>,
    pub starts_at: Option<NaiveDateTime>,
    pub ends_at: Option<NaiveDateTime>,
    pub timezone: Option<String>,
    pub venue_id: Option<String>,
    pub capacity_override: Option<Option<i32>>,
    pub show_rate_override: Option<Option<f64>>,
    pub livestream_url: Option<Option<String>>,
    pub online_viewers: Option<Option<i32>>,
    pub status: Option<StopStatus>,
    pub updated_at: Option<NaiveDateTime>,
    pub calendar_sequence: Option<i32>,
    pub agenda_published_at: Option<Option<NaiveDateTime>>,
    pub notice: Option<Option<String>>,
}

#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = supporters)]
pub struct Supporter {
    pub id: String,
    pub stop_id: String,
    pub name: String,
    pub contribution: String,
    pub position: i32,
    pub created_at: NaiveDateTime,
}

/// A stop with what its pages show: the venue, the ranked backups, the supporters.
#[derive(Clone, Debug)]
pub struct StopDetail {
    pub stop: Stop,
    pub venue: Venue,
    pub backups: Vec<Venue>,
    pub supporters: Vec<Supporter>,
}

impl StopDetail {
    /// The stop's capacity: the organizer's override, else the current venue's.
    pub fn capacity(&self) -> i32 {
        self.stop.capacity_override.unwrap_or(self.venue.capacity)
    }
}

impl Stop {
    pub fn status(&self) -> StopStatus {
        self.status
    }

    pub fn tz(&self) -> chrono_tz::Tz {
        self.timezone.parse().unwrap_or(chrono_tz::UTC)
    }

    /// Inserts the stop and its (zero) registration counters.
    pub fn insert(conn: &mut DbConnection, new: &NewStop) -> QueryResult<()> {
        diesel::insert_into(stops::table)
            .values(new)
            .execute(conn)?;
        diesel::insert_into(stop_counters::table)
            .values(stop_counters::stop_id.eq(&new.id))
            .execute(conn)?;
        cache::record(
            conn,
            Change::Stop {
                id: &new.id,
                tour_id: &new.tour_id,
            },
        )
    }

    /// Takes the stop's agenda lock: a no-op update of its row, which on PostgreSQL holds
    /// every other agenda decision of the stop until commit (SQLite's `BEGIN IMMEDIATE`
    /// already serialises writers). Registrations lock the counters row instead
    /// (`Counters::lock`), so the two do not wait for each other.
    pub fn lock(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Stop>> {
        diesel::update(stops::table.find(id))
            .set(stops::calendar_sequence.eq(stops::calendar_sequence))
            .execute(conn)?;
        Self::find(conn, id)
    }

    /// Unscoped: organizer-facing callers use `services::access::stop_for`.
    pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Stop>> {
        stops::table
            .find(id)
            .select(Stop::as_select())
            .first(conn)
            .optional()
    }

    /// The stop and its tour, in one query.
    pub fn find_with_tour(
        conn: &mut DbConnection,
        id: &str,
    ) -> QueryResult<Option<(Stop, crate::models::tour::Tour)>> {
        stops::table
            .inner_join(crate::db::schema::tours::table)
            .filter(stops::id.eq(id))
            .select((Stop::as_select(), crate::models::tour::Tour::as_select()))
            .first(conn)
            .optional()
    }

    pub fn update(conn: &mut DbConnection, id: &str, changes: &StopChanges) -> QueryResult<Stop> {
        diesel::update(stops::table.find(id))
            .set(changes)
            .execute(conn)?;
        let stop: Stop = stops::table
            .find(id)
            .select(Stop::as_select())
            .first(conn)?;
        cache::record(
            conn,
            Change::Stop {
                id,
                tour_id: &stop.tour_id,
            },
        )?;
        Ok(stop)
    }

    /// The public stops of a tour, in time order.
    pub fn list_public(conn: &mut DbConnection, tour_id: &str) -> QueryResult<Vec<(Stop, Venue)>> {
        stops::table
            .inner_join(venues::table)
            .filter(stops::tour_id.eq(tour_id))
            .filter(stops::status.ne(StopStatus::Draft))
            .order(stops::starts_at)
            .select((Stop::as_select(), Venue::as_select()))
            .load(conn)
    }

    /// Stops of several tours with their venues (dashboards).
    pub fn list_with_venues(
        conn: &mut DbConnection,
        stop_ids: &[String],
    ) -> QueryResult<Vec<(Stop, Venue)>> {
        stops::table
            .inner_join(venues::table)
            .filter(stops::id.eq_any(stop_ids))
            .order(stops::starts_at)
            .select((Stop::as_select(), Venue::as_select()))
            .load(conn)
    }

    pub fn detail(conn: &mut DbConnection, stop: Stop) -> QueryResult<StopDetail> {
        let venue = Venue::get(conn, &stop.venue_id)?;
        let backups = Self::backups(conn, &stop.id)?;
        let supporters = Self::supporters(conn, &stop.id)?;
        Ok(StopDetail {
            stop,
            venue,
            backups,
            supporters,
        })
    }

    /// Backup venues, best first.
    pub fn backups(conn: &mut DbConnection, stop_id: &str) -> QueryResult<Vec<Venue>> {
        stop_backups::table
            .inner_join(venues::table)
            .filter(stop_backups::stop_id.eq(stop_id))
            .order(stop_backups::rank)
            .select(Venue::as_select())
            .load(conn)
    }

    /// Replaces the ranked backups with `venue_ids`, in that order.
    pub fn set_backups(
        conn: &mut DbConnection,
        stop_id: &str,
        venue_ids: &[String],
    ) -> QueryResult<()> {
        diesel::delete(stop_backups::table.filter(stop_backups::stop_id.eq(stop_id)))
            .execute(conn)?;
        for (i, venue_id) in venue_ids.iter().enumerate() {
            diesel::insert_into(stop_backups::table)
                .values((
                    stop_backups::stop_id.eq(stop_id),
                    stop_backups::venue_id.eq(venue_id),
                    stop_backups::rank.eq(i as i32 + 1),
                ))
                .execute(conn)?;
        }
        cache::record(conn, Change::StopPage(stop_id))
    }

    pub fn supporters(conn: &mut DbConnection, stop_id: &str) -> QueryResult<Vec<Supporter>> {
        supporters::table
            .filter(supporters::stop_id.eq(stop_id))
            .order((supporters::position, supporters::created_at))
            .select(Supporter::as_select())
            .load(conn)
    }

    pub fn add_supporter(
        conn: &mut DbConnection,
        stop_id: &str,
        name: &str,
        contribution: &str,
    ) -> QueryResult<Supporter> {
        let position: Option<i32> = supporters::table
            .filter(supporters::stop_id.eq(stop_id))
            .select(diesel::dsl::max(supporters::position))
            .first(conn)?;
        let id = db::new_id();
        diesel::insert_into(supporters::table)
            .values((
                supporters::id.eq(&id),
                supporters::stop_id.eq(stop_id),
                supporters::name.eq(name),
                supporters::contribution.eq(contribution),
                supporters::position.eq(position.unwrap_or(0) + 1),
                supporters::created_at.eq(db::now()),
            ))
            .execute(conn)?;
        cache::record(conn, Change::StopPage(stop_id))?;
        supporters::table
            .find(&id)
            .select(Supporter::as_select())
            .first(conn)
    }

    pub fn remove_supporter(
        conn: &mut DbConnection,
        stop_id: &str,
        supporter_id: &str,
    ) -> QueryResult<usize> {
        let removed = diesel::delete(
            supporters::table
                .filter(supporters::id.eq(supporter_id))
                .filter(supporters::stop_id.eq(stop_id)),
        )
        .execute(conn)?;
        cache::record(conn, Change::StopPage(stop_id))?;
        Ok(removed)
    }
}

/// A logged move of a stop to another venue.
#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = crate::db::schema::venue_switches)]
pub struct VenueSwitch {
    pub id: String,
    pub stop_id: String,
    pub from_venue_id: String,
    pub to_venue_id: String,
    pub reason: String,
    pub switched_by: Option<String>,
    pub created_at: NaiveDateTime,
}

impl VenueSwitch {
    pub fn log(
        conn: &mut DbConnection,
        stop_id: &str,
        from: &str,
        to: &str,
        reason: &str,
        by: Option<&str>,
    ) -> QueryResult<()> {
        use crate::db::schema::venue_switches as vs;
        diesel::insert_into(vs::table)
            .values((
                vs::id.eq(db::new_id()),
                vs::stop_id.eq(stop_id),
                vs::from_venue_id.eq(from),
                vs::to_venue_id.eq(to),
                vs::reason.eq(reason),
                vs::switched_by.eq(by),
                vs::created_at.eq(db::now()),
            ))
            .execute(conn)
            .map(drop)
    }

    /// The stop's moves, oldest first, with the venues' names.
    pub fn list(
        conn: &mut DbConnection,
        stop_id: &str,
    ) -> QueryResult<Vec<(VenueSwitch, String, String)>> {
        use crate::db::schema::venue_switches as vs;
        let switches: Vec<VenueSwitch> = vs::table
            .filter(vs::stop_id.eq(stop_id))
            .order(vs::created_at)
            .select(VenueSwitch::as_select())
            .load(conn)?;
        let mut out = Vec::with_capacity(switches.len());
        for s in switches {
            let from: String = venues::table
                .find(&s.from_venue_id)
                .select(venues::name)
                .first(conn)?;
            let to: String = venues::table
                .find(&s.to_venue_id)
                .select(venues::name)
                .first(conn)?;
            out.push((s, from, to));
        }
        Ok(out)
    }
}

/// A stop still to come that uses a venue, as its place or as a backup.
#[derive(Clone, Debug)]
pub struct VenueUse {
    pub stop: Stop,
    pub tour: Tour,
    pub as_backup: bool,
}

impl Stop {
    /// Open or closed stops starting after `from`, up to `until`: the scheduler's reminders.
    pub fn starting_between(
        conn: &mut DbConnection,
        from: NaiveDateTime,
        until: NaiveDateTime,
    ) -> QueryResult<Vec<Stop>> {
        stops::table
            .filter(stops::status.eq_any([
                crate::domain::stop::StopStatus::Open,
                crate::domain::stop::StopStatus::Closed,
            ]))
            .filter(stops::starts_at.gt(from))
            .filter(stops::starts_at.le(until))
            .select(Stop::as_select())
            .load(conn)
    }

    /// Stops held (open, closed or done) that ended after `from`, up to `until`: whose
    /// materials are asked for.
    pub fn ended_between(
        conn: &mut DbConnection,
        from: NaiveDateTime,
        until: NaiveDateTime,
    ) -> QueryResult<Vec<Stop>> {
        stops::table
            .filter(stops::status.eq_any([
                crate::domain::stop::StopStatus::Open,
                crate::domain::stop::StopStatus::Closed,
                crate::domain::stop::StopStatus::Done,
            ]))
            .filter(stops::ends_at.le(until))
            .filter(stops::ends_at.gt(from))
            .select(Stop::as_select())
            .load(conn)
    }
}

impl Stop {
    /// Every stop held (or planned) at a venue, with its tour, newest first.
    pub fn held_at(conn: &mut DbConnection, venue_id: &str) -> QueryResult<Vec<(Stop, Tour)>> {
        stops::table
            .inner_join(tours::table)
            .filter(stops::venue_id.eq(venue_id))
            .order(stops::starts_at.desc())
            .select((Stop::as_select(), Tour::as_select()))
            .load(conn)
    }
}

impl VenueUse {
    /// Stops not over (not done, not cancelled, not ended) held at the venue or keeping it as
    /// a backup, with their tours, soonest first.
    pub fn upcoming(
        conn: &mut DbConnection,
        venue_id: &str,
        now: NaiveDateTime,
    ) -> QueryResult<Vec<VenueUse>> {
        let live = [StopStatus::Draft, StopStatus::Open, StopStatus::Closed];
        let held: Vec<(Stop, Tour)> = stops::table
            .inner_join(tours::table)
            .filter(stops::venue_id.eq(venue_id))
            .filter(stops::status.eq_any(live))
            .filter(stops::ends_at.gt(now))
            .select((Stop::as_select(), Tour::as_select()))
            .load(conn)?;
        let backup: Vec<(Stop, Tour)> = stop_backups::table
            .inner_join(stops::table.inner_join(tours::table))
            .filter(stop_backups::venue_id.eq(venue_id))
            .filter(stops::status.eq_any(live))
            .filter(stops::ends_at.gt(now))
            .select((Stop::as_select(), Tour::as_select()))
            .load(conn)?;
        let mut out: Vec<VenueUse> = held
            .into_iter()
            .map(|(stop, tour)| VenueUse {
                stop,
                tour,
                as_backup: false,
            })
            .chain(backup.into_iter().map(|(stop, tour)| VenueUse {
                stop,
                tour,
                as_backup: true,
            }))
            .collect();
        out.sort_by_key(|u| u.stop.starts_at);
        Ok(out)
    }
}
