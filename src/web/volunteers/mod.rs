//! "Help us" pages, volunteers' own page, and the organizers' task pages.

mod organizers;
mod portal;
mod public;

pub use organizers::*;
pub use portal::*;
pub use public::*;
