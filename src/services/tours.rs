use chrono::NaiveDateTime;

use crate::cache::Change;
use crate::db::{self, DbConnection};
use crate::domain::access::{TeamRole, TourAccess};
use crate::domain::content::{Subject, TextChange, Translations};
use crate::domain::ids::TourId;
use crate::domain::text;
use crate::domain::tour::{self as tour_rules, DEFAULT_PRIOR_SHOW_RATE, TourStatus};
use crate::error::{AppError, FieldCode, FieldError, Validator};
use crate::models::organizer::Organizer;
use crate::models::team::TeamMemberView;
use crate::models::team::TourMember;
use crate::models::tour::{NewTour, Tour, TourChanges};
use crate::models::translation::{RecordTexts, Texts, Translation};
use crate::read::dashboards::{StopFigures, TourTotals};
use crate::services::context::Context;
use crate::services::{access, dashboards};

/// What an organizer asks to set; `None` means "not given". Values are raw and checked here.
#[derive(Default, Debug, Clone)]
pub struct TourInput {
    pub name: Option<String>,
    pub slug: Option<String>,
    pub description: Option<String>,
    pub contact_email: Option<Option<String>>,
    /// Read from JSON or a form; a value that could not be read arrives as its error.
    pub prior_show_rate: Option<Result<f64, FieldError>>,
    pub status: Option<String>,
    pub cfp_opens_at: Option<Option<NaiveDateTime>>,
    pub cfp_closes_at: Option<Option<NaiveDateTime>>,
    /// The name and description in other languages.
    pub translations: Translations,
}

struct CheckedTour {
    changes: TourChanges,
    texts: Vec<TextChange>,
}

fn check(input: &TourInput, creating: bool) -> Result<CheckedTour, AppError> {
    let mut v = Validator::new();
    let mut changes = TourChanges::default();
    match &input.name {
        Some(name) => changes.name = v.check("name", text::required_line(name, 200)),
        None if creating => v.add("name", FieldCode::Required, "is required"),
        None => {}
    }
    if let Some(slug) = input
        .slug
        .as_deref()
        .filter(|s| !s.trim().is_empty() || !creating)
    {
        changes.slug = v.check("slug", tour_rules::slug(slug));
    }
    if let Some(description) = &input.description {
        changes.description = v.check("description", text::optional(description, 20_000));
    }
    if let Some(contact) = &input.contact_email {
        changes.contact_email = match contact.as_deref().map(str::trim) {
            None | Some("") => Some(None),
            Some(email) => v.check("contact_email", text::email(email)).map(Some),
        };
    }
    if let Some(rate) = &input.prior_show_rate {
        changes.prior_show_rate =
            v.check("prior_show_rate", rate.clone().and_then(text::show_rate));
    }
    if let Some(status) = &input.status {
        match TourStatus::parse(status) {
            Some(s) => changes.status = Some(s),
            None => v.add(
                "status",
                FieldCode::InvalidChoice,
                format!("must be one of: {}", TourStatus::choices()),
            ),
        }
    }
    changes.cfp_opens_at = input.cfp_opens_at;
    changes.cfp_closes_at = input.cfp_closes_at;
    let texts = crate::services::content::checked(&mut v, Subject::Tour, &input.translations);
    v.finish()?;
    Ok(CheckedTour { changes, texts })
}

fn cfp_in_order(
    opens: Option<NaiveDateTime>,
    closes: Option<NaiveDateTime>,
) -> Result<(), AppError> {
    if let (Some(o), Some(c)) = (opens, closes)
        && c <= o
    {
        return Err(AppError::invalid(
            "cfp_closes_at",
            FieldCode::EndsBeforeStart,
            "must be after the call for proposals opens",
        ));
    }
    Ok(())
}

/// Creates a draft tour; the creator becomes its owner.
pub async fn create_tour(
    ctx: &Context,
    organizer: &Organizer,
    input: TourInput,
) -> Result<Tour, AppError> {
    let organizer = organizer.clone();
    ctx.db
        .run(move |conn| create_tour_in(conn, &organizer, input))
        .await
}

/// `create_tour` on a connection (the demo loads its tours this way).
#[tracing::instrument(skip(conn, input), fields(organizer = %organizer.id))]
pub fn create_tour_in(
    conn: &mut DbConnection,
    organizer: &Organizer,
    input: TourInput,
) -> Result<Tour, AppError> {
    let CheckedTour { changes, texts } = check(&input, true)?;
    let name = changes.name.clone().unwrap_or_default();
    cfp_in_order(
        changes.cfp_opens_at.flatten(),
        changes.cfp_closes_at.flatten(),
    )?;
    db::write_transaction(conn, |conn| {
        let slug = match changes.slug.clone() {
            Some(slug) => {
                if Tour::slug_taken(conn, &slug, None)? {
                    return Err(slug_taken());
                }
                slug
            }
            None => free_slug(conn, &tour_rules::slug_from_name(&name))?,
        };
        let now = db::now();
        let id = db::new_id();
        Tour::insert(
            conn,
            &NewTour {
                id: id.clone(),
                slug,
                name,
                description: changes.description.clone().unwrap_or_default(),
                contact_email: changes.contact_email.clone().flatten(),
                status: changes.status.unwrap_or(TourStatus::Draft),
                prior_show_rate: changes.prior_show_rate.unwrap_or(DEFAULT_PRIOR_SHOW_RATE),
                cfp_opens_at: changes.cfp_opens_at.flatten(),
                cfp_closes_at: changes.cfp_closes_at.flatten(),
                created_by: Some(organizer.id.clone()),
                created_at: now,
                updated_at: now,
            },
        )?;
        Translation::apply(conn, Subject::Tour, &id, &texts, Some(Change::Tour(&id)))?;
        TourMember::put(conn, &id, &organizer.id, TeamRole::Owner, &[])?;
        Tour::find(conn, &id)?.ok_or_else(|| AppError::not_found("tour"))
    })
}

fn slug_taken() -> AppError {
    AppError::invalid(
        "slug",
        FieldCode::SlugTaken,
        "is already used by another tour",
    )
}

/// The slug itself, or the first of slug-2, slug-3, … that is free.
fn free_slug(conn: &mut DbConnection, base: &str) -> Result<String, AppError> {
    if !Tour::slug_taken(conn, base, None)? {
        return Ok(base.to_owned());
    }
    for n in 2..1000 {
        let candidate = format!("{base}-{n}");
        if !Tour::slug_taken(conn, &candidate, None)? {
            return Ok(candidate);
        }
    }
    Err(slug_taken())
}

/// Changes a tour the caller may edit (status included: publish, archive, back to draft);
/// answers it with the caller's access to it.
pub async fn update_tour(
    ctx: &Context,
    organizer: &Organizer,
    tour: &TourId,
    input: TourInput,
) -> Result<(Tour, TourAccess), AppError> {
    let (organizer, tour) = (organizer.clone(), tour.clone());
    ctx.db
        .run(move |conn| {
            let tour = update_tour_in(conn, &organizer, &tour, input)?;
            let (_, access) = access::tour_for(conn, &organizer, &tour.id)?;
            Ok((tour, access))
        })
        .await
}

#[tracing::instrument(skip(conn, input), fields(organizer = %organizer.id))]
fn update_tour_in(
    conn: &mut DbConnection,
    organizer: &Organizer,
    tour_id: &str,
    input: TourInput,
) -> Result<Tour, AppError> {
    let CheckedTour { mut changes, texts } = check(&input, false)?;
    db::write_transaction(conn, |conn| {
        let (tour, _) = access::editable_tour(conn, organizer, tour_id)?;
        if let Some(slug) = &changes.slug
            && Tour::slug_taken(conn, slug, Some(&tour.id))?
        {
            return Err(slug_taken());
        }
        let opens = changes.cfp_opens_at.unwrap_or(tour.cfp_opens_at);
        let closes = changes.cfp_closes_at.unwrap_or(tour.cfp_closes_at);
        cfp_in_order(opens, closes)?;
        changes.updated_at = Some(db::now());
        let tour = Tour::update(conn, &tour.id, &changes)?;
        Translation::apply(
            conn,
            Subject::Tour,
            &tour.id,
            &texts,
            Some(Change::Tour(&tour.id)),
        )?;
        Ok(tour)
    })
}

/// A tour the caller may see, with their access to it.
pub async fn tour_for(
    ctx: &Context,
    organizer: &Organizer,
    tour: &TourId,
) -> Result<(Tour, TourAccess), AppError> {
    let (organizer, tour) = (organizer.clone(), tour.clone());
    ctx.db
        .run(move |conn| access::tour_for(conn, &organizer, &tour))
        .await
}

/// A tour the caller may edit, with its texts in other languages (for its edit form); 403 if
/// theirs but read-only for them.
pub async fn editable_tour(
    ctx: &Context,
    organizer: &Organizer,
    tour: &TourId,
) -> Result<(Tour, RecordTexts), AppError> {
    let (organizer, tour) = (organizer.clone(), tour.clone());
    ctx.db
        .run(move |conn| {
            let tour = access::editable_tour(conn, &organizer, &tour)?.0;
            let texts = Texts::of(conn, &[&tour])?.record(Subject::Tour, &tour.id);
            Ok((tour, texts))
        })
        .await
}

/// The texts in other languages of a tour the caller may see (the API answers them).
pub async fn tour_texts(
    ctx: &Context,
    organizer: &Organizer,
    tour: &TourId,
) -> Result<RecordTexts, AppError> {
    let (organizer, tour) = (organizer.clone(), tour.clone());
    ctx.db
        .run(move |conn| {
            let (tour, _) = access::tour_for(conn, &organizer, &tour)?;
            Ok(Texts::of(conn, &[&tour])?.record(Subject::Tour, &tour.id))
        })
        .await
}

/// What the organizers' page of a tour shows.
pub struct TourPageData {
    pub tour: Tour,
    pub access: TourAccess,
    /// The stops the caller may see (a local member sees their own only), each with its
    /// figures in its tense, soonest first.
    pub stops: Vec<StopFigures>,
    pub totals: TourTotals,
    pub team: Vec<TeamMemberView>,
}

pub async fn tour_page(
    ctx: &Context,
    organizer: &Organizer,
    tour: &TourId,
) -> Result<TourPageData, AppError> {
    let (env, organizer, tour) = (ctx.env.clone(), organizer.clone(), tour.clone());
    ctx.db
        .run(move |conn| {
            let (tour, access) = access::tour_for(conn, &organizer, &tour)?;
            let stops = dashboards::tour_figures_in(conn, &env, &tour, &access)?;
            let team = crate::services::team::team_in(conn, &organizer, &tour.id)?;
            Ok(TourPageData {
                totals: dashboards::totals(&stops),
                tour,
                access,
                stops,
                team,
            })
        })
        .await
}

/// The tours the caller is in (all of them for a site admin), with their role.
pub async fn list_tours(
    ctx: &Context,
    organizer: &Organizer,
) -> Result<Vec<(Tour, Option<TeamRole>)>, AppError> {
    let organizer = organizer.clone();
    ctx.db
        .run(move |conn| list_tours_in(conn, &organizer))
        .await
}

/// `list_tours` on a connection (a speaker's history lists the tours to ask them for).
pub fn list_tours_in(
    conn: &mut DbConnection,
    organizer: &Organizer,
) -> Result<Vec<(Tour, Option<TeamRole>)>, AppError> {
    Ok(Tour::list_for_member(
        conn,
        &organizer.id,
        organizer.is_admin,
    )?)
}
