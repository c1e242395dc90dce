/// What is wrong with one field: the code of a `FieldError`.
///
/// Its own enum, not `crate::error::ErrorCode`, for two reasons. The domain's parsers answer
/// with it and the domain sits below `error`. And it is not on the API's wire: a JSON error's
/// `fields` maps each field to its English message, while pages show the sentence
/// `field_error.<code>` in the reader's language (the message where there is none). So the
/// OpenAPI list of `error.code` names only what `error.code` can be. A whole request's refusal
/// shown on a field takes the field code of the same name (`From<ErrorCode>`).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    strum::IntoStaticStr,
    strum::Display,
    strum::EnumString,
    strum::VariantArray,
)]
#[strum(serialize_all = "snake_case")]
pub enum FieldCode {
    // Any text.
    /// Empty, or only spaces.
    Required,
    /// Longer than its limit.
    TooLong,
    /// A line (a name, a title) holds a line break or another control character.
    MultipleLines,
    /// Holds a NUL character (refused before any parsing, `http::nul_error`).
    NulCharacter,
    /// Cannot be read as what it must be (a JSON value of the wrong type, an id that is not
    /// one, a text with control characters in it).
    Invalid,
    /// Not a number (or not a whole one where one is due).
    NotANumber,
    /// A number or a year outside its range; a message that names the range is translated
    /// with it (`domain::text::range_of`).
    OutOfRange,
    /// Not one of the listed values (a kind, a role).
    InvalidChoice,
    /// More items than allowed (co-speakers, backups, tasks picked at once).
    TooMany,
    /// Not an e-mail address.
    InvalidEmail,
    /// Not an http:// or https:// address.
    InvalidUrl,
    // Times.
    /// Not a date and time in the expected form.
    InvalidDatetime,
    /// Not an IANA time zone.
    InvalidTimezone,
    /// A local time that the time zone skips (a daylight-saving change).
    NonexistentTime,
    /// An end at or before its start.
    EndsBeforeStart,
    // Tours, stops and venues.
    /// A tour's slug holds other than a-z, 0-9 and single hyphens.
    InvalidSlug,
    /// Another tour has this slug.
    SlugTaken,
    /// A backup venue listed twice, or the stop's own venue.
    Duplicate,
    /// A stop's status that its current one cannot move to.
    InvalidTransition,
    /// No venue has this id.
    UnknownVenue,
    /// A venue switch with no venue named and no backup to fall back on.
    NoBackup,
    /// A venue switch to the venue the stop is at.
    SameVenue,
    /// A stop that is not of this tour, or no longer to come.
    UnknownStop,
    /// A stop that is not the organizer's, or does not use this venue.
    NotYourStop,
    // Speakers and agendas.
    /// One of the ids is not a speaker's.
    UnknownSpeaker,
    /// No talk has this id.
    UnknownTalk,
    /// An agenda item that starts or ends outside the stop's hours.
    OutsideStop,
    /// An agenda item that overlaps another (shown on the organizers' agenda form).
    AgendaClash,
    /// A speaker's proposal the organizers decided on (shown on the speaker's form).
    ProposalDecided,
    /// A speaker's proposal whose talk is on an agenda (shown on the speaker's form).
    ProposalScheduled,
    // Volunteers.
    /// Fewer slots than volunteers already hold.
    BelowClaims,
    /// A volunteer who picked no task.
    PickATask,
    /// A task refused as a whole (shown on the organizers' task form).
    Conflict,
    // Materials and uploads.
    /// No file chosen.
    FileRequired,
    /// Neither a file, a link nor (for the report) a text.
    FileOrLinkRequired,
    /// The file is empty.
    EmptyFile,
    /// The file is over its limit.
    FileTooLarge,
    /// A file name with folders in it, or starting with a dot.
    InvalidFileName,
    /// A file that is not a presentation, where slides are due.
    NotSlides,
    /// A file that is not a picture (or a ZIP of them), where photos are due.
    NotPhotos,
    /// A file that is not a video, where a recording is due.
    NotVideo,
    /// A file that is not a PDF, where a report is due.
    NotPdf,
    /// A file of a kind not taken for other materials.
    FileTypeRefused,
    /// An upload refused for another reason (its message says why).
    UploadRefused,
    /// Slides given for what is not a talk.
    NotATalk,
    /// No slot of this stop's agenda has this id.
    UnknownItem,
    /// Published slides cannot be replaced.
    AlreadyPublished,
    /// The uploader did not confirm that the people in the photos agreed.
    ConsentRequired,
    // Messages.
    /// A placeholder in a message that nothing fills (its message names it and lists the
    /// known ones: `domain::message`).
    UnknownPlaceholder,
    // Accounts.
    /// A password shorter than 10 characters.
    PasswordTooShort,
    /// Another account has this e-mail address.
    EmailTaken,
    /// Not the account's current password.
    WrongPassword,
    /// A refusal of the whole request, shown on a field: there is no `field_error.refused`, so
    /// the page shows the refusal's own message.
    Refused,
}

impl FieldCode {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}
