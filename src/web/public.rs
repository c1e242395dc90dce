use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use crate::cache::keys;

use crate::domain::ids::StopId;
use crate::error::{AppError, FieldErrors};
use crate::i18n::Lang;
use crate::read::public::PublicStop;
use crate::services::public;
use crate::services::registrations::{self, RegistrationInput};
use crate::state::AppState;
use crate::views::Ctx;
use crate::views::registrations::RegisterForm;
use crate::web::session::{PageCtx, PublicForm};
use crate::web::{cached, field_errors, html, html_status, page_id, see_other};

pub async fn home(
    req: HttpRequest,
    state: web::Data<AppState>,
    PageCtx(ctx, _): PageCtx,
) -> Result<HttpResponse, AppError> {
    cached(&req, &state, &ctx, || async {
        let tours = public::home(&state, ctx.lang).await?;
        Ok((
            crate::views::public::home(&ctx, &tours),
            vec![keys::HOME.to_owned()],
        ))
    })
    .await
}

pub async fn tour_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    PageCtx(ctx, _): PageCtx,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let slug = slug.into_inner();
    cached(&req, &state, &ctx, || async {
        let tour = public::tour(&state, &slug, ctx.lang).await?;
        let deps = vec![keys::tour(&tour.tour.id), keys::VENUES.to_owned()];
        Ok((crate::views::public::tour(&ctx, &tour), deps))
    })
    .await
}

/// The public stop page, with the registration form while the stop is open, and the cache
/// keys of what it shows.
async fn render_stop(
    state: &AppState,
    ctx: &Ctx,
    id: &StopId,
    form: &RegisterForm,
    errors: &FieldErrors,
) -> Result<(maud::Markup, Vec<String>), AppError> {
    let PublicStop {
        detail,
        tour,
        places_left,
        agenda,
        changes,
        published,
        entries_all,
        moved,
    } = public::stop_page(state, id, ctx.lang).await?;
    let mut extra = maud::html! {
        (crate::views::speakers::public::public_agenda(ctx, &detail.stop, &agenda, &changes))
        (crate::views::materials::public_section(ctx, &entries_all, &published))
    };
    extra = match places_left {
        Some(n) => {
            maud::html! { (crate::views::registrations::register_form(ctx, &detail, form, errors, n)) (extra) }
        }
        // Registered people look for their ticket on a closed stop's page too.
        None => {
            maud::html! { (crate::views::registrations::lost_link_link(ctx, &detail.stop.id)) (extra) }
        }
    };
    let register = Some(extra);
    let deps = vec![
        keys::stop(&detail.stop.id),
        keys::tour(&tour.id),
        keys::VENUES.to_owned(),
        keys::SPEAKERS.to_owned(),
    ];
    Ok((
        crate::views::public::stop(ctx, &detail, &tour, moved.as_ref(), register),
        deps,
    ))
}

pub async fn stop_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    PageCtx(ctx, _): PageCtx,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<StopId>(&id)?;
    cached(&req, &state, &ctx, || async {
        render_stop(
            &state,
            &ctx,
            &id,
            &RegisterForm::default(),
            &FieldErrors::new(),
        )
        .await
    })
    .await
}

/// The registration form: on success, the attendee lands on their own page (the ticket).
pub async fn register_submit(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    PageCtx(ctx, _): PageCtx,
    lang: Lang,
    id: web::Path<String>,
    form: PublicForm<RegisterForm>,
) -> Result<HttpResponse, AppError> {
    state
        .limits
        .check(&req, crate::ratelimit::Action::Register)?;
    let id = page_id::<StopId>(&id)?;
    let form = form.0;
    let input = RegistrationInput {
        name: form.name.clone(),
        email: form.email.clone(),
        affiliation: form.affiliation.clone(),
        legal_name: form.legal_name.clone(),
        volunteer: form.volunteer.is_some(),
    };
    let result = registrations::register(&state, lang, &id, input).await;
    match field_errors(result)? {
        Ok(done) => match done.manage_token {
            Some(token) => Ok(see_other(&format!("/r/{token}"))),
            None => Ok(html(crate::views::registrations::already_registered(
                &ctx, &id,
            ))),
        },
        Err(errors) => {
            let (page, _) = render_stop(&state, &ctx, &id, &form, &errors).await?;
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, page))
        }
    }
}

/// "Lost the link to your registration?": the stop's page that e-mails it again.
pub async fn lost_link_form(
    state: web::Data<AppState>,
    PageCtx(ctx, _): PageCtx,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = page_id::<StopId>(&id)?;
    let (detail, tour) = public::stop(&state, &id).await?;
    Ok(html(crate::views::registrations::lost_link(
        &ctx,
        &format!("{} · {}", tour.name, detail.stop.city),
        &detail.stop.id,
        "",
        &FieldErrors::new(),
        None,
    )))
}

/// Sends the address's link (if it has a registration here) and answers the same either way.
/// Limited per client like every form that makes roadshow write to someone, and per address
/// in the service.
pub async fn lost_link_submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    PageCtx(ctx, _): PageCtx,
    id: web::Path<String>,
    form: PublicForm<crate::web::EmailForm>,
) -> Result<HttpResponse, AppError> {
    state
        .limits
        .check(&req, crate::ratelimit::Action::SignInLink)?;
    let id = page_id::<StopId>(&id)?;
    let email = form.0.email;
    let (detail, tour, sent) = public::send_manage_link(&state, &id, &email).await?;
    let sent = field_errors(sent)?;
    let name = format!("{} · {}", tour.name, detail.stop.city);
    Ok(match sent {
        Ok(()) => html(crate::views::registrations::lost_link(
            &ctx,
            &name,
            &detail.stop.id,
            "",
            &FieldErrors::new(),
            Some(registrations::AGAIN_EVERY_MINUTES),
        )),
        Err(errors) => html_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            crate::views::registrations::lost_link(
                &ctx,
                &name,
                &detail.stop.id,
                &email,
                &errors,
                None,
            ),
        ),
    })
}

/// The tour's stops as an iCalendar feed, one event per public stop.
pub async fn tour_calendar(
    state: web::Data<AppState>,
    lang: Lang,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let slug = slug.into_inner();
    let tour = public::tour(&state, &slug, lang).await?;
    let body = crate::calendar::tour_feed(&tour.tour, &tour.stops, state.env.links.base());
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("inline; filename=\"{}.ics\"", tour.tour.slug),
        ))
        .body(body))
}
