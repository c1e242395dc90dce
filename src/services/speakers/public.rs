//! What shows a speaker outside their page: their calendar feed (at a secret address) and
//! their public profile.

use crate::db::DbConnection;
use crate::domain::ids::SpeakerId;
use crate::error::AppError;
use crate::models::speaker::Speaker;
use crate::read::speakers::{Delivery, SpeakerPage};
use crate::secrets;
use crate::services::Env;
use crate::services::context::Context;

use super::portal::{deliveries, own_page_in};

/// The secret address of the speaker's calendar feed (a new one each time it is asked for).
pub fn feed_url(conn: &mut DbConnection, env: &Env, speaker_id: &str) -> Result<String, AppError> {
    let token = secrets::new_token();
    Speaker::set_feed_token_hash(conn, speaker_id, &secrets::token_hash(&token))?;
    Ok(env.links.url(&format!("/speaker/feed/{token}.ics")))
}

/// A new secret feed address, and the speaker's page that shows it.
pub async fn make_feed(ctx: &Context, speaker: &Speaker) -> Result<NewFeed, AppError> {
    let (env, id) = (ctx.env.clone(), speaker.id.clone());
    ctx.db
        .run(move |conn| {
            let url = feed_url(conn, &env, &id)?;
            let page = own_page_in(conn, &id)?;
            Ok(NewFeed { url, page })
        })
        .await
}

/// What `make_feed` answers.
pub struct NewFeed {
    pub url: String,
    pub page: SpeakerPage,
}

/// The itinerary behind a feed address: the slots of the talks the speaker accepted.
pub async fn itinerary_by_feed(
    ctx: &Context,
    token: &str,
) -> Result<(Speaker, Vec<Delivery>), AppError> {
    let token = token.to_owned();
    ctx.db
        .run(move |conn| itinerary_by_feed_in(conn, &token))
        .await
}

fn itinerary_by_feed_in(
    conn: &mut DbConnection,
    token: &str,
) -> Result<(Speaker, Vec<Delivery>), AppError> {
    let speaker = Speaker::find_by_feed_hash(conn, &secrets::token_hash(token))?
        .ok_or_else(|| AppError::not_found("feed"))?;
    let talk_ids = Speaker::accepted_talk_ids(conn, &speaker.id)?;
    let list = deliveries(conn, &talk_ids)?;
    Ok((speaker, list))
}

/// A public profile: name, affiliation, bio, and the talks they accepted at public stops
/// only. No e-mail. None at all for a profile nobody confirmed.
pub async fn public_profile(
    ctx: &Context,
    speaker: &SpeakerId,
) -> Result<(Speaker, Vec<Delivery>), AppError> {
    let speaker = speaker.clone();
    ctx.db
        .run(move |conn| public_profile_in(conn, &speaker))
        .await
}

pub(super) fn public_profile_in(
    conn: &mut DbConnection,
    speaker_id: &str,
) -> Result<(Speaker, Vec<Delivery>), AppError> {
    let speaker = Speaker::find(conn, speaker_id)?
        .filter(|s| s.confirmed_at.is_some())
        .ok_or_else(|| AppError::not_found("speaker"))?;
    let talk_ids = Speaker::accepted_talk_ids(conn, &speaker.id)?;
    let list: Vec<Delivery> = deliveries(conn, &talk_ids)?
        .into_iter()
        .filter(|d| {
            d.tour.is_public()
                && d.stop.status().is_public()
                && d.stop.agenda_published_at.is_some()
        })
        .collect();
    if list.is_empty() {
        return Err(AppError::not_found("speaker"));
    }
    Ok((speaker, list))
}
