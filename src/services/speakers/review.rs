//! The organizers' review of the call for proposals: the proposals of a tour, accepting one
//! at some stops (its talk placed on their agendas) or rejecting it, and telling its speakers.

use crate::db::{self, DbConnection};
use crate::domain::ids::{ProposalId, TourId};
use crate::domain::proposal::ProposalStatus;
use crate::domain::text;
use crate::email::{self, Email, Mail};
use crate::error::{AppError, ErrorCode, FieldCode};
use crate::models::access::stops_in_reach;
use crate::models::agenda::AgendaItem;
use crate::models::organizer::Organizer;
use crate::models::proposal::Proposal;
use crate::models::speaker::Speaker;
use crate::models::stop::Stop;
use crate::models::talk::Talk;
use crate::models::tour::Tour;
use crate::read::speakers::ProposalView;
use crate::services::context::Context;
use crate::services::{Env, access, agenda};

/// A tour's proposals, with the stops of the organizer's reach they may be accepted at.
pub async fn proposals(
    ctx: &Context,
    organizer: &Organizer,
    tour: &TourId,
) -> Result<(Tour, Vec<Stop>, Vec<ProposalView>), AppError> {
    let (organizer, tour) = (organizer.clone(), tour.clone());
    ctx.db
        .run(move |conn| proposals_in(conn, &organizer, &tour))
        .await
}

fn proposals_in(
    conn: &mut DbConnection,
    organizer: &Organizer,
    tour_id: &str,
) -> Result<(Tour, Vec<Stop>, Vec<ProposalView>), AppError> {
    let (tour, reach) = access::editable_tour(conn, organizer, tour_id)?;
    let stops = stops_in_reach(conn, &tour.id, &reach)?;
    let stop_ids: Vec<String> = stops.iter().map(|s| s.id.clone()).collect();
    let items = AgendaItem::for_stops(conn, &stop_ids)?;
    let mut out = Vec::new();
    for proposal in Proposal::list_for_tour(conn, &tour.id)? {
        let talk = Talk::with_speakers(conn, std::slice::from_ref(&proposal.talk_id))?.remove(0);
        let available = Proposal::stop_ids(conn, &proposal.id)?;
        let scheduled = items
            .iter()
            .filter(|i| i.talk_id.as_deref() == Some(&proposal.talk_id))
            .map(|i| i.stop_id.clone())
            .collect();
        out.push(ProposalView {
            proposal,
            talk,
            stop_ids: available,
            scheduled_stop_ids: scheduled,
        });
    }
    Ok((tour, stops, out))
}

/// Accepts a proposal at some stops: the talk is placed on each stop's agenda (at the first
/// free time, for the organizers to adjust) and its speakers are told.
#[tracing::instrument(skip(ctx), fields(organizer = %organizer.id))]
pub async fn accept(
    ctx: &Context,
    organizer: &Organizer,
    proposal: &ProposalId,
    stop_ids: Vec<String>,
    message: String,
) -> Result<ProposalView, AppError> {
    let (env, organizer, proposal) = (ctx.env.clone(), organizer.clone(), proposal.clone());
    ctx.db
        .run(move |conn| accept_in(conn, &env, &organizer, &proposal, &stop_ids, &message))
        .await
}

fn accept_in(
    conn: &mut DbConnection,
    env: &Env,
    organizer: &Organizer,
    proposal_id: &str,
    stop_ids: &[String],
    message: &str,
) -> Result<ProposalView, AppError> {
    if stop_ids.is_empty() {
        return Err(AppError::invalid(
            "stop_ids",
            FieldCode::Required,
            "accept the talk at one stop at least",
        ));
    }
    let message = text::optional(message, 5000)
        .map_err(|e| AppError::invalid("message", e.code, e.message))?;
    db::write_transaction(conn, |conn| {
        let proposal =
            Proposal::lock(conn, proposal_id)?.ok_or_else(|| AppError::not_found("proposal"))?;
        let (tour, _) = access::editable_tour(conn, organizer, &proposal.tour_id)
            .map_err(|_| AppError::not_found("proposal"))?;
        refuse_withdrawn(&proposal)?;
        let talk =
            Talk::find(conn, &proposal.talk_id)?.ok_or_else(|| AppError::not_found("talk"))?;
        // The stops' agenda locks in one order, so two acceptances cannot wait on each other.
        let mut in_order = stop_ids.to_vec();
        in_order.sort();
        in_order.dedup();
        for id in &in_order {
            Stop::lock(conn, id)?;
        }
        let mut cities = Vec::new();
        for stop_id in stop_ids {
            let stop = Stop::find(conn, stop_id)?
                .filter(|s| s.tour_id == tour.id)
                .ok_or_else(|| {
                    AppError::invalid(
                        "stop_ids",
                        FieldCode::UnknownStop,
                        "every stop must belong to this tour",
                    )
                })?;
            agenda::place_talk(conn, env, &stop, &talk)?;
            cities.push(stop.city.clone());
        }
        Proposal::set_status(conn, &proposal.id, ProposalStatus::Accepted, &message)?;
        tell_decision(conn, env, &tour, &talk, true, &cities, &message)?;
        let (_, _, list) = proposals_in(conn, organizer, &tour.id)?;
        list.into_iter()
            .find(|p| p.proposal.id == proposal.id)
            .ok_or_else(|| AppError::not_found("proposal"))
    })
}

/// Rejects an undecided proposal and tells its speakers: the tour it was for.
pub async fn reject(
    ctx: &Context,
    organizer: &Organizer,
    proposal: &ProposalId,
    message: String,
) -> Result<Tour, AppError> {
    let (env, organizer, proposal) = (ctx.env.clone(), organizer.clone(), proposal.clone());
    ctx.db
        .run(move |conn| reject_in(conn, &env, &organizer, &proposal, &message))
        .await
}

fn reject_in(
    conn: &mut DbConnection,
    env: &Env,
    organizer: &Organizer,
    proposal_id: &str,
    message: &str,
) -> Result<Tour, AppError> {
    let message = text::optional(message, 5000)
        .map_err(|e| AppError::invalid("message", e.code, e.message))?;
    db::write_transaction(conn, |conn| {
        let proposal =
            Proposal::lock(conn, proposal_id)?.ok_or_else(|| AppError::not_found("proposal"))?;
        let (tour, _) = access::editable_tour(conn, organizer, &proposal.tour_id)
            .map_err(|_| AppError::not_found("proposal"))?;
        refuse_withdrawn(&proposal)?;
        if proposal.status == ProposalStatus::Accepted {
            return Err(AppError::conflict(
                ErrorCode::AlreadyAccepted,
                "remove the talk from the agendas first",
            ));
        }
        let talk =
            Talk::find(conn, &proposal.talk_id)?.ok_or_else(|| AppError::not_found("talk"))?;
        Proposal::set_status(conn, &proposal.id, ProposalStatus::Rejected, &message)?;
        tell_decision(conn, env, &tour, &talk, false, &[], &message)?;
        Ok(tour)
    })
}

/// Its speakers withdrew it: there is nothing left to decide.
fn refuse_withdrawn(proposal: &Proposal) -> Result<(), AppError> {
    if proposal.status == ProposalStatus::Withdrawn {
        return Err(AppError::conflict(
            ErrorCode::ProposalWithdrawn,
            "its speakers withdrew this proposal",
        ));
    }
    Ok(())
}

/// Mails a proposal's decision to the speakers who accepted its talk.
pub(super) fn tell_decision(
    conn: &mut DbConnection,
    env: &Env,
    tour: &Tour,
    talk: &Talk,
    accepted: bool,
    cities: &[String],
    message: &str,
) -> Result<(), AppError> {
    // Those who accepted the talk; the others were asked, and answer on their page.
    let ids = Talk::accepted_speaker_ids(conn, &talk.id)?;
    let speakers = Speaker::find_many(conn, &ids)?;
    for s in speakers {
        let link = crate::services::magic_links::speaker(conn, env, &s)?;
        let mail = Mail::ProposalDecided {
            name: &s.name,
            tour: &tour.name,
            title: &talk.title,
            decision: email::Decision {
                accepted,
                stops: cities,
                message,
            },
            link: &link,
        };
        email::enqueue(
            conn,
            &env.links,
            Email::new(mail, s.lang(), &s.email, &s.name)
                .for_tour(&tour.id)
                .reply_to(tour.contact_email.as_deref()),
        )?;
    }
    Ok(())
}
