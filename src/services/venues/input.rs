//! Checking what an organizer types for a venue, against the venue as it is.

use crate::domain::content::{Subject, TextChange, Translations};
use crate::domain::text;
use crate::domain::venue::{CostKind, MAX_CAPACITY, VenueKind};
use crate::error::{AppError, FieldCode, FieldError, Validator};
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
    /// The name and directions in other languages.
    pub translations: Translations,
}

/// Checks the input against `base` (the venue as it is, or blanks for a new one).
/// Answers the fields and the texts in other languages.
pub(super) fn check(
    input: VenueInput,
    base: Option<&Venue>,
) -> Result<(VenueFields, Vec<TextChange>), AppError> {
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
    let texts = crate::services::content::checked(&mut v, Subject::Venue, &input.translations);
    v.finish()?;
    let fields = VenueFields {
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
    };
    Ok((fields, texts))
}
