//! Suggesting a change to a venue the caller may not change.

use diesel::OptionalExtension;

use super::edit::can_edit_venue;
use super::input::{VenueInput, check};
use crate::db::{self, DbConnection};
use crate::domain::ids::VenueId;
use crate::domain::text;
use crate::domain::venue as rules;
use crate::email::{self, Email, Mail};
use crate::error::{AppError, ErrorCode, FieldCode};
use crate::i18n::Lang;
use crate::models::organizer::Organizer;
use crate::models::venue::{self as venue_model, Venue};
use crate::services::Env;
use crate::services::context::Context;

/// Sends the suggestion (see `suggest_change_in`).
pub async fn suggest_change(
    ctx: &Context,
    organizer: &Organizer,
    venue: &VenueId,
    input: VenueInput,
    message: String,
) -> Result<SuggestionSentTo, AppError> {
    let (env, organizer, venue) = (ctx.env.clone(), organizer.clone(), venue.clone());
    ctx.db
        .run(move |conn| suggest_change_in(conn, &env, &organizer, &venue, input, &message))
        .await
}

/// Suggestions one organizer may send in an hour (e-mails, counting each recipient): the
/// creator should hear of a problem, not be flooded.
pub const SUGGESTIONS_PER_HOUR: i64 = 10;

/// Who heard of a suggestion.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SuggestionSentTo {
    Creator,
    /// The venue has no creator (demo data, the command line), or theirs is gone.
    SiteAdmins,
}

/// An organizer who may not change a venue suggests changes (checked like an edit) and/or
/// writes a message: the creator (or the site admins) get an e-mail with the changes as
/// "old → new", replies going to the suggester. Nothing about the venue changes.
#[tracing::instrument(skip(conn, env, input, message), fields(organizer = %organizer.id))]
fn suggest_change_in(
    conn: &mut DbConnection,
    env: &Env,
    organizer: &Organizer,
    venue_id: &str,
    input: VenueInput,
    message: &str,
) -> Result<SuggestionSentTo, AppError> {
    let message = text::optional(message, 2000)
        .map_err(|e| AppError::invalid("message", e.code, e.message))?;
    db::write_transaction(conn, |conn| {
        let venue = Venue::find(conn, venue_id)?.ok_or_else(|| AppError::not_found("venue"))?;
        if can_edit_venue(organizer, &venue) {
            return Err(AppError::conflict(
                ErrorCode::VenueIsYours,
                "you may change this venue yourself: edit it",
            ));
        }
        let (fields, _) = check(input, Some(&venue))?;
        let changes = rules::changes(&venue.fields().facts(), &fields.facts());
        if changes.is_empty() && message.trim().is_empty() {
            return Err(AppError::invalid(
                "message",
                FieldCode::Required,
                "change a field or say what is wrong",
            ));
        }
        let hour_ago = db::now() - chrono::Duration::hours(1);
        if venue_model::suggestions_sent_since(conn, &organizer.email, hour_ago)?
            >= SUGGESTIONS_PER_HOUR
        {
            return Err(AppError::too_many_requests(
                "you sent many suggestions in the last hour: try again later",
            )
            .retry_after(3600));
        }
        let creator = match &venue.created_by {
            Some(id) => Organizer::find(conn, id).optional()?,
            None => None,
        };
        let (recipients, sent_to) = match creator {
            Some(c) => (vec![c], SuggestionSentTo::Creator),
            None => (
                Organizer::list(conn)?
                    .into_iter()
                    .filter(|o| o.is_admin)
                    .collect(),
                SuggestionSentTo::SiteAdmins,
            ),
        };
        if recipients.is_empty() {
            return Err(AppError::conflict(
                ErrorCode::NobodyToAsk,
                "this venue has no creator and the site has no admin to ask",
            ));
        }
        let suggester = format!("{} <{}>", organizer.display_name(), organizer.email);
        let link = env.links.url(&format!("/manage/venues/{}/edit", venue.id));
        for r in recipients {
            let lang = Lang::default();
            let mail = Mail::VenueSuggestion {
                venue: &venue.name,
                suggester: &suggester,
                changes: &changes,
                message: &message,
                to_admins: sent_to == SuggestionSentTo::SiteAdmins,
                link: &link,
            };
            email::enqueue(
                conn,
                &env.links,
                Email::new(mail, lang, &r.email, r.display_name()).reply_to(Some(&organizer.email)),
            )?;
        }
        Ok(sent_to)
    })
}
