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
