//! Pages of the call for proposals, speakers, agendas and materials.

mod cfp;
mod organizers;
mod portal;

pub use cfp::*;
pub use organizers::*;
pub use portal::*;
