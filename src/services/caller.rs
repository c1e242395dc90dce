//! Who is asking, as the face that heard them established it (a browser session's signed-in
//! identities; an API token's organizer is an `Organizer`): plain data, so that who may do
//! what is decided by the use cases, not by the handlers.

/// The people a browser is signed in as (an organizer, a speaker, a volunteer, and the desks
/// it was let in at); empty when its session is gone.
#[derive(Clone, Debug, Default)]
pub struct Caller {
    pub organizer_id: Option<String>,
    pub speaker_id: Option<String>,
    pub volunteer_id: Option<String>,
    /// The desks this browser was let in at: (stop id, helper's address).
    pub desk_grants: Vec<(String, String)>,
}

impl Caller {
    /// Signed in as someone: refused callers are then told "not found", not "sign in".
    pub fn is_anyone(&self) -> bool {
        self.organizer_id.is_some()
            || self.speaker_id.is_some()
            || self.volunteer_id.is_some()
            || !self.desk_grants.is_empty()
    }
}
