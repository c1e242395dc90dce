//! iCalendar feeds, written with the `icalendar` crate.
//!
//! Every TEXT value (names, summaries, locations, descriptions) passes through `text` first:
//! RFC 5545 allows no CR inside a value, and a bare CR or CRLF there ends the content line,
//! so what follows would be read as a property or an event of its own. The crate escapes
//! backslash, semicolon, comma and LF in the TEXT properties it knows; `NAME` (RFC 7986) is
//! not one of them, so it is escaped here (`calendar_name`).

use chrono::{TimeZone, Utc};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus, Property};

/// A TEXT value as the crate should receive it: line breaks as LF (which it escapes as
/// `\n`), no other control characters but TAB.
fn text(value: &str) -> String {
    crate::domain::text::normalise_line_breaks(value)
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect()
}

/// RFC 5545 3.3.11: backslash, semicolon, comma and newline escaped.
fn escape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in text(value).chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// The calendar's name, as `NAME` (RFC 7986) and `X-WR-CALNAME` (what most clients read).
fn calendar_name(cal: &mut Calendar, name: &str) {
    cal.append_property(Property::new("NAME", escape_text(name)));
    cal.append_property(Property::new("X-WR-CALNAME", text(name)));
}

use crate::services::public::PublicTour;

/// Summary, location and description of an event, each as TEXT.
fn describe(event: &mut Event, summary: &str, location: Option<&str>, description: &str) {
    event
        .summary(&text(summary))
        .description(&text(description));
    if let Some(location) = location {
        event.location(&text(location));
    }
}

/// One event per public stop, with the venue's address. The UID is the stop's id, so
/// calendars update an event in place when the stop changes.
pub fn tour_feed(t: &PublicTour, base_url: &str) -> String {
    let mut cal = Calendar::new();
    calendar_name(&mut cal, &t.tour.name);
    for (stop, venue) in &t.stops {
        let mut event = Event::new();
        event
            .uid(&format!("stop-{}@roadshow", stop.id))
            .starts(Utc.from_utc_datetime(&stop.starts_at))
            .ends(Utc.from_utc_datetime(&stop.ends_at))
            .url(&format!("{base_url}/stops/{}", stop.id))
            .timestamp(Utc.from_utc_datetime(&stop.updated_at));
        describe(
            &mut event,
            &format!("{} · {}", t.tour.name, stop.city),
            Some(&format!("{}, {}", venue.name, venue.address)),
            &format!("{}\n{}/stops/{}", venue.directions, base_url, stop.id),
        );
        if stop.status == "cancelled" {
            event.status(EventStatus::Cancelled);
        }
        cal.push(event.done());
    }
    cal.done().to_string()
}

/// How a stop's calendar file is meant (RFC 5546): a copy to keep, an updated invitation
/// (a new time), or a cancellation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Publish,
    Request,
    Cancel,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Publish => "PUBLISH",
            Method::Request => "REQUEST",
            Method::Cancel => "CANCEL",
        }
    }
}

/// One stop as a calendar file for an attendee, speaker or volunteer. The UID is the stop's
/// and the SEQUENCE grows with each move, so calendars update the entry in place.
pub fn stop_ics(
    tour_name: &str,
    stop: &crate::models::stop::Stop,
    venue: &crate::models::venue::Venue,
    url: &str,
) -> String {
    stop_ics_as(Method::Publish, tour_name, None, stop, venue, url)
}

/// The same, as an update (`Request`) or a cancellation (`Cancel`) of the entry people
/// already have; `organizer` is the tour's contact address (RFC 5546 wants one on both).
pub fn stop_ics_as(
    method: Method,
    tour_name: &str,
    organizer: Option<&str>,
    stop: &crate::models::stop::Stop,
    venue: &crate::models::venue::Venue,
    url: &str,
) -> String {
    let mut cal = Calendar::new();
    cal.append_property(Property::new("METHOD", method.as_str()));
    let mut event = Event::new();
    event
        .uid(&format!("stop-{}@roadshow", stop.id))
        .starts(Utc.from_utc_datetime(&stop.starts_at))
        .ends(Utc.from_utc_datetime(&stop.ends_at))
        .url(url)
        .sequence(stop.calendar_sequence.max(0) as u32)
        .timestamp(crate::clock::now().and_utc());
    describe(
        &mut event,
        &format!("{tour_name} · {}", stop.city),
        Some(&format!("{}, {}", venue.name, venue.address)),
        &format!("{}\n{url}", venue.directions),
    );
    if let Some(address) = organizer.filter(|_| method != Method::Publish) {
        let mut p = Property::new("ORGANIZER", format!("mailto:{}", text(address)));
        p.add_parameter("CN", &text(tour_name).replace(['"', ';', ':', ','], " "));
        event.append_property(p);
    }
    if stop.status == "cancelled" || method == Method::Cancel {
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
    calendar_name(&mut cal, speaker);
    for d in deliveries {
        let mut event = Event::new();
        event
            .uid(&format!("slot-{}@roadshow", d.entry.item.id))
            .starts(Utc.from_utc_datetime(&d.entry.item.starts_at))
            .ends(Utc.from_utc_datetime(&d.entry.item.ends_at()))
            .timestamp(Utc.from_utc_datetime(&d.entry.item.updated_at));
        describe(
            &mut event,
            &format!("{} · {} · {}", d.entry.title(), d.tour.name, d.stop.city),
            Some(&format!("{}, {}", d.venue.name, d.venue.address)),
            &format!("{}\n{base_url}/stops/{}", d.venue.directions, d.stop.id),
        );
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
    calendar_name(&mut cal, name);
    for (claim, task, stop, tour) in claims {
        let mut event = Event::new();
        event
            .uid(&format!("claim-{}@roadshow", claim.id))
            .starts(Utc.from_utc_datetime(&task.starts_at.unwrap_or(stop.starts_at)))
            .ends(Utc.from_utc_datetime(&task.ends_at.unwrap_or(stop.ends_at)))
            .timestamp(Utc.from_utc_datetime(&task.updated_at));
        describe(
            &mut event,
            &format!("{} · {} · {}", task.title, tour.name, stop.city),
            None,
            &format!("{}\n{base_url}/stops/{}", task.description, stop.id),
        );
        cal.push(event.done());
    }
    cal.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_escaped_like_every_other_text_value() {
        let hostile = "Dave Tour\r\nX-INJ:1\r\nBEGIN:VEVENT\rSUMMARY:FAKE; a, b \\ c\nEND:VEVENT";
        let mut cal = Calendar::new();
        calendar_name(&mut cal, hostile);
        let mut event = Event::new();
        event.uid("u");
        describe(&mut event, hostile, Some(hostile), hostile);
        cal.push(event.done());
        let out = cal.done().to_string();
        // Every CR ends a content line, and no injected line starts a property.
        assert!(!out.replace("\r\n", "").contains('\r'), "{out:?}");
        assert!(!out.contains("\nX-INJ") && !out.contains("\nBEGIN:VEVENT\r\nSUMMARY:FAKE"));
        assert_eq!(
            out.split("\r\n").filter(|l| *l == "BEGIN:VEVENT").count(),
            1,
            "{out}"
        );
        let unfolded = out.replace("\r\n ", "");
        let value = |key: &str| {
            unfolded
                .lines()
                .find_map(|l| l.strip_prefix(key))
                .unwrap_or_else(|| panic!("{key} in {unfolded}"))
                .to_owned()
        };
        // NAME, which the crate writes as it is given, reads the same as the TEXT the crate
        // escapes itself (it would not if the crate started escaping NAME too).
        let expected =
            "Dave Tour\\nX-INJ:1\\nBEGIN:VEVENT\\nSUMMARY:FAKE\\; a\\, b \\\\ c\\nEND:VEVENT";
        assert_eq!(value("NAME:"), expected);
        assert_eq!(value("X-WR-CALNAME:"), expected);
        assert_eq!(value("SUMMARY:"), expected);
        assert_eq!(value("LOCATION:"), expected);
    }
}
