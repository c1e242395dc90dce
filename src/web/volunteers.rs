//! "Help us" pages, volunteers' own page, and the organizers' task pages.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::domain::stop::local_to_utc;
use crate::error::{AppError, ErrorKind, FieldError, FieldErrors};
use crate::i18n::Lang;
use crate::models::access;
use crate::models::tour::Tour;
use crate::services::volunteers::{self, Releaser, TaskInput};
use crate::state::AppState;
use crate::views::volunteers::HelpForm;
use crate::views::{Ctx, FlashKind};
use crate::web::guests::or_spent;
use crate::web::session::{
    self, CsrfForm, Empty, FormCtx, OrganizerPage, PageCtx, PublicForm, VolunteerSession, flash,
};
use crate::web::{html, html_status, page_id, see_other};

// ----- public -----

/// Which help page: a tour's, or one stop's.
#[derive(Clone)]
enum HelpOf {
    Tour(String),
    Stop(String),
}

impl HelpOf {
    /// The page's address (where its form posts, where the thank-you page leads back).
    fn path(&self) -> String {
        match self {
            HelpOf::Tour(slug) => format!("/tours/{slug}/help"),
            HelpOf::Stop(id) => format!("/stops/{id}/help"),
        }
    }
}

async fn help_page(
    state: &AppState,
    ctx: &Ctx,
    of: HelpOf,
    form: &HelpForm,
    errors: &FieldErrors,
    message: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let action = of.path();
    let (tour, list) = state
        .db
        .run(move |conn| {
            let (tour, stop_id) = match of {
                HelpOf::Tour(slug) => (
                    Tour::find_public_by_slug(conn, &slug)?
                        .ok_or_else(|| AppError::not_found("tour"))?,
                    None,
                ),
                HelpOf::Stop(id) => (crate::services::stops::public_stop(conn, &id)?.1, Some(id)),
            };
            let list = volunteers::open_tasks(conn, &tour, stop_id.as_deref())?;
            Ok((tour, list))
        })
        .await?;
    Ok(html_status(
        status,
        crate::views::volunteers::help(
            ctx,
            &tour,
            &list,
            &action,
            form,
            errors,
            message.as_deref(),
        ),
    ))
}

pub async fn tour_help(
    state: web::Data<AppState>,
    PageCtx(ctx, _): PageCtx,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let of = HelpOf::Tour(slug.into_inner());
    help_page(
        &state,
        &ctx,
        of,
        &HelpForm::default(),
        &FieldErrors::new(),
        None,
        StatusCode::OK,
    )
    .await
}

pub async fn stop_help(
    state: web::Data<AppState>,
    PageCtx(ctx, _): PageCtx,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let of = HelpOf::Stop(page_id(&id)?);
    help_page(
        &state,
        &ctx,
        of,
        &HelpForm::default(),
        &FieldErrors::new(),
        None,
        StatusCode::OK,
    )
    .await
}

/// The help page's form: the tasks ticked, a name and an address.
fn help_form(pairs: &[(String, String)]) -> HelpForm {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    HelpForm {
        name: get("name"),
        email: get("email"),
        task_ids: pairs
            .iter()
            .filter(|(k, _)| k == "task_ids")
            .map(|(_, v)| v.clone())
            .collect(),
    }
}

/// Claims the tasks picked with the help page's one form: the thank-you page says what was
/// taken (and what someone else took first); nothing taken shows the page again with why.
async fn take_tasks(
    state: &AppState,
    ctx: &Ctx,
    lang: Lang,
    of: HelpOf,
    form: HelpForm,
) -> Result<HttpResponse, AppError> {
    let ids = form
        .task_ids
        .iter()
        .map(|id| page_id(id))
        .collect::<Result<Vec<_>, _>>()?;
    let (env, name, email) = (state.env.clone(), form.name.clone(), form.email.clone());
    let result = state
        .db
        .run(move |conn| volunteers::claim_tasks(conn, &env, lang, &ids, &name, &email))
        .await;
    match result {
        Ok(outcome) if outcome.taken.is_empty() && outcome.already.is_empty() => {
            let message = ctx.t("help.full").into_owned();
            help_page(
                state,
                ctx,
                of,
                &form,
                &FieldErrors::new(),
                Some(message),
                StatusCode::CONFLICT,
            )
            .await
        }
        Ok(outcome) => {
            let mut stops: Vec<String> = outcome
                .taken
                .iter()
                .chain(&outcome.already)
                .map(|t| t.stop_id.clone())
                .collect();
            stops.sort();
            stops.dedup();
            Ok(html(crate::views::volunteers::claimed(
                ctx,
                &outcome,
                &of.path(),
                &stops,
            )))
        }
        Err(e) if e.kind == ErrorKind::Validation => {
            help_page(
                state,
                ctx,
                of,
                &form,
                &e.fields,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) if e.code == "stop_over" => {
            let message = ctx.t("journeys.help.stop_over").into_owned();
            help_page(
                state,
                ctx,
                of,
                &form,
                &FieldErrors::new(),
                Some(message),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(e),
    }
}

pub async fn tour_help_submit(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    PageCtx(ctx, _): PageCtx,
    lang: Lang,
    slug: web::Path<String>,
    form: PublicForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    state.limits.check(&req, crate::ratelimit::Action::Claim)?;
    let of = HelpOf::Tour(slug.into_inner());
    take_tasks(&state, &ctx, lang, of, help_form(&form.0)).await
}

pub async fn stop_help_submit(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    PageCtx(ctx, _): PageCtx,
    lang: Lang,
    id: web::Path<String>,
    form: PublicForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    state.limits.check(&req, crate::ratelimit::Action::Claim)?;
    let of = HelpOf::Stop(page_id(&id)?);
    take_tasks(&state, &ctx, lang, of, help_form(&form.0)).await
}

/// One task's claim form (the help page had one per task before it had one for all): the
/// same as the help page's form with that task ticked.
pub async fn claim(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    PageCtx(ctx, _): PageCtx,
    lang: Lang,
    id: web::Path<String>,
    form: PublicForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    state.limits.check(&req, crate::ratelimit::Action::Claim)?;
    let id = page_id(&id)?;
    let tid = id.clone();
    let stop_id = state
        .db
        .run(move |conn| Ok(crate::models::task::Task::find(conn, &tid)?.map(|t| t.stop_id)))
        .await?
        .ok_or_else(|| AppError::not_found("task"))?;
    let mut form = help_form(&form.0);
    form.task_ids = vec![id];
    take_tasks(&state, &ctx, lang, HelpOf::Stop(stop_id), form).await
}

// ----- volunteers -----

pub async fn login_form(FormCtx(ctx, _): FormCtx) -> HttpResponse {
    html(crate::views::volunteers::login(&ctx, false))
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
        .run(move |conn| volunteers::request_link(conn, &env, lang, &email))
        .await?;
    Ok(html(crate::views::volunteers::login(&ctx, true)))
}

/// A sign-in link, opened: a page with one button (mail scanners open links too, and must
/// not use them up). Used or expired: a page that sends a fresh one.
pub async fn enter_page(
    state: web::Data<AppState>,
    FormCtx(ctx, _): FormCtx,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let t = token.clone();
    let result = state
        .db
        .run(move |conn| volunteers::peek(conn, &t))
        .await
        .map(|()| {
            html(crate::views::auth::link_landing(
                &ctx,
                &ctx.t("people.volunteer.enter_title"),
                &ctx.t("people.volunteer.enter_lead"),
                &format!("/volunteer/enter/{token}"),
                &ctx.t("people.volunteer.enter_button"),
            ))
        });
    or_spent(result, &ctx, "journeys.spent.volunteer", "/volunteer/login")
}

/// The button pressed: the link is used up and the volunteer signed in.
pub async fn enter(
    state: web::Data<AppState>,
    FormCtx(ctx, session): FormCtx,
    token: web::Path<String>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let used = state
        .db
        .run(move |conn| volunteers::enter(conn, &token))
        .await;
    let result = match used {
        Ok(id) => session::sign_in_volunteer(&state, &session, &id)
            .await
            .map(|()| see_other("/volunteer")),
        Err(e) => Err(e),
    };
    or_spent(result, &ctx, "journeys.spent.volunteer", "/volunteer/login")
}

/// An invitation, opened: what the task is, and one button to take it.
pub async fn accept_page(
    state: web::Data<AppState>,
    FormCtx(ctx, _): FormCtx,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let t = token.clone();
    let result = state
        .db
        .run(move |conn| volunteers::peek_invite(conn, &t))
        .await
        .map(|(task, sc)| {
            let stop = format!("{} · {}", sc.tour.name, sc.stop.city);
            html(crate::views::auth::link_landing(
                &ctx,
                &ctx.t("people.volunteer.accept_title"),
                &ctx.tf(
                    "people.volunteer.accept_lead",
                    &[("stop", &stop), ("task", &task.title)],
                ),
                &format!("/volunteer/accept/{token}"),
                &ctx.t("people.volunteer.accept_button"),
            ))
        });
    or_spent(result, &ctx, "journeys.spent.invite", "/volunteer/login")
}

/// The button pressed: the invited attendee takes the slot (and is signed in).
pub async fn accept_invite(
    state: web::Data<AppState>,
    FormCtx(ctx, session): FormCtx,
    token: web::Path<String>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let (token, env) = (token.into_inner(), state.env.clone());
    match state
        .db
        .run(move |conn| volunteers::accept_invite(conn, &env, &token))
        .await
    {
        Ok(id) => {
            session::sign_in_volunteer(&state, &session, &id).await?;
            flash(&session, FlashKind::Success, ctx.t("help.thanks_title"));
            Ok(see_other("/volunteer"))
        }
        Err(e) if e.code == "task_full" => Ok(html_status(
            StatusCode::CONFLICT,
            crate::views::error::error_page(
                &ctx,
                StatusCode::CONFLICT,
                "task_full",
                &ctx.t("help.full"),
            ),
        )),
        Err(e) => or_spent(Err(e), &ctx, "journeys.spent.invite", "/volunteer/login"),
    }
}

/// The volunteer's page; `errors`: a refused hand-in's fields (see `web::materials`).
pub(crate) async fn render_own(
    state: &AppState,
    ctx: &Ctx,
    volunteer_id: String,
    feed: Option<String>,
    errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    let env = state.env.clone();
    let (v, tasks, requests, desks) = state
        .db
        .run(move |conn| {
            let (v, tasks) = volunteers::own_tasks(conn, &env, &volunteer_id)?;
            let requests = crate::services::collection::volunteer_requests(conn, &volunteer_id)?;
            let desks = crate::services::desk::stops_of_helper(conn, &v.email)?;
            Ok((v, tasks, requests, desks))
        })
        .await?;
    Ok(html(crate::views::volunteers::own(
        ctx,
        &crate::views::volunteers::VolunteerPage {
            volunteer: &v,
            tasks: &tasks,
            requests: &requests,
            release_hours: state.env.release_hours,
            desk_stops: &desks,
        },
        feed.as_deref(),
        &errors,
    )))
}

pub async fn own_page(
    state: web::Data<AppState>,
    me: VolunteerSession,
) -> Result<HttpResponse, AppError> {
    render_own(&state, &me.ctx, me.volunteer_id, None, FieldErrors::new()).await
}

pub async fn release(
    state: web::Data<AppState>,
    VolunteerSession {
        ctx,
        session,
        volunteer_id: me,
    }: VolunteerSession,
    id: web::Path<String>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let (claim, env) = (page_id(&id)?, state.env.clone());
    match state
        .db
        .run(move |conn| volunteers::release(conn, &env, &claim, Releaser::Volunteer(&me)))
        .await
    {
        Ok(()) => {
            flash(&session, FlashKind::Success, ctx.t("volunteer.released"));
            Ok(see_other("/volunteer"))
        }
        Err(e) if e.code == "release_closed" => {
            flash(
                &session,
                FlashKind::Error,
                ctx.tf(
                    "volunteer.release_closed",
                    &[(
                        "duration",
                        &crate::format::hours(ctx.lang, state.env.release_hours),
                    )],
                ),
            );
            Ok(see_other("/volunteer"))
        }
        Err(e) => Err(e),
    }
}

pub async fn make_feed(
    state: web::Data<AppState>,
    VolunteerSession {
        ctx,
        volunteer_id: id,
        ..
    }: VolunteerSession,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let (env, vid) = (state.env.clone(), id.clone());
    let url = state
        .db
        .run(move |conn| volunteers::feed_url(conn, &env, &vid))
        .await?;
    render_own(&state, &ctx, id, Some(url), FieldErrors::new()).await
}

pub async fn feed(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let token = token.strip_suffix(".ics").unwrap_or(&token).to_owned();
    let base = state.env.links.clone();
    let (v, claims) = state
        .db
        .run(move |conn| volunteers::tasks_by_feed(conn, &token))
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .body(crate::calendar::volunteer_tasks(
            &v.name,
            &claims,
            base.base(),
        )))
}

// ----- organizers -----

async fn render_coverage(
    state: &AppState,
    page: &OrganizerPage,
    stop_id: String,
    errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    let me = page.organizer.clone();
    let (stop, tour, views, candidates) = state
        .db
        .run(move |conn| {
            let (stop, tour, views) = volunteers::coverage(conn, &me, &stop_id)?;
            let candidates = volunteers::candidates(conn, &me, &stop.id)?;
            Ok((stop, tour, views, candidates))
        })
        .await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(html_status(
        status,
        crate::views::volunteers::coverage(&page.ctx, &tour, &stop, &views, &candidates, &errors),
    ))
}

pub async fn tasks_page(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = page_id(&id)?;
    render_coverage(&state, &page, id, FieldErrors::new()).await
}

/// Field errors and conflicts (a full task, slots below the claims) show on the page.
fn page_errors(result: Result<impl Sized, AppError>) -> Result<Option<FieldErrors>, AppError> {
    match result {
        Ok(_) => Ok(None),
        Err(e) if e.kind == ErrorKind::Validation => Ok(Some(e.fields)),
        Err(e) if e.kind == ErrorKind::Conflict => {
            let mut f = FieldErrors::new();
            f.insert(
                "task".into(),
                FieldError {
                    code: "conflict",
                    message: e.message,
                },
            );
            Ok(Some(f))
        }
        Err(e) => Err(e),
    }
}

async fn after(
    state: &AppState,
    page: &OrganizerPage,
    stop_id: String,
    result: Result<impl Sized, AppError>,
) -> Result<HttpResponse, AppError> {
    match page_errors(result)? {
        None => Ok(see_other(&format!("/manage/stops/{stop_id}/tasks"))),
        Some(errors) => render_coverage(state, page, stop_id, errors).await,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TaskForm {
    kind: String,
    title: String,
    description: String,
    starts_at: String,
    ends_at: String,
    slots: String,
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

pub async fn add_task(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    form: CsrfForm<TaskForm>,
) -> Result<HttpResponse, AppError> {
    let id = page_id(&id)?;
    let f = form.data;
    let tz = stop_tz(&state, &page, &id).await?;
    let time = |v: &str| {
        if v.trim().is_empty() {
            Ok(None)
        } else {
            local_to_utc(v, tz).map(Some)
        }
    };
    let input = TaskInput {
        kind: Some(f.kind.clone()),
        title: Some(f.title.clone()),
        description: Some(f.description.clone()),
        starts_at: Some(time(&f.starts_at)),
        ends_at: Some(time(&f.ends_at)),
        slots: Some(crate::domain::text::parse_number(&f.slots, 1, 1000).map(i64::from)),
    };
    let (me, lang, sid) = (page.organizer.clone(), page.ctx.lang, id.clone());
    let result = state
        .db
        .run(move |conn| volunteers::create_task(conn, &me, lang, &sid, input))
        .await;
    after(&state, &page, id, result).await
}

pub async fn standard(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let id = page_id(&id)?;
    let (me, lang, sid) = (page.organizer.clone(), page.ctx.lang, id.clone());
    let result = state
        .db
        .run(move |conn| volunteers::apply_standard_set(conn, &me, lang, &sid))
        .await;
    after(&state, &page, id, result).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SlotsForm {
    slots: String,
}

pub async fn set_slots(
    state: web::Data<AppState>,
    page: OrganizerPage,
    path: web::Path<(String, String)>,
    form: CsrfForm<SlotsForm>,
) -> Result<HttpResponse, AppError> {
    let (id, task) = path.into_inner();
    let (id, task) = (page_id(&id)?, page_id(&task)?);
    let input = TaskInput {
        slots: Some(crate::domain::text::parse_number(&form.data.slots, 1, 1000).map(i64::from)),
        ..TaskInput::default()
    };
    let me = page.organizer.clone();
    let result = state
        .db
        .run(move |conn| volunteers::update_task(conn, &me, &task, input))
        .await;
    after(&state, &page, id, result).await
}

pub async fn delete_task(
    state: web::Data<AppState>,
    page: OrganizerPage,
    path: web::Path<(String, String)>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let (id, task) = path.into_inner();
    let (id, task) = (page_id(&id)?, page_id(&task)?);
    let me = page.organizer.clone();
    let result = state
        .db
        .run(move |conn| volunteers::delete_task(conn, &me, &task))
        .await;
    after(&state, &page, id, result).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AssignForm {
    task_id: String,
    name: String,
    email: String,
}

pub async fn assign(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    form: CsrfForm<AssignForm>,
) -> Result<HttpResponse, AppError> {
    let id = page_id(&id)?;
    let f = form.data;
    let task = page_id(&f.task_id)?;
    let (me, env, lang) = (page.organizer.clone(), state.env.clone(), page.ctx.lang);
    let result = state
        .db
        .run(move |conn| volunteers::claim(conn, &env, lang, &task, &f.name, &f.email, Some(&me)))
        .await;
    after(&state, &page, id, result).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct InviteForm {
    task_id: String,
    registration_id: String,
}

pub async fn invite(
    state: web::Data<AppState>,
    page: OrganizerPage,
    id: web::Path<String>,
    form: CsrfForm<InviteForm>,
) -> Result<HttpResponse, AppError> {
    let id = page_id(&id)?;
    let (task, registration) = (
        page_id(&form.data.task_id)?,
        page_id(&form.data.registration_id)?,
    );
    let (me, env) = (page.organizer.clone(), state.env.clone());
    let result = state
        .db
        .run(move |conn| volunteers::invite(conn, &env, &me, &task, &registration))
        .await;
    if result.is_ok() {
        flash(
            &page.session,
            FlashKind::Success,
            page.ctx.t("tasks.invited"),
        );
    }
    after(&state, &page, id, result).await
}

pub async fn claim_action(
    state: web::Data<AppState>,
    page: OrganizerPage,
    path: web::Path<(String, String, String)>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let (id, claim, action) = path.into_inner();
    let (id, claim) = (page_id(&id)?, page_id(&claim)?);
    let given = action == "desk";
    let (me, env) = (page.organizer.clone(), state.env.clone());
    let result = state
        .db
        .run(move |conn| match action.as_str() {
            "came" => volunteers::mark_showed_up(conn, &me, &claim, Some(true)),
            "absent" => volunteers::mark_showed_up(conn, &me, &claim, Some(false)),
            "release" => volunteers::release(conn, &env, &claim, Releaser::Organizer(&me)),
            "desk" => volunteers::give_desk_access(conn, &env, &me, &claim),
            "undesk" => volunteers::remove_desk_access(conn, &me, &claim),
            _ => Err(AppError::not_found("page")),
        })
        .await;
    if result.is_ok() && given {
        flash(
            &page.session,
            FlashKind::Success,
            page.ctx.t("people.tasks.desk_given"),
        );
    }
    after(&state, &page, id, result).await
}
