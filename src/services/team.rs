//! Tour teams: owners add co-organizers by e-mail, for the whole tour or some stops.

use crate::db::{self, DbConnection};
use crate::domain::access::TeamRole;
use crate::domain::ids::{OrganizerId, TourId};
use crate::domain::text;
use crate::email::{self, Email, Links, Mail};
use crate::error::{AppError, ErrorCode, FieldCode, Validator};
use crate::i18n::Lang;
use crate::models::access::stops_in_reach;
use crate::models::organizer::{NewOrganizer, Organizer};
use crate::models::stop::Stop;
use crate::models::team::{TeamMemberView, TourMember};
use crate::models::tour::Tour;
use crate::services::context::Context;
use crate::services::{access, accounts};

/// The result of adding someone: their account, their place in the team, and whether
/// they were e-mailed an invitation to set a password. The invitation's link goes to their
/// mailbox only: whoever held it could set the password of an address that is not theirs.
pub struct Added {
    pub organizer: Organizer,
    pub member: TeamMemberView,
    pub invited: bool,
}

/// Adds someone to a tour's team by e-mail, or changes their role (see `put_member_in`).
pub async fn put_member(
    ctx: &Context,
    lang: Lang,
    caller: &Organizer,
    tour: &TourId,
    input: MemberInput,
) -> Result<Added, AppError> {
    let (links, caller, tour) = (ctx.env.links.clone(), caller.clone(), tour.clone());
    ctx.db
        .run(move |conn| {
            let (organizer, invited) = put_member_in(
                conn,
                &links,
                lang,
                &caller,
                &tour,
                &input.email,
                &input.role,
                &input.stop_ids,
            )?;
            let member = team_in(conn, &caller, &tour)?
                .into_iter()
                .find(|m| m.organizer.id == organizer.id)
                .ok_or_else(|| AppError::not_found("team member"))?;
            Ok(Added {
                organizer,
                member,
                invited,
            })
        })
        .await
}

/// Whom to add and as what, as typed (checked by `put_member_in`).
pub struct MemberInput {
    pub email: String,
    pub role: String,
    /// For a local co-organizer: the stops they run.
    pub stop_ids: Vec<String>,
}

pub async fn remove_member(
    ctx: &Context,
    caller: &Organizer,
    tour: &TourId,
    organizer: &OrganizerId,
) -> Result<(), AppError> {
    let (caller, tour, organizer) = (caller.clone(), tour.clone(), organizer.clone());
    ctx.db
        .run(move |conn| remove_member_in(conn, &caller, &tour, &organizer))
        .await
}

/// A tour's team, for someone who may see the tour.
pub async fn team(
    ctx: &Context,
    caller: &Organizer,
    tour: &TourId,
) -> Result<Vec<TeamMemberView>, AppError> {
    let (caller, tour) = (caller.clone(), tour.clone());
    ctx.db.run(move |conn| team_in(conn, &caller, &tour)).await
}

/// Adds someone (or changes their role). A new address gets an account and an invitation
/// e-mail, queued in the same transaction.
#[tracing::instrument(skip(conn, links), fields(organizer = %caller.id))]
#[expect(
    clippy::too_many_arguments,
    reason = "one use case, each argument a distinct input"
)]
fn put_member_in(
    conn: &mut DbConnection,
    links: &Links,
    lang: Lang,
    caller: &Organizer,
    tour_id: &str,
    email: &str,
    role: &str,
    stop_ids: &[String],
) -> Result<(Organizer, bool), AppError> {
    let mut v = Validator::new();
    let email = v.check("email", text::email(email));
    let role = match TeamRole::parse(role.trim()) {
        Some(r) => Some(r),
        None => {
            v.add(
                "role",
                FieldCode::InvalidChoice,
                format!("must be one of: {}", TeamRole::choices()),
            );
            None
        }
    };
    if role == Some(TeamRole::Local) && stop_ids.is_empty() {
        v.add(
            "stop_ids",
            FieldCode::Required,
            "a local co-organizer needs at least one stop",
        );
    }
    v.finish()?;
    let (email, role) = (
        email.unwrap_or_default(),
        role.unwrap_or(TeamRole::Organizer),
    );
    db::write_transaction(conn, |conn| {
        let (tour, access) = access::tour_for(conn, caller, tour_id)?;
        if !access.can_manage_team() {
            return Err(AppError::forbidden(
                "only the tour's owners may change its team",
            ));
        }
        Tour::lock(conn, &tour.id)?;
        let tour_stops: Vec<String> = stops_in_reach(conn, &tour.id, &access)?
            .into_iter()
            .map(|s: Stop| s.id)
            .collect();
        if stop_ids.iter().any(|s| !tour_stops.contains(s)) {
            return Err(AppError::invalid(
                "stop_ids",
                FieldCode::UnknownStop,
                "every stop must belong to this tour",
            ));
        }
        let (organizer, created) = match Organizer::find_by_email(conn, &email)? {
            Some(o) => (o, false),
            None => {
                let o = Organizer::insert(
                    conn,
                    &NewOrganizer {
                        id: &db::new_id(),
                        email: &email,
                        name: "",
                        password_hash: None,
                        is_admin: false,
                        created_at: db::now(),
                    },
                )?;
                (o, true)
            }
        };
        if let Some(existing) = TourMember::find(conn, &tour.id, &organizer.id)?
            && existing.role() == TeamRole::Owner
            && role != TeamRole::Owner
            && TourMember::count_owners(conn, &tour.id)? <= 1
        {
            return Err(AppError::conflict(
                ErrorCode::LastOwner,
                "a tour keeps at least one owner",
            ));
        }
        TourMember::put(conn, &tour.id, &organizer.id, role, stop_ids)?;
        let invited = created || organizer.password_hash.is_none();
        if invited {
            let token = accounts::invite_link(conn, &organizer)?;
            let mail = Mail::OrganizerInvite {
                inviter: caller.display_name(),
                tour: Some(&tour.name),
                link: &links.url(&format!("/invite/{token}")),
            };
            email::enqueue(
                conn,
                links,
                Email::new(mail, lang, &organizer.email, &organizer.name).for_tour(&tour.id),
            )?;
        }
        Ok((organizer, invited))
    })
}

fn remove_member_in(
    conn: &mut DbConnection,
    caller: &Organizer,
    tour_id: &str,
    organizer_id: &str,
) -> Result<(), AppError> {
    db::write_transaction(conn, |conn| {
        let (tour, access) = access::tour_for(conn, caller, tour_id)?;
        if !access.can_manage_team() {
            return Err(AppError::forbidden(
                "only the tour's owners may change its team",
            ));
        }
        Tour::lock(conn, &tour.id)?;
        let member = TourMember::find(conn, &tour.id, organizer_id)?
            .ok_or_else(|| AppError::not_found("team member"))?;
        if member.role() == TeamRole::Owner && TourMember::count_owners(conn, &tour.id)? <= 1 {
            return Err(AppError::conflict(
                ErrorCode::LastOwner,
                "a tour keeps at least one owner",
            ));
        }
        TourMember::remove(conn, &tour.id, organizer_id)?;
        Ok(())
    })
}

pub(crate) fn team_in(
    conn: &mut DbConnection,
    caller: &Organizer,
    tour_id: &str,
) -> Result<Vec<TeamMemberView>, AppError> {
    let (tour, _) = access::tour_for(conn, caller, tour_id)?;
    Ok(TourMember::team(conn, &tour.id)?)
}
