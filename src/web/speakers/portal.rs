//! Speakers' own pages, behind their sign-in links: talks, proposals, slides, itinerary.

use crate::error::{AppError, ErrorKind, FieldErrors};
use crate::http::uploads;
use crate::services::materials::{self, Uploader};
use crate::services::speakers;
use crate::state::AppState;
use crate::views::FlashKind;
use crate::web::guests::{self, or_spent};
use crate::web::session::{self, CsrfForm, Empty, FormCtx, PageCtx, SpeakerSession, flash};
use crate::web::{field_errors, html, html_status, page_id_text, see_other};
use actix_multipart::form::MultipartForm;
use actix_multipart::form::tempfile::TempFile;
use actix_multipart::form::text::Text;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

pub async fn login_form(FormCtx(ctx, _): FormCtx) -> HttpResponse {
    guests::SPEAKER.login_form(&ctx)
}

pub async fn login_submit(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    FormCtx(ctx, _): FormCtx,
    form: CsrfForm<crate::web::EmailForm>,
) -> Result<HttpResponse, AppError> {
    guests::SPEAKER
        .login_submit(&req, &state, &ctx, form.data.email)
        .await
}

/// Where a sign-in link lands (see `guests::Flow`).
pub async fn enter(
    state: web::Data<AppState>,
    FormCtx(ctx, _): FormCtx,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    guests::SPEAKER
        .landing(&state, &ctx, token.into_inner())
        .await
}

/// The button of a sign-in link: uses the link (once) and signs the speaker in.
pub async fn enter_submit(
    state: web::Data<AppState>,
    FormCtx(ctx, session): FormCtx,
    token: web::Path<String>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    guests::SPEAKER
        .enter(&state, &ctx, &session, token.into_inner())
        .await
}

/// Where a proposal's confirmation link lands: what it confirms, and the button.
pub async fn confirm_proposal_page(
    state: web::Data<AppState>,
    FormCtx(ctx, _): FormCtx,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let t = token.clone();
    let result = state
        .db
        .run(move |conn| speakers::peek_confirmation(conn, &t))
        .await
        .map(|(talk, tour)| {
            html(crate::views::auth::link_landing(
                &ctx,
                &ctx.t("speaker.confirm_title"),
                &ctx.tf(
                    "speaker.confirm_lead",
                    &[("title", &talk.title), ("tour", &tour.name)],
                ),
                &format!("/speaker/proposals/confirm/{token}"),
                &ctx.t("speaker.confirm_button"),
            ))
        });
    or_spent(result, &ctx, "journeys.spent.proposal", "/speaker/login")
}

/// The button: the proposal counts, and its submitter is signed in to their page.
pub async fn confirm_proposal_submit(
    state: web::Data<AppState>,
    FormCtx(ctx, session): FormCtx,
    token: web::Path<String>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let (token, env) = (token.into_inner(), state.env.clone());
    let done = state
        .db
        .run(move |conn| speakers::confirm_proposal(conn, &env, &token))
        .await;
    let done = match done {
        Ok(done) => done,
        Err(e) => return or_spent(Err(e), &ctx, "journeys.spent.proposal", "/speaker/login"),
    };
    guests::SPEAKER
        .sign_in(&state, &session, &done.speaker_id)
        .await?;
    flash(
        &session,
        FlashKind::Success,
        ctx.t("speaker.proposal_confirmed"),
    );
    Ok(see_other("/speaker"))
}

/// The speaker accepts or declines a talk they were asked for.
pub async fn answer_talk(
    state: web::Data<AppState>,
    s: SpeakerSession,
    path: web::Path<(String, String)>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let (id, answer) = path.into_inner();
    let (talk, speaker) = (page_id_text(&id)?, s.speaker.id.clone());
    let accept = match answer.as_str() {
        "accept" => true,
        "decline" => false,
        _ => return Err(AppError::not_found("page")),
    };
    state
        .db
        .run(move |conn| {
            if accept {
                speakers::accept_talk(conn, &speaker, &talk)
            } else {
                speakers::decline_talk(conn, &speaker, &talk)
            }
        })
        .await?;
    let key = if accept {
        "speaker.talk_accepted"
    } else {
        "speaker.talk_declined"
    };
    flash(&s.session, FlashKind::Success, s.ctx.t(key));
    Ok(see_other("/speaker"))
}

async fn render_own(
    state: &AppState,
    s: &SpeakerSession,
    feed_url: Option<String>,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let id = s.speaker.id.clone();
    let page = state
        .db
        .run(move |conn| speakers::own_page(conn, &id))
        .await?;
    Ok(html_status(
        status,
        crate::views::speakers::portal::own(&s.ctx, &page, feed_url.as_deref(), &errors),
    ))
}

/// The page again with the fields of one form marked (422 unless told otherwise).
async fn render_errors(
    state: &AppState,
    s: &SpeakerSession,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    render_own(state, s, None, errors, status).await
}

pub async fn own_page(
    state: web::Data<AppState>,
    s: SpeakerSession,
) -> Result<HttpResponse, AppError> {
    render_own(&state, &s, None, FieldErrors::new(), StatusCode::OK).await
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
    let (id, f) = (s.speaker.id.clone(), form.data);
    match field_errors(
        state
            .db
            .run(move |conn| speakers::update_profile(conn, &id, &f.name, &f.affiliation, &f.bio))
            .await,
    )? {
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
    let id = page_id_text(&id)?;
    let f = form.data;
    let changes = speakers::ProposalChanges {
        title: f.title,
        summary: f.summary,
        duration_minutes: f.duration_minutes.trim().parse::<i64>().ok(),
    };
    let (speaker, pid) = (s.speaker.id.clone(), id.clone());
    let result = state
        .db
        .run(move |conn| speakers::edit_proposal(conn, &speaker, &pid, &changes))
        .await;
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
    let id = page_id_text(&id)?;
    let (speaker, pid) = (s.speaker.id.clone(), id.clone());
    match state
        .db
        .run(move |conn| speakers::withdraw_proposal(conn, &speaker, &pid))
        .await
    {
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
    let (item, speaker) = (page_id_text(&id)?, s.speaker.id.clone());
    state
        .db
        .run(move |conn| speakers::confirm_slot(conn, &speaker, &item))
        .await?;
    flash(&s.session, FlashKind::Success, s.ctx.t("speaker.confirmed"));
    Ok(see_other("/speaker"))
}

#[derive(MultipartForm)]
pub struct SlidesForm {
    #[multipart(rename = "_csrf")]
    csrf: Text<String>,
    file: Option<TempFile>,
}

/// The speaker hands in (or replaces, once the page asked) the slides of a slot. A refused
/// file shows the page again with that slot's file field marked and why.
pub async fn upload_slides(
    state: web::Data<AppState>,
    s: SpeakerSession,
    id: web::Path<String>,
    // Read only once the speaker is known: extractors run side by side, so a body extractor
    // here would spool a stranger's upload while the session is being checked.
    upload: uploads::UploadBody,
) -> Result<HttpResponse, AppError> {
    let item_id = page_id_text(&id)?;
    let result = store_slides(&state, &s, item_id.clone(), upload).await;
    match result {
        Ok(replaced) => {
            let key = if replaced {
                "journeys.slides.replaced"
            } else {
                "speaker.uploaded"
            };
            flash(&s.session, FlashKind::Success, s.ctx.t(key));
            Ok(see_other("/speaker"))
        }
        Err(e) => match crate::web::upload_errors(&e, &item_id) {
            Some(errors) => render_errors(&state, &s, errors, e.status()).await,
            None => Err(e),
        },
    }
}

/// Checks, stores and records a slides upload; whether it replaced earlier slides.
async fn store_slides(
    state: &AppState,
    s: &SpeakerSession,
    item_id: String,
    upload: uploads::UploadBody,
) -> Result<bool, AppError> {
    let form: SlidesForm = upload.read().await?;
    session::check_csrf(&s.session, Some(form.csrf.as_str()))?;
    let speaker = s.speaker.clone();
    {
        let (speaker, item_id) = (speaker.clone(), item_id.clone());
        state
            .db
            .run(move |conn| {
                materials::slides_target(conn, Uploader::Speaker(&speaker), &item_id).map(drop)
            })
            .await?;
    }
    let file = form.file.ok_or_else(materials::no_file)?;
    let stored = uploads::store(state, file, crate::files::SLIDES).await?;
    let content = stored.content(Uploader::Speaker(&speaker).label());
    let recorded = uploads::record_or_discard(state, &stored, move |conn| {
        let (item, _) = materials::slides_target(conn, Uploader::Speaker(&speaker), &item_id)?;
        materials::record_slides(conn, Uploader::Speaker(&speaker), &item, &content)
    })
    .await?;
    let replaced = recorded.replaced.is_some();
    if let Some(old) = recorded.replaced {
        crate::http::uploads::forget_file(state, &old).await;
    }
    Ok(replaced)
}

/// The speaker removes slides they handed in (the page asked first), until published.
pub async fn remove_slides(
    state: web::Data<AppState>,
    s: SpeakerSession,
    id: web::Path<String>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let id = page_id_text(&id)?;
    let speaker = s.speaker.clone();
    match state
        .db
        .run(move |conn| materials::remove_own_slides(conn, &speaker, &id))
        .await
    {
        Ok(key) => {
            if let Some(key) = key {
                crate::http::uploads::forget_file(&state, &key).await;
            }
            flash(
                &s.session,
                FlashKind::Success,
                s.ctx.t("journeys.slides.removed"),
            );
        }
        Err(e) if e.kind == ErrorKind::Conflict => flash(
            &s.session,
            FlashKind::Error,
            s.ctx.t("journeys.slides.published_hint"),
        ),
        Err(e) => return Err(e),
    }
    Ok(see_other("/speaker"))
}

pub async fn make_feed(
    state: web::Data<AppState>,
    s: SpeakerSession,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let (env, id) = (state.env.clone(), s.speaker.id.clone());
    let url = state
        .db
        .run(move |conn| speakers::feed_url(conn, &env, &id))
        .await?;
    render_own(&state, &s, Some(url), FieldErrors::new(), StatusCode::OK).await
}

/// The speaker's itinerary as an iCalendar feed (the address is a secret).
pub async fn feed(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let token = token.strip_suffix(".ics").unwrap_or(&token).to_owned();
    let base = state.env.links.clone();
    let (speaker, deliveries) = state
        .db
        .run(move |conn| speakers::itinerary_by_feed(conn, &token))
        .await?;
    let slots: Vec<crate::calendar::Slot> = deliveries
        .iter()
        .map(|d| crate::calendar::Slot {
            id: &d.entry.item.id,
            title: d.entry.title(),
            starts_at: d.entry.item.starts_at,
            ends_at: d.entry.item.ends_at(),
            updated_at: d.entry.item.updated_at,
            tour: &d.tour,
            stop: &d.stop,
            venue: &d.venue,
        })
        .collect();
    let body = crate::calendar::itinerary(&speaker.name, &slots, base.base());
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .body(body))
}

pub async fn public_profile(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    PageCtx(ctx, _): PageCtx,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = page_id_text(&id)?;
    crate::web::cached(&req, &state, &ctx, || async {
        let (speaker, deliveries) = state
            .db
            .run(move |conn| speakers::public_profile(conn, &id))
            .await?;
        use crate::cache::keys;
        // Stops and tours changing touch the home key too.
        let deps = vec![
            keys::SPEAKERS.to_owned(),
            keys::HOME.to_owned(),
            keys::VENUES.to_owned(),
        ];
        Ok((
            crate::views::speakers::public::public_profile(&ctx, &speaker, &deliveries),
            deps,
        ))
    })
    .await
}

/// A material's file (or link): published ones for anyone; others for the stop's organizers
/// and the talk's speakers.
pub async fn download(
    state: web::Data<AppState>,
    PageCtx(_, session): PageCtx,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = page_id_text(&id)?;
    let who = session::identities(&state, &session).await?;
    let m = state
        .db
        .run(move |conn| materials::downloadable(conn, &id, &who))
        .await?;
    uploads::download(&state, &m).await
}
