//! Who may do what with a tour. The facts (membership rows) are loaded in `models::access`;
//! the decisions are made here.

use crate::domain::text_enum;

text_enum!(
    /// A member's place in a tour's team. The creator is the owner; owners add the others.
    TeamRole {
        Owner => "owner",
        Organizer => "organizer",
        Local => "local",
    }
);

/// What one signed-in organizer may do with one tour.
#[derive(Clone, Debug, PartialEq)]
pub struct TourAccess {
    /// Site admins may do everything.
    pub admin: bool,
    pub role: Option<TeamRole>,
    /// For a `local` member: the stops whose local team they are.
    pub local_stop_ids: Vec<String>,
}

impl TourAccess {
    pub fn admin() -> Self {
        TourAccess {
            admin: true,
            role: None,
            local_stop_ids: Vec::new(),
        }
    }

    fn whole_tour(&self) -> bool {
        self.admin || matches!(self.role, Some(TeamRole::Owner | TeamRole::Organizer))
    }

    /// Edit the tour itself, create stops, change any stop.
    pub fn can_edit_tour(&self) -> bool {
        self.whole_tour()
    }

    /// Add and remove co-organizers.
    pub fn can_manage_team(&self) -> bool {
        self.admin || self.role == Some(TeamRole::Owner)
    }

    /// See and run this stop (its dashboard, registrations, check-in, tasks).
    pub fn covers_stop(&self, stop_id: &str) -> bool {
        self.whole_tour() || self.local_stop_ids.iter().any(|s| s == stop_id)
    }

    /// True for local co-organizers, who see only their stops.
    pub fn is_stop_limited(&self) -> bool {
        !self.whole_tour()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(role: TeamRole, stops: &[&str]) -> TourAccess {
        TourAccess {
            admin: false,
            role: Some(role),
            local_stop_ids: stops.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn owners_manage_the_team_and_organizers_do_not() {
        assert!(member(TeamRole::Owner, &[]).can_manage_team());
        assert!(!member(TeamRole::Organizer, &[]).can_manage_team());
        assert!(member(TeamRole::Organizer, &[]).can_edit_tour());
        assert!(TourAccess::admin().can_manage_team());
    }

    #[test]
    fn local_members_run_only_their_stops() {
        let local = member(TeamRole::Local, &["s1"]);
        assert!(local.covers_stop("s1"));
        assert!(!local.covers_stop("s2"));
        assert!(!local.can_edit_tour());
        assert!(local.is_stop_limited());
    }
}
