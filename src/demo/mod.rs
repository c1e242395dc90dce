//! `roadshow demo`: loads the 2012 OpenStack China Tour (transcribed from its review post into
//! `demo/openstack-china-tour-2012.json`, embedded in the binary) as sample data, and makes
//! big generated tours for benchmarks. A tool beside the use cases, not one of them: it bulk
//! loads rows directly, which no person's action does.
//!
//! Three concerns, a file each: `tour_2012` (the real tour, from its JSON, as history),
//! `current` (a tour running now, its stops placed around today, built through the use
//! cases) and `generated` (the big made-up tours).

mod current;
mod generated;
mod tour_2012;

pub use current::{Current, Part, SLUG, load_current};
pub use generated::{Generated, Size, generate};
pub use tour_2012::{Loaded, load};

use crate::error::AppError;
use crate::services::context::Context;

/// What `roadshow demo` loads: the 2012 tour, then the current one, both led by the demo
/// organizer. Loading again adds nothing.
pub async fn run(ctx: &Context) -> Result<(Loaded, Current), AppError> {
    let loaded = ctx.db.run(load).await?;
    let organizer = ctx
        .db
        .run({
            let email = loaded.email.clone();
            move |conn| {
                crate::models::organizer::Organizer::find_by_email(conn, &email)?
                    .ok_or_else(|| bad("the demo organizer"))
            }
        })
        .await?;
    let current = load_current(ctx, &organizer).await?;
    Ok((loaded, current))
}

fn bad(what: &str) -> AppError {
    AppError::unexpected_msg(format!("the demo data is inconsistent: {what}"))
}
