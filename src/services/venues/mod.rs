//! The shared venue library. A venue is shared for reading, not for writing: its creator
//! (and site admins) change it, and the teams of the tours that use it are told each time;
//! the others suggest a change or make their own copy.

mod copy;
mod edit;
mod input;
mod pages;
mod suggest;

pub use copy::{copy_form, copy_venue};
pub use edit::{can_edit_venue, create_venue, update_venue};
pub use input::VenueInput;
pub use pages::{
    SuggestionTarget, editable_venue, get_venue, list_venues, suggestion_target, venue_page,
};
pub use suggest::{SUGGESTIONS_PER_HOUR, SuggestionSentTo, suggest_change};
