//! Each kind of e-mail with what it says. A service builds a `Mail` and queues it with
//! `Email::new`, which stores its kind and renders it in the recipient's language: the kind's
//! text is named once (`MailKind`), and its template once (`Mail::render`).

use chrono::Duration;

use super::templates::parts::{Rendered, StopMail};
use super::templates::speakers::Decision;
use super::templates::venues::AffectedStop;
use super::templates::volunteers::{TaskClaim, TasksTaken};
use super::templates::{
    accounts, attendees, bulk, lifecycle, people, speakers, venues, volunteers,
};
use crate::domain::venue::FieldChange;
use crate::i18n::Lang;
use crate::models::outbox::MailKind;

/// What an attendee's ticket e-mails say (a confirmation, a promotion, the reminder).
pub struct Ticket<'a> {
    pub name: &'a str,
    pub stop: &'a StopMail,
    pub code: &'a str,
    /// What the ticket's QR code holds (the desk's link with the code).
    pub qr_data: &'a str,
    pub manage_url: &'a str,
}

/// One message of each kind, with its data in the recipient's language (the times and
/// words a service puts in are already theirs; `render` adds the template's own).
pub enum Mail<'a> {
    /// A co-organizer (or a new organizer) is invited to set a password; `tour`: the tour
    /// they were added to, if any.
    OrganizerInvite {
        inviter: &'a str,
        tour: Option<&'a str>,
        link: &'a str,
    },
    /// An organizer asked to sign in by e-mail; the link works for `minutes`.
    OrganizerSignIn {
        link: &'a str,
        minutes: i64,
    },
    /// An organizer asked to reset their password; the link works for `hours`.
    PasswordReset {
        link: &'a str,
        hours: i64,
    },
    /// A speaker or volunteer asked for a sign-in link; `what`: whose page, in words.
    SignInLink {
        name: &'a str,
        what: &'a str,
        link: &'a str,
        hours: i64,
    },
    /// An organizer's own message to a segment of people: `body` is Markdown. Both are
    /// theirs with the placeholders filled for this recipient (so owned), in the language
    /// it is rendered in. `test`: a test to the organizer, with how many it is meant for.
    Bulk {
        subject: String,
        body: String,
        tour: &'a str,
        test: Option<usize>,
    },
    RegistrationConfirmed(Ticket<'a>),
    RegistrationWaitlisted {
        name: &'a str,
        stop: &'a StopMail,
        position: i64,
        manage_url: &'a str,
    },
    /// A place freed up: promoted from the waitlist.
    RegistrationPromoted(Ticket<'a>),
    /// `stop_url`: the stop's page, to register again while it is open.
    RegistrationCancelled {
        name: &'a str,
        stop: &'a StopMail,
        stop_url: &'a str,
    },
    /// Someone registered again with the address: the registration it has (`status` in
    /// words).
    RegistrationAgain {
        name: &'a str,
        stop: &'a StopMail,
        status: &'a str,
        manage_url: &'a str,
    },
    /// The link of a registration, asked for again on the stop's page.
    RegistrationLink {
        name: &'a str,
        stop: &'a StopMail,
        status: &'a str,
        manage_url: &'a str,
    },
    /// The attendee asked for a new manage link: the old one no longer works.
    RegistrationNewLink {
        name: &'a str,
        stop: &'a StopMail,
        manage_url: &'a str,
    },
    Reminder(Ticket<'a>),
    StillComing {
        name: &'a str,
        stop: &'a StopMail,
        yes_url: &'a str,
        no_url: &'a str,
    },
    /// The stop moved to another venue (`stop` says the new one); `manage_url`: an
    /// attendee's own page (others have none).
    VenueSwitch {
        name: &'a str,
        stop: &'a StopMail,
        old_venue: &'a str,
        reason: &'a str,
        manage_url: Option<&'a str>,
    },
    /// `message`: the organizer's own words (may be empty).
    StopCancelled {
        name: &'a str,
        stop: &'a StopMail,
        message: &'a str,
        stop_url: &'a str,
        manage_url: Option<&'a str>,
    },
    /// `old_when`: the time range it had; `stop.when` is the new one.
    StopMoved {
        name: &'a str,
        stop: &'a StopMail,
        old_when: &'a str,
        message: &'a str,
        stop_url: &'a str,
        manage_url: Option<&'a str>,
    },
    /// A helper's link to the stop's desk: it works for `valid_for`, until `until` (in the
    /// stop's zone); `fresh_link_page` gives a new one.
    DeskAccess {
        name: &'a str,
        stop: &'a StopMail,
        link: &'a str,
        valid_for: Duration,
        until: &'a str,
        fresh_link_page: &'a str,
    },
    /// The one message a proposal from the public form sends before it is confirmed.
    ProposalConfirm {
        name: &'a str,
        tour: &'a str,
        title: &'a str,
        link: &'a str,
        hours: i64,
    },
    /// A speaker is asked to give a talk, `by` an organizer or a proposal's submitter.
    TalkInvitation {
        name: &'a str,
        by: &'a str,
        tour: Option<&'a str>,
        title: &'a str,
        link: &'a str,
        hours: i64,
    },
    ProposalDecided {
        name: &'a str,
        tour: &'a str,
        title: &'a str,
        decision: Decision<'a>,
        link: &'a str,
    },
    /// A speaker's slot in a published agenda: `change` is `added`, `moved` or `removed`.
    SlotChanged {
        name: &'a str,
        stop: &'a StopMail,
        title: &'a str,
        change: &'a str,
        when: &'a str,
        link: &'a str,
    },
    /// To organizers: the slots nobody confirmed, a line each.
    UnconfirmedSlots {
        stop: &'a StopMail,
        lines: &'a [String],
        link: &'a str,
    },
    /// The materials asked of one person after the stop (`what`: each in words), in one
    /// message, or asked for again.
    MaterialRequest {
        name: &'a str,
        stop: &'a StopMail,
        what: &'a [String],
        reminder: bool,
        link: &'a str,
    },
    /// A volunteer took one task; `desk`: it is the registration desk, which opens only once
    /// an organizer gives them access.
    ClaimConfirmed {
        name: &'a str,
        stop: &'a StopMail,
        claim: TaskClaim<'a>,
        desk: bool,
    },
    /// A volunteer took several tasks of a stop with one form.
    TasksClaimed {
        name: &'a str,
        stop: &'a StopMail,
        tasks: TasksTaken<'a>,
    },
    /// The day before: `tasks`, their titles in one line.
    VolunteerReminder {
        name: &'a str,
        stop: &'a StopMail,
        tasks: &'a str,
        link: &'a str,
    },
    /// An attendee who would like to volunteer is invited to a task.
    VolunteerInvite {
        name: &'a str,
        stop: &'a StopMail,
        task: &'a str,
        link: &'a str,
    },
    /// To a tour's team: a venue their stops use was changed by `editor`.
    VenueChanged {
        venue: &'a str,
        editor: &'a str,
        changes: &'a [FieldChange],
        stops: &'a [AffectedStop],
        link: &'a str,
    },
    /// To a venue's creator (or the site admins: `to_admins`): `suggester` suggests a change.
    VenueSuggestion {
        venue: &'a str,
        suggester: &'a str,
        changes: &'a [FieldChange],
        message: &'a str,
        to_admins: bool,
        link: &'a str,
    },
}

impl Mail<'_> {
    /// The kind the outbox stores (and the preview's address names).
    pub fn kind(&self) -> MailKind {
        match self {
            Mail::OrganizerInvite { .. } => MailKind::OrganizerInvite,
            Mail::OrganizerSignIn { .. } => MailKind::OrganizerSignIn,
            Mail::PasswordReset { .. } => MailKind::PasswordReset,
            Mail::SignInLink { .. } => MailKind::SignInLink,
            Mail::Bulk { .. } => MailKind::Bulk,
            Mail::RegistrationConfirmed(_) => MailKind::RegistrationConfirmed,
            Mail::RegistrationWaitlisted { .. } => MailKind::RegistrationWaitlisted,
            Mail::RegistrationPromoted(_) => MailKind::RegistrationPromoted,
            Mail::RegistrationCancelled { .. } => MailKind::RegistrationCancelled,
            Mail::RegistrationAgain { .. } => MailKind::RegistrationAgain,
            Mail::RegistrationLink { .. } => MailKind::RegistrationLink,
            Mail::RegistrationNewLink { .. } => MailKind::RegistrationNewLink,
            Mail::Reminder(_) => MailKind::Reminder,
            Mail::StillComing { .. } => MailKind::StillComing,
            Mail::VenueSwitch { .. } => MailKind::VenueSwitch,
            Mail::StopCancelled { .. } => MailKind::StopCancelled,
            Mail::StopMoved { .. } => MailKind::StopMoved,
            Mail::DeskAccess { .. } => MailKind::DeskAccess,
            Mail::ProposalConfirm { .. } => MailKind::ProposalConfirm,
            Mail::TalkInvitation { .. } => MailKind::TalkInvitation,
            Mail::ProposalDecided { .. } => MailKind::ProposalDecided,
            Mail::SlotChanged { .. } => MailKind::SlotChanged,
            Mail::UnconfirmedSlots { .. } => MailKind::UnconfirmedSlots,
            Mail::MaterialRequest { .. } => MailKind::MaterialRequest,
            // One task is one kind, the desk or not.
            Mail::ClaimConfirmed { .. } => MailKind::ClaimConfirmed,
            Mail::TasksClaimed { .. } => MailKind::TasksClaimed,
            Mail::VolunteerReminder { .. } => MailKind::VolunteerReminder,
            Mail::VolunteerInvite { .. } => MailKind::VolunteerInvite,
            Mail::VenueChanged { .. } => MailKind::VenueChanged,
            Mail::VenueSuggestion { .. } => MailKind::VenueSuggestion,
        }
    }

    /// The message in `lang`: subject, text and HTML.
    pub fn render(&self, lang: Lang) -> Rendered {
        match *self {
            Mail::OrganizerInvite {
                inviter,
                tour,
                link,
            } => accounts::organizer_invite(lang, inviter, tour, link),
            Mail::OrganizerSignIn { link, minutes } => {
                accounts::organizer_sign_in(lang, link, minutes)
            }
            Mail::PasswordReset { link, hours } => accounts::password_reset(lang, link, hours),
            Mail::SignInLink {
                name,
                what,
                link,
                hours,
            } => accounts::sign_in_link(lang, name, what, link, hours),
            Mail::Bulk {
                ref subject,
                ref body,
                tour,
                test,
            } => bulk::bulk(lang, subject, body, tour, test),
            Mail::RegistrationConfirmed(ref t) => attendees::registration_confirmed(
                lang,
                t.name,
                t.stop,
                t.code,
                t.qr_data,
                t.manage_url,
            ),
            Mail::RegistrationWaitlisted {
                name,
                stop,
                position,
                manage_url,
            } => attendees::registration_waitlisted(lang, name, stop, position, manage_url),
            Mail::RegistrationPromoted(ref t) => attendees::registration_promoted(
                lang,
                t.name,
                t.stop,
                t.code,
                t.qr_data,
                t.manage_url,
            ),
            Mail::RegistrationCancelled {
                name,
                stop,
                stop_url,
            } => attendees::registration_cancelled(lang, name, stop, stop_url),
            Mail::RegistrationAgain {
                name,
                stop,
                status,
                manage_url,
            } => attendees::registration_again(lang, name, stop, status, manage_url),
            Mail::RegistrationLink {
                name,
                stop,
                status,
                manage_url,
            } => attendees::registration_link(lang, name, stop, status, manage_url),
            Mail::RegistrationNewLink {
                name,
                stop,
                manage_url,
            } => people::registration_new_link(lang, name, stop, manage_url),
            Mail::Reminder(ref t) => {
                attendees::reminder(lang, t.name, t.stop, t.code, t.qr_data, t.manage_url)
            }
            Mail::StillComing {
                name,
                stop,
                yes_url,
                no_url,
            } => attendees::still_coming(lang, name, stop, yes_url, no_url),
            Mail::VenueSwitch {
                name,
                stop,
                old_venue,
                reason,
                manage_url,
            } => lifecycle::venue_switch(lang, name, stop, old_venue, reason, manage_url),
            Mail::StopCancelled {
                name,
                stop,
                message,
                stop_url,
                manage_url,
            } => lifecycle::stop_cancelled(lang, name, stop, message, stop_url, manage_url),
            Mail::StopMoved {
                name,
                stop,
                old_when,
                message,
                stop_url,
                manage_url,
            } => lifecycle::stop_moved(lang, name, stop, old_when, message, stop_url, manage_url),
            Mail::DeskAccess {
                name,
                stop,
                link,
                valid_for,
                until,
                fresh_link_page,
            } => people::desk_link(lang, name, stop, link, (valid_for, until), fresh_link_page),
            Mail::ProposalConfirm {
                name,
                tour,
                title,
                link,
                hours,
            } => speakers::proposal_confirm(lang, name, tour, title, link, hours),
            Mail::TalkInvitation {
                name,
                by,
                tour,
                title,
                link,
                hours,
            } => speakers::talk_invitation(lang, name, by, tour, title, link, hours),
            Mail::ProposalDecided {
                name,
                tour,
                title,
                decision,
                link,
            } => speakers::proposal_decided(lang, name, tour, title, decision, link),
            Mail::SlotChanged {
                name,
                stop,
                title,
                change,
                when,
                link,
            } => speakers::slot_changed(lang, name, stop, title, change, when, link),
            Mail::UnconfirmedSlots { stop, lines, link } => {
                speakers::unconfirmed_slots(lang, stop, lines, link)
            }
            Mail::MaterialRequest {
                name,
                stop,
                what,
                reminder,
                link,
            } => speakers::material_request(lang, name, stop, what, reminder, link),
            Mail::ClaimConfirmed {
                name,
                stop,
                ref claim,
                desk: true,
            } => volunteers::desk_task_claimed(lang, name, stop, claim),
            Mail::ClaimConfirmed {
                name,
                stop,
                ref claim,
                desk: false,
            } => volunteers::claim_confirmed(lang, name, stop, claim),
            Mail::TasksClaimed {
                name,
                stop,
                ref tasks,
            } => volunteers::tasks_claimed(lang, name, stop, tasks),
            Mail::VolunteerReminder {
                name,
                stop,
                tasks,
                link,
            } => volunteers::volunteer_reminder(lang, name, stop, tasks, link),
            Mail::VolunteerInvite {
                name,
                stop,
                task,
                link,
            } => volunteers::volunteer_invite(lang, name, stop, task, link),
            Mail::VenueChanged {
                venue,
                editor,
                changes,
                stops,
                link,
            } => venues::venue_changed(lang, venue, editor, changes, stops, link),
            Mail::VenueSuggestion {
                venue,
                suggester,
                changes,
                message,
                to_admins,
                link,
            } => {
                venues::venue_suggestion(lang, venue, suggester, changes, message, to_admins, link)
            }
        }
    }
}
