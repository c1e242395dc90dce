//! Proposals to a tour's call for proposals, and what their status allows.

use crate::domain::text_enum;

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

#[cfg(test)]
mod tests {
    use super::ProposalStatus::*;

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
