//! Tour teams: owners add co-organizers by e-mail, for the whole tour or some stops.

use crate::db::{self, DbConnection};
use crate::domain::access::TeamRole;
use crate::domain::text;
use crate::email::{self, Email, Links, Mail};
use crate::error::{AppError, ErrorCode, FieldCode, Validator};
use crate::i18n::Lang;
use crate::models::access::stops_in_reach;
use crate::models::organizer::{NewOrganizer, Organizer};
use crate::models::stop::Stop;
use crate::models::team::{TeamMemberView, TourMember};
use crate::models::tour::Tour;
use crate::services::{access, accounts};

/// The result of adding someone: their account, and whether they were e-mailed an
/// invitation to set a password. The invitation's link goes to their mailbox only: whoever
/// held it could set the password of an address that is not theirs.
pub struct Added {
    pub organizer: Organizer,
    pub invited: bool,
}

/// Adds someone (or changes their role). A new address gets an account and an invitation
/// e-mail, queued in the same transaction.
#[tracing::instrument(skip(conn, links), fields(organizer = %caller.id))]
#[expect(
    clippy::too_many_arguments,
    reason = "one use case, each argument a distinct input"
)]
pub fn put_member(
    conn: &mut DbConnection,
    links: &Links,
    lang: Lang,
    caller: &Organizer,
    tour_id: &str,
    email: &str,
    role: &str,
    stop_ids: &[String],
) -> Result<Added, AppError> {
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
        Ok(Added { organizer, invited })
    })
}

pub fn remove_member(
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

pub fn team(
    conn: &mut DbConnection,
    caller: &Organizer,
    tour_id: &str,
) -> Result<Vec<TeamMemberView>, AppError> {
    let (tour, _) = access::tour_for(conn, caller, tour_id)?;
    Ok(TourMember::team(conn, &tour.id)?)
}
