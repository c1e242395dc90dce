//! What the public sees: published tours and their non-draft stops. Nothing here reads
//! people's data, except to e-mail a registration's own link to its own address.

use crate::db::{self, DbConnection};
use crate::domain::content::Subject;
use crate::domain::ids::StopId;
use crate::domain::stop::StopStatus;
use crate::domain::text;
use crate::email::{self, Email, Mail};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::models::agenda::AgendaChange;
use crate::models::outbox::OutboxMessage;
use crate::models::registration::Registration;
use crate::models::stop::{Stop, StopDetail, VenueSwitch};
use crate::models::tour::Tour;
use crate::models::translation::Texts;
use crate::read::public::{PublicStop, PublicTour};
use crate::services::context::Context;
use crate::services::registrations::{self, AGAIN_EVERY_MINUTES, TYPED_ADDRESS_KINDS};
use crate::services::stop_context::StopContext;
use crate::services::{Env, agenda, collection};

/// The published tours with their public stops, in the reader's language.
pub async fn home(ctx: &Context, lang: Lang) -> Result<Vec<PublicTour>, AppError> {
    ctx.db.run(move |conn| home_in(conn, lang)).await
}

/// Shows the tours, their stops and venues in `lang` where their organizers gave it (one
/// query for all of them).
fn localize_tours(
    conn: &mut DbConnection,
    lang: Lang,
    tours: &mut [PublicTour],
) -> Result<(), AppError> {
    let texts = {
        let mut records: Vec<(Subject, &str)> = Vec::new();
        for t in tours.iter() {
            records.push((Subject::Tour, &t.tour.id));
            for (stop, venue) in &t.stops {
                records.push((Subject::Stop, &stop.id));
                records.push((Subject::Venue, &venue.id));
            }
        }
        Texts::load(conn, &records)?
    };
    for t in tours.iter_mut() {
        texts.localize(lang.code(), &mut t.tour);
        for (stop, venue) in &mut t.stops {
            texts.localize(lang.code(), stop);
            texts.localize(lang.code(), venue);
        }
    }
    Ok(())
}

fn home_in(conn: &mut DbConnection, lang: Lang) -> Result<Vec<PublicTour>, AppError> {
    let mut tours = home_tours(conn)?;
    localize_tours(conn, lang, &mut tours)?;
    Ok(tours)
}

fn home_tours(conn: &mut DbConnection) -> Result<Vec<PublicTour>, AppError> {
    Tour::list_published(conn)?
        .into_iter()
        .map(|tour| {
            let stops = Stop::list_public(conn, &tour.id)?;
            Ok(PublicTour {
                cfp_open: crate::services::speakers::cfp_open(&tour),
                tour,
                stops,
            })
        })
        .collect()
}

/// A published tour, by its slug, with its public stops, in the reader's language.
pub async fn tour(ctx: &Context, slug: &str, lang: Lang) -> Result<PublicTour, AppError> {
    let slug = slug.to_owned();
    ctx.db
        .run(move |conn| {
            let mut tour = [tour_in(conn, &slug)?];
            localize_tours(conn, lang, &mut tour)?;
            let [tour] = tour;
            Ok(tour)
        })
        .await
}

fn tour_in(conn: &mut DbConnection, slug: &str) -> Result<PublicTour, AppError> {
    let tour = Tour::find_public_by_slug(conn, slug)?.ok_or_else(|| AppError::not_found("tour"))?;
    let stops = Stop::list_public(conn, &tour.id)?;
    Ok(PublicTour {
        cfp_open: crate::services::speakers::cfp_open(&tour),
        tour,
        stops,
    })
}

/// A public stop with its tour.
pub async fn stop(ctx: &Context, stop: &StopId) -> Result<(StopDetail, Tour), AppError> {
    let stop = stop.clone();
    ctx.db
        .run(move |conn| crate::services::stops::public_stop(conn, &stop))
        .await
}

/// Everything the public page of a stop shows, in the reader's language.
pub async fn stop_page(ctx: &Context, stop: &StopId, lang: Lang) -> Result<PublicStop, AppError> {
    let (env, stop) = (ctx.env.clone(), stop.clone());
    ctx.db
        .run(move |conn| {
            let mut page = stop_page_in(conn, &env, &stop)?;
            let texts = {
                let d = &page.detail;
                let mut records = vec![
                    (Subject::Tour, page.tour.id.as_str()),
                    (Subject::Stop, d.stop.id.as_str()),
                    (Subject::Venue, d.venue.id.as_str()),
                ];
                records.extend(d.backups.iter().map(|v| (Subject::Venue, v.id.as_str())));
                Texts::load(conn, &records)?
            };
            let code = lang.code();
            texts.localize(code, &mut page.tour);
            texts.localize(code, &mut page.detail.stop);
            texts.localize(code, &mut page.detail.venue);
            texts.localize_all(code, page.detail.backups.iter_mut());
            Ok(page)
        })
        .await
}

fn stop_page_in(conn: &mut DbConnection, env: &Env, stop_id: &str) -> Result<PublicStop, AppError> {
    let (detail, tour) = crate::services::stops::public_stop(conn, stop_id)?;
    let id = detail.stop.id.clone();
    let (agenda, changes) = if detail.stop.agenda_published_at.is_some() {
        (
            agenda::entries(conn, &id)?,
            AgendaChange::for_stop(conn, &id)?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let published = collection::published(conn, &id)?;
    let moved = VenueSwitch::list(conn, &id)?.pop();
    let entries_all = if published.is_empty() {
        Vec::new()
    } else {
        agenda::entries(conn, &id)?
    };
    let places_left = if detail.stop.status == StopStatus::Open {
        let sc = StopContext::load(conn, &id)?;
        let stats = registrations::stats_for(conn, env, &sc)?;
        Some(crate::domain::attendance::places_left(
            stats.plan.target,
            i64::from(stats.counters.confirmed),
        ))
    } else {
        None
    };
    Ok(PublicStop {
        detail,
        tour,
        places_left,
        agenda,
        changes,
        published,
        entries_all,
        moved,
    })
}

/// "Lost your link?": e-mails the link of the address's registration for this stop to that
/// address (never to whoever typed it), the same link as in every earlier e-mail. Nothing
/// tells the caller whether the address is registered: an unknown address, an erased
/// registration or one e-mailed lately all answer like a sent one. Scope: the stop, like a
/// registration (the tour's other stops have their own page).
///
/// Answers the stop and its tour (the page names them) and, inside, whether the address was
/// taken (its field errors).
pub async fn send_manage_link(
    ctx: &Context,
    stop: &StopId,
    typed_email: &str,
) -> Result<(StopDetail, Tour, Result<(), AppError>), AppError> {
    let (env, stop, typed) = (ctx.env.clone(), stop.clone(), typed_email.to_owned());
    ctx.db
        .run(move |conn| {
            let (detail, tour) = crate::services::stops::public_stop(conn, &stop)?;
            let sent = match send_manage_link_in(conn, &env, &stop, &typed) {
                Err(e) if e.kind != crate::error::ErrorKind::Validation => return Err(e),
                sent => sent,
            };
            Ok((detail, tour, sent))
        })
        .await
}

#[tracing::instrument(skip_all, fields(stop = %stop_id))]
fn send_manage_link_in(
    conn: &mut DbConnection,
    env: &Env,
    stop_id: &str,
    typed_email: &str,
) -> Result<(), AppError> {
    let address =
        text::email(typed_email).map_err(|e| AppError::invalid("email", e.code, e.message))?;
    db::write_transaction(conn, |conn| {
        let ctx = StopContext::load(conn, stop_id)?;
        if !ctx.tour.is_public() || !ctx.stop.status().is_public() {
            return Err(AppError::not_found("stop"));
        }
        let Some(r) = Registration::find_by_email(conn, stop_id, &address)? else {
            return Ok(());
        };
        let since = db::now() - chrono::Duration::minutes(AGAIN_EVERY_MINUTES);
        for kind in TYPED_ADDRESS_KINDS {
            if OutboxMessage::sent_lately(conn, kind, &r.email, (&ctx.tour.id, stop_id), since)? {
                return Ok(());
            }
        }
        let Some(link) = registrations::manage_link(conn, env, &r)? else {
            return Ok(());
        };
        let lang = r.lang();
        let status = lang.t(&format!("registration_status.{}", r.status));
        let mail = Mail::RegistrationLink {
            name: &r.name,
            stop: &ctx.mail(lang),
            status: &status,
            manage_url: &link,
        };
        email::enqueue(
            conn,
            &env.links,
            Email::new(mail, lang, &r.email, &r.name)
                .for_stop(&ctx.tour.id, &ctx.stop.id)
                .reply_to(ctx.tour.contact_email.as_deref()),
        )?;
        Ok(())
    })
}
