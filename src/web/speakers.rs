//! Pages of the call for proposals, speakers, agendas and materials.

use actix_multipart::form::MultipartForm;
use actix_multipart::form::tempfile::TempFile;
use actix_multipart::form::text::Text;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::domain::stop::local_to_utc;
use crate::error::{AppError, ErrorKind, FieldErrors};
use crate::http::uploads;
use crate::i18n::Lang;
use crate::models::access;
use crate::models::speaker::{Talk, TalkWithSpeakers};
use crate::models::tour::Tour;
use crate::services::agenda::{self, ItemInput};
use crate::services::materials::{self, Uploader, Viewer};
use crate::services::speakers::{self, PersonInput, ProposalInput};
use crate::state::AppState;
use crate::views::FlashKind;
use crate::views::speakers::{BuilderPage, CfpForm, ItemForm};
use crate::web::guests::or_spent;
use crate::web::session::{
    self, CsrfForm, Empty, FormCtx, OrganizerPage, PageCtx, PublicForm, SpeakerSession, flash,
};
use crate::web::{field_errors, html, html_status, page_id, see_other};

// ----- the call for proposals -----

async fn cfp_data(
    state: &AppState,
    slug: String,
) -> Result<
    (
        Tour,
        Vec<(crate::models::stop::Stop, crate::models::venue::Venue)>,
        bool,
    ),
    AppError,
> {
    state
        .db
        .run(move |conn| {
            let tour = Tour::find_public_by_slug(conn, &slug)?
                .ok_or_else(|| AppError::not_found("tour"))?;
            let stops = speakers::cfp_stops(conn, &tour)?;
            let open = crate::services::speakers::cfp_open(&tour);
            Ok((tour, stops, open))
        })
        .await
}

pub async fn cfp_page(
    state: web::Data<AppState>,
    PageCtx(ctx, _): PageCtx,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (tour, stops, open) = cfp_data(&state, slug.into_inner()).await?;
    Ok(html(crate::views::speakers::cfp(
        &ctx,
        &tour,
        &stops,
        open,
        &CfpForm::default(),
        &[],
        &FieldErrors::new(),
    )))
}

pub async fn cfp_submit(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    PageCtx(ctx, _): PageCtx,
    lang: Lang,
    slug: web::Path<String>,
    form: PublicForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    state
        .limits
        .check(&req, crate::ratelimit::Action::Proposal)?;
    let pairs = form.0;
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let chosen: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "stop_ids")
        .map(|(_, v)| v.clone())
        .collect();
    let f = CfpForm {
        name: get("name"),
        email: get("email"),
        affiliation: get("affiliation"),
        bio: get("bio"),
        co_name: get("co_name"),
        co_email: get("co_email"),
        title: get("title"),
        summary: get("abstract"),
        duration_minutes: get("duration_minutes"),
    };
    let (tour, stops, open) = cfp_data(&state, slug.into_inner()).await?;
    let mut errors = FieldErrors::new();
    let duration = match f.duration_minutes.trim().parse::<i64>() {
        Ok(d) => Some(d),
        Err(_) => {
            errors.insert(
                "duration_minutes".into(),
                crate::error::FieldError {
                    code: "not_a_number",
                    message: "must be a whole number".into(),
                },
            );
            None
        }
    };
    let input = ProposalInput {
        speaker: PersonInput {
            name: f.name.clone(),
            email: f.email.clone(),
            affiliation: f.affiliation.clone(),
            bio: f.bio.clone(),
        },
        co_speakers: vec![PersonInput {
            name: f.co_name.clone(),
            email: f.co_email.clone(),
            ..PersonInput::default()
        }],
        title: f.title.clone(),
        summary: f.summary.clone(),
        duration_minutes: duration,
        stop_ids: chosen.clone(),
    };
    let env = state.env.clone();
    let tour_id = tour.id.clone();
    let result = state
        .db
        .run(move |conn| speakers::submit_proposal(conn, &env, lang, &tour_id, &input))
        .await;
    // A duration that is not a number reaches the service as missing, which refuses it.
    match field_errors(result)? {
        Ok(_) => Ok(html(crate::views::speakers::cfp_sent(&ctx, &tour))),
        Err(mut more) => {
            more.extend(errors);
            Ok(html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                crate::views::speakers::cfp(&ctx, &tour, &stops, open, &f, &chosen, &more),
            ))
        }
    }
}

// ----- speakers' own pages -----

pub async fn login_form(FormCtx(ctx, _): FormCtx) -> HttpResponse {
    html(crate::views::speakers::login(&ctx, false))
}

pub async fn login_submit(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    FormCtx(ctx, _): FormCtx,
    form: CsrfForm<crate::web::EmailForm>,
) -> Result<HttpResponse, AppError> {
    state
        .limits
        .check(&req, crate::ratelimit::Action::SignInLink)?;
    let (env, lang, email) = (state.env.clone(), ctx.lang, form.data.email);
    state
        .db
        .run(move |conn| speakers::request_link(conn, &env, lang, &email))
        .await?;
    Ok(html(crate::views::speakers::login(&ctx, true)))
}

/// Where a sign-in link lands: it is only looked at (mail scanners open links); the button
/// uses it.
pub async fn enter(
    state: web::Data<AppState>,
    FormCtx(ctx, _): FormCtx,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let t = token.clone();
    let result = state
        .db
        .run(move |conn| speakers::peek_link(conn, &t))
        .await
        .map(|()| {
            html(crate::views::auth::link_landing(
                &ctx,
                &ctx.t("speaker.enter_title"),
                &ctx.t("speaker.enter_lead"),
                &format!("/speaker/enter/{token}"),
                &ctx.t("speaker.enter_button"),
            ))
        });
    or_spent(result, &ctx, "journeys.spent.speaker", "/speaker/login")
}

/// The button of a sign-in link: uses the link (once) and signs the speaker in.
pub async fn enter_submit(
    state: web::Data<AppState>,
    FormCtx(ctx, session): FormCtx,
    token: web::Path<String>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let used = state
        .db
        .run(move |conn| speakers::enter(conn, &token))
        .await;
    let result = match used {
        Ok(id) => session::sign_in_speaker(&state, &session, &id)
            .await
            .map(|()| see_other("/speaker")),
        Err(e) => Err(e),
    };
    or_spent(result, &ctx, "journeys.spent.speaker", "/speaker/login")
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
    session::sign_in_speaker(&state, &session, &done.speaker_id).await?;
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
    let (talk, speaker) = (page_id(&id)?, s.speaker.id.clone());
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
        crate::views::speakers::own(&s.ctx, &page, feed_url.as_deref(), &errors),
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
    let id = page_id(&id)?;
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
    let id = page_id(&id)?;
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
                code: e.code,
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
    let (item, speaker) = (page_id(&id)?, s.speaker.id.clone());
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
    let item_id = page_id(&id)?;
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
    let id = page_id(&id)?;
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
    let id = page_id(&id)?;
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
            crate::views::speakers::public_profile(&ctx, &speaker, &deliveries),
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
    let id = page_id(&id)?;
    let who = session::identities(&state, &session).await?;
    let (organizer_id, speaker_id) = (who.organizer_id, who.speaker_id);
    let m = state
        .db
        .run(move |conn| {
            let organizer = match &organizer_id {
                Some(o) => crate::models::organizer::Organizer::find(conn, o).ok(),
                None => None,
            };
            materials::downloadable(
                conn,
                &id,
                Viewer {
                    organizer: organizer.as_ref(),
                    speaker_id: speaker_id.as_deref(),
                },
            )
        })
        .await?;
    uploads::download(&state, &m).await
}

// ----- organizers: proposals, agendas, speaker history -----

pub async fn proposals_page(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = page_id(&id)?;
    let me = page.organizer.clone();
    let (tour, stops, list) = state
        .db
        .run(move |conn| speakers::proposals(conn, &me, &id))
        .await?;
    Ok(html(crate::views::speakers::proposals(
        &page.ctx,
        &tour,
        &stops,
        &list,
        &FieldErrors::new(),
    )))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DecisionForm {
    message: String,
}

pub async fn accept(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    form: CsrfForm<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let id = page_id(&id)?;
    let stop_ids = form.all("stop_ids");
    let (me, env, message) = (page.organizer.clone(), state.env.clone(), form.data.message);
    let view = state
        .db
        .run(move |conn| speakers::accept(conn, &env, &me, &id, &stop_ids, &message))
        .await?;
    flash(
        &page.session,
        FlashKind::Success,
        page.ctx.t("proposals.accepted"),
    );
    Ok(see_other(&format!(
        "/manage/tours/{}/proposals",
        view.proposal.tour_id
    )))
}

pub async fn reject(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    form: CsrfForm<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let id = page_id(&id)?;
    let (me, env, message, pid) = (
        page.organizer.clone(),
        state.env.clone(),
        form.data.message,
        id.clone(),
    );
    let tour_id = state
        .db
        .run(move |conn| {
            speakers::reject(conn, &env, &me, &pid, &message)?;
            Ok(crate::models::speaker::Proposal::find(conn, &pid)?
                .map(|p| p.tour_id)
                .unwrap_or_default())
        })
        .await?;
    flash(
        &page.session,
        FlashKind::Success,
        page.ctx.t("proposals.rejected"),
    );
    Ok(see_other(&format!("/manage/tours/{tour_id}/proposals")))
}

async fn render_builder(
    state: &AppState,
    page: &OrganizerPage,
    stop_id: String,
    form: ItemForm,
    errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    let me = page.organizer.clone();
    let (tour, stop, entries, talks) = state
        .db
        .run(move |conn| {
            let (stop, tour, _) = access::stop_for(conn, &me, &stop_id)?;
            let entries = agenda::entries(conn, &stop.id)?;
            // Talks to place: the tour's accepted or proposed ones, and those already here.
            let mut ids: Vec<String> =
                crate::models::speaker::Proposal::list_for_tour(conn, &tour.id)?
                    .into_iter()
                    .filter(|p| p.status == "accepted" || p.status == "proposed")
                    .map(|p| p.talk_id)
                    .collect();
            ids.extend(entries.iter().filter_map(|e| e.item.talk_id.clone()));
            ids.sort();
            ids.dedup();
            let talks: Vec<TalkWithSpeakers> = Talk::with_speakers(conn, &ids)?;
            Ok((tour, stop, entries, talks))
        })
        .await?;
    let overruns = agenda::overrun_ids(&stop, &entries);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(html_status(
        status,
        crate::views::speakers::builder(
            &page.ctx,
            BuilderPage {
                tour: &tour,
                stop: &stop,
                entries: &entries,
                talks: &talks,
                overruns: &overruns,
                errors: &errors,
                form: &form,
                now: crate::clock::now(),
            },
        ),
    ))
}

/// Conflicts (clashes, a full agenda) are shown on the builder like field errors.
fn agenda_errors(result: Result<impl Sized, AppError>) -> Result<Option<FieldErrors>, AppError> {
    match result {
        Ok(_) => Ok(None),
        Err(e) if e.kind == crate::error::ErrorKind::Validation => Ok(Some(e.fields)),
        Err(e) if e.kind == crate::error::ErrorKind::Conflict => {
            let mut f = FieldErrors::new();
            f.insert(
                "agenda".into(),
                crate::error::FieldError {
                    code: "agenda_clash",
                    message: e.message,
                },
            );
            Ok(Some(f))
        }
        Err(e) => Err(e),
    }
}

pub async fn builder(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = page_id(&id)?;
    render_builder(&state, &page, id, ItemForm::default(), FieldErrors::new()).await
}

async fn stop_tz(
    state: &AppState,
    page: &OrganizerPage,
    stop_id: &str,
) -> Result<chrono_tz::Tz, AppError> {
    let (me, id) = (page.organizer.clone(), stop_id.to_owned());
    state
        .db
        .run(move |conn| Ok(access::stop_for(conn, &me, &id)?.0.tz()))
        .await
}

pub async fn add_item(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    form: CsrfForm<ItemForm>,
) -> Result<HttpResponse, AppError> {
    let id = page_id(&id)?;
    let f = form.data;
    let tz = stop_tz(&state, &page, &id).await?;
    let duration = f.duration_minutes.trim().parse::<i64>().ok();
    let input = ItemInput {
        talk_id: (!f.talk_id.is_empty()).then(|| f.talk_id.clone()),
        kind: if f.talk_id.is_empty() {
            Some(f.kind.clone())
        } else {
            None
        },
        title: Some(f.title.clone()),
        starts_at: Some(local_to_utc(&f.starts_at, tz)),
        duration_minutes: duration,
    };
    let (me, env, sid) = (page.organizer.clone(), state.env.clone(), id.clone());
    match agenda_errors(
        state
            .db
            .run(move |conn| agenda::add_item(conn, &env, &me, &sid, input))
            .await,
    )? {
        None => Ok(see_other(&format!("/manage/stops/{id}/agenda"))),
        Some(errors) => render_builder(&state, &page, id, f, errors).await,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MoveForm {
    starts_at: String,
    duration_minutes: String,
}

pub async fn move_item(
    state: web::Data<AppState>,
    page: OrganizerPage,
    path: web::Path<(String, String)>,
    form: CsrfForm<MoveForm>,
) -> Result<HttpResponse, AppError> {
    let (id, item) = path.into_inner();
    let (id, item) = (page_id(&id)?, page_id(&item)?);
    let tz = stop_tz(&state, &page, &id).await?;
    let starts = local_to_utc(&form.data.starts_at, tz);
    let duration = form.data.duration_minutes.trim().parse::<i64>().ok();
    let (me, env) = (page.organizer.clone(), state.env.clone());
    match agenda_errors(
        state
            .db
            .run(move |conn| agenda::move_item(conn, &env, &me, &item, starts, duration))
            .await,
    )? {
        None => Ok(see_other(&format!("/manage/stops/{id}/agenda"))),
        Some(errors) => render_builder(&state, &page, id, ItemForm::default(), errors).await,
    }
}

pub async fn remove_item(
    state: web::Data<AppState>,
    page: OrganizerPage,
    path: web::Path<(String, String)>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let (id, item) = path.into_inner();
    let (id, item) = (page_id(&id)?, page_id(&item)?);
    let (me, env) = (page.organizer.clone(), state.env.clone());
    state
        .db
        .run(move |conn| agenda::remove_item(conn, &env, &me, &item))
        .await?;
    Ok(see_other(&format!("/manage/stops/{id}/agenda")))
}

pub async fn publish(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let id = page_id(&id)?;
    let (me, sid) = (page.organizer.clone(), id.clone());
    state
        .db
        .run(move |conn| agenda::publish(conn, &me, &sid))
        .await?;
    flash(
        &page.session,
        FlashKind::Success,
        page.ctx.t("agenda.published"),
    );
    Ok(see_other(&format!("/manage/stops/{id}/agenda")))
}

pub async fn speaker_history(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = page_id(&id)?;
    let me = page.organizer.clone();
    let (speaker, deliveries, proposals, stops) = state
        .db
        .run(move |conn| {
            let (speaker, deliveries, proposals) = speakers::history(conn, &me, &id)?;
            // Stops still to come of the tours the organizer runs: where to ask them next.
            let mut stops = Vec::new();
            for (tour, role) in crate::services::tours::list_tours(conn, &me)? {
                let reach = access::tour_access(conn, &me, &tour.id)?;
                if (role.is_some() || me.is_admin)
                    && let Some(reach) = reach.filter(|r| r.can_edit_tour())
                {
                    for s in access::stops_in_reach(conn, &tour.id, &reach)? {
                        if matches!(
                            s.status(),
                            crate::domain::stop::StopStatus::Draft
                                | crate::domain::stop::StopStatus::Open
                                | crate::domain::stop::StopStatus::Closed
                        ) {
                            stops.push((s, tour.clone()));
                        }
                    }
                }
            }
            Ok((speaker, deliveries, proposals, stops))
        })
        .await?;
    Ok(html(crate::views::speakers::history(
        &page.ctx,
        &speaker,
        &deliveries,
        &proposals,
        &stops,
    )))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct InviteForm {
    talk_id: String,
    stop_id: String,
}

pub async fn invite(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    form: CsrfForm<InviteForm>,
) -> Result<HttpResponse, AppError> {
    let speaker_id = page_id(&id)?;
    let f = form.data;
    let (talk_id, stop_id) = (page_id(&f.talk_id)?, page_id(&f.stop_id)?);
    let (me, env, sid) = (page.organizer.clone(), state.env.clone(), stop_id.clone());
    match agenda_errors(
        state
            .db
            .run(move |conn| speakers::invite_to_stop(conn, &env, &me, &talk_id, &sid))
            .await,
    )? {
        None => {
            flash(
                &page.session,
                FlashKind::Success,
                page.ctx.t("speaker.asked"),
            );
            Ok(see_other(&format!("/manage/stops/{stop_id}/agenda")))
        }
        Some(errors) => {
            let message = errors
                .values()
                .next()
                .map(|e| e.message.clone())
                .unwrap_or_default();
            flash(&page.session, FlashKind::Error, message);
            Ok(see_other(&format!("/manage/speakers/{speaker_id}")))
        }
    }
}
