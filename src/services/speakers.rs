//! Speakers and their talks: the call for proposals, the organizers' review, each speaker's
//! page (profile, talks to accept, slots to confirm, slides) and itinerary, and public
//! profiles.
//!
//! Consent comes first: a proposal from the public form counts only once its submitter
//! confirmed their address (until then one e-mail goes out, to them); a speaker appears on an
//! agenda, a feed or their public profile only for talks they accepted; and their address is
//! seen only by the tours they work with.

use chrono::{Duration, NaiveDateTime};

use crate::db::{self, DbConnection};
use crate::domain::proposal::ProposalStatus;
use crate::domain::stop::StopStatus;
use crate::domain::text;
use crate::email::{self, Email, Mail};
use crate::error::{AppError, ErrorCode, FieldCode, Validator};
use crate::i18n::Lang;
use crate::models::access::{stops_in_reach, tour_access, visible_tour_ids};
use crate::models::agenda::AgendaItem;
use crate::models::magic_link::MagicLink;
use crate::models::material::Material;
use crate::models::organizer::Organizer;
use crate::models::proposal::Proposal;
use crate::models::speaker::Speaker;
use crate::models::stop::Stop;
use crate::models::talk::{Talk, TalkWithSpeakers};
use crate::models::tour::Tour;
use crate::models::venue::Venue;
use crate::read::agenda::Entry;
use crate::read::speakers::{
    Delivery, Invitation, OwnProposal, ProposalView, SpeakerHistory, SpeakerPage,
};
use crate::secrets;
use crate::services::{Env, access, agenda, invitations};

/// The link that confirms a proposal sent from the public form.
pub const CONFIRM_PURPOSE: &str = "proposal_confirm";
/// How long that link works.
pub const CONFIRM_HOURS: i64 = 48;
/// Unconfirmed proposals one address may be sent in an hour: each mails that address once.
pub const UNCONFIRMED_PER_HOUR: i64 = 3;
/// A proposal waiting this long for its confirmation is not offered a new link any more
/// (its submitter proposes it again).
pub const RESEND_CONFIRMATION_DAYS: i64 = 14;

/// Whether the tour's call for proposals takes proposals now.
pub fn cfp_open(tour: &Tour) -> bool {
    let now = db::now();
    tour.is_public()
        && tour.cfp_opens_at.is_some_and(|o| o <= now)
        && tour.cfp_closes_at.is_some_and(|c| now < c)
}

/// Mails a sign-in link if the address is a speaker's; says nothing either way. A proposal
/// of theirs still waiting for its confirmation (its link used up by a scanner, or expired)
/// gets a fresh confirmation link too, while the call for proposals is open.
pub fn request_link(
    conn: &mut DbConnection,
    env: &Env,
    lang: Lang,
    email_address: &str,
) -> Result<(), AppError> {
    let Ok(address) = text::email(email_address) else {
        return Ok(());
    };
    db::write_transaction(conn, |conn| {
        let Some(speaker) = Speaker::find_by_email(conn, &address)? else {
            return Ok(());
        };
        let since = db::now() - Duration::days(RESEND_CONFIRMATION_DAYS);
        if let Some(pending) = Proposal::latest_unconfirmed_by(conn, &speaker.id, since)?
            && let Some(tour) = Tour::find(conn, &pending.tour_id)?.filter(cfp_open)
            && let Some(talk) = Talk::find(conn, &pending.talk_id)?
        {
            mail_confirmation(
                conn,
                env,
                lang,
                &tour,
                &pending,
                &speaker.email,
                &speaker.name,
                &talk.title,
            )?;
        }
        let link = crate::services::magic_links::speaker(conn, env, &speaker)?;
        let mail = Mail::SignInLink {
            name: &speaker.name,
            what: &lang.t("email.sign_in.speaker_page"),
            link: &link,
            hours: env.magic_link_hours,
        };
        email::enqueue(
            conn,
            &env.links,
            Email::new(mail, lang, &speaker.email, &speaker.name),
        )?;
        Ok(())
    })
}

/// A person on a proposal.
#[derive(Clone, Debug, Default)]
pub struct PersonInput {
    pub name: String,
    pub email: String,
    pub affiliation: String,
    pub bio: String,
}

/// A proposal as submitted to a tour's call for proposals.
#[derive(Clone, Debug, Default)]
pub struct ProposalInput {
    pub speaker: PersonInput,
    pub co_speakers: Vec<PersonInput>,
    pub title: String,
    pub summary: String,
    pub duration_minutes: Option<i64>,
    pub stop_ids: Vec<String>,
}

/// Stops a proposal may name: the tour's public stops still to come.
pub fn cfp_stops(conn: &mut DbConnection, tour: &Tour) -> Result<Vec<(Stop, Venue)>, AppError> {
    Ok(Stop::list_public(conn, &tour.id)?
        .into_iter()
        .filter(|(s, _)| matches!(s.status(), StopStatus::Open | StopStatus::Closed))
        .collect())
}

/// The profile a public form names: a confirmed one stays as its owner wrote it (the form's
/// text is dropped); an unconfirmed one takes the newest form's text; a new address gets an
/// unconfirmed profile. Nothing of it is shown anywhere until confirmed.
fn pending_speaker(
    conn: &mut DbConnection,
    p: &PersonInput,
    lang: Lang,
    now: NaiveDateTime,
) -> Result<Speaker, AppError> {
    match Speaker::find_by_email(conn, &p.email)? {
        Some(s) if s.confirmed_at.is_some() => Ok(s),
        Some(s) => {
            Speaker::replace_unconfirmed(conn, &s.id, &p.name, &p.affiliation, &p.bio, lang, now)?;
            Speaker::find(conn, &s.id)?.ok_or_else(|| AppError::not_found("speaker"))
        }
        None => Ok(Speaker::insert(
            conn,
            &p.name,
            &p.email,
            &p.affiliation,
            &p.bio,
            lang,
            now,
            false,
        )?),
    }
}

fn check_person(v: &mut Validator, prefix: &str, p: &PersonInput) -> PersonInput {
    PersonInput {
        name: v
            .check(&format!("{prefix}name"), text::required_line(&p.name, 200))
            .unwrap_or_default(),
        email: v
            .check(&format!("{prefix}email"), text::email(&p.email))
            .unwrap_or_default(),
        affiliation: v
            .check(
                &format!("{prefix}affiliation"),
                text::optional_line(&p.affiliation, 200),
            )
            .unwrap_or_default(),
        bio: v
            .check(&format!("{prefix}bio"), text::optional(&p.bio, 5000))
            .unwrap_or_default(),
    }
}

/// Takes a proposal while the call is open. It waits for its submitter: one e-mail goes out,
/// to the submitter's address, with a link to confirm; until then organizers do not see it,
/// no co-speaker is told, and no profile it names is shown. One address is sent at most
/// `UNCONFIRMED_PER_HOUR` of these an hour.
#[tracing::instrument(skip(conn, env, input))]
pub fn submit_proposal(
    conn: &mut DbConnection,
    env: &Env,
    lang: Lang,
    tour_id: &str,
    input: &ProposalInput,
) -> Result<Proposal, AppError> {
    let mut v = Validator::new();
    let speaker = check_person(&mut v, "", &input.speaker);
    if input.co_speakers.len() > 5 {
        v.add("co_speakers", FieldCode::TooMany, "at most 5 co-speakers");
    }
    let co: Vec<PersonInput> = input
        .co_speakers
        .iter()
        .enumerate()
        .filter(|(_, p)| !(p.name.trim().is_empty() && p.email.trim().is_empty()))
        .map(|(i, p)| check_person(&mut v, &format!("co_speakers[{i}]."), p))
        .collect();
    let title = v.check("title", text::required_line(&input.title, 200));
    let summary = v.check("abstract", text::optional(&input.summary, 10_000));
    let duration = match input.duration_minutes {
        Some(d) => v.check("duration_minutes", text::number_in(d, 5, 240)),
        None => {
            v.add("duration_minutes", FieldCode::Required, "is required");
            None
        }
    };
    if input.stop_ids.is_empty() {
        v.add(
            "stop_ids",
            FieldCode::Required,
            "name at least one stop where you could give the talk",
        );
    }
    v.finish()?;
    db::write_transaction(conn, |conn| {
        let tour = Tour::find(conn, tour_id)?
            .filter(Tour::is_public)
            .ok_or_else(|| AppError::not_found("tour"))?;
        if !cfp_open(&tour) {
            return Err(AppError::conflict(
                ErrorCode::CfpClosed,
                "the call for proposals of this tour is not open",
            ));
        }
        let allowed: Vec<String> = cfp_stops(conn, &tour)?
            .into_iter()
            .map(|(s, _)| s.id)
            .collect();
        if input.stop_ids.iter().any(|s| !allowed.contains(s)) {
            return Err(AppError::invalid(
                "stop_ids",
                FieldCode::UnknownStop,
                "pick stops of this tour that are still to come",
            ));
        }
        let now = db::now();
        if let Some(known) = Speaker::find_by_email(conn, &speaker.email)?
            && Proposal::unconfirmed_by_since(conn, &known.id, now - Duration::hours(1))?
                >= UNCONFIRMED_PER_HOUR
        {
            return Err(AppError::too_many_requests(
                "several proposals for this address wait for confirmation: confirm them, or try again later",
            )
            .retry_after(3600));
        }
        let main = pending_speaker(conn, &speaker, lang, now)?;
        let mut ids = vec![main.id.clone()];
        for p in &co {
            let s = pending_speaker(conn, p, lang, now)?;
            if !ids.contains(&s.id) {
                ids.push(s.id.clone());
            }
        }
        let title = title.clone().unwrap_or_default();
        let talk = Talk::insert(
            conn,
            &title,
            &summary.clone().unwrap_or_default(),
            duration.unwrap_or(30),
            &ids,
            None,
        )?;
        let proposal = Proposal::insert(
            conn,
            &tour.id,
            &talk.id,
            Some(&main.id),
            &input.stop_ids,
            now,
        )?;
        // The name as typed: the recipient may not be who the form says.
        mail_confirmation(
            conn,
            env,
            lang,
            &tour,
            &proposal,
            &main.email,
            &speaker.name,
            &title,
        )?;
        Ok(proposal)
    })
}

/// Mails the link that confirms a proposal to the address it was sent for.
#[expect(
    clippy::too_many_arguments,
    reason = "what the e-mail says, each its own"
)]
fn mail_confirmation(
    conn: &mut DbConnection,
    env: &Env,
    lang: Lang,
    tour: &Tour,
    proposal: &Proposal,
    address: &str,
    name: &str,
    title: &str,
) -> Result<(), AppError> {
    let token = MagicLink::create(
        conn,
        CONFIRM_PURPOSE,
        address,
        Some(&proposal.id),
        Duration::hours(CONFIRM_HOURS),
    )?;
    let link = env
        .links
        .url(&format!("/speaker/proposals/confirm/{token}"));
    let mail = Mail::ProposalConfirm {
        name,
        tour: &tour.name,
        title,
        link: &link,
        hours: CONFIRM_HOURS,
    };
    email::enqueue(
        conn,
        &env.links,
        Email::new(mail, lang, address, name)
            .for_tour(&tour.id)
            .reply_to(tour.contact_email.as_deref()),
    )?;
    Ok(())
}

/// What a proposal's confirmation link is about (shown before the button is pressed).
pub fn peek_confirmation(conn: &mut DbConnection, token: &str) -> Result<(Talk, Tour), AppError> {
    let link = MagicLink::peek(conn, CONFIRM_PURPOSE, token)?
        .ok_or_else(|| AppError::not_found("confirmation link"))?;
    let proposal = Proposal::find_unconfirmed(conn, link.subject_id.as_deref().unwrap_or(""))?
        .ok_or_else(|| AppError::not_found("confirmation link"))?;
    let talk = Talk::find(conn, &proposal.talk_id)?.ok_or_else(|| AppError::not_found("talk"))?;
    let tour = Tour::find(conn, &proposal.tour_id)?.ok_or_else(|| AppError::not_found("tour"))?;
    Ok((talk, tour))
}

/// A confirmed proposal's submitter, and whether their profile is public now.
pub struct Confirmed {
    pub speaker_id: String,
    /// False when the profile still shows text another form wrote after theirs: they check
    /// it and save it themselves.
    pub profile_confirmed: bool,
}

/// Uses a confirmation link (once): the proposal counts (organizers see it), its submitter
/// accepted the talk, and the co-speakers are asked to accept it too. The submitter's
/// profile is confirmed if it holds what this very proposal's form said.
#[tracing::instrument(skip(conn, env, token))]
pub fn confirm_proposal(
    conn: &mut DbConnection,
    env: &Env,
    token: &str,
) -> Result<Confirmed, AppError> {
    db::write_transaction(conn, |conn| {
        let link = MagicLink::consume(conn, CONFIRM_PURPOSE, token)?
            .ok_or_else(|| AppError::not_found("confirmation link"))?;
        let proposal = Proposal::find_unconfirmed(conn, link.subject_id.as_deref().unwrap_or(""))?
            .ok_or_else(|| AppError::not_found("confirmation link"))?;
        let submitter = proposal
            .submitted_by
            .as_deref()
            .and_then(|id| Speaker::find(conn, id).transpose())
            .transpose()?
            .filter(|s| s.email == link.email)
            .ok_or_else(|| AppError::not_found("confirmation link"))?;
        let now = db::now();
        Proposal::confirm(conn, &proposal.id, now)?;
        Talk::accept(conn, &proposal.talk_id, &submitter.id, now)?;
        // The profile was written by this proposal's form (same instant) unless another form
        // for the address came later; only then is it this person's own text.
        let profile_confirmed = submitter.confirmed_at.is_some()
            || (submitter.updated_at == proposal.created_at
                && Speaker::confirm(conn, &submitter.id, now)? == 1);
        let tour =
            Tour::find(conn, &proposal.tour_id)?.ok_or_else(|| AppError::not_found("tour"))?;
        let talk =
            Talk::find(conn, &proposal.talk_id)?.ok_or_else(|| AppError::not_found("talk"))?;
        for id in Talk::speaker_ids(conn, &talk.id)? {
            if id == submitter.id {
                continue;
            }
            if let Some(co) = Speaker::find(conn, &id)? {
                invitations::invite(conn, env, &co, &submitter.name, Some(&tour), &talk)?;
            }
        }
        Ok(Confirmed {
            speaker_id: submitter.id,
            profile_confirmed,
        })
    })
}

/// What `create_speaker` answers.
pub struct SpeakerAdded {
    pub speaker: Speaker,
    pub created: bool,
    /// False for a known speaker the organizer does not work with: then only the id is theirs
    /// to see (the profile and the address stay with the tours the speaker works with).
    pub visible: bool,
}

/// Organizers add a speaker directly (an organizer vouches for the address, so the profile
/// is confirmed). An address already known answers with that speaker: in full to organizers
/// who work with them, as an id alone to the others. A profile nobody confirmed yet (typed
/// into the public form) takes the organizer's data.
pub fn create_speaker(
    conn: &mut DbConnection,
    organizer: &Organizer,
    input: &PersonInput,
) -> Result<SpeakerAdded, AppError> {
    let mut v = Validator::new();
    let p = check_person(&mut v, "", input);
    v.finish()?;
    db::write_transaction(conn, |conn| {
        let now = db::now();
        match Speaker::find_by_email(conn, &p.email)? {
            Some(existing) if existing.confirmed_at.is_none() => {
                Speaker::replace_unconfirmed(
                    conn,
                    &existing.id,
                    &p.name,
                    &p.affiliation,
                    &p.bio,
                    existing.lang(),
                    now,
                )?;
                Speaker::confirm(conn, &existing.id, now)?;
                let speaker = Speaker::find(conn, &existing.id)?
                    .ok_or_else(|| AppError::not_found("speaker"))?;
                Ok(SpeakerAdded {
                    speaker,
                    created: false,
                    visible: true,
                })
            }
            Some(existing) => {
                let visible = works_with(conn, organizer, &existing.id)?;
                Ok(SpeakerAdded {
                    speaker: existing,
                    created: false,
                    visible,
                })
            }
            None => Ok(SpeakerAdded {
                speaker: Speaker::insert(
                    conn,
                    &p.name,
                    &p.email,
                    &p.affiliation,
                    &p.bio,
                    Lang::default(),
                    now,
                    true,
                )?,
                created: true,
                visible: true,
            }),
        }
    })
}

/// Whether the organizer works with the speaker: the speaker accepted a talk at a stop in
/// their reach, or proposed (and confirmed) a talk to a tour they run. Site admins do.
pub fn works_with(
    conn: &mut DbConnection,
    organizer: &Organizer,
    speaker_id: &str,
) -> Result<bool, AppError> {
    if organizer.is_admin {
        return Ok(true);
    }
    let accepted = Speaker::accepted_talk_ids(conn, speaker_id)?;
    for (_, stop, tour) in AgendaItem::deliveries_of_talks(conn, &accepted)? {
        if tour_access(conn, organizer, &tour.id)?.is_some_and(|a| a.covers_stop(&stop.id)) {
            return Ok(true);
        }
    }
    for p in Proposal::for_talks(conn, &accepted)? {
        if tour_access(conn, organizer, &p.tour_id)?.is_some_and(|a| a.can_edit_tour()) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Organizers add a talk with its speakers. The speakers are asked (an e-mail each) and are
/// shown on no agenda until they accept.
pub fn create_talk(
    conn: &mut DbConnection,
    env: &Env,
    organizer: &Organizer,
    title: &str,
    summary: &str,
    duration: Option<i64>,
    speaker_ids: &[String],
) -> Result<TalkWithSpeakers, AppError> {
    let mut v = Validator::new();
    let title = v.check("title", text::required_line(title, 200));
    let summary = v.check("abstract", text::optional(summary, 10_000));
    let duration = match duration {
        Some(d) => v.check("duration_minutes", text::number_in(d, 5, 480)),
        None => {
            v.add("duration_minutes", FieldCode::Required, "is required");
            None
        }
    };
    if speaker_ids.is_empty() {
        v.add(
            "speaker_ids",
            FieldCode::Required,
            "a talk has at least one speaker",
        );
    }
    v.finish()?;
    let mut unique = speaker_ids.to_vec();
    unique.dedup();
    db::write_transaction(conn, |conn| {
        let speakers = Speaker::find_many(conn, &unique)?;
        if speakers.len() != unique.len() {
            return Err(AppError::invalid(
                "speaker_ids",
                FieldCode::UnknownSpeaker,
                "one of these ids is not a speaker",
            ));
        }
        let talk = Talk::insert(
            conn,
            &title.clone().unwrap_or_default(),
            &summary.clone().unwrap_or_default(),
            duration.unwrap_or(30),
            &unique,
            None,
        )?;
        for s in &speakers {
            invitations::invite(conn, env, s, organizer.display_name(), None, &talk)?;
        }
        Ok(Talk::with_speakers(conn, std::slice::from_ref(&talk.id))?.remove(0))
    })
}

pub fn proposals(
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
#[tracing::instrument(skip(conn, env), fields(organizer = %organizer.id))]
pub fn accept(
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
        let (_, _, list) = proposals(conn, organizer, &tour.id)?;
        list.into_iter()
            .find(|p| p.proposal.id == proposal.id)
            .ok_or_else(|| AppError::not_found("proposal"))
    })
}

/// Rejects an undecided proposal and tells its speakers: the tour it was for.
pub fn reject(
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

fn tell_decision(
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

/// A talk that was given before, asked for another stop in one step.
pub fn invite_to_stop(
    conn: &mut DbConnection,
    env: &Env,
    organizer: &Organizer,
    talk_id: &str,
    stop_id: &str,
) -> Result<Entry, AppError> {
    db::write_transaction(conn, |conn| {
        let (stop, tour, _) = access::stop_for(conn, organizer, stop_id)?;
        access::editable_tour(conn, organizer, &tour.id)?;
        let talk = Talk::find(conn, talk_id)?.ok_or_else(|| AppError::not_found("talk"))?;
        let talk = invitations::talk_for_stop(conn, env, organizer, &stop, &talk)?;
        let entry = agenda::place_talk(conn, env, &stop, &talk)?.ok_or_else(|| {
            AppError::conflict(
                ErrorCode::AlreadyScheduled,
                "this talk is already on this stop's agenda",
            )
        })?;
        if stop.agenda_published_at.is_none() {
            // Before publication no slot e-mail goes out: tell the speakers now.
            tell_decision(
                conn,
                env,
                &tour,
                &talk,
                true,
                std::slice::from_ref(&stop.city),
                "",
            )?;
        }
        Ok(entry)
    })
}

fn deliveries(conn: &mut DbConnection, talk_ids: &[String]) -> Result<Vec<Delivery>, AppError> {
    let rows = AgendaItem::deliveries_of_talks(conn, talk_ids)?;
    let mut out = Vec::with_capacity(rows.len());
    for (item, stop, tour) in rows {
        let venue = Venue::get(conn, &stop.venue_id)?;
        let materials = Material::for_item(conn, &item.id)?;
        let entry = agenda::with_talks(conn, vec![item])?.remove(0);
        out.push(Delivery {
            entry,
            stop,
            tour,
            venue,
            materials,
        });
    }
    Ok(out)
}

pub fn own_page(conn: &mut DbConnection, speaker_id: &str) -> Result<SpeakerPage, AppError> {
    let speaker = Speaker::find(conn, speaker_id)?.ok_or_else(|| AppError::not_found("speaker"))?;
    let talk_ids = Speaker::talk_ids(conn, &speaker.id)?;
    let accepted = Speaker::accepted_talk_ids(conn, &speaker.id)?;
    let mut proposals = Vec::new();
    for p in Proposal::for_talks(conn, &talk_ids)? {
        let talk = Talk::find(conn, &p.talk_id)?.ok_or_else(|| AppError::not_found("talk"))?;
        let tour = Tour::find(conn, &p.tour_id)?.ok_or_else(|| AppError::not_found("tour"))?;
        let changeable = p.status.undecided()
            && accepted.contains(&talk.id)
            && !Talk::is_scheduled(conn, &talk.id)?;
        proposals.push(OwnProposal {
            proposal: p,
            talk,
            tour,
            changeable,
        });
    }
    let deliveries = deliveries(conn, &accepted)?;
    let asked: Vec<String> = talk_ids
        .into_iter()
        .filter(|t| !accepted.contains(t))
        .collect();
    let mut invitations = Vec::new();
    for talk in Talk::with_speakers(conn, &asked)? {
        let placed = deliveries_of(conn, &talk.talk.id)?;
        let tours = proposals
            .iter()
            .filter(|p| p.talk.id == talk.talk.id)
            .map(|p| p.tour.clone())
            .collect();
        invitations.push(Invitation {
            talk,
            deliveries: placed,
            tours,
        });
    }
    let profile_is_public = public_profile(conn, &speaker.id).is_ok();
    Ok(SpeakerPage {
        speaker,
        proposals,
        profile_is_public,
        deliveries,
        invitations,
    })
}

/// What a speaker may change of an undecided proposal.
#[derive(Clone, Debug, Default)]
pub struct ProposalChanges {
    pub title: String,
    pub summary: String,
    pub duration_minutes: Option<i64>,
}

/// A proposal one of its speakers (who accepted its talk) may still change: undecided and
/// on no agenda. Under the proposal's lock (see `Proposal::lock`).
fn changeable_proposal(
    conn: &mut DbConnection,
    speaker_id: &str,
    proposal_id: &str,
) -> Result<Proposal, AppError> {
    let proposal =
        Proposal::lock(conn, proposal_id)?.ok_or_else(|| AppError::not_found("proposal"))?;
    if !matches!(
        Talk::acceptance(conn, &proposal.talk_id, speaker_id)?,
        Some(Some(_))
    ) {
        return Err(AppError::not_found("proposal"));
    }
    if !proposal.status.undecided() {
        return Err(AppError::conflict(
            ErrorCode::ProposalDecided,
            "the organizers decided on this proposal already: write to them to change it",
        ));
    }
    if Talk::is_scheduled(conn, &proposal.talk_id)? {
        return Err(AppError::conflict(
            ErrorCode::ProposalScheduled,
            "the organizers put this talk on an agenda already: write to them to change it",
        ));
    }
    Ok(proposal)
}

/// A speaker changes the title, abstract or length of their proposal until it is decided;
/// the organizers see the new text (and that it was edited).
#[tracing::instrument(skip(conn, changes))]
pub fn edit_proposal(
    conn: &mut DbConnection,
    speaker_id: &str,
    proposal_id: &str,
    changes: &ProposalChanges,
) -> Result<Talk, AppError> {
    let mut v = Validator::new();
    let title = v.check("title", text::required_line(&changes.title, 200));
    let summary = v.check("abstract", text::optional(&changes.summary, 10_000));
    let duration = match changes.duration_minutes {
        Some(d) => v.check("duration_minutes", text::number_in(d, 5, 240)),
        None => {
            v.add(
                "duration_minutes",
                FieldCode::NotANumber,
                "must be a whole number",
            );
            None
        }
    };
    v.finish()?;
    db::write_transaction(conn, |conn| {
        let proposal = changeable_proposal(conn, speaker_id, proposal_id)?;
        Talk::update_details(
            conn,
            &proposal.talk_id,
            &title.clone().unwrap_or_default(),
            &summary.clone().unwrap_or_default(),
            duration.unwrap_or(30),
            db::now(),
        )?;
        Talk::find(conn, &proposal.talk_id)?.ok_or_else(|| AppError::not_found("talk"))
    })
}

/// A speaker withdraws their proposal until it is decided: the organizers see it withdrawn
/// and can no longer accept it.
#[tracing::instrument(skip(conn))]
pub fn withdraw_proposal(
    conn: &mut DbConnection,
    speaker_id: &str,
    proposal_id: &str,
) -> Result<(), AppError> {
    db::write_transaction(conn, |conn| {
        let proposal = changeable_proposal(conn, speaker_id, proposal_id)?;
        Proposal::withdraw(conn, &proposal.id, db::now())?;
        Ok(())
    })
}

fn deliveries_of(conn: &mut DbConnection, talk_id: &str) -> Result<Vec<Delivery>, AppError> {
    deliveries(conn, &[talk_id.to_owned()])
}

/// The speaker saves their profile: what it says is theirs now, so it may be shown.
pub fn update_profile(
    conn: &mut DbConnection,
    speaker_id: &str,
    name: &str,
    affiliation: &str,
    bio: &str,
) -> Result<Speaker, AppError> {
    let mut v = Validator::new();
    let name = v.check("name", text::required_line(name, 200));
    let affiliation = v.check("affiliation", text::optional_line(affiliation, 200));
    let bio = v.check("bio", text::optional(bio, 5000));
    v.finish()?;
    db::write_transaction(conn, |conn| {
        Speaker::update_profile(
            conn,
            speaker_id,
            &name.clone().unwrap_or_default(),
            &affiliation.clone().unwrap_or_default(),
            &bio.clone().unwrap_or_default(),
        )?;
        Speaker::confirm(conn, speaker_id, db::now())?;
        Speaker::find(conn, speaker_id)?.ok_or_else(|| AppError::not_found("speaker"))
    })
}

/// The speaker accepts a talk they were asked for: from now on it shows them. Accepting on
/// their own page (signed in with their link) also confirms their profile, which that page
/// shows them.
pub fn accept_talk(
    conn: &mut DbConnection,
    speaker_id: &str,
    talk_id: &str,
) -> Result<(), AppError> {
    db::write_transaction(conn, |conn| {
        if Talk::acceptance(conn, talk_id, speaker_id)?.is_none() {
            return Err(AppError::not_found("talk"));
        }
        let now = db::now();
        Talk::accept(conn, talk_id, speaker_id, now)?;
        Speaker::confirm(conn, speaker_id, now)?;
        Ok(())
    })
}

/// The speaker declines a talk they were asked for: they are taken off it (the organizers
/// see the talk without them).
pub fn decline_talk(
    conn: &mut DbConnection,
    speaker_id: &str,
    talk_id: &str,
) -> Result<(), AppError> {
    db::write_transaction(conn, |conn| {
        match Talk::acceptance(conn, talk_id, speaker_id)? {
            None => return Err(AppError::not_found("talk")),
            Some(Some(_)) => {
                return Err(AppError::conflict(
                    ErrorCode::AlreadyAccepted,
                    "you accepted this talk: ask the organizers to take you off it",
                ));
            }
            Some(None) => {}
        }
        Talk::remove_pending_speaker(conn, talk_id, speaker_id)?;
        Ok(())
    })
}

/// The speaker confirms a slot of theirs (which accepts its talk, if they had not yet).
pub fn confirm_slot(
    conn: &mut DbConnection,
    speaker_id: &str,
    item_id: &str,
) -> Result<(), AppError> {
    db::write_transaction(conn, |conn| {
        let item = own_item(conn, speaker_id, item_id)?;
        AgendaItem::confirm(conn, &item.id)?;
        if let Some(talk_id) = &item.talk_id {
            let now = db::now();
            Talk::accept(conn, talk_id, speaker_id, now)?;
            Speaker::confirm(conn, speaker_id, now)?;
        }
        Ok(())
    })
}

/// An agenda item of one of the speaker's talks; 404 for anyone else's.
pub fn own_item(
    conn: &mut DbConnection,
    speaker_id: &str,
    item_id: &str,
) -> Result<AgendaItem, AppError> {
    let item = AgendaItem::find(conn, item_id)?.ok_or_else(|| AppError::not_found("slot"))?;
    let mine = Speaker::talk_ids(conn, speaker_id)?;
    match &item.talk_id {
        Some(t) if mine.contains(t) => Ok(item),
        _ => Err(AppError::not_found("slot")),
    }
}

/// The secret address of the speaker's calendar feed (a new one each time it is asked for).
pub fn feed_url(conn: &mut DbConnection, env: &Env, speaker_id: &str) -> Result<String, AppError> {
    let token = secrets::new_token();
    Speaker::set_feed_token_hash(conn, speaker_id, &secrets::token_hash(&token))?;
    Ok(env.links.url(&format!("/speaker/feed/{token}.ics")))
}

/// The itinerary behind a feed address: the slots of the talks the speaker accepted.
pub fn itinerary_by_feed(
    conn: &mut DbConnection,
    token: &str,
) -> Result<(Speaker, Vec<Delivery>), AppError> {
    let speaker = Speaker::find_by_feed_hash(conn, &secrets::token_hash(token))?
        .ok_or_else(|| AppError::not_found("feed"))?;
    let talk_ids = Speaker::accepted_talk_ids(conn, &speaker.id)?;
    let list = deliveries(conn, &talk_ids)?;
    Ok((speaker, list))
}

/// A public profile: name, affiliation, bio, and the talks they accepted at public stops
/// only. No e-mail. None at all for a profile nobody confirmed.
pub fn public_profile(
    conn: &mut DbConnection,
    speaker_id: &str,
) -> Result<(Speaker, Vec<Delivery>), AppError> {
    let speaker = Speaker::find(conn, speaker_id)?
        .filter(|s| s.confirmed_at.is_some())
        .ok_or_else(|| AppError::not_found("speaker"))?;
    let talk_ids = Speaker::accepted_talk_ids(conn, &speaker.id)?;
    let list: Vec<Delivery> = deliveries(conn, &talk_ids)?
        .into_iter()
        .filter(|d| {
            d.tour.is_public()
                && d.stop.status().is_public()
                && d.stop.agenda_published_at.is_some()
        })
        .collect();
    if list.is_empty() {
        return Err(AppError::not_found("speaker"));
    }
    Ok((speaker, list))
}

/// A speaker's history for organizers: every delivery in the tours they may see (asked or
/// accepted), the public deliveries they accepted elsewhere, and the proposals to tours the
/// organizer sees. The address only for those who work with the speaker.
/// Stops still to come of the tours the organizer may edit: where to ask a speaker next.
pub fn stops_to_ask(
    conn: &mut DbConnection,
    organizer: &Organizer,
) -> Result<Vec<(Stop, Tour)>, AppError> {
    let mut stops = Vec::new();
    for (tour, role) in crate::services::tours::list_tours(conn, organizer)? {
        let reach = tour_access(conn, organizer, &tour.id)?;
        if (role.is_some() || organizer.is_admin)
            && let Some(reach) = reach.filter(|r| r.can_edit_tour())
        {
            for s in stops_in_reach(conn, &tour.id, &reach)? {
                if matches!(
                    s.status(),
                    StopStatus::Draft | StopStatus::Open | StopStatus::Closed
                ) {
                    stops.push((s, tour.clone()));
                }
            }
        }
    }
    Ok(stops)
}

pub fn history(
    conn: &mut DbConnection,
    organizer: &Organizer,
    speaker_id: &str,
) -> Result<SpeakerHistory, AppError> {
    let mut speaker =
        Speaker::find(conn, speaker_id)?.ok_or_else(|| AppError::not_found("speaker"))?;
    let visible = visible_tour_ids(conn, organizer)?;
    let talk_ids = Speaker::talk_ids(conn, &speaker.id)?;
    let accepted = Speaker::accepted_talk_ids(conn, &speaker.id)?;
    if !works_with(conn, organizer, &speaker.id)? {
        speaker.email.clear();
    }
    let deliveries: Vec<Delivery> = deliveries(conn, &talk_ids)?
        .into_iter()
        .filter(|d| {
            visible.contains(&d.tour.id)
                || (d.tour.is_public()
                    && d.stop.agenda_published_at.is_some()
                    && d.entry
                        .item
                        .talk_id
                        .as_ref()
                        .is_some_and(|t| accepted.contains(t)))
        })
        .collect();
    let mut proposals = Vec::new();
    for p in Proposal::for_talks(conn, &talk_ids)? {
        if !visible.contains(&p.tour_id) {
            continue;
        }
        let talk = Talk::find(conn, &p.talk_id)?.ok_or_else(|| AppError::not_found("talk"))?;
        let tour = Tour::find(conn, &p.tour_id)?.ok_or_else(|| AppError::not_found("tour"))?;
        proposals.push((p, talk, tour));
    }
    if deliveries.is_empty() && proposals.is_empty() && !organizer.is_admin {
        return Err(AppError::not_found("speaker"));
    }
    Ok((speaker, deliveries, proposals))
}
