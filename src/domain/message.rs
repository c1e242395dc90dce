//! Messages organizers send to many people at once.

use crate::domain::text_enum;

text_enum!(
    /// Who receives a message.
    Segment {
        Confirmed => "confirmed",
        Waitlisted => "waitlisted",
        CheckedIn => "checked_in",
        NoShows => "no_shows",
        Speakers => "speakers",
        Volunteers => "volunteers",
    }
);
