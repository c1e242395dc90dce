//! Speakers and their talks: the call for proposals, the organizers' review, each speaker's
//! page (profile, talks to accept, slots to confirm, slides) and itinerary, and public
//! profiles.
//!
//! Consent comes first: a proposal from the public form counts only once its submitter
//! confirmed their address (until then one e-mail goes out, to them); a speaker appears on an
//! agenda, a feed or their public profile only for talks they accepted; and their address is
//! seen only by the tours they work with.
//!
//! One file per concern: `cfp` (the public form and its confirmation), `review` (the
//! organizers' decisions), `library` (speakers and talks organizers add, a speaker's history),
//! `portal` (the speaker's own page), `public` (the feed and the public profile).

mod cfp;
mod library;
mod portal;
mod public;
mod review;

pub use cfp::{
    CONFIRM_HOURS, CONFIRM_PURPOSE, CfpPage, Confirmed, PersonInput, ProposalInput,
    RESEND_CONFIRMATION_DAYS, UNCONFIRMED_PER_HOUR, cfp, cfp_open, confirm_proposal,
    peek_confirmation, request_link, submit_proposal, submit_to_cfp,
};
pub use library::{
    History, SpeakerAdded, TalkInput, create_speaker, create_talk, history, invite_to_stop,
};
pub use portal::{
    ProfileChanges, ProposalChanges, answer_talk, confirm_slot, edit_proposal, own_item, own_page,
    update_profile, withdraw_proposal,
};
pub use public::{NewFeed, feed_url, itinerary_by_feed, make_feed, public_profile};
pub use review::{accept, proposals, reject};
