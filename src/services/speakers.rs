//! Speakers and their talks: the call for proposals, the organizers' review, each speaker's
//! page (profile, slots to confirm, slides) and itinerary, and public profiles.

use chrono::Duration;

use crate::db::{self, DbConnection};
use crate::domain::stop::StopStatus;
use crate::domain::text;
use crate::email::{self, Email, templates};
use crate::error::{AppError, Validator};
use crate::i18n::Lang;
use crate::models::access;
use crate::models::agenda::AgendaItem;
use crate::models::magic_link::MagicLink;
use crate::models::material::Material;
use crate::models::organizer::Organizer;
use crate::models::speaker::{Proposal, Speaker, Talk, TalkWithSpeakers};
use crate::models::stop::Stop;
use crate::models::tour::Tour;
use crate::models::venue::Venue;
use crate::secrets;
use crate::services::Env;
use crate::services::agenda::{self, Entry};

pub const PURPOSE: &str = "speaker";

/// A fresh sign-in link to the speaker's page.
pub fn sign_in_url(
    conn: &mut DbConnection,
    env: &Env,
    speaker: &Speaker,
) -> Result<String, AppError> {
    let token = MagicLink::create(
        conn,
        PURPOSE,
        &speaker.email,
        Some(&speaker.id),
        Duration::hours(env.magic_link_hours),
    )?;
    Ok(env.links.url(&format!("/speaker/enter/{token}")))
}

/// Mails a sign-in link if the address is a speaker's; says nothing either way.
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
        let link = sign_in_url(conn, env, &speaker)?;
        let content = templates::sign_in_link(
            lang,
            &speaker.name,
            &lang.t("email.sign_in.speaker_page"),
            &link,
            env.magic_link_hours,
        );
        email::enqueue(
            conn,
            &env.links,
            Email::new("sign_in_link", &speaker.email, &speaker.name, content),
        )?;
        Ok(())
    })
}

/// Uses a sign-in link (once, before it expires): the speaker's id.
pub fn enter(conn: &mut DbConnection, token: &str) -> Result<String, AppError> {
    MagicLink::consume(conn, PURPOSE, token)?
        .and_then(|l| l.subject_id)
        .ok_or_else(|| AppError::not_found("sign-in link"))
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

/// Whether the tour's call for proposals takes proposals now.
pub fn cfp_open(tour: &Tour) -> bool {
    let now = db::now();
    tour.is_public()
        && tour.cfp_opens_at.is_some_and(|o| o <= now)
        && tour.cfp_closes_at.is_some_and(|c| now < c)
}

/// Stops a proposal may name: the tour's public stops still to come.
pub fn cfp_stops(conn: &mut DbConnection, tour: &Tour) -> Result<Vec<(Stop, Venue)>, AppError> {
    Ok(Stop::list_public(conn, &tour.id)?
        .into_iter()
        .filter(|(s, _)| matches!(s.status(), StopStatus::Open | StopStatus::Closed))
        .collect())
}

fn speaker_for(conn: &mut DbConnection, p: &PersonInput, lang: Lang) -> Result<Speaker, AppError> {
    // An existing speaker keeps the profile they wrote: a form cannot overwrite someone else's.
    match Speaker::find_by_email(conn, &p.email)? {
        Some(s) => Ok(s),
        None => Ok(Speaker::insert(
            conn,
            &p.name,
            &p.email,
            &p.affiliation,
            &p.bio,
            lang,
        )?),
    }
}

fn check_person(v: &mut Validator, prefix: &str, p: &PersonInput) -> PersonInput {
    PersonInput {
        name: v
            .check(&format!("{prefix}name"), text::required(&p.name, 200))
            .unwrap_or_default(),
        email: v
            .check(&format!("{prefix}email"), text::email(&p.email))
            .unwrap_or_default(),
        affiliation: v
            .check(
                &format!("{prefix}affiliation"),
                text::optional(&p.affiliation, 200),
            )
            .unwrap_or_default(),
        bio: v
            .check(&format!("{prefix}bio"), text::optional(&p.bio, 5000))
            .unwrap_or_default(),
    }
}

/// Takes a proposal while the call is open; the speakers get a link to their page.
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
        v.add("co_speakers", "too_many", "at most 5 co-speakers");
    }
    let co: Vec<PersonInput> = input
        .co_speakers
        .iter()
        .enumerate()
        .filter(|(_, p)| !(p.name.trim().is_empty() && p.email.trim().is_empty()))
        .map(|(i, p)| check_person(&mut v, &format!("co_speakers[{i}]."), p))
        .collect();
    let title = v.check("title", text::required(&input.title, 200));
    let summary = v.check("abstract", text::optional(&input.summary, 10_000));
    let duration = match input.duration_minutes {
        Some(d) => v.check("duration_minutes", text::number_in(d, 5, 240)),
        None => {
            v.add("duration_minutes", "required", "is required");
            None
        }
    };
    if input.stop_ids.is_empty() {
        v.add(
            "stop_ids",
            "required",
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
                "cfp_closed",
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
                "unknown_stop",
                "pick stops of this tour that are still to come",
            ));
        }
        let main = speaker_for(conn, &speaker, lang)?;
        let mut ids = vec![main.id.clone()];
        let mut everyone = vec![main.clone()];
        for p in &co {
            let s = speaker_for(conn, p, lang)?;
            if !ids.contains(&s.id) {
                ids.push(s.id.clone());
                everyone.push(s);
            }
        }
        let title = title.clone().unwrap_or_default();
        let talk = Talk::insert(
            conn,
            &title,
            &summary.clone().unwrap_or_default(),
            duration.unwrap_or(30),
            &ids,
        )?;
        let proposal = Proposal::insert(conn, &tour.id, &talk.id, Some(&main.id), &input.stop_ids)?;
        for s in &everyone {
            let link = sign_in_url(conn, env, s)?;
            let content = templates::proposal_received(
                s.lang(),
                &s.name,
                &tour.name,
                &title,
                &link,
                env.magic_link_hours,
            );
            email::enqueue(
                conn,
                &env.links,
                Email::new("proposal_received", &s.email, &s.name, content)
                    .for_tour(&tour.id)
                    .reply_to(tour.contact_email.as_deref()),
            )?;
        }
        Ok(proposal)
    })
}

/// Organizers add a speaker directly (or get the one with that address).
pub fn create_speaker(
    conn: &mut DbConnection,
    organizer: &Organizer,
    input: &PersonInput,
) -> Result<(Speaker, bool), AppError> {
    let _ = organizer;
    let mut v = Validator::new();
    let p = check_person(&mut v, "", input);
    v.finish()?;
    if let Some(existing) = Speaker::find_by_email(conn, &p.email)? {
        return Ok((existing, false));
    }
    Ok((
        Speaker::insert(
            conn,
            &p.name,
            &p.email,
            &p.affiliation,
            &p.bio,
            Lang::default(),
        )?,
        true,
    ))
}

/// Organizers add a talk with its speakers.
pub fn create_talk(
    conn: &mut DbConnection,
    title: &str,
    summary: &str,
    duration: Option<i64>,
    speaker_ids: &[String],
) -> Result<TalkWithSpeakers, AppError> {
    let mut v = Validator::new();
    let title = v.check("title", text::required(title, 200));
    let summary = v.check("abstract", text::optional(summary, 10_000));
    let duration = match duration {
        Some(d) => v.check("duration_minutes", text::number_in(d, 5, 480)),
        None => {
            v.add("duration_minutes", "required", "is required");
            None
        }
    };
    if speaker_ids.is_empty() {
        v.add("speaker_ids", "required", "a talk has at least one speaker");
    }
    v.finish()?;
    let mut unique = speaker_ids.to_vec();
    unique.dedup();
    db::write_transaction(conn, |conn| {
        if Speaker::find_many(conn, &unique)?.len() != unique.len() {
            return Err(AppError::invalid(
                "speaker_ids",
                "unknown_speaker",
                "one of these ids is not a speaker",
            ));
        }
        let talk = Talk::insert(
            conn,
            &title.clone().unwrap_or_default(),
            &summary.clone().unwrap_or_default(),
            duration.unwrap_or(30),
            &unique,
        )?;
        Ok(Talk::with_speakers(conn, std::slice::from_ref(&talk.id))?.remove(0))
    })
}

/// A proposal as the organizers review it.
pub struct ProposalView {
    pub proposal: Proposal,
    pub talk: TalkWithSpeakers,
    /// Where the speakers could give it.
    pub stop_ids: Vec<String>,
    /// Where it is on the agenda.
    pub scheduled_stop_ids: Vec<String>,
}

pub fn proposals(
    conn: &mut DbConnection,
    organizer: &Organizer,
    tour_id: &str,
) -> Result<(Tour, Vec<Stop>, Vec<ProposalView>), AppError> {
    let (tour, reach) = access::editable_tour(conn, organizer, tour_id)?;
    let stops = access::stops_in_reach(conn, &tour.id, &reach)?;
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
            "required",
            "accept the talk at one stop at least",
        ));
    }
    let message = text::optional(message, 5000)
        .map_err(|e| AppError::invalid("message", e.code, e.message))?;
    db::write_transaction(conn, |conn| {
        let proposal =
            Proposal::find(conn, proposal_id)?.ok_or_else(|| AppError::not_found("proposal"))?;
        let (tour, _) = access::editable_tour(conn, organizer, &proposal.tour_id)
            .map_err(|_| AppError::not_found("proposal"))?;
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
                        "unknown_stop",
                        "every stop must belong to this tour",
                    )
                })?;
            agenda::place_talk(conn, env, &stop, &talk)?;
            cities.push(stop.city.clone());
        }
        Proposal::set_status(conn, &proposal.id, "accepted", &message)?;
        tell_decision(conn, env, &tour, &talk, true, &cities, &message)?;
        let (_, _, list) = proposals(conn, organizer, &tour.id)?;
        list.into_iter()
            .find(|p| p.proposal.id == proposal.id)
            .ok_or_else(|| AppError::not_found("proposal"))
    })
}

pub fn reject(
    conn: &mut DbConnection,
    env: &Env,
    organizer: &Organizer,
    proposal_id: &str,
    message: &str,
) -> Result<(), AppError> {
    let message = text::optional(message, 5000)
        .map_err(|e| AppError::invalid("message", e.code, e.message))?;
    db::write_transaction(conn, |conn| {
        let proposal =
            Proposal::find(conn, proposal_id)?.ok_or_else(|| AppError::not_found("proposal"))?;
        let (tour, _) = access::editable_tour(conn, organizer, &proposal.tour_id)
            .map_err(|_| AppError::not_found("proposal"))?;
        if proposal.status == "accepted" {
            return Err(AppError::conflict(
                "already_accepted",
                "remove the talk from the agendas first",
            ));
        }
        let talk =
            Talk::find(conn, &proposal.talk_id)?.ok_or_else(|| AppError::not_found("talk"))?;
        Proposal::set_status(conn, &proposal.id, "rejected", &message)?;
        tell_decision(conn, env, &tour, &talk, false, &[], &message)?;
        Ok(())
    })
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
    let ids = Talk::speaker_ids(conn, &talk.id)?;
    let speakers = Speaker::find_many(conn, &ids)?;
    for s in speakers {
        let link = sign_in_url(conn, env, &s)?;
        let content = templates::proposal_decided(
            s.lang(),
            &s.name,
            &tour.name,
            &talk.title,
            templates::Decision {
                accepted,
                stops: cities,
                message,
            },
            &link,
        );
        email::enqueue(
            conn,
            &env.links,
            Email::new("proposal_decided", &s.email, &s.name, content)
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
        let entry = agenda::place_talk(conn, env, &stop, &talk)?.ok_or_else(|| {
            AppError::conflict(
                "already_scheduled",
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

/// One delivery of a talk: the slot, its stop and tour, and its materials.
#[derive(Clone, Debug)]
pub struct Delivery {
    pub entry: Entry,
    pub stop: Stop,
    pub tour: Tour,
    pub venue: Venue,
    pub materials: Vec<Material>,
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

/// What a speaker's own page shows.
pub struct SpeakerPage {
    pub speaker: Speaker,
    pub proposals: Vec<(Proposal, Talk, Tour)>,
    pub deliveries: Vec<Delivery>,
}

pub fn own_page(conn: &mut DbConnection, speaker_id: &str) -> Result<SpeakerPage, AppError> {
    let speaker = Speaker::find(conn, speaker_id)?.ok_or_else(|| AppError::not_found("speaker"))?;
    let talk_ids = Speaker::talk_ids(conn, &speaker.id)?;
    let mut proposals = Vec::new();
    for p in Proposal::for_talks(conn, &talk_ids)? {
        let talk = Talk::find(conn, &p.talk_id)?.ok_or_else(|| AppError::not_found("talk"))?;
        let tour = Tour::find(conn, &p.tour_id)?.ok_or_else(|| AppError::not_found("tour"))?;
        proposals.push((p, talk, tour));
    }
    let deliveries = deliveries(conn, &talk_ids)?;
    Ok(SpeakerPage {
        speaker,
        proposals,
        deliveries,
    })
}

pub fn update_profile(
    conn: &mut DbConnection,
    speaker_id: &str,
    name: &str,
    affiliation: &str,
    bio: &str,
) -> Result<Speaker, AppError> {
    let mut v = Validator::new();
    let name = v.check("name", text::required(name, 200));
    let affiliation = v.check("affiliation", text::optional(affiliation, 200));
    let bio = v.check("bio", text::optional(bio, 5000));
    v.finish()?;
    let speaker = Speaker::update_profile(
        conn,
        speaker_id,
        &name.unwrap_or_default(),
        &affiliation.unwrap_or_default(),
        &bio.unwrap_or_default(),
    )?;
    crate::cache::touch(conn, &[crate::cache::keys::SPEAKERS.to_owned()])?;
    Ok(speaker)
}

/// The speaker confirms a slot of theirs.
pub fn confirm_slot(
    conn: &mut DbConnection,
    speaker_id: &str,
    item_id: &str,
) -> Result<(), AppError> {
    let item = own_item(conn, speaker_id, item_id)?;
    AgendaItem::confirm(conn, &item.id)?;
    crate::services::agenda::agenda_changed(conn, &item.stop_id)?;
    Ok(())
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

/// The itinerary behind a feed address.
pub fn itinerary_by_feed(
    conn: &mut DbConnection,
    token: &str,
) -> Result<(Speaker, Vec<Delivery>), AppError> {
    let speaker = Speaker::find_by_feed_hash(conn, &secrets::token_hash(token))?
        .ok_or_else(|| AppError::not_found("feed"))?;
    let talk_ids = Speaker::talk_ids(conn, &speaker.id)?;
    let list = deliveries(conn, &talk_ids)?;
    Ok((speaker, list))
}

/// A public profile: name, affiliation, bio, and talks at public stops only. No e-mail.
pub fn public_profile(
    conn: &mut DbConnection,
    speaker_id: &str,
) -> Result<(Speaker, Vec<Delivery>), AppError> {
    let speaker = Speaker::find(conn, speaker_id)?.ok_or_else(|| AppError::not_found("speaker"))?;
    let talk_ids = Speaker::talk_ids(conn, &speaker.id)?;
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

/// A speaker, their deliveries, and their proposals with talk and tour.
pub type SpeakerHistory = (Speaker, Vec<Delivery>, Vec<(Proposal, Talk, Tour)>);

/// A speaker's history for organizers: every delivery and proposal in the tours they may see.
pub fn history(
    conn: &mut DbConnection,
    organizer: &Organizer,
    speaker_id: &str,
) -> Result<SpeakerHistory, AppError> {
    let mut page = own_page(conn, speaker_id)?;
    let visible = access::visible_tour_ids(conn, organizer)?;
    // The address is for those who work with the speaker: a slot at a stop in their reach,
    // or a proposal to a tour they run. A public slot elsewhere shows the rest, not that.
    let mut works_with = organizer.is_admin;
    for d in &page.deliveries {
        works_with = works_with
            || access::tour_access(conn, organizer, &d.tour.id)?
                .is_some_and(|a| a.covers_stop(&d.stop.id));
    }
    for (_, _, tour) in &page.proposals {
        works_with = works_with
            || access::tour_access(conn, organizer, &tour.id)?.is_some_and(|a| a.can_edit_tour());
    }
    if !works_with {
        page.speaker.email.clear();
    }
    let deliveries: Vec<Delivery> = page
        .deliveries
        .into_iter()
        .filter(|d| {
            visible.contains(&d.tour.id)
                || (d.tour.is_public() && d.stop.agenda_published_at.is_some())
        })
        .collect();
    let proposals: Vec<(Proposal, Talk, Tour)> = page
        .proposals
        .into_iter()
        .filter(|(_, _, t)| visible.contains(&t.id))
        .collect();
    if deliveries.is_empty() && proposals.is_empty() && !organizer.is_admin {
        return Err(AppError::not_found("speaker"));
    }
    Ok((page.speaker, deliveries, proposals))
}

/// Distinct speakers and speaking slots of a set of agenda entries.
pub fn counts(entries: &[Entry]) -> (usize, usize) {
    let mut speakers = std::collections::HashSet::new();
    let mut slots = 0;
    for e in entries {
        if let Some(t) = &e.talk {
            for s in &t.speakers {
                speakers.insert(s.id.clone());
                slots += 1;
            }
        }
    }
    (speakers.len(), slots)
}
