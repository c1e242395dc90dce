//! What the public sees: published tours and their non-draft stops. Nothing here reads
//! people's data, except to e-mail a registration's own link to its own address.

use crate::db::{self, DbConnection};
use crate::domain::stop::StopStatus;
use crate::domain::text;
use crate::email::{self, Email, Mail};
use crate::error::AppError;
use crate::models::agenda::AgendaChange;
use crate::models::outbox::OutboxMessage;
use crate::models::registration::Registration;
use crate::models::stop::{Stop, StopDetail, VenueSwitch};
use crate::models::tour::Tour;
use crate::read::public::{PublicStop, PublicTour};
use crate::services::registrations::{self, AGAIN_EVERY_MINUTES, TYPED_ADDRESS_KINDS};
use crate::services::stop_context::StopContext;
use crate::services::{Env, agenda, collection};

pub fn home(conn: &mut DbConnection) -> Result<Vec<PublicTour>, AppError> {
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

pub fn tour(conn: &mut DbConnection, slug: &str) -> Result<PublicTour, AppError> {
    let tour = Tour::find_public_by_slug(conn, slug)?.ok_or_else(|| AppError::not_found("tour"))?;
    let stops = Stop::list_public(conn, &tour.id)?;
    Ok(PublicTour {
        cfp_open: crate::services::speakers::cfp_open(&tour),
        tour,
        stops,
    })
}

pub fn stop(conn: &mut DbConnection, stop_id: &str) -> Result<(StopDetail, Tour), AppError> {
    crate::services::stops::public_stop(conn, stop_id)
}

/// Everything the public page of a stop shows.
pub fn stop_page(
    conn: &mut DbConnection,
    env: &Env,
    stop_id: &str,
) -> Result<PublicStop, AppError> {
    let (detail, tour) = stop(conn, stop_id)?;
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
        Some(stats.plan.target - i64::from(stats.counters.confirmed))
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
#[tracing::instrument(skip_all, fields(stop = %stop_id))]
pub fn send_manage_link(
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
