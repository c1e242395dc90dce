//! The call for proposals: the public form and its confirmation.

use crate::error::{AppError, FieldCode, FieldErrors};
use crate::i18n::Lang;
use crate::services::speakers::{self, CfpPage, PersonInput, ProposalInput};
use crate::state::AppState;
use crate::views::speakers::public::CfpForm;
use crate::web::session::{PageCtx, PublicForm};
use crate::web::{field_errors, html, html_status};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

pub async fn cfp_page(
    state: web::Data<AppState>,
    PageCtx(ctx, _): PageCtx,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let CfpPage { tour, stops, open } = speakers::cfp(&state, &slug).await?;
    Ok(html(crate::views::speakers::public::cfp(
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
    let mut errors = FieldErrors::new();
    let duration = match f.duration_minutes.trim().parse::<i64>() {
        Ok(d) => Some(d),
        Err(_) => {
            errors.insert(
                "duration_minutes".into(),
                crate::error::FieldError {
                    code: FieldCode::NotANumber,
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
    let result = speakers::submit_to_cfp(&state, lang, &slug, input).await;
    // A duration that is not a number reaches the service as missing, which refuses it.
    match field_errors(result)? {
        Ok(tour) => Ok(html(crate::views::speakers::public::cfp_sent(&ctx, &tour))),
        Err(mut more) => {
            more.extend(errors);
            // The form again, with what it offers now.
            let CfpPage { tour, stops, open } = speakers::cfp(&state, &slug).await?;
            Ok(html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                crate::views::speakers::public::cfp(&ctx, &tour, &stops, open, &f, &chosen, &more),
            ))
        }
    }
}
