//! Messages an organizer writes to a segment of a stop's or a tour's people: previewed with
//! the placeholders filled for one recipient and the number of recipients, then sent as one
//! e-mail per person (nobody sees another's address).

use std::collections::HashSet;

use crate::db::{self, DbConnection};
use crate::domain::attendance::RegistrationStatus;
use crate::domain::ids::TourId;
use crate::domain::message::Segment;
use crate::domain::text;
use crate::email::{self, Email, Mail};
use crate::error::{AppError, FieldCode, Validator};
use crate::models::access::stops_in_reach;
use crate::models::organizer::Organizer;
use crate::models::registration::{Registration, RegistrationFilter};
use crate::models::stop::Stop;
use crate::models::tour::Tour;
use crate::read::bulk::Preview;
use crate::services::context::Context;
use crate::services::stop_context::StopContext;
use crate::services::{Env, access};

/// What the organizer wrote.
#[derive(Clone, Debug, Default)]
pub struct Draft {
    pub tour_id: TourId,
    /// None: every stop of the tour the organizer runs.
    pub stop_id: Option<String>,
    pub segment: String,
    pub subject: String,
    /// Markdown, with placeholders such as {name} and {manage_link}.
    pub body: String,
}

/// One person to write to, with the stop their message is about.
struct Recipient {
    email: String,
    name: String,
    lang: crate::i18n::Lang,
    stop_id: String,
    /// Attendees: their registration (for {manage_link}).
    registration_id: Option<String>,
}

impl Recipient {
    fn attendee(r: Registration) -> Self {
        Recipient {
            lang: r.lang(),
            email: r.email,
            name: r.name,
            stop_id: r.stop_id,
            registration_id: Some(r.id),
        }
    }
}

struct Checked {
    segment: Segment,
    subject: String,
    body: String,
}

fn check(draft: &Draft) -> Result<Checked, AppError> {
    let mut v = Validator::new();
    let segment = match Segment::parse(draft.segment.trim()) {
        Some(s) => Some(s),
        None => {
            v.add(
                "segment",
                FieldCode::InvalidChoice,
                format!("must be one of: {}", Segment::choices()),
            );
            None
        }
    };
    let subject = v.check("subject", text::required_line(&draft.subject, 200));
    let body = v.check("body", text::required(&draft.body, 20_000));
    v.finish()?;
    Ok(Checked {
        segment: segment.unwrap_or(Segment::Confirmed),
        subject: subject.unwrap_or_default(),
        body: body.unwrap_or_default(),
    })
}

/// The stops in scope: the one named, or all those of the tour the organizer runs.
fn stops_in_scope(
    conn: &mut DbConnection,
    organizer: &Organizer,
    draft: &Draft,
) -> Result<(Tour, Vec<Stop>), AppError> {
    let (tour, reach) = access::tour_for(conn, organizer, &draft.tour_id)?;
    match draft.stop_id.as_deref().filter(|s| !s.is_empty()) {
        Some(stop_id) => {
            let (stop, stop_tour, _) = access::stop_for(conn, organizer, stop_id)?;
            if stop_tour.id != tour.id {
                return Err(AppError::not_found("stop"));
            }
            Ok((tour, vec![stop]))
        }
        None => {
            let stops = stops_in_reach(conn, &tour.id, &reach)?;
            Ok((tour, stops))
        }
    }
}

fn recipients(
    conn: &mut DbConnection,
    stops: &[Stop],
    segment: Segment,
) -> Result<Vec<Recipient>, AppError> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for stop in stops {
        let filter = match segment {
            Segment::Confirmed => RegistrationFilter {
                status: Some(RegistrationStatus::Confirmed),
                ..Default::default()
            },
            Segment::Waitlisted => RegistrationFilter {
                status: Some(RegistrationStatus::Waitlisted),
                ..Default::default()
            },
            Segment::CheckedIn => RegistrationFilter {
                checked_in: Some(true),
                ..Default::default()
            },
            Segment::NoShows if stop.status == crate::domain::stop::StopStatus::Done => {
                RegistrationFilter {
                    status: Some(RegistrationStatus::Confirmed),
                    checked_in: Some(false),
                    ..Default::default()
                }
            }
            Segment::NoShows | Segment::Speakers | Segment::Volunteers => continue,
        };
        for r in Registration::list(conn, &stop.id, &filter)? {
            // Erased registrations have no address left; one message per person per tour.
            if r.email.ends_with("@invalid") || !seen.insert(r.email.clone()) {
                continue;
            }
            out.push(Recipient::attendee(r));
        }
    }
    Ok(out)
}

fn fill(template: &str, values: &[(&str, String)]) -> String {
    let mut out = template.to_owned();
    for (key, value) in values {
        out = out.replace(key, value);
    }
    out
}

fn message<'a>(
    ctx: &StopContext,
    tour: &'a Tour,
    r: &'a Recipient,
    checked: &Checked,
    manage_link: &str,
) -> Mail<'a> {
    let lang = r.lang;
    let values = [
        ("{name}", r.name.clone()),
        ("{tour}", tour.name.clone()),
        ("{city}", ctx.stop.city.clone()),
        (
            "{date}",
            crate::format::time_range(lang, ctx.stop.starts_at, ctx.stop.ends_at, ctx.stop.tz()),
        ),
        ("{venue}", ctx.venue.name.clone()),
        ("{address}", ctx.venue.address.clone()),
        ("{manage_link}", manage_link.to_owned()),
    ];
    Mail::Bulk {
        subject: fill(&checked.subject, &values),
        body: fill(&checked.body, &values),
        name: &r.name,
        tour: &tour.name,
    }
}

/// The tour a message is written for and the stops the organizer may write to (the form's
/// choices).
pub async fn message_form(
    ctx: &Context,
    organizer: &Organizer,
    tour: &TourId,
) -> Result<(Tour, Vec<Stop>), AppError> {
    let (organizer, tour) = (organizer.clone(), tour.clone());
    ctx.db
        .run(move |conn| message_form_in(conn, &organizer, &tour))
        .await
}

fn message_form_in(
    conn: &mut DbConnection,
    organizer: &Organizer,
    tour_id: &str,
) -> Result<(Tour, Vec<Stop>), AppError> {
    let (tour, access) = access::tour_for(conn, organizer, tour_id)?;
    let stops = stops_in_reach(conn, &tour.id, &access)?;
    Ok((tour, stops))
}

/// The message filled in for its first recipient, and how many it would go to.
pub async fn preview(
    ctx: &Context,
    organizer: &Organizer,
    draft: Draft,
) -> Result<Preview, AppError> {
    let (env, organizer) = (ctx.env.clone(), organizer.clone());
    ctx.db
        .run(move |conn| preview_in(conn, &env, &organizer, &draft))
        .await
}

/// `preview` with what the form shows again around it (the tour and its stops).
pub async fn preview_in_form(
    ctx: &Context,
    organizer: &Organizer,
    draft: Draft,
) -> Result<(Preview, Tour, Vec<Stop>), AppError> {
    let (env, organizer) = (ctx.env.clone(), organizer.clone());
    ctx.db
        .run(move |conn| {
            let preview = preview_in(conn, &env, &organizer, &draft)?;
            let (tour, stops) = message_form_in(conn, &organizer, &draft.tour_id)?;
            Ok((preview, tour, stops))
        })
        .await
}

fn preview_in(
    conn: &mut DbConnection,
    env: &Env,
    organizer: &Organizer,
    draft: &Draft,
) -> Result<Preview, AppError> {
    let checked = check(draft)?;
    let (tour, stops) = stops_in_scope(conn, organizer, draft)?;
    let list = recipients(conn, &stops, checked.segment)?;
    let sample = match list.first() {
        Some(first) => {
            let ctx = StopContext::load(conn, &first.stop_id)?;
            let link = if first.registration_id.is_some() {
                env.links.url("/r/…")
            } else {
                String::new()
            };
            Some((
                first.name.clone(),
                message(&ctx, &tour, first, &checked, &link).render(first.lang),
            ))
        }
        None => None,
    };
    Ok(Preview {
        recipients: list.len(),
        sample,
    })
}

/// Queues one e-mail per recipient, all in one transaction; returns (batch id, count).
pub async fn send(
    ctx: &Context,
    organizer: &Organizer,
    draft: Draft,
) -> Result<(String, usize), AppError> {
    let (env, organizer) = (ctx.env.clone(), organizer.clone());
    ctx.db
        .run(move |conn| send_in(conn, &env, &organizer, &draft))
        .await
}

#[tracing::instrument(skip(conn, env, draft), fields(organizer = %organizer.id))]
fn send_in(
    conn: &mut DbConnection,
    env: &Env,
    organizer: &Organizer,
    draft: &Draft,
) -> Result<(String, usize), AppError> {
    let checked = check(draft)?;
    db::write_transaction(conn, |conn| {
        let (tour, stops) = stops_in_scope(conn, organizer, draft)?;
        let list = recipients(conn, &stops, checked.segment)?;
        let batch = db::new_id();
        let uses_link =
            checked.body.contains("{manage_link}") || checked.subject.contains("{manage_link}");
        let mut contexts: Vec<StopContext> = Vec::new();
        for r in &list {
            if !contexts.iter().any(|c| c.stop.id == r.stop_id) {
                contexts.push(StopContext::load(conn, &r.stop_id)?);
            }
            let ctx = contexts
                .iter()
                .find(|c| c.stop.id == r.stop_id)
                .ok_or_else(|| AppError::not_found("stop"))?;
            // The registration's one manage link, the same as in its other e-mails.
            let link = match (&r.registration_id, uses_link) {
                (Some(id), true) => {
                    let registration = Registration::get(conn, id)?;
                    crate::services::registrations::manage_link(conn, env, &registration)?
                        .unwrap_or_default()
                }
                _ => String::new(),
            };
            let content = message(ctx, &tour, r, &checked, &link);
            let mut mail = Email::new(content, r.lang, &r.email, &r.name)
                .for_stop(&tour.id, &ctx.stop.id)
                .reply_to(tour.contact_email.as_deref());
            mail.batch_id = Some(batch.clone());
            email::enqueue(conn, &env.links, mail)?;
        }
        Ok((batch, list.len()))
    })
}
