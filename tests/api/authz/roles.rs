//! Who calls (every kind of caller the matrix tries), who may (a route's access), and the
//! personal data planted for a leak to show.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Role {
    Anonymous,
    /// An organizer with a tour of their own, not in this tour's team.
    OtherOrganizer,
    /// In the team as the local team of stop A only.
    LocalOrganizer,
    /// Named by the organizers at stop A's desk, signed in with the mailed link.
    DeskHelper,
    /// Holds the registration desk task of stop A, signed in with the volunteer link, not
    /// (yet) given desk access by an organizer: a claim opens no one's data.
    DeskVolunteer,
    /// Gives a talk at stop A, signed in with the speaker link.
    Speaker,
    /// Registered for stop A, holding their manage link.
    Attendee,
    Owner,
    SiteAdmin,
    /// Was a whole-tour organizer, removed from the team; still signed in, token valid.
    RemovedOrganizer,
    /// A whole-tour organizer's browser cookie, copied before they signed out, and their
    /// API token after they revoked it.
    SignedOut,
    /// A whole-tour organizer's cookie and token from before their password was reset.
    AfterReset,
    /// A whole-tour organizer whose session and API token have expired.
    Expired,
}

pub(super) const ROLES: [Role; 13] = [
    Role::Anonymous,
    Role::OtherOrganizer,
    Role::LocalOrganizer,
    Role::DeskHelper,
    Role::DeskVolunteer,
    Role::Speaker,
    Role::Attendee,
    Role::Owner,
    Role::SiteAdmin,
    Role::RemovedOrganizer,
    Role::SignedOut,
    Role::AfterReset,
    Role::Expired,
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum At {
    A,
    B,
}

impl At {
    pub(super) fn var(self) -> &'static str {
        match self {
            At::A => "A",
            At::B => "B",
        }
    }
}

/// Who may use a route (docs/design.md#users-and-roles and `domain::access`).
#[derive(Clone, Copy, Debug)]
pub(super) enum Access {
    /// Every signed-in organizer; what they see is limited to their own tours.
    AnyOrganizer,
    /// The tour's team, local co-organizers included (who see their stops only).
    TourTeam,
    /// Whole-tour organizers and owners (edit the tour, stops, CfP, outbox, report).
    TourEditors,
    /// The tour's owners (its team).
    TourOwners,
    /// The stop's organizers: the whole tour's, and the stop's local team.
    StopTeam(At),
    /// The stop's organizers and the helpers and volunteers of its desk.
    Desk(At),
    /// The venue's creator (and site admins).
    VenueEditors,
    /// The holder of the account the object belongs to (the owner's sessions and tokens
    /// here); site admins included, as everywhere.
    Itself,
    SiteAdmins,
}

impl Access {
    pub(super) fn allows(self, role: Role) -> bool {
        use Role::*;
        match (self, role) {
            (_, SiteAdmin) => true,
            (Access::SiteAdmins, _) => false,
            (_, Owner) => true,
            (Access::AnyOrganizer, OtherOrganizer | LocalOrganizer | RemovedOrganizer) => true,
            (Access::TourTeam | Access::StopTeam(At::A), LocalOrganizer) => true,
            (Access::Desk(At::A), LocalOrganizer | DeskHelper) => true,
            _ => false,
        }
    }
}

/// Personal data planted in the tour, and who may see it besides its owner and site admins.
pub(super) const MARKERS: &[(&str, &[Role])] = &[
    ("alpha.leak@secret.example", LOCAL_AND_DESK_A),
    ("Alpha Leakname", LOCAL_AND_DESK_A),
    ("attendee.leak@secret.example", LOCAL_AND_DESK_A),
    ("avol.leak@secret.example", LOCAL_A),
    ("Avol Leakname", LOCAL_A),
    ("speaker.leak@secret.example", LOCAL_A),
    ("pending.leak@secret.example", LOCAL_A),
    ("Pending Proposername", LOCAL_A),
    ("bravo.leak@secret.example", &[]),
    ("Bravo Leakname", &[]),
    ("bvol.leak@secret.example", &[]),
    ("Bvol Leakname", &[]),
    ("bhelper.leak@secret.example", &[]),
    ("bspeaker.leak@secret.example", &[]),
];
const LOCAL_A: &[Role] = &[Role::LocalOrganizer];
const LOCAL_AND_DESK_A: &[Role] = &[Role::LocalOrganizer, Role::DeskHelper];
