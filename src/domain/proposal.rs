//! Proposals to a tour's call for proposals, and what their status allows.

use chrono::NaiveDateTime;

use crate::domain::stop::StopStatus;
use crate::domain::text_enum;

/// Unconfirmed proposals one address may be sent in an hour: each mails that address once.
pub const UNCONFIRMED_PER_HOUR: i64 = 3;
/// Invitations one speaker is e-mailed in a day; more talks may name them (they see those on
/// their page), but no more mail.
pub const INVITATIONS_PER_DAY: i64 = 5;

text_enum!(
    /// Where a proposal stands: proposed until the organizers accept or reject it, or its
    /// speakers withdraw it.
    ProposalStatus {
        Proposed => "proposed",
        Accepted => "accepted",
        Rejected => "rejected",
        Withdrawn => "withdrawn",
    }
);

impl ProposalStatus {
    /// Nobody has decided yet: its speakers may still change or withdraw it.
    pub fn undecided(self) -> bool {
        self == ProposalStatus::Proposed
    }

    /// Still on the organizers' table: undecided, or accepted (and to be placed on agendas).
    pub fn standing(self) -> bool {
        matches!(self, ProposalStatus::Proposed | ProposalStatus::Accepted)
    }
}

/// Whether a call for proposals takes proposals at `now`: the tour is public and `now` is in
/// its window, from its opening (included) to its closing (excluded). A window missing either
/// end is not open: the organizers have not set the call up.
pub fn cfp_open(
    tour_is_public: bool,
    opens_at: Option<NaiveDateTime>,
    closes_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> bool {
    tour_is_public && opens_at.is_some_and(|o| o <= now) && closes_at.is_some_and(|c| now < c)
}

/// Whether a proposal may name a stop: one still to come (open or closed for registration),
/// neither a draft nor held nor cancelled.
pub fn may_be_proposed(stop: StopStatus) -> bool {
    matches!(stop, StopStatus::Open | StopStatus::Closed)
}

/// Whether an address with `waiting` unconfirmed proposals sent in the last hour may send one
/// more (each mails the address once).
pub fn may_send_unconfirmed(waiting: i64) -> bool {
    waiting < UNCONFIRMED_PER_HOUR
}

/// Whether a speaker mailed `sent_today` invitations in the last day is mailed another.
pub fn may_mail_invitation(sent_today: i64) -> bool {
    sent_today < INVITATIONS_PER_DAY
}

/// Why a proposal's speakers may no longer change or withdraw it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Settled {
    /// The organizers accepted, rejected it, or it was withdrawn.
    Decided,
    /// Its talk is on an agenda already.
    Scheduled,
}

/// Whether a proposal's speakers may still change it: undecided and its talk on no agenda
/// (a decision is named first when both hold).
pub fn speakers_may_change(status: ProposalStatus, scheduled: bool) -> Result<(), Settled> {
    if !status.undecided() {
        Err(Settled::Decided)
    } else if scheduled {
        Err(Settled::Scheduled)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::ProposalStatus::*;
    use super::*;
    use chrono::NaiveDate;

    fn at(day: u32, hour: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 3, day)
            .and_then(|d| d.and_hms_opt(hour, 0, 0))
            .expect("a valid date")
    }

    #[test]
    fn a_call_is_open_from_its_opening_until_just_before_its_closing() {
        let (opens, closes) = (Some(at(1, 9)), Some(at(10, 9)));
        assert!(!cfp_open(true, opens, closes, at(1, 8)));
        assert!(cfp_open(true, opens, closes, at(1, 9)));
        assert!(cfp_open(true, opens, closes, at(10, 8)));
        assert!(!cfp_open(true, opens, closes, at(10, 9)));
    }

    #[test]
    fn a_call_without_both_bounds_or_of_a_private_tour_is_closed() {
        assert!(!cfp_open(true, None, Some(at(10, 9)), at(5, 9)));
        assert!(!cfp_open(true, Some(at(1, 9)), None, at(5, 9)));
        assert!(!cfp_open(true, None, None, at(5, 9)));
        assert!(!cfp_open(false, Some(at(1, 9)), Some(at(10, 9)), at(5, 9)));
    }

    #[test]
    fn only_stops_still_to_come_may_be_proposed() {
        assert!(may_be_proposed(StopStatus::Open) && may_be_proposed(StopStatus::Closed));
        assert!(!may_be_proposed(StopStatus::Draft));
        assert!(!may_be_proposed(StopStatus::Done) && !may_be_proposed(StopStatus::Cancelled));
    }

    #[test]
    fn an_address_is_sent_three_unconfirmed_proposals_an_hour() {
        assert!(may_send_unconfirmed(0) && may_send_unconfirmed(UNCONFIRMED_PER_HOUR - 1));
        assert!(!may_send_unconfirmed(UNCONFIRMED_PER_HOUR));
    }

    #[test]
    fn a_speaker_is_mailed_five_invitations_a_day() {
        assert!(may_mail_invitation(INVITATIONS_PER_DAY - 1));
        assert!(!may_mail_invitation(INVITATIONS_PER_DAY));
    }

    #[test]
    fn speakers_change_a_proposal_until_it_is_decided_or_scheduled() {
        assert_eq!(speakers_may_change(Proposed, false), Ok(()));
        assert_eq!(speakers_may_change(Proposed, true), Err(Settled::Scheduled));
        assert_eq!(speakers_may_change(Accepted, true), Err(Settled::Decided));
        assert_eq!(speakers_may_change(Rejected, false), Err(Settled::Decided));
        assert_eq!(speakers_may_change(Withdrawn, false), Err(Settled::Decided));
    }

    #[test]
    fn only_a_proposed_proposal_is_undecided() {
        assert!(Proposed.undecided());
        assert!(!Accepted.undecided() && !Rejected.undecided() && !Withdrawn.undecided());
    }

    #[test]
    fn rejected_and_withdrawn_proposals_no_longer_stand() {
        assert!(Proposed.standing() && Accepted.standing());
        assert!(!Rejected.standing() && !Withdrawn.standing());
    }
}
