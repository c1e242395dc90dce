//! The organizers' speaker library: speakers and talks they add, a speaker's history, and
//! asking a speaker for another stop.

use crate::db::{self, DbConnection};
use crate::domain::agenda::may_be_planned;
use crate::domain::ids::{SpeakerId, StopId, TalkId};
use crate::domain::text;
use crate::error::{AppError, ErrorCode, FieldCode, Validator};
use crate::i18n::Lang;
use crate::models::access::{stops_in_reach, tour_access, visible_tour_ids};
use crate::models::agenda::AgendaItem;
use crate::models::organizer::Organizer;
use crate::models::proposal::Proposal;
use crate::models::speaker::Speaker;
use crate::models::stop::Stop;
use crate::models::talk::{Talk, TalkWithSpeakers};
use crate::models::tour::Tour;
use crate::read::agenda::Entry;
use crate::read::speakers::{Delivery, SpeakerHistory};
use crate::services::context::Context;
use crate::services::{Env, access, agenda, invitations};

use super::cfp::{PersonInput, check_person};
use super::portal::deliveries;
use super::review::tell_decision;

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
pub async fn create_speaker(
    ctx: &Context,
    organizer: &Organizer,
    input: PersonInput,
) -> Result<SpeakerAdded, AppError> {
    let organizer = organizer.clone();
    ctx.db
        .run(move |conn| create_speaker_in(conn, &organizer, &input))
        .await
}

fn create_speaker_in(
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
pub(super) fn works_with(
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

/// A talk as organizers add it.
#[derive(Clone, Debug, Default)]
pub struct TalkInput {
    pub title: String,
    pub summary: String,
    pub duration_minutes: Option<i64>,
    /// Speakers' ids as sent (an unknown one is a field error).
    pub speaker_ids: Vec<String>,
}

/// Organizers add a talk with its speakers. The speakers are asked (an e-mail each) and are
/// shown on no agenda until they accept.
pub async fn create_talk(
    ctx: &Context,
    organizer: &Organizer,
    input: TalkInput,
) -> Result<TalkWithSpeakers, AppError> {
    let (env, organizer) = (ctx.env.clone(), organizer.clone());
    ctx.db
        .run(move |conn| {
            create_talk_in(
                conn,
                &env,
                &organizer,
                &input.title,
                &input.summary,
                input.duration_minutes,
                &input.speaker_ids,
            )
        })
        .await
}

fn create_talk_in(
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

/// A talk that was given before, asked for another stop in one step.
pub async fn invite_to_stop(
    ctx: &Context,
    organizer: &Organizer,
    talk: &TalkId,
    stop: &StopId,
) -> Result<Entry, AppError> {
    let (env, organizer, talk, stop) = (
        ctx.env.clone(),
        organizer.clone(),
        talk.clone(),
        stop.clone(),
    );
    ctx.db
        .run(move |conn| invite_to_stop_in(conn, &env, &organizer, &talk, &stop))
        .await
}

fn invite_to_stop_in(
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

/// Stops still to come of the tours the organizer may edit: where to ask a speaker next.
fn stops_to_ask(
    conn: &mut DbConnection,
    organizer: &Organizer,
) -> Result<Vec<(Stop, Tour)>, AppError> {
    let mut stops = Vec::new();
    for (tour, role) in crate::services::tours::list_tours_in(conn, organizer)? {
        let reach = tour_access(conn, organizer, &tour.id)?;
        if (role.is_some() || organizer.is_admin)
            && let Some(reach) = reach.filter(|r| r.can_edit_tour())
        {
            for s in stops_in_reach(conn, &tour.id, &reach)? {
                if may_be_planned(s.status()) {
                    stops.push((s, tour.clone()));
                }
            }
        }
    }
    Ok(stops)
}

/// A speaker's page for organizers: their history, and where the organizer may ask them next.
pub struct History {
    pub history: SpeakerHistory,
    pub stops_to_ask: Vec<(Stop, Tour)>,
}

/// A speaker's history for organizers: every delivery in the tours they may see (asked or
/// accepted), the public deliveries they accepted elsewhere, and the proposals to tours the
/// organizer sees. The address only for those who work with the speaker.
pub async fn history(
    ctx: &Context,
    organizer: &Organizer,
    speaker: &SpeakerId,
) -> Result<History, AppError> {
    let (organizer, speaker) = (organizer.clone(), speaker.clone());
    ctx.db
        .run(move |conn| {
            let history = history_in(conn, &organizer, &speaker)?;
            let stops_to_ask = stops_to_ask(conn, &organizer)?;
            Ok(History {
                history,
                stops_to_ask,
            })
        })
        .await
}

fn history_in(
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
