//! Speakers, their proposals and where they speak, as pages show them.

use crate::models::material::Material;
use crate::models::proposal::Proposal;
use crate::models::speaker::Speaker;
use crate::models::stop::Stop;
use crate::models::talk::{Talk, TalkWithSpeakers};
use crate::models::tour::Tour;
use crate::models::venue::Venue;
use crate::read::agenda::Entry;

/// A proposal as the organizers review it.
pub struct ProposalView {
    pub proposal: Proposal,
    pub talk: TalkWithSpeakers,
    /// Where the speakers could give it.
    pub stop_ids: Vec<String>,
    /// Where it is on the agenda.
    pub scheduled_stop_ids: Vec<String>,
}

/// One delivery of a talk: the slot, its stop and tour, and its materials.
#[derive(Clone, Debug)]
pub struct Delivery {
    pub entry: Entry,
    pub stop: Stop,
    pub tour: Tour,
    pub venue: Venue,
    pub materials: Vec<Material>,
}

/// A talk the speaker is asked to give and has not accepted: where it is placed, and the
/// proposals it is in.
pub struct Invitation {
    pub talk: TalkWithSpeakers,
    pub deliveries: Vec<Delivery>,
    pub tours: Vec<Tour>,
}

/// A proposal on its speaker's page.
pub struct OwnProposal {
    pub proposal: Proposal,
    pub talk: Talk,
    pub tour: Tour,
    /// Undecided, not on any agenda yet, and this speaker accepted the talk: they may edit
    /// or withdraw it.
    pub changeable: bool,
}

/// What a speaker's own page shows.
pub struct SpeakerPage {
    pub speaker: Speaker,
    pub proposals: Vec<OwnProposal>,
    /// Whether their public profile shows (confirmed, with a talk on a published agenda):
    /// the page links to it only then.
    pub profile_is_public: bool,
    /// Slots of the talks they accepted.
    pub deliveries: Vec<Delivery>,
    pub invitations: Vec<Invitation>,
}

/// A speaker, their deliveries, and their proposals with talk and tour.
pub type SpeakerHistory = (Speaker, Vec<Delivery>, Vec<(Proposal, Talk, Tour)>);

/// Distinct speakers and speaking slots of a set of agenda entries.
pub fn counts(entries: &[Entry]) -> (usize, usize) {
    let mut speakers = std::collections::HashSet::new();
    let mut slots = 0;
    for e in entries {
        if let Some(t) = &e.talk {
            for s in &t.speakers {
                speakers.insert(s.id.clone());
                slots += 1;
            }
        }
    }
    (speakers.len(), slots)
}
