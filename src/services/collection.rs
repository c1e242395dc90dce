//! After a stop: material requests open (slides of every talk; the report, photos and video
//! of the stop), their owners are reminded until they hand them in, the organizers publish
//! them, and the public stop page lists them.

use chrono::{Duration, NaiveDateTime};

use crate::db::{self, DbConnection};
use crate::domain::ids::{MaterialId, StopId, TourId};
use crate::domain::material as material_rules;
use crate::domain::task::TaskKind;
use crate::domain::text;
use crate::email::{self, Email, Mail};
use crate::error::{AppError, ErrorCode, FieldCode};
use crate::i18n::Lang;
use crate::models::access::stops_in_reach;
use crate::models::material::{Content, Material, MaterialKind, MaterialRequest, MaterialStatus};
use crate::models::organizer::Organizer;
use crate::models::speaker::Speaker;
use crate::models::stop::Stop;
use crate::models::stop_job::{self, StopJob};
use crate::models::task::Claim;
use crate::read::materials::{MaterialRow, StopMaterials, TourCollection};
use crate::services::context::Context;
use crate::services::stop_context::StopContext;
use crate::services::{Env, access, agenda};

/// The stop-level materials and the volunteer task whose holder owns each.
const STOP_MATERIALS: &[(MaterialKind, TaskKind)] = &[
    (MaterialKind::Report, TaskKind::Report),
    (MaterialKind::Photos, TaskKind::Photos),
    (MaterialKind::Video, TaskKind::Streaming),
];

/// Opens the requests of a stop (once; later calls add only what is missing, e.g. a talk
/// added afterwards). The first reminder is due at once.
pub fn open_requests(
    conn: &mut DbConnection,
    stop: &Stop,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    let existing = Material::for_stop(conn, &stop.id)?;
    let mut opened = 0;
    for e in agenda::entries(conn, &stop.id)? {
        let Some(talk) = &e.talk else { continue };
        if existing.iter().any(|m| {
            m.agenda_item_id.as_deref() == Some(e.item.id.as_str())
                && m.kind() == MaterialKind::Slides
        }) {
            continue;
        }
        Material::request(
            conn,
            &MaterialRequest {
                stop_id: &stop.id,
                agenda_item_id: Some(&e.item.id),
                kind: MaterialKind::Slides,
                title: &talk.talk.title,
                owner_speaker_id: talk.speakers.first().map(|s| s.id.as_str()),
                owner_email: None,
                first_reminder_at: Some(now),
            },
        )?;
        opened += 1;
    }
    let claims = Claim::at_stop(conn, &stop.id)?;
    for (kind, task_kind) in STOP_MATERIALS {
        if existing
            .iter()
            .any(|m| m.kind() == *kind && m.agenda_item_id.is_none())
        {
            continue;
        }
        let owner = claims
            .iter()
            .find(|(_, t, _)| t.kind == *task_kind)
            .map(|(_, _, v)| v.email.clone());
        Material::request(
            conn,
            &MaterialRequest {
                stop_id: &stop.id,
                agenda_item_id: None,
                kind: *kind,
                title: "",
                owner_speaker_id: None,
                owner_email: owner.as_deref(),
                first_reminder_at: Some(now),
            },
        )?;
        opened += 1;
    }
    Ok(opened)
}

/// What a material is, in words for its owner; slides by their talk's current title (`talk`),
/// else the title they were asked with.
fn describe(m: &Material, talk: Option<&str>, lang: Lang) -> String {
    match m.kind() {
        MaterialKind::Slides => {
            lang.tf("material.slides_of", &[("title", talk.unwrap_or(&m.title))])
        }
        k => lang
            .t(&format!("material_kind.{}", k.as_str()))
            .into_owned(),
    }
}

/// The current title of the talk of a slot's material.
fn talk_title(conn: &mut DbConnection, m: &Material) -> Result<Option<String>, AppError> {
    let Some(item) = &m.agenda_item_id else {
        return Ok(None);
    };
    let Some(item) = crate::models::agenda::AgendaItem::find(conn, item)? else {
        return Ok(None);
    };
    Ok(match &item.talk_id {
        Some(id) => crate::models::talk::Talk::find(conn, id)?.map(|t| t.title),
        None => None,
    })
}

/// Sends the reminders that are due; each request is reminded by one instance only. Each
/// person gets one message per stop listing everything asked of them (the organizers: the
/// report, the photos and the video nobody took on, in one e-mail).
pub fn send_reminders(
    conn: &mut DbConnection,
    env: &Env,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    let mut by_stop: Vec<(String, Vec<Material>)> = Vec::new();
    for m in Material::due_reminders(conn, now)? {
        match by_stop.iter_mut().find(|(stop, _)| *stop == m.stop_id) {
            Some((_, list)) => list.push(m),
            None => by_stop.push((m.stop_id.clone(), vec![m])),
        }
    }
    let mut sent = 0;
    for (stop_id, due) in by_stop {
        sent += db::write_transaction(conn, |conn| {
            let mut claimed = Vec::new();
            for m in &due {
                let Some(was) = m.next_reminder_at else {
                    continue;
                };
                let next = material_rules::next_reminder(
                    m.created_at,
                    m.reminders_sent,
                    &env.material_reminder_days,
                );
                if Material::reminded(conn, &m.id, was, next)? {
                    claimed.push(m);
                }
            }
            remind_owners(conn, env, &stop_id, &claimed)
        })?;
    }
    Ok(sent)
}

/// Who is asked for a material: (address, name, language), or the organizers when nobody
/// took it on (`None`).
fn owners_of(conn: &mut DbConnection, m: &Material) -> Result<Option<Vec<Owner>>, AppError> {
    let mut people = Vec::new();
    if let Some(speaker_id) = &m.owner_speaker_id {
        // Slides: every speaker of the talk is asked.
        let ids = match &m.agenda_item_id {
            Some(item) => {
                let item = crate::models::agenda::AgendaItem::get(conn, item)?;
                crate::models::agenda::AgendaItem::speaker_ids(conn, &item)?
            }
            None => vec![speaker_id.clone()],
        };
        for s in Speaker::find_many(conn, &ids)? {
            people.push(Owner::Speaker(s));
        }
    } else if let Some(address) = &m.owner_email
        && let Some(v) = crate::models::task::Volunteer::find_by_email(conn, address)?
    {
        people.push(Owner::Volunteer(v));
    }
    Ok((!people.is_empty()).then_some(people))
}

enum Owner {
    Speaker(Speaker),
    Volunteer(crate::models::task::Volunteer),
    Organizer(Organizer),
}

impl Owner {
    fn email(&self) -> &str {
        match self {
            Owner::Speaker(s) => &s.email,
            Owner::Volunteer(v) => &v.email,
            Owner::Organizer(o) => &o.email,
        }
    }
}

/// One message per person for the materials of one stop just claimed for a reminder.
fn remind_owners(
    conn: &mut DbConnection,
    env: &Env,
    stop_id: &str,
    due: &[&Material],
) -> Result<usize, AppError> {
    if due.is_empty() {
        return Ok(0);
    }
    let ctx = StopContext::load(conn, stop_id)?;
    // Each person with what is asked of them, in the order asked.
    let mut asks: Vec<(Owner, Vec<&Material>)> = Vec::new();
    let mut team: Option<Vec<Organizer>> = None;
    for m in due {
        let owners = match owners_of(conn, m)? {
            Some(owners) => owners,
            None => {
                // Nobody took it on: the organizers are the owners.
                if team.is_none() {
                    let mut members = Vec::new();
                    for member in crate::models::team::TourMember::team(conn, &ctx.tour.id)? {
                        if member.role == crate::domain::access::TeamRole::Local
                            && !member.stop_ids.contains(&stop_id.to_owned())
                        {
                            continue;
                        }
                        members.push(member.organizer);
                    }
                    team = Some(members);
                }
                team.iter()
                    .flatten()
                    .cloned()
                    .map(Owner::Organizer)
                    .collect()
            }
        };
        for owner in owners {
            match asks.iter_mut().find(|(o, _)| o.email() == owner.email()) {
                Some((_, list)) => list.push(m),
                None => asks.push((owner, vec![m])),
            }
        }
    }
    for (owner, materials) in &asks {
        let (name, lang, link) = match owner {
            Owner::Speaker(s) => (
                s.name.clone(),
                s.lang(),
                crate::services::magic_links::speaker(conn, env, s)?,
            ),
            Owner::Volunteer(v) => (
                v.name.clone(),
                v.lang(),
                crate::services::magic_links::volunteer(conn, env, v, Duration::days(8))?,
            ),
            Owner::Organizer(o) => (
                o.display_name().to_owned(),
                Lang::default(),
                env.links.url(&format!("/manage/stops/{stop_id}/materials")),
            ),
        };
        let mut what = Vec::new();
        for m in materials {
            let talk = talk_title(conn, m)?;
            what.push(describe(m, talk.as_deref(), lang));
        }
        // A reminder when each of them was asked for before.
        let reminder = materials.iter().all(|m| m.reminders_sent > 0);
        let mail = Mail::MaterialRequest {
            name: &name,
            stop: &ctx.mail(lang),
            what: &what,
            reminder,
            link: &link,
        };
        email::enqueue(
            conn,
            &env.links,
            Email::new(mail, lang, owner.email(), &name)
                .for_stop(&ctx.tour.id, &ctx.stop.id)
                .reply_to(ctx.tour.contact_email.as_deref()),
        )?;
    }
    Ok(asks.len())
}

/// Opens the requests of stops that have ended (run by the scheduler; marking a stop done
/// does it at once).
pub fn open_for_ended_stops(
    conn: &mut DbConnection,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    let ended = Stop::ended_between(conn, now - Duration::days(30), now)?;
    let mut n = 0;
    for stop in ended {
        n += db::write_transaction(conn, |conn| {
            if !StopJob::claim(conn, &stop.id, stop_job::MATERIALS, now)? {
                return Ok(0);
            }
            open_requests(conn, &stop, now)
        })?;
    }
    Ok(n)
}

/// An organizer opens the requests of a stop they run now (before it ended, or again after
/// a talk was added): how many were opened.
pub async fn request_materials(
    ctx: &Context,
    organizer: &Organizer,
    stop: &StopId,
) -> Result<usize, AppError> {
    let (organizer, stop) = (organizer.clone(), stop.clone());
    ctx.db
        .run(move |conn| {
            let (stop, _, _) = access::stop_for(conn, &organizer, &stop)?;
            open_requests(conn, &stop, db::now())
        })
        .await
}

/// Who hands a stop-level material in: a volunteer (by id) whose task owns it, or an organizer.
#[derive(Clone)]
pub enum Handler {
    Volunteer(String),
    Organizer(Organizer),
}

/// A material this person may hand in (a requested or received one they own), for upload.
pub async fn target(
    ctx: &Context,
    material: &MaterialId,
    who: &Handler,
) -> Result<Material, AppError> {
    let (material, who) = (material.clone(), who.clone());
    ctx.db
        .run(move |conn| target_in(conn, &material, &who))
        .await
}

fn target_in(
    conn: &mut DbConnection,
    material_id: &str,
    who: &Handler,
) -> Result<Material, AppError> {
    let m = Material::find(conn, material_id)?.ok_or_else(|| AppError::not_found("material"))?;
    match who {
        Handler::Organizer(o) => {
            access::stop_for(conn, o, &m.stop_id).map_err(|_| AppError::not_found("material"))?;
        }
        Handler::Volunteer(volunteer_id) => {
            let v = crate::models::task::Volunteer::find(conn, volunteer_id)?
                .ok_or_else(|| AppError::not_found("material"))?;
            if m.owner_email.as_deref() != Some(v.email.as_str()) {
                return Err(AppError::not_found("material"));
            }
        }
    }
    if m.status() == MaterialStatus::Published {
        return Err(AppError::conflict(
            ErrorCode::AlreadyPublished,
            "this material is published; ask the organizers to unpublish it first",
        ));
    }
    Ok(m)
}

/// The licence and consent asked with photos and videos.
pub fn media_terms(
    kind: MaterialKind,
    licence: &str,
    consent: bool,
) -> Result<(String, bool), AppError> {
    if !matches!(kind, MaterialKind::Photos | MaterialKind::Video) {
        return Ok((String::new(), false));
    }
    let licence = text::optional_line(licence, 100)
        .map_err(|e| AppError::invalid("licence", e.code, e.message))?;
    if !consent {
        return Err(AppError::invalid(
            "people_consented",
            FieldCode::ConsentRequired,
            "confirm that the people shown agreed",
        ));
    }
    Ok((material_rules::licence_or_default(licence), true))
}

/// Records what was handed in for a material: a link, a text, or a stored file (which
/// `http::uploads::record_or_discard` removes if this fails).
pub async fn hand_in(
    ctx: &Context,
    material: &MaterialId,
    who: &Handler,
    content: Content,
) -> Result<Material, AppError> {
    let (material, who) = (material.clone(), who.clone());
    ctx.db
        .run(move |conn| hand_in_in(conn, &material, &who, &content))
        .await
}

fn hand_in_in(
    conn: &mut DbConnection,
    material_id: &str,
    who: &Handler,
    content: &Content,
) -> Result<Material, AppError> {
    let m = target_in(conn, material_id, who)?;
    let received = Material::receive(conn, &m.id, content)?;
    Ok(received)
}

/// A written report (Markdown), handed in as text.
pub fn report_content(body: &str, uploaded_by: String) -> Result<Content, AppError> {
    let body =
        text::required(body, 100_000).map_err(|e| AppError::invalid("body", e.code, e.message))?;
    Ok(Content {
        body,
        uploaded_by,
        ..Content::default()
    })
}

/// Organizers publish (or take back) a received material.
pub async fn set_published(
    ctx: &Context,
    organizer: &Organizer,
    material: &MaterialId,
    publish: bool,
) -> Result<Material, AppError> {
    let (organizer, material) = (organizer.clone(), material.clone());
    ctx.db
        .run(move |conn| set_published_in(conn, &organizer, &material, publish))
        .await
}

fn set_published_in(
    conn: &mut DbConnection,
    organizer: &Organizer,
    material_id: &str,
    publish: bool,
) -> Result<Material, AppError> {
    let m = Material::find(conn, material_id)?.ok_or_else(|| AppError::not_found("material"))?;
    access::stop_for(conn, organizer, &m.stop_id).map_err(|_| AppError::not_found("material"))?;
    if m.status() == MaterialStatus::Requested {
        return Err(AppError::conflict(
            ErrorCode::NotReceived,
            "nothing was handed in yet",
        ));
    }
    let status = if publish {
        MaterialStatus::Published
    } else {
        MaterialStatus::Received
    };
    let m = Material::set_status(conn, &m.id, status)?;
    Ok(m)
}

/// A stop's materials with their talks and owners, for its dashboard. Slides of a slot
/// whose owner was not recorded (handed in before the request, by older versions) are the
/// talk's speakers'.
pub async fn stop_materials(
    ctx: &Context,
    organizer: &Organizer,
    stop: &StopId,
) -> Result<StopMaterials, AppError> {
    let (organizer, stop) = (organizer.clone(), stop.clone());
    ctx.db
        .run(move |conn| stop_materials_in(conn, &organizer, &stop))
        .await
}

fn stop_materials_in(
    conn: &mut DbConnection,
    organizer: &Organizer,
    stop_id: &str,
) -> Result<StopMaterials, AppError> {
    let (stop, tour, _) = access::stop_for(conn, organizer, stop_id)?;
    let list = Material::for_stop(conn, &stop.id)?;
    let entries = agenda::entries(conn, &stop.id)?;
    let mut out = Vec::with_capacity(list.len());
    for m in list {
        let talk = m
            .agenda_item_id
            .as_deref()
            .and_then(|id| entries.iter().find(|e| e.item.id == id))
            .and_then(|e| e.talk.as_ref());
        let owner = match (&m.owner_speaker_id, &m.owner_email) {
            (Some(id), _) => Speaker::find(conn, id)?.map(|s| s.name).unwrap_or_default(),
            (None, Some(e)) => crate::models::task::Volunteer::find_by_email(conn, e)?
                .map(|v| v.name)
                .unwrap_or_else(|| e.clone()),
            (None, None) => talk.map(|t| t.speaker_names()).unwrap_or_default(),
        };
        out.push(MaterialRow {
            talk: talk.map(|t| t.talk.title.clone()),
            material: m,
            owner,
        });
    }
    Ok((stop, tour, out))
}

/// The tour's collection per stop: (stop, its materials).
pub async fn tour_collection(
    ctx: &Context,
    organizer: &Organizer,
    tour: &TourId,
) -> Result<TourCollection, AppError> {
    let (organizer, tour) = (organizer.clone(), tour.clone());
    ctx.db
        .run(move |conn| tour_collection_in(conn, &organizer, &tour))
        .await
}

fn tour_collection_in(
    conn: &mut DbConnection,
    organizer: &Organizer,
    tour_id: &str,
) -> Result<TourCollection, AppError> {
    let (tour, reach) = access::tour_for(conn, organizer, tour_id)?;
    let stops = stops_in_reach(conn, &tour.id, &reach)?;
    let ids: Vec<String> = stops.iter().map(|s| s.id.clone()).collect();
    let all = Material::for_stops(conn, &ids)?;
    let per = stops
        .into_iter()
        .map(|s| {
            let mine = all.iter().filter(|m| m.stop_id == s.id).cloned().collect();
            (s, mine)
        })
        .collect();
    Ok((tour, per))
}

/// A volunteer's materials to hand in.
pub fn volunteer_requests(
    conn: &mut DbConnection,
    volunteer_id: &str,
) -> Result<Vec<(Material, Stop)>, AppError> {
    let v = crate::models::task::Volunteer::find(conn, volunteer_id)?
        .ok_or_else(|| AppError::not_found("volunteer"))?;
    Ok(Material::unpublished_of_owner(conn, &v.email)?)
}

/// The published materials of a public stop, for its page: per agenda item and per stop.
pub fn published(conn: &mut DbConnection, stop_id: &str) -> Result<Vec<Material>, AppError> {
    Ok(Material::for_stop(conn, stop_id)?
        .into_iter()
        .filter(|m| m.status() == MaterialStatus::Published)
        .collect())
}
