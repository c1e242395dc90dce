//! The codes an error answers with: `error.code` of every JSON error and the key of the page's
//! sentence (`error_code.<code>`). Their text is the wire contract: a variant may be added, never
//! renamed. The OpenAPI document lists them from this enum (`api::openapi`), so the list cannot
//! drift from what is sent.

use serde::Serialize;

use crate::domain::FieldCode;

/// What went wrong, in snake_case: a code may be added, never renamed. Listed by the status it
/// comes with.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    utoipa::ToSchema,
    strum::IntoStaticStr,
    strum::Display,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ErrorCode {
    // 400
    /// The request body could not be read (the connection broke off).
    BadBody,
    /// A page's form could not be read into its fields (before any rule is checked).
    BadForm,
    /// The query string could not be read into the route's parameters.
    BadQuery,
    /// A multipart upload could not be read.
    BadUpload,
    /// An API body is not valid JSON (a JSON of the wrong shape is `validation_failed`).
    MalformedJson,
    /// A text, path or query carries a NUL character; `fields` names where.
    NulCharacter,
    // 401
    /// No valid session, bearer token or link came with the request.
    Unauthorized,
    // 403
    /// The caller is known but may not do this.
    Forbidden,
    // 404
    /// No such object, or none the caller may see (the two are not told apart).
    NotFound,
    // 405
    /// The route exists but does not answer this method (Allow lists those it does).
    MethodNotAllowed,
    // 408
    /// The body did not arrive in time; the connection is closed.
    RequestTimeout,
    // 409: the request is well formed but the object's state refuses it.
    /// The agenda item would overlap another at the same stop.
    AgendaClash,
    /// A talk does not fit in what is left of a stop's agenda.
    AgendaFull,
    /// The talk is accepted already: an organizer cannot reject it, a speaker cannot decline it.
    AlreadyAccepted,
    /// A material is published and can no longer be replaced or withdrawn.
    AlreadyPublished,
    /// The talk is on this stop's agenda already.
    AlreadyScheduled,
    /// The tour's call for proposals is not open.
    CfpClosed,
    /// A checked-in registration cannot be cancelled.
    CheckedIn,
    /// A unique value is taken (a row that already exists).
    Duplicate,
    /// The stop cannot move to that status (cancelling a stop that is done or cancelled).
    InvalidTransition,
    /// A tour keeps at least one owner: the last cannot leave or be demoted.
    LastOwner,
    /// A venue has no creator and the site no admin to send a suggested change to.
    NobodyToAsk,
    /// Desk access goes only to a volunteer holding a registration-desk slot.
    NotDeskClaim,
    /// Only a failed outbox message can be retried.
    NotFailed,
    /// A requested material cannot be published before something is handed in.
    NotReceived,
    /// A speaker cannot change a proposal the organizers decided on.
    ProposalDecided,
    /// A speaker cannot change a proposal whose talk is on an agenda.
    ProposalScheduled,
    /// Its speakers withdrew the proposal: nobody can decide on it any more.
    ProposalWithdrawn,
    /// The registration was cancelled: it cannot check in, nor its address walk in.
    RegistrationCancelled,
    /// The stop does not take registrations (not open, or a walk-in at a draft or cancelled
    /// stop).
    RegistrationClosed,
    /// A volunteer's claim can no longer be released this close to the stop.
    ReleaseClosed,
    /// The stop is cancelled: nobody checks in.
    StopCancelled,
    /// The stop is over (or cancelled): its registrations, venue and tasks stay as they are.
    StopOver,
    /// Volunteers hold this task: it cannot be removed before their claims are released.
    TaskClaimed,
    /// Every slot of the task is taken.
    TaskFull,
    /// An announced stop changes venue with a venue switch (which tells the attendees), not an
    /// edit.
    UseVenueSwitch,
    /// The organizer may edit this venue: a suggested change is for those who may not.
    VenueIsYours,
    // 413
    /// The body (or the uploaded file) is over its limit.
    PayloadTooLarge,
    // 415
    /// The body's content type, or the uploaded file's kind, is not taken here.
    UnsupportedMediaType,
    // 422
    /// Some fields broke a rule; `fields` says which and why.
    ValidationFailed,
    // 429 (with Retry-After)
    /// Too many requests from this address.
    RateLimited,
    /// Too many failed sign-ins for this e-mail address.
    SignInLocked,
    // 500
    /// Something we did not expect; the cause is logged, never sent.
    InternalError,
    // 503 (with Retry-After)
    /// The disk (or the database's) is full: nothing can be saved for now.
    StorageFull,
    /// Every upload slot is taken.
    UploadsBusy,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A refusal of the whole request shown on one field of a page's form: the field code of the
/// same name where there is one (its sentence is `field_error.<code>`), else `Refused`, which
/// shows the error's message.
impl From<ErrorCode> for FieldCode {
    fn from(code: ErrorCode) -> FieldCode {
        code.as_str().parse().unwrap_or(FieldCode::Refused)
    }
}

#[cfg(test)]
mod tests {
    use strum::VariantArray;

    use super::*;

    #[test]
    fn the_wire_text_of_a_code_is_its_serde_text() {
        for code in ErrorCode::VARIANTS {
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
        }
        assert_eq!(ErrorCode::NotFound.as_str(), "not_found");
        assert_eq!(ErrorCode::NulCharacter.to_string(), "nul_character");
    }

    #[test]
    fn a_refusal_on_a_field_keeps_its_code_where_the_field_has_one() {
        assert_eq!(
            FieldCode::from(ErrorCode::ProposalDecided),
            FieldCode::ProposalDecided
        );
        assert_eq!(
            FieldCode::from(ErrorCode::NulCharacter),
            FieldCode::NulCharacter
        );
        assert_eq!(FieldCode::from(ErrorCode::LastOwner), FieldCode::Refused);
    }
}
