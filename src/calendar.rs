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

use crate::models::stop::Stop;
use crate::models::tour::Tour;
use crate::models::venue::Venue;

/// Summary, location and description of an event, each as TEXT.
fn describe(event: &mut Event, summary: &str, location: Option<&str>, description: &str) {
    event
        .summary(&text(summary))
        .description(&text(description));
    if let Some(location) = location {
        event.location(&text(location));
    }
}

/// One event, as plain data: every feed and file below is a list of these.
pub struct Entry {
    /// Stable across changes, so calendars update the event in place.
    pub uid: String,
    pub starts_at: chrono::NaiveDateTime,
    pub ends_at: chrono::NaiveDateTime,
    /// DTSTAMP: when the event last changed (or the file was made).
    pub stamp: chrono::NaiveDateTime,
    pub summary: String,
    pub location: Option<String>,
    pub description: String,
    pub url: Option<String>,
    pub cancelled: bool,
    /// Grows with each move (RFC 5546), for the files people keep.
    pub sequence: Option<u32>,
}

impl Entry {
    fn event(&self) -> Event {
        let mut event = Event::new();
        event
            .uid(&self.uid)
            .starts(Utc.from_utc_datetime(&self.starts_at))
            .ends(Utc.from_utc_datetime(&self.ends_at))
            .timestamp(Utc.from_utc_datetime(&self.stamp));
        if let Some(url) = &self.url {
            event.url(url);
        }
        if let Some(sequence) = self.sequence {
            event.sequence(sequence);
        }
        describe(
            &mut event,
            &self.summary,
            self.location.as_deref(),
            &self.description,
        );
        if self.cancelled {
            event.status(EventStatus::Cancelled);
        }
        event
    }
}

/// A named calendar of events (a feed people subscribe to).
fn feed(name: &str, entries: impl IntoIterator<Item = Entry>) -> String {
    let mut cal = Calendar::new();
    calendar_name(&mut cal, name);
    for entry in entries {
        cal.push(entry.event().done());
    }
    cal.done().to_string()
}

fn is_cancelled(stop: &Stop) -> bool {
    stop.status == crate::domain::stop::StopStatus::Cancelled
}

fn at(venue: &Venue) -> Option<String> {
    Some(format!("{}, {}", venue.name, venue.address))
}

/// One event per public stop, with the venue's address. The UID is the stop's id, so
/// calendars update an event in place when the stop changes.
pub fn tour_feed(tour: &Tour, stops: &[(Stop, Venue)], base_url: &str) -> String {
    feed(
        &tour.name,
        stops.iter().map(|(stop, venue)| Entry {
            uid: format!("stop-{}@roadshow", stop.id),
            starts_at: stop.starts_at,
            ends_at: stop.ends_at,
            stamp: stop.updated_at,
            summary: format!("{} · {}", tour.name, stop.city),
            location: at(venue),
            description: format!("{}\n{}/stops/{}", venue.directions, base_url, stop.id),
            url: Some(format!("{base_url}/stops/{}", stop.id)),
            cancelled: is_cancelled(stop),
            sequence: None,
        }),
    )
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
pub fn stop_ics(tour_name: &str, stop: &Stop, venue: &Venue, url: &str) -> String {
    stop_ics_as(Method::Publish, tour_name, None, stop, venue, url)
}

/// The same, as an update (`Request`) or a cancellation (`Cancel`) of the entry people
/// already have; `organizer` is the tour's contact address (RFC 5546 wants one on both).
pub fn stop_ics_as(
    method: Method,
    tour_name: &str,
    organizer: Option<&str>,
    stop: &Stop,
    venue: &Venue,
    url: &str,
) -> String {
    let mut cal = Calendar::new();
    cal.append_property(Property::new("METHOD", method.as_str()));
    let mut event = Entry {
        uid: format!("stop-{}@roadshow", stop.id),
        starts_at: stop.starts_at,
        ends_at: stop.ends_at,
        stamp: crate::clock::now(),
        summary: format!("{tour_name} · {}", stop.city),
        location: at(venue),
        description: format!("{}\n{url}", venue.directions),
        url: Some(url.to_owned()),
        cancelled: is_cancelled(stop) || method == Method::Cancel,
        sequence: Some(stop.calendar_sequence.max(0) as u32),
    }
    .event();
    if let Some(address) = organizer.filter(|_| method != Method::Publish) {
        let mut p = Property::new("ORGANIZER", format!("mailto:{}", text(address)));
        p.add_parameter("CN", &text(tour_name).replace(['"', ';', ':', ','], " "));
        event.append_property(p);
    }
    cal.push(event.done());
    cal.done().to_string()
}

/// A slot of a speaker's: what is given, and where.
pub struct Slot<'a> {
    pub id: &'a str,
    pub title: String,
    pub starts_at: chrono::NaiveDateTime,
    pub ends_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
    pub tour: &'a Tour,
    pub stop: &'a Stop,
    pub venue: &'a Venue,
}

/// A speaker's itinerary: one event per slot, at its venue.
pub fn itinerary(speaker: &str, slots: &[Slot], base_url: &str) -> String {
    feed(
        speaker,
        slots.iter().map(|s| Entry {
            uid: format!("slot-{}@roadshow", s.id),
            starts_at: s.starts_at,
            ends_at: s.ends_at,
            stamp: s.updated_at,
            summary: format!("{} · {} · {}", s.title, s.tour.name, s.stop.city),
            location: at(s.venue),
            description: format!("{}\n{base_url}/stops/{}", s.venue.directions, s.stop.id),
            url: None,
            cancelled: is_cancelled(s.stop),
            sequence: None,
        }),
    )
}

/// A volunteer's tasks: one event per task (the stop's hours when it has none of its own).
pub fn volunteer_tasks(
    name: &str,
    claims: &[(
        crate::models::task::Claim,
        crate::models::task::Task,
        Stop,
        Tour,
    )],
    base_url: &str,
) -> String {
    feed(
        name,
        claims.iter().map(|(claim, task, stop, tour)| Entry {
            uid: format!("claim-{}@roadshow", claim.id),
            starts_at: task.starts_at.unwrap_or(stop.starts_at),
            ends_at: task.ends_at.unwrap_or(stop.ends_at),
            stamp: task.updated_at,
            summary: format!("{} · {} · {}", task.title, tour.name, stop.city),
            location: None,
            description: format!("{}\n{base_url}/stops/{}", task.description, stop.id),
            url: None,
            cancelled: false,
            sequence: None,
        }),
    )
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
