//! Building a stop's agenda: talks at start times, and breaks, welcome, panels, lunch. Once
//! the agenda is published, each change is shown publicly and only the speakers whose slots
//! moved are e-mailed.

use chrono::NaiveDateTime;

use crate::db::{self, DbConnection};
use crate::domain::agenda::{self, ItemKind, Problem, Slot};
use crate::domain::ids::{AgendaItemId, StopId};
use crate::domain::text;
use crate::email::{self, Email, Mail};
use crate::error::{AppError, ErrorCode, FieldCode, Validator};
use crate::models::agenda::{AgendaChange, AgendaItem};
use crate::models::organizer::Organizer;
use crate::models::proposal::Proposal;
use crate::models::speaker::Speaker;
use crate::models::stop::{Stop, StopChanges};
use crate::models::talk::Talk;
use crate::read::agenda::{Builder, Entry};
use crate::services::context::Context;
use crate::services::stop_context::StopContext;
use crate::services::{Env, access};

/// A stop's agenda, for an organizer who runs the stop (published or not).
pub async fn entries_for(
    ctx: &Context,
    organizer: &Organizer,
    stop: &StopId,
) -> Result<Vec<Entry>, AppError> {
    let (organizer, stop) = (organizer.clone(), stop.clone());
    ctx.db
        .run(move |conn| entries_for_in(conn, &organizer, &stop))
        .await
}

fn entries_for_in(
    conn: &mut DbConnection,
    organizer: &Organizer,
    stop_id: &str,
) -> Result<Vec<Entry>, AppError> {
    let (stop, _, _) = access::stop_for(conn, organizer, stop_id)?;
    entries(conn, &stop.id)
}

/// What the agenda builder shows: the stop's agenda and the talks to place, and which items
/// run past the stop's end.
pub struct AgendaBuilder {
    pub builder: Builder,
    pub overruns: Vec<String>,
}

/// A stop's agenda builder, for an organizer who runs the stop.
pub async fn builder(
    ctx: &Context,
    organizer: &Organizer,
    stop: &StopId,
) -> Result<AgendaBuilder, AppError> {
    let (organizer, stop) = (organizer.clone(), stop.clone());
    ctx.db
        .run(move |conn| {
            let builder = builder_in(conn, &organizer, &stop)?;
            let overruns = overrun_ids(&builder.stop, &builder.entries);
            Ok(AgendaBuilder { builder, overruns })
        })
        .await
}

fn builder_in(
    conn: &mut DbConnection,
    organizer: &Organizer,
    stop_id: &str,
) -> Result<Builder, AppError> {
    let (stop, tour, _) = access::stop_for(conn, organizer, stop_id)?;
    let entries = entries(conn, &stop.id)?;
    // The talks still to place: the tour's standing proposals not yet on this agenda.
    let placed: Vec<&str> = entries
        .iter()
        .filter_map(|e| e.item.talk_id.as_deref())
        .collect();
    let mut ids: Vec<String> = Proposal::list_for_tour(conn, &tour.id)?
        .into_iter()
        .filter(|p| p.status.standing() && !placed.contains(&p.talk_id.as_str()))
        .map(|p| p.talk_id)
        .collect();
    ids.sort();
    ids.dedup();
    let talks = Talk::with_speakers(conn, &ids)?;
    Ok(Builder {
        tour,
        stop,
        entries,
        talks,
    })
}

/// The agenda of a stop, in time order.
pub fn entries(conn: &mut DbConnection, stop_id: &str) -> Result<Vec<Entry>, AppError> {
    let items = AgendaItem::for_stop(conn, stop_id)?;
    with_talks(conn, items)
}

pub fn with_talks(conn: &mut DbConnection, items: Vec<AgendaItem>) -> Result<Vec<Entry>, AppError> {
    let talk_ids: Vec<String> = items.iter().filter_map(|i| i.talk_id.clone()).collect();
    let talks = Talk::with_speakers(conn, &talk_ids)?;
    Ok(items
        .into_iter()
        .map(|item| Entry {
            talk: item
                .talk_id
                .as_ref()
                .and_then(|t| talks.iter().find(|x| x.talk.id == *t).cloned()),
            item,
        })
        .collect())
}

fn slot_of(e: &Entry) -> Slot {
    Slot {
        id: e.item.id.clone(),
        title: e.title(),
        starts_at: e.item.starts_at,
        minutes: e.item.duration_minutes,
    }
}

/// Refuses a slot outside the stop or over another item, naming the clashes.
fn check_fit(stop: &Stop, candidate: &Slot, others: &[Entry]) -> Result<(), AppError> {
    let slots: Vec<Slot> = others.iter().map(slot_of).collect();
    match agenda::check(stop.starts_at, stop.ends_at, candidate, &slots) {
        Ok(()) => Ok(()),
        Err(Problem::OutsideStop) => Err(AppError::invalid(
            "starts_at",
            FieldCode::OutsideStop,
            "the item must start and end within the stop's hours",
        )),
        Err(Problem::Overlaps(titles)) => Err(AppError::conflict(
            ErrorCode::AgendaClash,
            format!("this slot clashes with: {}", titles.join(", ")),
        )),
    }
}

/// What an organizer adds.
#[derive(Clone, Debug, Default)]
pub struct ItemInput {
    pub talk_id: Option<String>,
    pub kind: Option<String>,
    pub title: Option<String>,
    pub starts_at: Option<Result<NaiveDateTime, crate::error::FieldError>>,
    pub duration_minutes: Option<i64>,
}

#[tracing::instrument(skip(ctx, input), fields(organizer = %organizer.id))]
pub async fn add_item(
    ctx: &Context,
    organizer: &Organizer,
    stop: &StopId,
    input: ItemInput,
) -> Result<Entry, AppError> {
    let (env, organizer, stop) = (ctx.env.clone(), organizer.clone(), stop.clone());
    ctx.db
        .run(move |conn| add_item_in(conn, &env, &organizer, &stop, input))
        .await
}

fn add_item_in(
    conn: &mut DbConnection,
    env: &Env,
    organizer: &Organizer,
    stop_id: &str,
    input: ItemInput,
) -> Result<Entry, AppError> {
    let mut v = Validator::new();
    let kind = match input
        .kind
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty())
    {
        Some(k) => ItemKind::parse(k).or_else(|| {
            v.add(
                "kind",
                FieldCode::InvalidChoice,
                format!("must be one of: {}", ItemKind::choices()),
            );
            None
        }),
        None if input.talk_id.is_some() => Some(ItemKind::Talk),
        None => {
            v.add(
                "kind",
                FieldCode::Required,
                "give a talk_id, or a kind with a title",
            );
            None
        }
    };
    let starts_at = match &input.starts_at {
        Some(t) => v.check("starts_at", t.clone()),
        None => {
            v.add("starts_at", FieldCode::Required, "is required");
            None
        }
    };
    let duration = input
        .duration_minutes
        .map(|d| v.check("duration_minutes", text::number_in(d, 5, 720)));
    let title = match &input.title {
        Some(t) => v.check("title", text::optional_line(t, 200)),
        None => Some(String::new()),
    };
    // A break, lunch or welcome without a title is shown by its kind's name, in each
    // reader's language (`Entry::title_in`).
    if kind == Some(ItemKind::Talk) && input.talk_id.is_none() {
        v.add(
            "talk_id",
            FieldCode::Required,
            "a talk item needs a talk_id",
        );
    }
    v.finish()?;
    let (kind, starts_at, title) = (
        kind.unwrap_or(ItemKind::Other),
        starts_at.unwrap_or_default(),
        title.unwrap_or_default(),
    );
    db::write_transaction(conn, |conn| {
        let (stop, _, _) = access::stop_for(conn, organizer, stop_id)?;
        let stop = locked(conn, &stop.id)?;
        let talk = match &input.talk_id {
            Some(id) => {
                let talk = Talk::find(conn, id)?.ok_or_else(|| {
                    AppError::invalid("talk_id", FieldCode::UnknownTalk, "no talk has this id")
                })?;
                Some(crate::services::invitations::talk_for_stop(
                    conn, env, organizer, &stop, &talk,
                )?)
            }
            None => None,
        };
        let minutes = match (duration.flatten(), &talk) {
            (Some(d), _) => d,
            (None, Some(t)) => t.duration_minutes,
            (None, None) => 30,
        };
        let title = if talk.is_some() {
            String::new()
        } else {
            title.clone()
        };
        let candidate = Slot {
            id: String::new(),
            title: talk
                .as_ref()
                .map(|t| t.title.clone())
                .unwrap_or_else(|| title.clone()),
            starts_at,
            minutes,
        };
        let others = entries(conn, &stop.id)?;
        check_fit(&stop, &candidate, &others)?;
        let item = AgendaItem::insert(
            conn,
            &stop.id,
            talk.as_ref().map(|t| t.id.as_str()),
            kind.as_str(),
            &title,
            starts_at,
            minutes,
        )?;
        let entry = with_talks(conn, vec![item])?.remove(0);
        if stop.agenda_published_at.is_some() {
            AgendaChange::log(
                conn,
                &stop.id,
                &entry.title(),
                "added",
                None,
                Some(entry.item.starts_at),
            )?;
            tell_speakers(conn, env, &stop, &entry, "added")?;
        }
        Ok(entry)
    })
}

/// The stop, with its agenda lock taken for the rest of the transaction: every check of
/// the agenda against itself (overlaps, the first free time) is made under it, so two
/// requests cannot both find the same time free (on PostgreSQL; SQLite serialises writers).
fn locked(conn: &mut DbConnection, stop_id: &str) -> Result<Stop, AppError> {
    Stop::lock(conn, stop_id)?.ok_or_else(|| AppError::not_found("stop"))
}

/// Places a talk at the first free time of a stop (used when a proposal is accepted or a
/// speaker is asked for another stop); the organizers adjust it in the agenda builder.
pub fn place_talk(
    conn: &mut DbConnection,
    env: &Env,
    stop: &Stop,
    talk: &Talk,
) -> Result<Option<Entry>, AppError> {
    let stop = &locked(conn, &stop.id)?;
    let others = entries(conn, &stop.id)?;
    if others
        .iter()
        .any(|e| e.item.talk_id.as_deref() == Some(&talk.id))
    {
        return Ok(None);
    }
    let slots: Vec<Slot> = others.iter().map(slot_of).collect();
    let start =
        agenda::first_free_start(stop.starts_at, stop.ends_at, talk.duration_minutes, &slots)
            .ok_or_else(|| {
                AppError::conflict(
                    ErrorCode::AgendaFull,
                    format!(
                        "the agenda of {} has no free {} minutes left",
                        stop.city, talk.duration_minutes
                    ),
                )
            })?;
    let item = AgendaItem::insert(
        conn,
        &stop.id,
        Some(&talk.id),
        ItemKind::Talk.as_str(),
        "",
        start,
        talk.duration_minutes,
    )?;
    let entry = with_talks(conn, vec![item])?.remove(0);
    if stop.agenda_published_at.is_some() {
        AgendaChange::log(
            conn,
            &stop.id,
            &entry.title(),
            "added",
            None,
            Some(entry.item.starts_at),
        )?;
        tell_speakers(conn, env, stop, &entry, "added")?;
    }
    Ok(Some(entry))
}

#[tracing::instrument(skip(ctx), fields(organizer = %organizer.id))]
pub async fn move_item(
    ctx: &Context,
    organizer: &Organizer,
    item: &AgendaItemId,
    starts_at: Result<NaiveDateTime, crate::error::FieldError>,
    duration: Option<i64>,
) -> Result<Entry, AppError> {
    let (env, organizer, item) = (ctx.env.clone(), organizer.clone(), item.clone());
    ctx.db
        .run(move |conn| move_item_in(conn, &env, &organizer, &item, starts_at, duration))
        .await
}

fn move_item_in(
    conn: &mut DbConnection,
    env: &Env,
    organizer: &Organizer,
    item_id: &str,
    starts_at: Result<NaiveDateTime, crate::error::FieldError>,
    duration: Option<i64>,
) -> Result<Entry, AppError> {
    let mut v = Validator::new();
    let starts_at = v.check("starts_at", starts_at);
    let duration = duration.map(|d| v.check("duration_minutes", text::number_in(d, 5, 720)));
    v.finish()?;
    let starts_at = starts_at.unwrap_or_default();
    db::write_transaction(conn, |conn| {
        let item =
            AgendaItem::find(conn, item_id)?.ok_or_else(|| AppError::not_found("agenda item"))?;
        let (stop, _, _) = access::stop_for(conn, organizer, &item.stop_id)
            .map_err(|_| AppError::not_found("agenda item"))?;
        let stop = locked(conn, &stop.id)?;
        // Read again under the lock: a concurrent move may have changed it.
        let item =
            AgendaItem::find(conn, item_id)?.ok_or_else(|| AppError::not_found("agenda item"))?;
        let minutes = duration.flatten().unwrap_or(item.duration_minutes);
        let all = entries(conn, &stop.id)?;
        let me = all
            .iter()
            .find(|e| e.item.id == item.id)
            .cloned()
            .ok_or_else(|| AppError::not_found("agenda item"))?;
        let candidate = Slot {
            id: item.id.clone(),
            title: me.title(),
            starts_at,
            minutes,
        };
        check_fit(&stop, &candidate, &all)?;
        if starts_at == item.starts_at && minutes == item.duration_minutes {
            return Ok(me);
        }
        let moved = AgendaItem::move_to(conn, &item.id, starts_at, minutes)?;
        let entry = with_talks(conn, vec![moved])?.remove(0);
        if stop.agenda_published_at.is_some() {
            AgendaChange::log(
                conn,
                &stop.id,
                &entry.title(),
                "moved",
                Some(item.starts_at),
                Some(starts_at),
            )?;
            tell_speakers(conn, env, &stop, &entry, "moved")?;
        }
        Ok(entry)
    })
}

/// Which way an item moves in the agenda's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shift {
    Earlier,
    Later,
}

/// Swaps an item with its neighbour before or after it: the two keep the time they occupy
/// together (the first starts where the earlier of them started, the gap between them
/// stays, the second ends where the later ended), so nothing else on the agenda moves and
/// no new clash can arise. The first item cannot go earlier, nor the last later: then
/// nothing changes. Speakers of a published agenda are told, as for any move.
#[tracing::instrument(skip(ctx), fields(organizer = %organizer.id))]
pub async fn shift_item(
    ctx: &Context,
    organizer: &Organizer,
    item: &AgendaItemId,
    shift: Shift,
) -> Result<(), AppError> {
    let (env, organizer, item) = (ctx.env.clone(), organizer.clone(), item.clone());
    ctx.db
        .run(move |conn| shift_item_in(conn, &env, &organizer, &item, shift))
        .await
}

fn shift_item_in(
    conn: &mut DbConnection,
    env: &Env,
    organizer: &Organizer,
    item_id: &str,
    shift: Shift,
) -> Result<(), AppError> {
    db::write_transaction(conn, |conn| {
        let item =
            AgendaItem::find(conn, item_id)?.ok_or_else(|| AppError::not_found("agenda item"))?;
        let (stop, _, _) = access::stop_for(conn, organizer, &item.stop_id)
            .map_err(|_| AppError::not_found("agenda item"))?;
        let stop = locked(conn, &stop.id)?;
        let all = entries(conn, &stop.id)?;
        let Some(at) = all.iter().position(|e| e.item.id == item_id) else {
            return Err(AppError::not_found("agenda item"));
        };
        let pair = match shift {
            Shift::Earlier => at.checked_sub(1).map(|before| (before, at)),
            Shift::Later => (at + 1 < all.len()).then_some((at, at + 1)),
        };
        let Some((first, second)) = pair else {
            return Ok(());
        };
        let (a, b) = (&all[first], &all[second]);
        let a_slot = slot_of(a);
        let gap = b.item.starts_at - a_slot.ends_at();
        let b_start = a.item.starts_at;
        let a_start = b_start + chrono::Duration::minutes(i64::from(b.item.duration_minutes)) + gap;
        let rest: Vec<Entry> = all
            .iter()
            .filter(|e| e.item.id != a.item.id && e.item.id != b.item.id)
            .cloned()
            .collect();
        for (e, start) in [(b, b_start), (a, a_start)] {
            let candidate = Slot {
                starts_at: start,
                ..slot_of(e)
            };
            check_fit(&stop, &candidate, &rest)?;
        }
        for (e, start) in [(b, b_start), (a, a_start)] {
            let moved = AgendaItem::move_to(conn, &e.item.id, start, e.item.duration_minutes)?;
            if stop.agenda_published_at.is_some() {
                let entry = with_talks(conn, vec![moved])?.remove(0);
                AgendaChange::log(
                    conn,
                    &stop.id,
                    &entry.title(),
                    "moved",
                    Some(e.item.starts_at),
                    Some(start),
                )?;
                tell_speakers(conn, env, &stop, &entry, "moved")?;
            }
        }
        Ok(())
    })
}

/// Takes an item off the agenda (its speakers told, once the agenda is published).
pub async fn remove_item(
    ctx: &Context,
    organizer: &Organizer,
    item: &AgendaItemId,
) -> Result<(), AppError> {
    let (env, organizer, item) = (ctx.env.clone(), organizer.clone(), item.clone());
    ctx.db
        .run(move |conn| remove_item_in(conn, &env, &organizer, &item))
        .await
}

fn remove_item_in(
    conn: &mut DbConnection,
    env: &Env,
    organizer: &Organizer,
    item_id: &str,
) -> Result<(), AppError> {
    db::write_transaction(conn, |conn| {
        let item =
            AgendaItem::find(conn, item_id)?.ok_or_else(|| AppError::not_found("agenda item"))?;
        let (stop, _, _) = access::stop_for(conn, organizer, &item.stop_id)
            .map_err(|_| AppError::not_found("agenda item"))?;
        let stop = locked(conn, &stop.id)?;
        let item =
            AgendaItem::find(conn, item_id)?.ok_or_else(|| AppError::not_found("agenda item"))?;
        let entry = with_talks(conn, vec![item.clone()])?.remove(0);
        if stop.agenda_published_at.is_some() {
            AgendaChange::log(
                conn,
                &stop.id,
                &entry.title(),
                "removed",
                Some(item.starts_at),
                None,
            )?;
            tell_speakers(conn, env, &stop, &entry, "removed")?;
        }
        AgendaItem::delete(conn, &item.id)?;
        Ok(())
    })
}

/// From now on the agenda is public, and changes are announced.
pub async fn publish(ctx: &Context, organizer: &Organizer, stop: &StopId) -> Result<(), AppError> {
    let (organizer, stop) = (organizer.clone(), stop.clone());
    ctx.db
        .run(move |conn| publish_in(conn, &organizer, &stop))
        .await
}

fn publish_in(
    conn: &mut DbConnection,
    organizer: &Organizer,
    stop_id: &str,
) -> Result<(), AppError> {
    let (stop, _, _) = access::stop_for(conn, organizer, stop_id)?;
    if stop.agenda_published_at.is_none() {
        Stop::update(
            conn,
            &stop.id,
            &StopChanges {
                agenda_published_at: Some(Some(db::now())),
                ..StopChanges::default()
            },
        )?;
    }
    Ok(())
}

/// E-mails the speakers of one slot that it was added, moved or removed.
fn tell_speakers(
    conn: &mut DbConnection,
    env: &Env,
    stop: &Stop,
    entry: &Entry,
    change: &str,
) -> Result<(), AppError> {
    let Some(talk) = &entry.talk else {
        return Ok(());
    };
    let ctx = StopContext::load(conn, &stop.id)?;
    for speaker in &talk.speakers {
        send_slot_mail(conn, env, &ctx, speaker, entry, change)?;
    }
    Ok(())
}

fn send_slot_mail(
    conn: &mut DbConnection,
    env: &Env,
    ctx: &StopContext,
    speaker: &Speaker,
    entry: &Entry,
    change: &str,
) -> Result<(), AppError> {
    let lang = speaker.lang();
    let when = crate::format::time_range(
        lang,
        entry.item.starts_at,
        entry.item.ends_at(),
        ctx.stop.tz(),
    );
    let link = crate::services::magic_links::speaker(conn, env, speaker)?;
    let mail = Mail::SlotChanged {
        name: &speaker.name,
        stop: &ctx.mail(lang),
        title: &entry.title(),
        change,
        when: &when,
        link: &link,
    };
    email::enqueue(
        conn,
        &env.links,
        Email::new(mail, lang, &speaker.email, &speaker.name)
            .for_stop(&ctx.tour.id, &ctx.stop.id)
            .reply_to(ctx.tour.contact_email.as_deref()),
    )?;
    Ok(())
}

/// Items that run past the stop's end (the page shows them).
fn overrun_ids(stop: &Stop, list: &[Entry]) -> Vec<String> {
    let slots: Vec<Slot> = list.iter().map(slot_of).collect();
    agenda::overruns(stop.ends_at, &slots)
        .into_iter()
        .map(|s| s.id.clone())
        .collect()
}
