//! Big made-up tours, for benchmarks and capacity tests (`roadshow demo --generate`).

use diesel::prelude::*;

use crate::db::schema::stop_counters;
use crate::db::{self, DbConnection};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::models::agenda::AgendaItem;
use crate::models::organizer::Organizer;
use crate::models::registration::{NewRegistration, Registration};
use crate::models::speaker::Speaker;
use crate::models::stop::{NewStop, Stop, StopChanges};
use crate::models::talk::Talk;
use crate::models::tour::{Tour, TourChanges};
use crate::models::venue::{Venue, VenueFields};
use crate::secrets;
use crate::services::accounts;
use crate::services::tours::{self, TourInput};

use super::bad;

/// The size of a generated tour (`roadshow demo --generate`).
#[derive(Clone, Copy, Debug)]
pub struct Size {
    pub stops: usize,
    pub registrations: usize,
    pub talks: usize,
}

/// What a generated tour holds.
pub struct Generated {
    pub tour: Tour,
    /// The first stop still open for registration.
    pub open_stop_id: Option<String>,
}

/// A big made-up tour, for benchmarks and capacity tests: stops one week apart (the first
/// four fifths done, with attendance; the rest open), talks on their agendas, registrations
/// spread evenly, counters as the rows say. Written in bulk, in one transaction.
pub fn generate(conn: &mut DbConnection, size: Size) -> Result<Generated, AppError> {
    const CITIES: [&str; 10] = [
        "北京", "上海", "广州", "深圳", "杭州", "成都", "西安", "武汉", "南京", "大连",
    ];
    let email = "generated@example.org";
    let organizer = match Organizer::find_by_email(conn, email)? {
        Some(o) => o,
        None => {
            let password = secrets::new_token();
            let account = accounts::check_account(email, "Generated Organizer", Some(&password))?;
            accounts::add_organizer(conn, account, false)?
        }
    };
    let tour = tours::create_tour_in(
        conn,
        &organizer,
        TourInput {
            name: Some(format!(
                "Generated Tour ({} stops, {} registrations)",
                size.stops, size.registrations
            )),
            description: Some("A generated tour for benchmarks.".into()),
            contact_email: Some(Some("team@example.org".into())),
            ..TourInput::default()
        },
    )?;
    let open_stop_id = db::write_transaction(conn, |conn| {
        let now = db::now();
        let speakers: Vec<String> = (0..size.talks.div_ceil(2).max(1))
            .map(|i| {
                Speaker::insert(
                    conn,
                    &format!("Speaker {}", i + 1),
                    &format!("speaker-{}-{}@generated.example.org", i + 1, &tour.id[..8]),
                    "Example Corp",
                    "Speaks about clouds.",
                    Lang::En,
                    now,
                    true,
                )
                .map(|s| s.id)
            })
            .collect::<QueryResult<_>>()?;
        let talks: Vec<Talk> = (0..size.talks)
            .map(|i| {
                let who = vec![speakers[i % speakers.len()].clone()];
                Talk::insert(
                    conn,
                    &format!("Talk {}", i + 1),
                    "What we learned running it.",
                    30,
                    &who,
                    Some(now),
                )
            })
            .collect::<QueryResult<_>>()?;
        let done = size.stops * 4 / 5;
        let per_stop = size.registrations / size.stops.max(1);
        let talks_per_stop = size.talks.div_ceil(size.stops.max(1));
        let first = now - chrono::Duration::weeks(done as i64);
        let mut open_stop_id = None;
        for n in 0..size.stops {
            let city = CITIES[n % CITIES.len()];
            let venue = Venue::insert(
                conn,
                &db::new_id(),
                &VenueFields {
                    name: format!("Hall {}", n + 1),
                    city: city.into(),
                    address: format!("{} Example Road, {city}", n + 1),
                    directions: "Third floor.".into(),
                    capacity: (per_stop * 3 / 5).max(1) as i32,
                    kind: crate::domain::venue::VenueKind::CompanyOffice,
                    cost: if n % 5 == 0 {
                        crate::domain::venue::CostKind::Paid
                    } else {
                        crate::domain::venue::CostKind::Free
                    },
                    cost_note: String::new(),
                    contact: String::new(),
                    weekday_only: false,
                    id_check_required: false,
                    caveats: String::new(),
                },
                Some(&organizer.id),
                now,
            )?;
            let starts_at = first + chrono::Duration::weeks(n as i64) + chrono::Duration::hours(1);
            let is_done = n < done;
            let stop_id = db::new_id();
            Stop::insert(
                conn,
                &NewStop {
                    id: stop_id.clone(),
                    tour_id: tour.id.clone(),
                    city: city.into(),
                    starts_at,
                    ends_at: starts_at + chrono::Duration::hours(5),
                    timezone: "Asia/Shanghai".into(),
                    venue_id: venue.id.clone(),
                    capacity_override: None,
                    show_rate_override: None,
                    livestream_url: None,
                    online_viewers: is_done.then_some(50),
                    status: if is_done {
                        crate::domain::stop::StopStatus::Done
                    } else {
                        crate::domain::stop::StopStatus::Open
                    },
                    created_at: now,
                    updated_at: now,
                },
            )?;
            if !is_done && open_stop_id.is_none() {
                open_stop_id = Some(stop_id.clone());
            }
            Stop::update(
                conn,
                &stop_id,
                &StopChanges {
                    agenda_published_at: Some(Some(now)),
                    ..StopChanges::default()
                },
            )?;
            for (k, talk) in talks
                .iter()
                .skip(n * talks_per_stop)
                .take(talks_per_stop)
                .enumerate()
            {
                AgendaItem::insert(
                    conn,
                    &stop_id,
                    Some(&talk.id),
                    "talk",
                    "",
                    starts_at + chrono::Duration::minutes(35 * k as i64),
                    30,
                )?;
            }
            let attended = if is_done { per_stop * 3 / 5 } else { 0 };
            let created = starts_at - chrono::Duration::days(14);
            let rows: Vec<NewRegistration> = (0..per_stop)
                .map(|i| NewRegistration {
                    id: db::new_id(),
                    stop_id: stop_id.clone(),
                    name: format!("Attendee {}-{}", n + 1, i + 1),
                    email: format!("attendee-{}-{}@generated.example.org", n + 1, i + 1),
                    affiliation: String::new(),
                    legal_name: String::new(),
                    wants_to_volunteer: false,
                    status: crate::domain::attendance::RegistrationStatus::Confirmed,
                    code: format!("G{:03}{:06}", n + 1, i + 1),
                    manage_token_hash: secrets::token_hash(&db::new_id()),
                    lang: "zh-CN".into(),
                    walk_in: false,
                    checked_in_at: (i < attended).then_some(starts_at),
                    confirmed_at: Some(created),
                    created_at: created + chrono::Duration::seconds(i as i64),
                    updated_at: created,
                    // A random link, as made before links were derived (see `manage_link`).
                    manage_link_version: 0,
                })
                .collect();
            Registration::insert_many(conn, &rows)?;
            diesel::update(stop_counters::table.find(&stop_id))
                .set((
                    stop_counters::confirmed.eq(per_stop as i32),
                    stop_counters::checked_in.eq(attended as i32),
                ))
                .execute(conn)?;
        }
        Tour::update(
            conn,
            &tour.id,
            &TourChanges {
                status: Some(crate::domain::tour::TourStatus::Published),
                report_published_at: Some(Some(now)),
                updated_at: Some(now),
                ..TourChanges::default()
            },
        )?;
        crate::cache::record(conn, crate::cache::Change::Tour(&tour.id))?;
        Ok::<_, AppError>(open_stop_id)
    })?;
    let tour = Tour::find(conn, &tour.id)?.ok_or_else(|| bad("tour"))?;
    Ok(Generated { tour, open_stop_id })
}
