//! The 2012 OpenStack China Tour, loaded from its transcription (`demo/openstack-china-tour-2012.json`).

use std::collections::HashMap;

use diesel::prelude::*;
use serde::Deserialize;

use crate::db::schema::{registrations, stop_counters};
use crate::db::{self, DbConnection};
use crate::domain::stop::{local_to_utc, timezone};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::models::agenda::AgendaItem;
use crate::models::organizer::Organizer;
use crate::models::speaker::Speaker;
use crate::models::stop::{NewStop, Stop, StopChanges};
use crate::models::talk::Talk;
use crate::models::tour::{Tour, TourChanges};
use crate::models::venue::{Venue, VenueFields};
use crate::secrets;
use crate::services::accounts;
use crate::services::tours::{self, TourInput};

use super::bad;

const DATA: &str = include_str!("../../demo/openstack-china-tour-2012.json");

#[derive(Deserialize)]
struct Demo {
    tour: DemoTour,
    organizer: DemoOrganizer,
    speakers: Vec<DemoSpeaker>,
    talks: Vec<DemoTalk>,
    stops: Vec<DemoStop>,
}

#[derive(Deserialize)]
struct DemoTour {
    name: String,
    slug: String,
    description: String,
    contact_email: String,
    prior_show_rate: f64,
}

#[derive(Deserialize)]
struct DemoOrganizer {
    email: String,
    name: String,
    password: String,
}

#[derive(Deserialize)]
struct DemoSpeaker {
    key: String,
    name: String,
    affiliation: String,
    bio: String,
}

#[derive(Deserialize)]
struct DemoTalk {
    key: String,
    title: String,
    #[serde(rename = "abstract")]
    summary: String,
    duration_minutes: i32,
    speakers: Vec<String>,
}

#[derive(Deserialize)]
struct DemoVenue {
    name: String,
    city: String,
    address: String,
    directions: String,
    capacity: i32,
    kind: String,
    cost: String,
    #[serde(default)]
    cost_note: String,
}

#[derive(Deserialize)]
struct DemoSupporter {
    name: String,
    contribution: String,
}

#[derive(Deserialize)]
struct DemoItem {
    talk: String,
    start: String,
}

#[derive(Deserialize)]
struct DemoStop {
    city: String,
    #[serde(default)]
    city_zh: String,
    date: String,
    start: String,
    end: String,
    timezone: String,
    venue: DemoVenue,
    registrations: i32,
    attended: i32,
    online_viewers: Option<i32>,
    #[serde(default)]
    supporters: Vec<DemoSupporter>,
    agenda: Vec<DemoItem>,
}

/// What `roadshow demo` tells the user.
pub struct Loaded {
    pub tour: Tour,
    pub email: String,
    pub password: String,
    /// False when the tour was there already.
    pub created: bool,
}

pub fn load(conn: &mut DbConnection) -> Result<Loaded, AppError> {
    let demo: Demo = serde_json::from_str(DATA)
        .map_err(|e| AppError::unexpected_msg(format!("demo data: {e}")))?;
    let organizer = match Organizer::find_by_email(conn, &demo.organizer.email)? {
        Some(o) => o,
        None => {
            let account = accounts::check_account(
                &demo.organizer.email,
                &demo.organizer.name,
                Some(&demo.organizer.password),
            )?;
            accounts::add_organizer(conn, account, false)?
        }
    };
    if let Some(tour) = Tour::find_public_by_slug(conn, &demo.tour.slug)? {
        return Ok(Loaded {
            tour,
            email: demo.organizer.email,
            password: demo.organizer.password,
            created: false,
        });
    }
    let tour = tours::create_tour_in(
        conn,
        &organizer,
        TourInput {
            name: Some(demo.tour.name.clone()),
            slug: Some(demo.tour.slug.clone()),
            description: Some(demo.tour.description.clone()),
            contact_email: Some(Some(demo.tour.contact_email.clone())),
            prior_show_rate: Some(Ok(demo.tour.prior_show_rate)),
            ..TourInput::default()
        },
    )?;
    db::write_transaction(conn, |conn| {
        // The 2012 speakers gave their talks: their profiles are confirmed and every talk
        // accepted, so the agendas show them.
        let now = db::now();
        let mut speakers: HashMap<String, String> = HashMap::new();
        for s in &demo.speakers {
            let email = format!("{}@speakers.demo.example.org", s.key);
            let speaker = match Speaker::find_by_email(conn, &email)? {
                Some(existing) => existing,
                None => Speaker::insert(
                    conn,
                    &s.name,
                    &email,
                    &s.affiliation,
                    &s.bio,
                    Lang::En,
                    now,
                    true,
                )?,
            };
            speakers.insert(s.key.clone(), speaker.id);
        }
        let mut talks: HashMap<String, Talk> = HashMap::new();
        for t in &demo.talks {
            let ids: Vec<String> = t
                .speakers
                .iter()
                .map(|k| {
                    speakers
                        .get(k)
                        .cloned()
                        .ok_or_else(|| bad(&format!("speaker {k}")))
                })
                .collect::<Result<_, _>>()?;
            talks.insert(
                t.key.clone(),
                Talk::insert(
                    conn,
                    &t.title,
                    &t.summary,
                    t.duration_minutes,
                    &ids,
                    Some(now),
                )?,
            );
        }
        for (n, s) in demo.stops.iter().enumerate() {
            load_stop(conn, &tour, &organizer, n, s, &talks)?;
        }
        let now = db::now();
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
        Ok::<_, AppError>(())
    })?;
    let tour = Tour::find(conn, &tour.id)?.ok_or_else(|| bad("tour"))?;
    Ok(Loaded {
        tour,
        email: demo.organizer.email,
        password: demo.organizer.password,
        created: true,
    })
}

fn load_stop(
    conn: &mut DbConnection,
    tour: &Tour,
    organizer: &Organizer,
    n: usize,
    s: &DemoStop,
    talks: &HashMap<String, Talk>,
) -> Result<(), AppError> {
    let tz = timezone(&s.timezone).map_err(|_| bad("timezone"))?;
    let at = |hm: &str| {
        local_to_utc(&format!("{}T{hm}", s.date), tz)
            .map_err(|_| bad(&format!("time {} {hm}", s.date)))
    };
    let now = db::now();
    let venue = Venue::insert(
        conn,
        &db::new_id(),
        &VenueFields {
            name: s.venue.name.clone(),
            city: s.venue.city.clone(),
            address: s.venue.address.clone(),
            directions: s.venue.directions.clone(),
            capacity: s.venue.capacity,
            kind: crate::domain::venue::VenueKind::parse(&s.venue.kind)
                .ok_or_else(|| AppError::unexpected_msg("a venue kind of the demo data"))?,
            cost: crate::domain::venue::CostKind::parse(&s.venue.cost)
                .ok_or_else(|| AppError::unexpected_msg("a venue cost of the demo data"))?,
            cost_note: s.venue.cost_note.clone(),
            contact: String::new(),
            weekday_only: false,
            id_check_required: false,
            caveats: String::new(),
        },
        Some(&organizer.id),
        now,
    )?;
    let stop_id = db::new_id();
    let city = if s.city_zh.is_empty() {
        s.city.clone()
    } else {
        format!("{} {}", s.city, s.city_zh)
    };
    Stop::insert(
        conn,
        &NewStop {
            id: stop_id.clone(),
            tour_id: tour.id.clone(),
            city,
            starts_at: at(&s.start)?,
            ends_at: at(&s.end)?,
            timezone: s.timezone.clone(),
            venue_id: venue.id.clone(),
            capacity_override: None,
            show_rate_override: None,
            livestream_url: None,
            online_viewers: s.online_viewers,
            status: crate::domain::stop::StopStatus::Done,
            created_at: now,
            updated_at: now,
        },
    )?;
    Stop::update(
        conn,
        &stop_id,
        &StopChanges {
            agenda_published_at: Some(Some(now)),
            ..StopChanges::default()
        },
    )?;
    for sup in &s.supporters {
        Stop::add_supporter(conn, &stop_id, &sup.name, &sup.contribution)?;
    }
    for item in &s.agenda {
        let talk = talks
            .get(&item.talk)
            .ok_or_else(|| bad(&format!("talk {}", item.talk)))?;
        let a = AgendaItem::insert(
            conn,
            &stop_id,
            Some(&talk.id),
            "talk",
            "",
            at(&item.start)?,
            talk.duration_minutes,
        )?;
        AgendaItem::confirm(conn, &a.id)?;
    }
    // Registrations as the figures say: all confirmed when the stop was done, the first
    // `attended` of them checked in. Names and addresses are made up.
    let checked_in_at = at(&s.start)?;
    let created = at(&s.start)? - chrono::Duration::days(14);
    for i in 0..s.registrations {
        diesel::insert_into(registrations::table)
            .values((
                registrations::id.eq(db::new_id()),
                registrations::stop_id.eq(&stop_id),
                registrations::name.eq(format!("Attendee {}-{}", n + 1, i + 1)),
                registrations::email.eq(format!("attendee-{}-{}@demo.example.org", n + 1, i + 1)),
                registrations::affiliation.eq(""),
                registrations::status.eq("confirmed"),
                registrations::code.eq(format!("D{}{:05}", n + 1, i + 1)),
                registrations::manage_token_hash.eq(secrets::token_hash(&secrets::new_token())),
                registrations::lang.eq("zh-CN"),
                registrations::checked_in_at.eq((i < s.attended).then_some(checked_in_at)),
                registrations::confirmed_at.eq(Some(created)),
                registrations::created_at.eq(created + chrono::Duration::minutes(i64::from(i))),
                registrations::updated_at.eq(created),
            ))
            .execute(conn)?;
    }
    diesel::update(stop_counters::table.find(&stop_id))
        .set((
            stop_counters::confirmed.eq(s.registrations),
            stop_counters::checked_in.eq(s.attended),
        ))
        .execute(conn)?;
    Ok(())
}
