//! Asking for a sign-in link by e-mail: an organizer's, a speaker's or a volunteer's. The
//! answer is the same whoever the address is (it tells nobody who organizes, speaks or helps).

use crate::error::AppError;
use crate::i18n::Lang;
use crate::services::context::Context;
use crate::services::magic_links::Guest;
use crate::services::{accounts, speakers, volunteers};

/// A fresh sign-in link for the guest at this address, if there is one.
pub async fn request_guest_link(
    ctx: &Context,
    guest: Guest,
    lang: Lang,
    email: &str,
) -> Result<(), AppError> {
    let (env, email) = (ctx.env.clone(), email.to_owned());
    ctx.db
        .run(move |conn| match guest {
            Guest::Speaker => speakers::request_link(conn, &env, lang, &email),
            Guest::Volunteer => volunteers::request_link(conn, &env, lang, &email),
        })
        .await
}

/// One way in by e-mail for everyone: whatever the address is on roadshow (organizer,
/// speaker, volunteer), its sign-in links go out; for nobody, nothing.
pub async fn request_any_link(ctx: &Context, lang: Lang, email: &str) -> Result<(), AppError> {
    let (env, email) = (ctx.env.clone(), email.to_owned());
    ctx.db
        .run(move |conn| {
            accounts::request_sign_in_link(conn, &env.links, lang, &email)?;
            speakers::request_link(conn, &env, lang, &email)?;
            volunteers::request_link(conn, &env, lang, &email)
        })
        .await
}
