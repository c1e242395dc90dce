//! Who an organizer's message reaches: the people of a segment at some stops, and how many
//! each segment holds. Both ask the same query of a segment (`people_query`), one to list
//! the people, one to count them (`COUNT(DISTINCT email)`), so a count next to a choice is
//! the number of messages the choice sends.

use diesel::prelude::*;

use crate::db::schema::{
    agenda_items, claims, outbox, registrations, speakers, stops, talk_speakers, tasks, volunteers,
};
use crate::db::{DbConnection, MultiBackend};
use crate::domain::attendance::RegistrationStatus;
use crate::domain::message::Segment;
use crate::domain::stop::StopStatus;
use crate::domain::task::ClaimStatus;
use crate::models::outbox::MailKind;

/// One person a message goes to, with the stop it is about.
#[derive(Clone, Debug)]
pub struct Person {
    pub email: String,
    pub name: String,
    /// Their language's code, as stored.
    pub lang: String,
    pub stop_id: String,
    /// An attendee's registration (for their manage link).
    pub registration_id: Option<String>,
}

/// Addresses of erased registrations: nobody to write to.
const ERASED: &str = "%@invalid";

type Registrations<'a> = diesel::dsl::IntoBoxed<
    'a,
    diesel::dsl::InnerJoin<registrations::table, stops::table>,
    MultiBackend,
>;

/// The registrations of a segment at these stops (the attendees' segments).
fn registrations_of<'a>(stop_ids: &'a [String], segment: Segment) -> Registrations<'a> {
    let q = registrations::table
        .inner_join(stops::table)
        .filter(registrations::stop_id.eq_any(stop_ids))
        .filter(registrations::email.not_like(ERASED))
        .into_boxed();
    match segment {
        Segment::Confirmed => q.filter(registrations::status.eq(RegistrationStatus::Confirmed)),
        Segment::Waitlisted => q.filter(registrations::status.eq(RegistrationStatus::Waitlisted)),
        Segment::CheckedIn => q.filter(registrations::checked_in_at.is_not_null()),
        // No-shows exist only once a stop is done.
        Segment::NoShows => q
            .filter(registrations::status.eq(RegistrationStatus::Confirmed))
            .filter(registrations::checked_in_at.is_null())
            .filter(stops::status.eq(StopStatus::Done)),
        // Asked "still coming?" (the outbox holds the question to them) and never answered.
        Segment::NoAnswer => q
            .filter(registrations::status.eq(RegistrationStatus::Confirmed))
            .filter(registrations::still_coming.is_null())
            .filter(registrations::walk_in.eq(false))
            .filter(diesel::dsl::exists(
                outbox::table
                    .filter(outbox::kind.eq(MailKind::StillComing.as_str()))
                    .filter(outbox::stop_id.eq(registrations::stop_id.nullable()))
                    .filter(outbox::to_email.eq(registrations::email)),
            )),
        // Not attendees' segments: nothing.
        Segment::Speakers | Segment::Volunteers => {
            q.filter(registrations::id.ne(registrations::id))
        }
    }
}

impl Person {
    /// The people of `segment` at these stops, each address once (at the first of the stops,
    /// by date, where they are in it).
    pub fn of_segment(
        conn: &mut DbConnection,
        stop_ids: &[String],
        segment: Segment,
    ) -> QueryResult<Vec<Person>> {
        let rows: Vec<(String, String, String, String, Option<String>)> = match segment {
            Segment::Speakers => agenda_items::table
                .inner_join(
                    talk_speakers::table
                        .on(talk_speakers::talk_id.nullable().eq(agenda_items::talk_id)),
                )
                .inner_join(speakers::table.on(speakers::id.eq(talk_speakers::speaker_id)))
                .inner_join(stops::table.on(stops::id.eq(agenda_items::stop_id)))
                .filter(agenda_items::stop_id.eq_any(stop_ids))
                .order((
                    stops::starts_at,
                    agenda_items::starts_at,
                    talk_speakers::position,
                ))
                .select((
                    speakers::email,
                    speakers::name,
                    speakers::lang,
                    agenda_items::stop_id,
                    None::<String>
                        .into_sql::<diesel::sql_types::Nullable<diesel::sql_types::Text>>(),
                ))
                .load(conn)?,
            Segment::Volunteers => claims::table
                .inner_join(tasks::table.inner_join(stops::table))
                .inner_join(volunteers::table)
                .filter(tasks::stop_id.eq_any(stop_ids))
                .filter(claims::status.eq(ClaimStatus::Claimed))
                .order((stops::starts_at, claims::created_at, claims::id))
                .select((
                    volunteers::email,
                    volunteers::name,
                    volunteers::lang,
                    tasks::stop_id,
                    None::<String>
                        .into_sql::<diesel::sql_types::Nullable<diesel::sql_types::Text>>(),
                ))
                .load(conn)?,
            _ => registrations_of(stop_ids, segment)
                .order((
                    stops::starts_at,
                    registrations::created_at,
                    registrations::id,
                ))
                .select((
                    registrations::email,
                    registrations::name,
                    registrations::lang,
                    registrations::stop_id,
                    registrations::id.nullable(),
                ))
                .load(conn)?,
        };
        let mut seen = std::collections::HashSet::new();
        Ok(rows
            .into_iter()
            .filter(|(email, ..)| seen.insert(email.clone()))
            .map(|(email, name, lang, stop_id, registration_id)| Person {
                email,
                name,
                lang,
                stop_id,
                registration_id,
            })
            .collect())
    }

    /// How many different addresses each segment holds at these stops: one counting query
    /// per segment, in `Segment::ALL`'s order.
    pub fn segment_counts(
        conn: &mut DbConnection,
        stop_ids: &[String],
    ) -> QueryResult<Vec<(Segment, i64)>> {
        let mut out = Vec::new();
        for segment in Segment::ALL {
            let n = match segment {
                Segment::Speakers => agenda_items::table
                    .inner_join(
                        talk_speakers::table
                            .on(talk_speakers::talk_id.nullable().eq(agenda_items::talk_id)),
                    )
                    .inner_join(speakers::table.on(speakers::id.eq(talk_speakers::speaker_id)))
                    .filter(agenda_items::stop_id.eq_any(stop_ids))
                    .select(diesel::dsl::count(speakers::email).aggregate_distinct())
                    .first(conn)?,
                Segment::Volunteers => claims::table
                    .inner_join(tasks::table)
                    .inner_join(volunteers::table)
                    .filter(tasks::stop_id.eq_any(stop_ids))
                    .filter(claims::status.eq(ClaimStatus::Claimed))
                    .select(diesel::dsl::count(volunteers::email).aggregate_distinct())
                    .first(conn)?,
                _ => registrations_of(stop_ids, *segment)
                    .select(diesel::dsl::count(registrations::email).aggregate_distinct())
                    .first(conn)?,
            };
            out.push((*segment, n));
        }
        Ok(out)
    }
}
