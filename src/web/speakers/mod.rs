//! Pages of the call for proposals, speakers, agendas and materials.

mod cfp;
mod organizers;
mod portal;
mod public;
mod sign_in;
mod slides;

pub use cfp::*;
pub use organizers::*;
pub use portal::*;
pub use public::*;
pub use sign_in::*;
pub use slides::*;
