//! A speaker's own page, behind their sign-in link: talks to answer, proposals, profile,
//! slots to confirm, the calendar feed's address.

use crate::domain::ids::{AgendaItemId, ProposalId, TalkId};
use crate::error::{AppError, ErrorKind, FieldErrors};
use crate::read::speakers::SpeakerPage;
use crate::services::speakers::{self, NewFeed};
use crate::state::AppState;
use crate::views::FlashKind;
use crate::web::session::{CsrfForm, Empty, SpeakerSession, flash};
use crate::web::{field_errors, html_status, page_id, see_other};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

/// The speaker accepts or declines a talk they were asked for.
pub async fn answer_talk(
    state: web::Data<AppState>,
    s: SpeakerSession,
    path: web::Path<(String, String)>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let (id, answer) = path.into_inner();
    let talk = page_id::<TalkId>(&id)?;
    let accept = match answer.as_str() {
        "accept" => true,
        "decline" => false,
        _ => return Err(AppError::not_found("page")),
    };
    speakers::answer_talk(&state, &s.speaker, &talk, accept).await?;
    let key = if accept {
        "speaker.talk_accepted"
    } else {
        "speaker.talk_declined"
    };
    flash(&s.session, FlashKind::Success, s.ctx.t(key));
    Ok(see_other("/speaker"))
}

fn render_own(
    s: &SpeakerSession,
    page: &SpeakerPage,
    feed_url: Option<&str>,
    errors: &FieldErrors,
    status: StatusCode,
) -> HttpResponse {
    html_status(
        status,
        crate::views::speakers::portal::own(&s.ctx, page, feed_url, errors),
    )
}

/// The page again with the fields of one form marked (422 unless told otherwise).
pub(super) async fn render_errors(
    state: &AppState,
    s: &SpeakerSession,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let page = speakers::own_page(state, &s.speaker).await?;
    Ok(render_own(s, &page, None, &errors, status))
}

pub async fn own_page(
    state: web::Data<AppState>,
    s: SpeakerSession,
) -> Result<HttpResponse, AppError> {
    let page = speakers::own_page(&state, &s.speaker).await?;
    Ok(render_own(
        &s,
        &page,
        None,
        &FieldErrors::new(),
        StatusCode::OK,
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ProfileForm {
    name: String,
    affiliation: String,
    bio: String,
}

pub async fn update_profile(
    state: web::Data<AppState>,
    s: SpeakerSession,
    form: CsrfForm<ProfileForm>,
) -> Result<HttpResponse, AppError> {
    let f = form.data;
    let changes = speakers::ProfileChanges {
        name: f.name,
        affiliation: f.affiliation,
        bio: f.bio,
    };
    match field_errors(speakers::update_profile(&state, &s.speaker, changes).await)? {
        Ok(_) => {
            flash(&s.session, FlashKind::Success, s.ctx.t("form.saved"));
            Ok(see_other("/speaker"))
        }
        Err(errors) => render_errors(&state, &s, errors, StatusCode::UNPROCESSABLE_ENTITY).await,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ProposalForm {
    title: String,
    #[serde(rename = "abstract")]
    summary: String,
    duration_minutes: String,
}

/// The speaker edits their undecided proposal; a refusal marks the fields of its form.
pub async fn edit_proposal(
    state: web::Data<AppState>,
    s: SpeakerSession,
    id: web::Path<String>,
    form: CsrfForm<ProposalForm>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<ProposalId>(&id)?;
    let f = form.data;
    let changes = speakers::ProposalChanges {
        title: f.title,
        summary: f.summary,
        duration_minutes: f.duration_minutes.trim().parse::<i64>().ok(),
    };
    let result = speakers::edit_proposal(&state, &s.speaker, &id, changes).await;
    match result {
        Ok(_) => {
            flash(
                &s.session,
                FlashKind::Success,
                s.ctx.t("journeys.proposal.saved"),
            );
            Ok(see_other("/speaker#proposals"))
        }
        Err(e) if matches!(e.kind, ErrorKind::Validation | ErrorKind::Conflict) => {
            let errors = scoped(&e, &format!("proposal-{id}"), "title");
            render_errors(&state, &s, errors, e.status()).await
        }
        Err(e) => Err(e),
    }
}

/// The speaker withdraws their undecided proposal (the page asked first).
pub async fn withdraw_proposal(
    state: web::Data<AppState>,
    s: SpeakerSession,
    id: web::Path<String>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<ProposalId>(&id)?;
    match speakers::withdraw_proposal(&state, &s.speaker, &id).await {
        Ok(()) => {
            flash(
                &s.session,
                FlashKind::Success,
                s.ctx.t("journeys.proposal.withdrawn"),
            );
            Ok(see_other("/speaker#proposals"))
        }
        Err(e) if e.kind == ErrorKind::Conflict => {
            flash(
                &s.session,
                FlashKind::Error,
                s.ctx.t(&format!("error_code.{}", e.code)),
            );
            Ok(see_other("/speaker#proposals"))
        }
        Err(e) => Err(e),
    }
}

/// The field errors of `e`, scoped to one form of a page (`{scope}.{field}`); an error that
/// names no field is put on `field`.
fn scoped(e: &AppError, scope: &str, field: &str) -> FieldErrors {
    let mut errors: FieldErrors = e
        .fields
        .iter()
        .map(|(k, v)| (format!("{scope}.{k}"), v.clone()))
        .collect();
    if errors.is_empty() {
        errors.insert(
            format!("{scope}.{field}"),
            crate::error::FieldError {
                code: e.code.into(),
                message: e.message.clone(),
            },
        );
    }
    errors
}

pub async fn confirm_slot(
    state: web::Data<AppState>,
    s: SpeakerSession,
    id: web::Path<String>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let item = page_id::<AgendaItemId>(&id)?;
    speakers::confirm_slot(&state, &s.speaker, &item).await?;
    flash(&s.session, FlashKind::Success, s.ctx.t("speaker.confirmed"));
    Ok(see_other("/speaker"))
}

/// A new secret address for the speaker's calendar feed, shown on their page.
pub async fn make_feed(
    state: web::Data<AppState>,
    s: SpeakerSession,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let NewFeed { url, page } = speakers::make_feed(&state, &s.speaker).await?;
    Ok(render_own(
        &s,
        &page,
        Some(&url),
        &FieldErrors::new(),
        StatusCode::OK,
    ))
}
