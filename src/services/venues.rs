use diesel::prelude::*;

use crate::db::schema::{stops, tour_members};
use crate::db::{self, DbConnection};
use crate::domain::text;
use crate::domain::venue::{CostKind, MAX_CAPACITY, VenueKind};
use crate::error::{AppError, FieldError, Validator};
use crate::models::access;
use crate::models::organizer::Organizer;
use crate::models::stop::Stop;
use crate::models::tour::Tour;
use crate::models::venue::{Venue, VenueFields};

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
                .check(name, text::required(&value, max))
                .unwrap_or_default(),
            Some(value) => v
                .check(name, text::optional(&value, max))
                .unwrap_or_default(),
            None => match old {
                Some(o) => o.clone(),
                None if required => {
                    v.add(name, "required", "is required");
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
            v.add("capacity", "required", "is required");
            0
        }
    };
    let kind = match (input.kind, base) {
        (Some(k), _) => match VenueKind::parse(k.trim()) {
            Some(k) => k.as_str().to_owned(),
            None => {
                v.add(
                    "kind",
                    "invalid_choice",
                    format!("must be one of: {}", VenueKind::choices()),
                );
                String::new()
            }
        },
        (None, Some(b)) => b.kind.clone(),
        (None, None) => VenueKind::Other.as_str().to_owned(),
    };
    let cost = match (input.cost, base) {
        (Some(c), _) => match CostKind::parse(c.trim()) {
            Some(c) => c.as_str().to_owned(),
            None => {
                v.add(
                    "cost",
                    "invalid_choice",
                    format!("must be one of: {}", CostKind::choices()),
                );
                String::new()
            }
        },
        (None, Some(b)) => b.cost.clone(),
        (None, None) => CostKind::Free.as_str().to_owned(),
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

/// Venues are shared, but only their creator, site admins and the teams of tours that use
/// them may change them: an address edited by a stranger would mislead our attendees.
pub fn can_edit_venue(
    conn: &mut DbConnection,
    organizer: &Organizer,
    venue: &Venue,
) -> Result<bool, AppError> {
    if organizer.is_admin || venue.created_by.as_deref() == Some(organizer.id.as_str()) {
        return Ok(true);
    }
    let used_by_my_tours: i64 = stops::table
        .inner_join(tour_members::table.on(tour_members::tour_id.eq(stops::tour_id)))
        .filter(stops::venue_id.eq(&venue.id))
        .filter(tour_members::organizer_id.eq(&organizer.id))
        .filter(tour_members::role.ne("local"))
        .count()
        .get_result(conn)?;
    Ok(used_by_my_tours > 0)
}

#[tracing::instrument(skip(conn, input), fields(organizer = %organizer.id))]
pub fn update_venue(
    conn: &mut DbConnection,
    organizer: &Organizer,
    venue_id: &str,
    input: VenueInput,
) -> Result<Venue, AppError> {
    let venue = Venue::find(conn, venue_id)?.ok_or_else(|| AppError::not_found("venue"))?;
    if !can_edit_venue(conn, organizer, &venue)? {
        return Err(AppError::forbidden(
            "only the venue's creator and the teams of tours held there may change it",
        ));
    }
    let fields = check(input, Some(&venue))?;
    let venue = Venue::update(conn, venue_id, &fields, db::now())?;
    crate::cache::touch(conn, &[crate::cache::keys::VENUES.to_owned()])?;
    Ok(venue)
}

pub fn get_venue(conn: &mut DbConnection, venue_id: &str) -> Result<Venue, AppError> {
    Venue::find(conn, venue_id)?.ok_or_else(|| AppError::not_found("venue"))
}

/// A venue's stops that the organizer may know of: their own tours' stops, and the public
/// stops of public tours.
pub fn venue_history(
    conn: &mut DbConnection,
    organizer: &Organizer,
    venue_id: &str,
) -> Result<Vec<(Stop, Tour)>, AppError> {
    let mine = access::visible_tour_ids(conn, organizer)?;
    let history = Venue::history(conn, venue_id)?;
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
