//! `roadshow demo`: loads the 2012 OpenStack China Tour (transcribed from its review post into
//! `demo/openstack-china-tour-2012.json`, embedded in the binary) as sample data, and makes
//! big generated tours for benchmarks. A tool beside the use cases, not one of them: it bulk
//! loads rows directly, which no person's action does.
//!
//! Two concerns, a file each: `tour_2012` (the real tour, from its JSON) and `generated` (the
//! big made-up tours).

mod generated;
mod tour_2012;

pub use generated::{Generated, Size, generate};
pub use tour_2012::{Loaded, load};

use crate::error::AppError;

fn bad(what: &str) -> AppError {
    AppError::unexpected_msg(format!("the demo data is inconsistent: {what}"))
}
