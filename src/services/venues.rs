//! The shared venue library. A venue is shared for reading, not for writing: its creator
//! (and site admins) change it, and the teams of the tours that use it are told each time;
//! the others suggest a change or make their own copy.

use std::collections::BTreeMap;

use diesel::OptionalExtension;

use crate::db::{self, DbConnection};
use crate::domain::text;
use crate::domain::venue::{self as rules, CostKind, FieldChange, MAX_CAPACITY, VenueKind};
use crate::email::{self, AffectedStop, Email, Mail};
use crate::error::{AppError, ErrorCode, FieldCode, FieldError, Validator};
use crate::i18n::Lang;
use crate::models::access;
use crate::models::organizer::Organizer;
use crate::models::stop::{Stop, StopChanges, VenueUse};
use crate::models::team::TourMember;
use crate::models::tour::Tour;
use crate::models::venue::{self as venue_model, Venue, VenueFields};
use crate::read::venues::VenuePage;
use crate::services::Env;

/// A venue as an organizer describes it; `None` means "not given".
#[derive(Default, Debug, Clone)]
pub struct VenueInput {
    pub name: Option<String>,
    pub city: Option<String>,
    pub address: Option<String>,
    pub directions: Option<String>,
    pub capacity: Option<Result<i64, FieldError>>,
    pub kind: Option<String>,
    pub cost: Option<String>,
    pub cost_note: Option<String>,
    pub contact: Option<String>,
    pub weekday_only: Option<bool>,
    pub id_check_required: Option<bool>,
    pub caveats: Option<String>,
}

/// Checks the input against `base` (the venue as it is, or blanks for a new one).
fn check(input: VenueInput, base: Option<&Venue>) -> Result<VenueFields, AppError> {
    let mut v = Validator::new();
    let text_field = |v: &mut Validator,
                      name: &str,
                      given: Option<String>,
                      old: Option<&String>,
                      max: usize,
                      required: bool| {
        match given {
            Some(value) if required => v
                .check(name, text::required_line(&value, max))
                .unwrap_or_default(),
            Some(value) => v
                .check(name, text::optional(&value, max))
                .unwrap_or_default(),
            None => match old {
                Some(o) => o.clone(),
                None if required => {
                    v.add(name, FieldCode::Required, "is required");
                    String::new()
                }
                None => String::new(),
            },
        }
    };
    let name = text_field(&mut v, "name", input.name, base.map(|b| &b.name), 200, true);
    let city = text_field(&mut v, "city", input.city, base.map(|b| &b.city), 100, true);
    let address = text_field(
        &mut v,
        "address",
        input.address,
        base.map(|b| &b.address),
        500,
        false,
    );
    let directions = text_field(
        &mut v,
        "directions",
        input.directions,
        base.map(|b| &b.directions),
        5_000,
        false,
    );
    let cost_note = text_field(
        &mut v,
        "cost_note",
        input.cost_note,
        base.map(|b| &b.cost_note),
        500,
        false,
    );
    let contact = text_field(
        &mut v,
        "contact",
        input.contact,
        base.map(|b| &b.contact),
        500,
        false,
    );
    let caveats = text_field(
        &mut v,
        "caveats",
        input.caveats,
        base.map(|b| &b.caveats),
        5_000,
        false,
    );
    let capacity = match (input.capacity, base) {
        (Some(c), _) => v
            .check(
                "capacity",
                c.and_then(|c| text::number_in(c, 1, MAX_CAPACITY)),
            )
            .unwrap_or(0),
        (None, Some(b)) => b.capacity,
        (None, None) => {
            v.add("capacity", FieldCode::Required, "is required");
            0
        }
    };
    let kind = match (input.kind, base) {
        (Some(k), _) => match VenueKind::parse(k.trim()) {
            Some(k) => k,
            None => {
                v.add(
                    "kind",
                    FieldCode::InvalidChoice,
                    format!("must be one of: {}", VenueKind::choices()),
                );
                VenueKind::Other
            }
        },
        (None, Some(b)) => b.kind,
        (None, None) => VenueKind::Other,
    };
    let cost = match (input.cost, base) {
        (Some(c), _) => match CostKind::parse(c.trim()) {
            Some(c) => c,
            None => {
                v.add(
                    "cost",
                    FieldCode::InvalidChoice,
                    format!("must be one of: {}", CostKind::choices()),
                );
                CostKind::Free
            }
        },
        (None, Some(b)) => b.cost,
        (None, None) => CostKind::Free,
    };
    v.finish()?;
    Ok(VenueFields {
        name,
        city,
        address,
        directions,
        capacity,
        kind,
        cost,
        cost_note,
        contact,
        weekday_only: input
            .weekday_only
            .or(base.map(|b| b.weekday_only))
            .unwrap_or(false),
        id_check_required: input
            .id_check_required
            .or(base.map(|b| b.id_check_required))
            .unwrap_or(false),
        caveats,
    })
}

#[tracing::instrument(skip(conn, input), fields(organizer = %organizer.id))]
pub fn create_venue(
    conn: &mut DbConnection,
    organizer: &Organizer,
    input: VenueInput,
) -> Result<Venue, AppError> {
    let fields = check(input, None)?;
    Ok(Venue::insert(
        conn,
        &db::new_id(),
        &fields,
        Some(&organizer.id),
        db::now(),
    )?)
}

/// Whether the organizer may change the venue (see `domain::venue::may_edit`).
pub fn can_edit_venue(organizer: &Organizer, venue: &Venue) -> bool {
    rules::may_edit(
        organizer.is_admin,
        venue.created_by.as_deref(),
        &organizer.id,
    )
}

fn not_yours() -> AppError {
    AppError::forbidden(
        "only the venue's creator and site admins may change it: suggest a change to them, \
         or make your own copy",
    )
}

/// Changes a venue (its creator or a site admin only), and tells the teams of every tour
/// with a stop still to come there (or keeping it as a backup) what changed, in the same
/// transaction: their attendees read this address, and a new capacity moves their
/// registration targets.
#[tracing::instrument(skip(conn, env, input), fields(organizer = %organizer.id))]
pub fn update_venue(
    conn: &mut DbConnection,
    env: &Env,
    organizer: &Organizer,
    venue_id: &str,
    input: VenueInput,
) -> Result<Venue, AppError> {
    db::write_transaction(conn, |conn| {
        let venue = Venue::find(conn, venue_id)?.ok_or_else(|| AppError::not_found("venue"))?;
        if !can_edit_venue(organizer, &venue) {
            return Err(not_yours());
        }
        let fields = check(input, Some(&venue))?;
        let changes = rules::changes(&venue.fields().facts(), &fields.facts());
        if changes.is_empty() {
            return Ok(venue);
        }
        let uses = VenueUse::upcoming(conn, &venue.id, db::now())?;
        let capacity_moves = changes.iter().any(|c| c.field == "capacity");
        let mut before = Vec::with_capacity(uses.len());
        for u in &uses {
            before.push(target_of(conn, env, u, &venue, capacity_moves)?);
        }
        let updated = Venue::update(conn, &venue.id, &fields, db::now())?;
        let mut affected = Vec::with_capacity(uses.len());
        for (u, old) in uses.iter().zip(before) {
            let new = target_of(conn, env, u, &updated, capacity_moves)?;
            affected.push((
                u,
                AffectedStop {
                    tour: u.tour.name.clone(),
                    city: u.stop.city.clone(),
                    starts_at: u.stop.starts_at,
                    tz: u.stop.tz(),
                    as_backup: u.as_backup,
                    own_capacity: u.stop.capacity_override.is_some(),
                    target: old.zip(new).filter(|(a, b)| a != b),
                },
            ));
        }
        tell_teams(conn, env, organizer, &updated, &changes, &affected)?;
        Ok(updated)
    })
}

/// The registration target of a stop held at `venue`, when a capacity change could move it.
fn target_of(
    conn: &mut DbConnection,
    env: &Env,
    u: &VenueUse,
    venue: &Venue,
    capacity_moves: bool,
) -> Result<Option<i64>, AppError> {
    if !capacity_moves || u.as_backup || u.stop.capacity_override.is_some() {
        return Ok(None);
    }
    let plan = crate::services::stop_context::plan(conn, env, &u.stop, venue, &u.tour)?;
    Ok(Some(plan.target))
}

/// One e-mail per organizer (but the editor) of the tours concerned, naming the stops of
/// theirs the change touches; a local co-organizer hears only of their own stops.
fn tell_teams(
    conn: &mut DbConnection,
    env: &Env,
    editor: &Organizer,
    venue: &Venue,
    changes: &[FieldChange],
    affected: &[(&VenueUse, AffectedStop)],
) -> Result<(), AppError> {
    let mut tours: Vec<&str> = affected.iter().map(|(u, _)| u.tour.id.as_str()).collect();
    tours.sort();
    tours.dedup();
    // Organizer id → (organizer, the stops of theirs).
    let mut told: BTreeMap<String, (Organizer, Vec<AffectedStop>)> = BTreeMap::new();
    for tour_id in tours {
        for member in TourMember::team(conn, tour_id)? {
            if member.organizer.id == editor.id {
                continue;
            }
            let theirs = affected.iter().filter(|(u, _)| {
                u.tour.id == tour_id
                    && (member.role != crate::domain::access::TeamRole::Local
                        || member.stop_ids.contains(&u.stop.id))
            });
            let entry = told
                .entry(member.organizer.id.clone())
                .or_insert_with(|| (member.organizer.clone(), Vec::new()));
            entry.1.extend(theirs.map(|(_, a)| a.clone()));
        }
    }
    let link = env.links.url(&format!("/manage/venues/{}", venue.id));
    for (_, (organizer, stops)) in told {
        if stops.is_empty() {
            continue;
        }
        let lang = Lang::default();
        let mail = Mail::VenueChanged {
            venue: &venue.name,
            editor: editor.display_name(),
            changes,
            stops: &stops,
            link: &link,
        };
        email::enqueue(
            conn,
            &env.links,
            Email::new(mail, lang, &organizer.email, organizer.display_name()),
        )?;
    }
    Ok(())
}

/// Suggestions one organizer may send in an hour (e-mails, counting each recipient): the
/// creator should hear of a problem, not be flooded.
pub const SUGGESTIONS_PER_HOUR: i64 = 10;

/// Who heard of a suggestion.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SuggestionSentTo {
    Creator,
    /// The venue has no creator (demo data, the command line), or theirs is gone.
    SiteAdmins,
}

/// An organizer who may not change a venue suggests changes (checked like an edit) and/or
/// writes a message: the creator (or the site admins) get an e-mail with the changes as
/// "old → new", replies going to the suggester. Nothing about the venue changes.
#[tracing::instrument(skip(conn, env, input, message), fields(organizer = %organizer.id))]
pub fn suggest_change(
    conn: &mut DbConnection,
    env: &Env,
    organizer: &Organizer,
    venue_id: &str,
    input: VenueInput,
    message: &str,
) -> Result<SuggestionSentTo, AppError> {
    let message = text::optional(message, 2000)
        .map_err(|e| AppError::invalid("message", e.code, e.message))?;
    db::write_transaction(conn, |conn| {
        let venue = Venue::find(conn, venue_id)?.ok_or_else(|| AppError::not_found("venue"))?;
        if can_edit_venue(organizer, &venue) {
            return Err(AppError::conflict(
                ErrorCode::VenueIsYours,
                "you may change this venue yourself: edit it",
            ));
        }
        let fields = check(input, Some(&venue))?;
        let changes = rules::changes(&venue.fields().facts(), &fields.facts());
        if changes.is_empty() && message.trim().is_empty() {
            return Err(AppError::invalid(
                "message",
                FieldCode::Required,
                "change a field or say what is wrong",
            ));
        }
        let hour_ago = db::now() - chrono::Duration::hours(1);
        if venue_model::suggestions_sent_since(conn, &organizer.email, hour_ago)?
            >= SUGGESTIONS_PER_HOUR
        {
            return Err(AppError::too_many_requests(
                "you sent many suggestions in the last hour: try again later",
            )
            .retry_after(3600));
        }
        let creator = match &venue.created_by {
            Some(id) => Organizer::find(conn, id).optional()?,
            None => None,
        };
        let (recipients, sent_to) = match creator {
            Some(c) => (vec![c], SuggestionSentTo::Creator),
            None => (
                Organizer::list(conn)?
                    .into_iter()
                    .filter(|o| o.is_admin)
                    .collect(),
                SuggestionSentTo::SiteAdmins,
            ),
        };
        if recipients.is_empty() {
            return Err(AppError::conflict(
                ErrorCode::NobodyToAsk,
                "this venue has no creator and the site has no admin to ask",
            ));
        }
        let suggester = format!("{} <{}>", organizer.display_name(), organizer.email);
        let link = env.links.url(&format!("/manage/venues/{}/edit", venue.id));
        for r in recipients {
            let lang = Lang::default();
            let mail = Mail::VenueSuggestion {
                venue: &venue.name,
                suggester: &suggester,
                changes: &changes,
                message: &message,
                to_admins: sent_to == SuggestionSentTo::SiteAdmins,
                link: &link,
            };
            email::enqueue(
                conn,
                &env.links,
                Email::new(mail, lang, &r.email, r.display_name()).reply_to(Some(&organizer.email)),
            )?;
        }
        Ok(sent_to)
    })
}

/// The caller's stops still to come that use the venue (as their place or a backup): what a
/// copy can take over.
pub fn my_uses(
    conn: &mut DbConnection,
    organizer: &Organizer,
    venue_id: &str,
) -> Result<Vec<VenueUse>, AppError> {
    let mut out = Vec::new();
    for u in VenueUse::upcoming(conn, venue_id, db::now())? {
        if access::tour_access(conn, organizer, &u.tour.id)?
            .is_some_and(|a| a.covers_stop(&u.stop.id))
        {
            out.push(u);
        }
    }
    Ok(out)
}

/// Makes the caller's own copy of a venue (`copied_from` names the original; the copy is
/// theirs to edit) and moves the named stops of theirs from the original to the copy, as
/// their place or in their backup list. The copy is identical when it is made, so the move
/// changes nothing for attendees: no venue switch, no e-mail.
#[tracing::instrument(skip(conn), fields(organizer = %organizer.id))]
pub fn copy_venue(
    conn: &mut DbConnection,
    organizer: &Organizer,
    venue_id: &str,
    stop_ids: &[String],
) -> Result<(Venue, usize), AppError> {
    db::write_transaction(conn, |conn| {
        let original = Venue::find(conn, venue_id)?.ok_or_else(|| AppError::not_found("venue"))?;
        let mine = my_uses(conn, organizer, &original.id)?;
        let mut to_move: Vec<&VenueUse> = Vec::new();
        for id in stop_ids {
            let found: Vec<&VenueUse> = mine.iter().filter(|u| u.stop.id == *id).collect();
            if found.is_empty() {
                return Err(AppError::invalid(
                    "stop_ids",
                    FieldCode::NotYourStop,
                    "name stops of yours, still to come, that use this venue",
                ));
            }
            to_move.extend(found);
        }
        let copy = Venue::insert_copy(
            conn,
            &db::new_id(),
            &original.fields(),
            &organizer.id,
            &original.id,
            db::now(),
        )?;
        let mut moved = std::collections::HashSet::new();
        for u in to_move {
            if u.as_backup {
                let ids: Vec<String> = Stop::backups(conn, &u.stop.id)?
                    .into_iter()
                    .map(|b| {
                        if b.id == original.id {
                            copy.id.clone()
                        } else {
                            b.id
                        }
                    })
                    .collect();
                Stop::set_backups(conn, &u.stop.id, &ids)?;
            } else {
                Stop::update(
                    conn,
                    &u.stop.id,
                    &StopChanges {
                        venue_id: Some(copy.id.clone()),
                        updated_at: Some(db::now()),
                        ..StopChanges::default()
                    },
                )?;
            }
            moved.insert(u.stop.id.clone());
        }
        Ok((copy, moved.len()))
    })
}

pub fn get_venue(conn: &mut DbConnection, venue_id: &str) -> Result<Venue, AppError> {
    Venue::find(conn, venue_id)?.ok_or_else(|| AppError::not_found("venue"))
}

pub fn venue_page(
    conn: &mut DbConnection,
    organizer: &Organizer,
    venue_id: &str,
) -> Result<VenuePage, AppError> {
    let venue = get_venue(conn, venue_id)?;
    let history = venue_history(conn, organizer, venue_id)?;
    let copied_from = match &venue.copied_from {
        Some(id) => Venue::find(conn, id)?,
        None => None,
    };
    Ok(VenuePage {
        can_edit: can_edit_venue(organizer, &venue),
        is_creator: venue.created_by.as_deref() == Some(organizer.id.as_str()),
        my_uses: my_uses(conn, organizer, venue_id)?,
        history,
        copied_from,
        venue,
    })
}

/// A venue's stops that the organizer may know of: their own tours' stops, and the public
/// stops of public tours.
pub fn venue_history(
    conn: &mut DbConnection,
    organizer: &Organizer,
    venue_id: &str,
) -> Result<Vec<(Stop, Tour)>, AppError> {
    let mine = access::visible_tour_ids(conn, organizer)?;
    let history = Stop::held_at(conn, venue_id)?;
    let mut out = Vec::new();
    for (stop, tour) in history {
        let visible = if mine.contains(&tour.id) {
            let reach = access::tour_access(conn, organizer, &tour.id)?;
            access::sees_stop_tour(reach.as_ref(), &stop)
        } else {
            tour.is_public() && stop.status().is_public()
        };
        if visible {
            out.push((stop, tour));
        }
    }
    Ok(out)
}
