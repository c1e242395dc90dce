//! The database before and after refused attempts: what a caller could have changed.

use crate::helpers::*;

/// What a caller could change: the rows of every table a form or call writes (the outbox
/// without its bodies), to compare before and after the refused attempts.
pub(super) async fn snapshot(app: &TestApp) -> Vec<(&'static str, String)> {
    app.db(|conn| {
        use diesel::prelude::*;
        use roadshow::db::schema::*;
        use roadshow::models;
        let mut out: Vec<(&'static str, String)> = Vec::new();
        macro_rules! rows {
            ($name:literal, $query:expr, $ty:ty) => {
                out.push(($name, format!("{:?}", $query.load::<$ty>(conn).unwrap())))
            };
        }
        rows!(
            "organizers",
            organizers::table
                .order(organizers::id)
                .select(models::organizer::Organizer::as_select()),
            models::organizer::Organizer
        );
        rows!(
            "tours",
            tours::table
                .order(tours::id)
                .select(models::tour::Tour::as_select()),
            models::tour::Tour
        );
        rows!(
            "tour_members",
            tour_members::table
                .order((tour_members::tour_id, tour_members::organizer_id))
                .select(models::team::TourMember::as_select()),
            models::team::TourMember
        );
        rows!(
            "tour_member_stops",
            tour_member_stops::table
                .order((tour_member_stops::organizer_id, tour_member_stops::stop_id)),
            (String, String, String)
        );
        rows!(
            "venues",
            venues::table
                .order(venues::id)
                .select(models::venue::Venue::as_select()),
            models::venue::Venue
        );
        rows!(
            "stops",
            stops::table
                .order(stops::id)
                .select(models::stop::Stop::as_select()),
            models::stop::Stop
        );
        rows!(
            "stop_backups",
            stop_backups::table.order((stop_backups::stop_id, stop_backups::venue_id)),
            (String, String, i32)
        );
        rows!(
            "supporters",
            supporters::table.order(supporters::id).select((
                supporters::id,
                supporters::stop_id,
                supporters::name,
                supporters::contribution,
                supporters::position
            )),
            (String, String, String, String, i32)
        );
        rows!(
            "outbox",
            outbox::table
                .order(outbox::id)
                .select((outbox::id, outbox::status, outbox::attempts)),
            (String, String, i32)
        );
        rows!(
            "registrations",
            registrations::table
                .order(registrations::id)
                .select(models::registration::Registration::as_select()),
            models::registration::Registration
        );
        rows!(
            "stop_counters",
            stop_counters::table.order(stop_counters::stop_id),
            (String, i32, i32, i32, i32, i32)
        );
        rows!(
            "venue_switches",
            venue_switches::table.order(venue_switches::id).select((
                venue_switches::id,
                venue_switches::stop_id,
                venue_switches::to_venue_id
            )),
            (String, String, String)
        );
        rows!(
            "desk_helpers",
            desk_helpers::table
                .order((desk_helpers::stop_id, desk_helpers::email))
                .select((
                    desk_helpers::stop_id,
                    desk_helpers::email,
                    desk_helpers::name
                )),
            (String, String, String)
        );
        rows!(
            "api_tokens",
            api_tokens::table.order(api_tokens::id).select((
                api_tokens::id,
                api_tokens::organizer_id,
                api_tokens::expires_at
            )),
            (String, String, Option<chrono::NaiveDateTime>)
        );
        rows!(
            "sessions",
            sessions::table.order(sessions::id).select((
                sessions::id,
                sessions::organizer_id,
                sessions::expires_at
            )),
            (String, Option<String>, chrono::NaiveDateTime)
        );
        rows!(
            "magic_links",
            magic_links::table.order(magic_links::id).select((
                magic_links::id,
                magic_links::purpose,
                magic_links::email,
                magic_links::used_at
            )),
            (String, String, String, Option<chrono::NaiveDateTime>)
        );
        rows!(
            "speakers",
            speakers::table
                .order(speakers::id)
                .select(models::speaker::Speaker::as_select()),
            models::speaker::Speaker
        );
        rows!(
            "talks",
            talks::table
                .order(talks::id)
                .select(models::talk::Talk::as_select()),
            models::talk::Talk
        );
        rows!(
            "talk_speakers",
            talk_speakers::table.order((talk_speakers::talk_id, talk_speakers::speaker_id)),
            (String, String, i32, Option<chrono::NaiveDateTime>)
        );
        rows!(
            "proposals",
            proposals::table
                .order(proposals::id)
                .select(models::proposal::Proposal::as_select()),
            models::proposal::Proposal
        );
        rows!(
            "proposal_stops",
            proposal_stops::table.order((proposal_stops::proposal_id, proposal_stops::stop_id)),
            (String, String)
        );
        rows!(
            "agenda_items",
            agenda_items::table
                .order(agenda_items::id)
                .select(models::agenda::AgendaItem::as_select()),
            models::agenda::AgendaItem
        );
        rows!(
            "materials",
            materials::table
                .order(materials::id)
                .select(models::material::Material::as_select()),
            models::material::Material
        );
        rows!(
            "tasks",
            tasks::table
                .order(tasks::id)
                .select(models::task::Task::as_select()),
            models::task::Task
        );
        rows!(
            "volunteers",
            volunteers::table
                .order(volunteers::id)
                .select(models::task::Volunteer::as_select()),
            models::task::Volunteer
        );
        rows!(
            "claims",
            claims::table
                .order(claims::id)
                .select(models::task::Claim::as_select()),
            models::task::Claim
        );
        out
    })
    .await
}

pub(super) fn changes(
    before: &[(&'static str, String)],
    after: &[(&'static str, String)],
) -> Vec<&'static str> {
    before
        .iter()
        .zip(after)
        .filter(|(b, a)| b.1 != a.1)
        .map(|(b, _)| b.0)
        .collect()
}
