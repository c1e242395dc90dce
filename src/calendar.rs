//! iCalendar feeds, written with the `icalendar` crate.

use chrono::{TimeZone, Utc};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};

use crate::services::public::PublicTour;

/// One event per public stop, with the venue's address. The UID is the stop's id, so
/// calendars update an event in place when the stop changes.
pub fn tour_feed(t: &PublicTour, base_url: &str) -> String {
    let mut cal = Calendar::new();
    cal.name(&t.tour.name);
    for (stop, venue) in &t.stops {
        let mut event = Event::new();
        event
            .uid(&format!("stop-{}@roadshow", stop.id))
            .summary(&format!("{} · {}", t.tour.name, stop.city))
            .starts(Utc.from_utc_datetime(&stop.starts_at))
            .ends(Utc.from_utc_datetime(&stop.ends_at))
            .location(&format!("{}, {}", venue.name, venue.address))
            .description(&format!(
                "{}\n{}/stops/{}",
                venue.directions, base_url, stop.id
            ))
            .url(&format!("{base_url}/stops/{}", stop.id))
            .timestamp(Utc.from_utc_datetime(&stop.updated_at));
        if stop.status == "cancelled" {
            event.status(EventStatus::Cancelled);
        }
        cal.push(event.done());
    }
    cal.done().to_string()
}

/// One stop as a calendar file for an attendee, speaker or volunteer. The UID is the stop's
/// and the SEQUENCE grows with each move, so calendars update the entry in place.
pub fn stop_ics(
    tour_name: &str,
    stop: &crate::models::stop::Stop,
    venue: &crate::models::venue::Venue,
    url: &str,
) -> String {
    let mut cal = Calendar::new();
    cal.append_property(icalendar::Property::new("METHOD", "PUBLISH"));
    let mut event = Event::new();
    event
        .uid(&format!("stop-{}@roadshow", stop.id))
        .summary(&format!("{tour_name} · {}", stop.city))
        .starts(Utc.from_utc_datetime(&stop.starts_at))
        .ends(Utc.from_utc_datetime(&stop.ends_at))
        .location(&format!("{}, {}", venue.name, venue.address))
        .description(&format!("{}\n{url}", venue.directions))
        .url(url)
        .sequence(stop.calendar_sequence.max(0) as u32)
        .timestamp(Utc::now());
    if stop.status == "cancelled" {
        event.status(EventStatus::Cancelled);
    }
    cal.push(event.done());
    cal.done().to_string()
}

/// A speaker's itinerary: one event per slot, at its venue.
pub fn itinerary(
    speaker: &str,
    deliveries: &[crate::services::speakers::Delivery],
    base_url: &str,
) -> String {
    let mut cal = Calendar::new();
    cal.name(speaker);
    for d in deliveries {
        let mut event = Event::new();
        event
            .uid(&format!("slot-{}@roadshow", d.entry.item.id))
            .summary(&format!(
                "{} · {} · {}",
                d.entry.title(),
                d.tour.name,
                d.stop.city
            ))
            .starts(Utc.from_utc_datetime(&d.entry.item.starts_at))
            .ends(Utc.from_utc_datetime(&d.entry.item.ends_at()))
            .location(&format!("{}, {}", d.venue.name, d.venue.address))
            .description(&format!(
                "{}\n{base_url}/stops/{}",
                d.venue.directions, d.stop.id
            ))
            .timestamp(Utc.from_utc_datetime(&d.entry.item.updated_at));
        if d.stop.status == "cancelled" {
            event.status(EventStatus::Cancelled);
        }
        cal.push(event.done());
    }
    cal.done().to_string()
}

/// A volunteer's tasks: one event per task (the stop's hours when it has none of its own).
pub fn volunteer_tasks(
    name: &str,
    claims: &[(
        crate::models::task::Claim,
        crate::models::task::Task,
        crate::models::stop::Stop,
        crate::models::tour::Tour,
    )],
    base_url: &str,
) -> String {
    let mut cal = Calendar::new();
    cal.name(name);
    for (claim, task, stop, tour) in claims {
        let mut event = Event::new();
        event
            .uid(&format!("claim-{}@roadshow", claim.id))
            .summary(&format!("{} · {} · {}", task.title, tour.name, stop.city))
            .starts(Utc.from_utc_datetime(&task.starts_at.unwrap_or(stop.starts_at)))
            .ends(Utc.from_utc_datetime(&task.ends_at.unwrap_or(stop.ends_at)))
            .description(&format!(
                "{}\n{base_url}/stops/{}",
                task.description, stop.id
            ))
            .timestamp(Utc.from_utc_datetime(&task.updated_at));
        cal.push(event.done());
    }
    cal.done().to_string()
}
