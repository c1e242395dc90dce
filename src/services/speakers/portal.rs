//! A speaker's own page, behind their sign-in link: the talks they are asked for, their
//! proposals (changed or withdrawn until decided), their profile and their slots.

use crate::db::{self, DbConnection};
use crate::domain::ids::{AgendaItemId, ProposalId, TalkId};
use crate::domain::proposal::{Settled, speakers_may_change};
use crate::domain::text;
use crate::error::{AppError, ErrorCode, FieldCode, Validator};
use crate::models::agenda::AgendaItem;
use crate::models::material::Material;
use crate::models::proposal::Proposal;
use crate::models::speaker::Speaker;
use crate::models::talk::Talk;
use crate::models::tour::Tour;
use crate::models::venue::Venue;
use crate::read::speakers::{Delivery, Invitation, OwnProposal, SpeakerPage};
use crate::services::agenda;
use crate::services::context::Context;

use super::public::public_profile_in;

/// Where the talks were (or are to be) given, with the venue and the materials of each slot.
pub(super) fn deliveries(
    conn: &mut DbConnection,
    talk_ids: &[String],
) -> Result<Vec<Delivery>, AppError> {
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

/// The speaker's own page.
pub async fn own_page(ctx: &Context, speaker: &Speaker) -> Result<SpeakerPage, AppError> {
    let id = speaker.id.clone();
    ctx.db.run(move |conn| own_page_in(conn, &id)).await
}

pub(super) fn own_page_in(
    conn: &mut DbConnection,
    speaker_id: &str,
) -> Result<SpeakerPage, AppError> {
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
    let profile_is_public = public_profile_in(conn, &speaker.id).is_ok();
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
    // Undecided already says no without asking whether the talk is on an agenda.
    let scheduled = proposal.status.undecided() && Talk::is_scheduled(conn, &proposal.talk_id)?;
    match speakers_may_change(proposal.status, scheduled) {
        Ok(()) => Ok(proposal),
        Err(Settled::Decided) => Err(AppError::conflict(
            ErrorCode::ProposalDecided,
            "the organizers decided on this proposal already: write to them to change it",
        )),
        Err(Settled::Scheduled) => Err(AppError::conflict(
            ErrorCode::ProposalScheduled,
            "the organizers put this talk on an agenda already: write to them to change it",
        )),
    }
}

/// A speaker changes the title, abstract or length of their proposal until it is decided;
/// the organizers see the new text (and that it was edited).
#[tracing::instrument(skip(ctx, speaker, changes), fields(speaker = %speaker.id))]
pub async fn edit_proposal(
    ctx: &Context,
    speaker: &Speaker,
    proposal: &ProposalId,
    changes: ProposalChanges,
) -> Result<Talk, AppError> {
    let (speaker, proposal) = (speaker.id.clone(), proposal.clone());
    ctx.db
        .run(move |conn| edit_proposal_in(conn, &speaker, &proposal, &changes))
        .await
}

fn edit_proposal_in(
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
#[tracing::instrument(skip(ctx, speaker), fields(speaker = %speaker.id))]
pub async fn withdraw_proposal(
    ctx: &Context,
    speaker: &Speaker,
    proposal: &ProposalId,
) -> Result<(), AppError> {
    let (speaker, proposal) = (speaker.id.clone(), proposal.clone());
    ctx.db
        .run(move |conn| withdraw_proposal_in(conn, &speaker, &proposal))
        .await
}

fn withdraw_proposal_in(
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

/// What a speaker writes on their profile.
#[derive(Clone, Debug, Default)]
pub struct ProfileChanges {
    pub name: String,
    pub affiliation: String,
    pub bio: String,
}

/// The speaker saves their profile: what it says is theirs now, so it may be shown.
pub async fn update_profile(
    ctx: &Context,
    speaker: &Speaker,
    changes: ProfileChanges,
) -> Result<Speaker, AppError> {
    let id = speaker.id.clone();
    ctx.db
        .run(move |conn| {
            update_profile_in(conn, &id, &changes.name, &changes.affiliation, &changes.bio)
        })
        .await
}

fn update_profile_in(
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

/// The speaker answers a talk they were asked for: yes (`accept_talk_in`) or no
/// (`decline_talk_in`).
pub async fn answer_talk(
    ctx: &Context,
    speaker: &Speaker,
    talk: &TalkId,
    accept: bool,
) -> Result<(), AppError> {
    let (speaker, talk) = (speaker.id.clone(), talk.clone());
    ctx.db
        .run(move |conn| {
            if accept {
                accept_talk_in(conn, &speaker, &talk)
            } else {
                decline_talk_in(conn, &speaker, &talk)
            }
        })
        .await
}

/// The speaker accepts a talk they were asked for: from now on it shows them. Accepting on
/// their own page (signed in with their link) also confirms their profile, which that page
/// shows them.
fn accept_talk_in(
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
fn decline_talk_in(
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
pub async fn confirm_slot(
    ctx: &Context,
    speaker: &Speaker,
    item: &AgendaItemId,
) -> Result<(), AppError> {
    let (speaker, item) = (speaker.id.clone(), item.clone());
    ctx.db
        .run(move |conn| confirm_slot_in(conn, &speaker, &item))
        .await
}

fn confirm_slot_in(
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
