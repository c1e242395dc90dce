//! Registrations against attendance ratios: register, cancel (and promote from the
//! waitlist), check in, walk-ins, "still coming?", the stop's figures, a person's history.
//!
//! Every change of a stop's registrations runs in one write transaction that first takes the
//! stop's registration lock (`Counters::lock`), so the decisions never race: the target is
//! not exceeded however many people register at the same instant, on either backend.

use crate::cache;
use crate::db::{self, DbConnection};
use crate::domain::attendance::{self, History, RegistrationStatus, Signal};
use crate::domain::stop::StopStatus;
use crate::domain::text;
use crate::email::templates::{self, StopMail};
use crate::email::{self, Attachment, Email};
use crate::error::{AppError, Validator};
use crate::i18n::Lang;
use crate::models::access;
use crate::models::organizer::Organizer;
use crate::models::registration::{
    Counters, NewRegistration, Person, Registration, RegistrationFilter,
};
use crate::models::stop::Stop;
use crate::models::tour::Tour;
use crate::models::venue::Venue;
use crate::secrets;
use crate::services::Env;

/// The capacity, expected show rate and registration target of a stop, right now.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Plan {
    pub capacity: i32,
    pub show_rate: f64,
    pub target: i64,
}

pub fn plan(
    conn: &mut DbConnection,
    env: &Env,
    stop: &Stop,
    venue: &Venue,
    tour: &Tour,
) -> Result<Plan, AppError> {
    let capacity = stop.capacity_override.unwrap_or(venue.capacity);
    let history: History = if stop.show_rate_override.is_some() {
        History::default()
    } else {
        Counters::history(conn, &tour.id, stop.starts_at)?
    };
    let show_rate = attendance::expected_show_rate(
        stop.show_rate_override,
        history,
        tour.prior_show_rate,
        env.prior_weight,
    );
    Ok(Plan {
        capacity,
        show_rate,
        target: attendance::registration_target(capacity, show_rate),
    })
}

/// What an attendee gives.
#[derive(Clone, Debug, Default)]
pub struct RegistrationInput {
    pub name: String,
    pub email: String,
    pub affiliation: String,
    pub legal_name: String,
    pub volunteer: bool,
}

struct Checked {
    name: String,
    email: String,
    affiliation: String,
    legal_name: String,
    volunteer: bool,
}

impl Checked {
    fn person(&self) -> Person<'_> {
        Person {
            name: &self.name,
            affiliation: &self.affiliation,
            legal_name: &self.legal_name,
            wants_to_volunteer: self.volunteer,
        }
    }
}

fn check(input: &RegistrationInput, id_check: bool) -> Result<Checked, AppError> {
    let mut v = Validator::new();
    let name = v.check("name", text::required_line(&input.name, 200));
    let email = v.check("email", text::email(&input.email));
    let affiliation = v.check("affiliation", text::optional_line(&input.affiliation, 200));
    let legal_name = if id_check {
        v.check("legal_name", text::required_line(&input.legal_name, 200))
    } else {
        v.check("legal_name", text::optional_line(&input.legal_name, 200))
    };
    v.finish()?;
    Ok(Checked {
        name: name.unwrap_or_default(),
        email: email.unwrap_or_default(),
        affiliation: affiliation.unwrap_or_default(),
        legal_name: legal_name.unwrap_or_default(),
        volunteer: input.volunteer,
    })
}

/// The stop with what its registration e-mails need.
pub struct StopContext {
    pub stop: Stop,
    pub venue: Venue,
    pub tour: Tour,
}

impl StopContext {
    pub fn load(conn: &mut DbConnection, stop_id: &str) -> Result<StopContext, AppError> {
        let stop = Stop::find(conn, stop_id)?.ok_or_else(|| AppError::not_found("stop"))?;
        let venue = Venue::get(conn, &stop.venue_id)?;
        let tour = Tour::find(conn, &stop.tour_id)?.ok_or_else(|| AppError::not_found("stop"))?;
        Ok(StopContext { stop, venue, tour })
    }

    pub fn mail(&self, lang: Lang) -> StopMail {
        StopMail {
            tour: self.tour.name.clone(),
            city: self.stop.city.clone(),
            when: crate::format::time_range(
                lang,
                self.stop.starts_at,
                self.stop.ends_at,
                self.stop.tz(),
            ),
            venue: self.venue.name.clone(),
            address: self.venue.address.clone(),
            directions: self.venue.directions.clone(),
            contact: self.tour.contact_email.clone(),
            id_check: self.venue.id_check_required,
        }
    }

    pub fn ics(&self, env: &Env) -> Attachment {
        self.calendar(env, crate::calendar::Method::Publish)
    }

    /// The stop's calendar file as a copy to keep, an update or a cancellation.
    pub fn calendar(&self, env: &Env, method: crate::calendar::Method) -> Attachment {
        Attachment {
            filename: "roadshow.ics".into(),
            content_type: format!("text/calendar; charset=utf-8; method={}", method.as_str()),
            content: crate::calendar::stop_ics_as(
                method,
                &self.tour.name,
                self.tour.contact_email.as_deref(),
                &self.stop,
                &self.venue,
                &env.links.url(&format!("/stops/{}", self.stop.id)),
            ),
        }
    }

    /// What the desk scans: opens the desk page with the code filled in.
    pub fn qr_data(&self, env: &Env, code: &str) -> String {
        env.links
            .url(&format!("/desk/{}?code={code}", self.stop.id))
    }
}

fn manage_url(env: &Env, token: &str) -> String {
    env.links.url(&format!("/r/{token}"))
}

/// The key each registration's manage link is derived from: a registration has one link for
/// its life (HMAC of its id and link version), so every e-mail can carry the same link while
/// only its hash is stored. Derived from the app's secret key, never kept anywhere.
#[derive(Clone)]
pub struct ManageLinkKey([u8; 32]);

impl std::fmt::Debug for ManageLinkKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ManageLinkKey(…)")
    }
}

impl ManageLinkKey {
    /// A key of its own for manage links, so the secret key is never used for two things.
    pub fn new(secret: &[u8]) -> Self {
        ManageLinkKey(crate::secrets::hmac_sha256(
            secret,
            b"roadshow manage links v1",
        ))
    }

    /// The token of a registration's link of this version.
    pub fn token(&self, registration_id: &str, version: i32) -> String {
        use base64::Engine;
        let message = format!("{registration_id}\n{version}");
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(crate::secrets::hmac_sha256(&self.0, message.as_bytes()))
    }
}

/// A registration whose data was erased has no link any more.
const NO_LINK: i32 = -1;

/// The registration's manage link for an e-mail: always the same one. A row whose stored
/// hash is not its derived link's (made before links were derived, as version 0, or under
/// another secret key) gets its derived link now; its older link stops working, once.
/// None when the person erased their data.
pub fn manage_link(
    conn: &mut DbConnection,
    env: &Env,
    r: &Registration,
) -> Result<Option<String>, AppError> {
    if r.manage_link_version == NO_LINK {
        return Ok(None);
    }
    let version = r.manage_link_version.max(1);
    let token = env.manage_links.token(&r.id, version);
    let hash = secrets::token_hash(&token);
    if hash != r.manage_token_hash || version != r.manage_link_version {
        Registration::set_manage_link(conn, &r.id, version, &hash)?;
    }
    Ok(Some(manage_url(env, &token)))
}

/// The same, for e-mails that are sent only to people who have a link.
fn link_for_mail(conn: &mut DbConnection, env: &Env, r: &Registration) -> Result<String, AppError> {
    Ok(manage_link(conn, env, r)?.unwrap_or_default())
}

fn new_code(conn: &mut DbConnection, stop_id: &str) -> Result<String, AppError> {
    for _ in 0..20 {
        let code = secrets::human_code(6);
        if !Registration::code_taken(conn, stop_id, &code)? {
            return Ok(code);
        }
    }
    Err(AppError::unexpected_msg("no free ticket code"))
}

/// The outcome of a registration request.
pub struct Registered {
    pub registration: Registration,
    /// Given once, when the registration is new (or taken up again after a cancellation).
    pub manage_token: Option<String>,
    pub created: bool,
    pub waitlist_position: Option<i64>,
}

fn confirmation_email(
    env: &Env,
    ctx: &StopContext,
    r: &Registration,
    link: &str,
    promoted: bool,
) -> Email {
    let lang = r.lang();
    let s = ctx.mail(lang);
    let qr = ctx.qr_data(env, &r.code);
    let content = if promoted {
        templates::registration_promoted(lang, &r.name, &s, &r.code, &qr, link)
    } else {
        templates::registration_confirmed(lang, &r.name, &s, &r.code, &qr, link)
    };
    Email::new(
        if promoted {
            "registration_promoted"
        } else {
            "registration_confirmed"
        },
        &r.email,
        &r.name,
        content,
    )
    .for_stop(&ctx.tour.id, &ctx.stop.id)
    .reply_to(ctx.tour.contact_email.as_deref())
    .attach(ctx.ics(env))
}

/// Someone who registers again with an address already registered is e-mailed its link at
/// most this often.
pub const AGAIN_EVERY_MINUTES: i64 = 10;

/// The e-mails that carry a registration's link to its address because someone typed that
/// address on a public page (registering again, "lost your link?"): together, at most one
/// per address and stop every `AGAIN_EVERY_MINUTES`.
pub const TYPED_ADDRESS_KINDS: [&str; 2] = ["registration_again", "registration_link"];

/// Registers someone for an open stop of a public tour: confirmed below the target, else
/// waitlisted; the same address again gets the registration it already has.
pub fn register(
    conn: &mut DbConnection,
    env: &Env,
    lang: Lang,
    stop_id: &str,
    input: &RegistrationInput,
) -> Result<Registered, AppError> {
    register_batch(conn, env, stop_id, &[(lang, input.clone())])?
        .pop()
        .unwrap_or_else(|| Err(AppError::unexpected_msg("a batch of one gave no answer")))
}

/// Registers several people for one stop in one transaction, in the order given: the stop is
/// locked, loaded and planned once, and its counters move once (see `services::intake`, which
/// gathers the requests arriving together). Each person gets their own answer; an error of
/// the database fails the whole batch (nothing of it is kept).
#[tracing::instrument(skip(conn, env, batch), fields(stop = %stop_id, n = batch.len()))]
pub fn register_batch(
    conn: &mut DbConnection,
    env: &Env,
    stop_id: &str,
    batch: &[(Lang, RegistrationInput)],
) -> Result<Vec<Result<Registered, AppError>>, AppError> {
    db::write_transaction(conn, |conn| {
        let counters = Counters::lock(conn, stop_id)?;
        let ctx = StopContext::load(conn, stop_id)?;
        if !ctx.tour.is_public() || !ctx.stop.status().is_public() {
            return Ok(batch
                .iter()
                .map(|_| Err(AppError::not_found("stop")))
                .collect());
        }
        if ctx.stop.status() != StopStatus::Open {
            return Ok(batch
                .iter()
                .map(|_| {
                    Err(AppError::conflict(
                        "registration_closed",
                        "this stop does not take registrations",
                    ))
                })
                .collect());
        }
        let plan = plan(conn, env, &ctx.stop, &ctx.venue, &ctx.tour)?;
        let checked: Vec<(Lang, Result<Checked, AppError>)> = batch
            .iter()
            .map(|(lang, input)| (*lang, check(input, ctx.venue.id_check_required)))
            .collect();
        // What the batch needs from the database, read once: who is registered already, and
        // which fresh ticket codes are free.
        let emails: Vec<&str> = checked
            .iter()
            .filter_map(|(_, c)| c.as_ref().ok().map(|c| c.email.as_str()))
            .collect();
        let known = Registration::find_by_emails(conn, stop_id, &emails)?;
        let mut codes: Vec<String> = (0..emails.len()).map(|_| secrets::human_code(6)).collect();
        codes.sort();
        codes.dedup();
        let taken = Registration::codes_taken(conn, stop_id, &codes)?;
        codes.retain(|c| !taken.contains(c));
        let mut intake = Intake {
            ctx: &ctx,
            target: plan.target,
            confirmed: i64::from(counters.confirmed),
            waitlisted: i64::from(counters.waitlisted),
            delta: Counters::default(),
            last_now: None,
            known: known.into_iter().map(|r| (r.email.clone(), r)).collect(),
            seen: std::collections::HashSet::new(),
            codes,
            rows: Vec::new(),
            mails: Vec::new(),
            again: std::collections::HashSet::new(),
        };
        let mut answers = Vec::with_capacity(batch.len());
        for (lang, input) in checked {
            answers.push(match input {
                Ok(input) => Ok(intake.register(conn, env, lang, input)?),
                Err(e) => Err(e),
            });
        }
        intake.flush(conn, env)?;
        let delta = intake.delta;
        if delta != Counters::default() {
            if !Counters::apply_within(conn, stop_id, delta, plan.target)? {
                return Err(AppError::unexpected_msg(
                    "the confirmed count moved under the stop lock",
                ));
            }
            counts_changed(conn, &ctx.stop)?;
        }
        Ok(answers)
    })
}

/// One batch of registrations for a stop, under its lock.
struct Intake<'a> {
    ctx: &'a StopContext,
    target: i64,
    /// The stop's figures with the batch's registrations so far.
    confirmed: i64,
    waitlisted: i64,
    /// What the batch adds to the counters (written once, at the end).
    delta: Counters,
    last_now: Option<chrono::NaiveDateTime>,
    /// The stop's registrations of the batch's addresses, as read at its start.
    known: std::collections::HashMap<String, Registration>,
    /// Addresses the batch has handled: a second request for one reads the database again.
    seen: std::collections::HashSet<String>,
    /// Free ticket codes, checked at the start of the batch.
    codes: Vec<String>,
    /// New registrations and e-mails, written together by `flush`.
    rows: Vec<NewRegistration>,
    mails: Vec<Email>,
    /// Registrations whose link the batch already re-sent (the outbox sees it at `flush`).
    again: std::collections::HashSet<String>,
}

impl Intake<'_> {
    /// Writes the new registrations and their e-mails: one statement each per batch.
    fn flush(&mut self, conn: &mut DbConnection, env: &Env) -> Result<(), AppError> {
        Registration::insert_many(conn, &self.rows)?;
        self.rows.clear();
        email::enqueue_many(conn, &env.links, std::mem::take(&mut self.mails))?;
        Ok(())
    }

    fn new_code(&mut self, conn: &mut DbConnection) -> Result<String, AppError> {
        match self.codes.pop() {
            Some(code) => Ok(code),
            None => new_code(conn, &self.ctx.stop.id),
        }
    }

    /// Strictly increasing times: the waitlist is in order of arrival, within a batch too.
    fn now(&mut self) -> chrono::NaiveDateTime {
        let mut now = db::now();
        if let Some(last) = self.last_now
            && now <= last
        {
            now = last + chrono::Duration::microseconds(1);
        }
        self.last_now = Some(now);
        now
    }

    fn register(
        &mut self,
        conn: &mut DbConnection,
        env: &Env,
        lang: Lang,
        input: Checked,
    ) -> Result<Registered, AppError> {
        let ctx = self.ctx;
        let stop_id = ctx.stop.id.as_str();
        let now = self.now();
        let existing = if self.seen.insert(input.email.clone()) {
            self.known.remove(&input.email)
        } else {
            // The same address twice in one batch: what the first did must be read back.
            self.flush(conn, env)?;
            Registration::find_by_email(conn, stop_id, &input.email)?
        };
        if let Some(r) = &existing
            && r.status() != RegistrationStatus::Cancelled
        {
            // The address has a registration: its own link goes to that mailbox (never to
            // whoever typed the address), unchanged, so the links in earlier e-mails keep
            // working. At most one such e-mail per registration every ten minutes, so the
            // form cannot be used to flood a mailbox.
            let mut sent_lately = false;
            for kind in TYPED_ADDRESS_KINDS {
                sent_lately = sent_lately
                    || crate::models::outbox::OutboxMessage::sent_lately(
                        conn,
                        kind,
                        &r.email,
                        (&ctx.tour.id, stop_id),
                        now - chrono::Duration::minutes(AGAIN_EVERY_MINUTES),
                    )?;
            }
            if !sent_lately && !self.again.contains(&r.id) {
                self.again.insert(r.id.clone());
                let link = link_for_mail(conn, env, r)?;
                let status = r
                    .lang()
                    .t(&format!("registration_status.{}", r.status))
                    .into_owned();
                let content = templates::registration_again(
                    r.lang(),
                    &r.name,
                    &ctx.mail(r.lang()),
                    &status,
                    &link,
                );
                self.mails.push(
                    Email::new("registration_again", &r.email, &r.name, content)
                        .for_stop(&ctx.tour.id, &ctx.stop.id)
                        .reply_to(ctx.tour.contact_email.as_deref()),
                );
            }
            let registration = Registration::get(conn, &r.id)?;
            let waitlist_position = waitlist_position(conn, &registration)?;
            return Ok(Registered {
                registration,
                manage_token: None,
                created: false,
                waitlist_position,
            });
        }
        let status = attendance::decide(self.confirmed, self.target);
        let (registration, token) = match existing {
            Some(r) => {
                // Taken up again after a cancellation: back of the line, with a new link
                // (whoever takes it up is told the link; the cancelled one's link ends).
                Registration::reopen(conn, &r.id, status, &input.person(), now)?;
                let version = r.manage_link_version.max(0) + 1;
                let token = env.manage_links.token(&r.id, version);
                Registration::set_manage_link(conn, &r.id, version, &secrets::token_hash(&token))?;
                self.delta.cancelled -= 1;
                if r.checked_in_at.is_some() {
                    // A stale mark from before cancelling was refused once checked in:
                    // `reopen` clears it, the count follows.
                    self.delta.checked_in -= 1;
                }
                (Registration::get(conn, &r.id)?, token)
            }
            None => {
                let code = self.new_code(conn)?;
                let id = db::new_id();
                let token = env.manage_links.token(&id, 1);
                let row = NewRegistration {
                    id,
                    stop_id: stop_id.to_owned(),
                    name: input.name,
                    email: input.email,
                    affiliation: input.affiliation,
                    legal_name: input.legal_name,
                    wants_to_volunteer: input.volunteer,
                    status: status.as_str().to_owned(),
                    code,
                    manage_token_hash: secrets::token_hash(&token),
                    lang: lang.code().to_owned(),
                    walk_in: false,
                    checked_in_at: None,
                    confirmed_at: (status == RegistrationStatus::Confirmed).then_some(now),
                    created_at: now,
                    updated_at: now,
                    manage_link_version: 1,
                };
                let registration = row.to_row();
                self.rows.push(row);
                (registration, token)
            }
        };
        let mut waitlist_position = None;
        match status {
            RegistrationStatus::Confirmed => {
                self.confirmed += 1;
                self.delta.confirmed += 1;
                self.mails.push(confirmation_email(
                    env,
                    ctx,
                    &registration,
                    &manage_url(env, &token),
                    false,
                ));
            }
            _ => {
                // The newest registration is the last in line.
                self.waitlisted += 1;
                self.delta.waitlisted += 1;
                let position = self.waitlisted;
                waitlist_position = Some(position);
                let content = templates::registration_waitlisted(
                    registration.lang(),
                    &registration.name,
                    &ctx.mail(registration.lang()),
                    position,
                    &manage_url(env, &token),
                );
                self.mails.push(
                    Email::new(
                        "registration_waitlisted",
                        &registration.email,
                        &registration.name,
                        content,
                    )
                    .for_stop(&ctx.tour.id, &ctx.stop.id)
                    .reply_to(ctx.tour.contact_email.as_deref()),
                );
            }
        }
        Ok(Registered {
            registration,
            manage_token: Some(token),
            created: true,
            waitlist_position,
        })
    }
}

/// The stop's figures changed: its public page shows places left, and a done stop's
/// attendance feeds the expected show rate of the tour's later stops.
fn counts_changed(conn: &mut DbConnection, stop: &Stop) -> Result<(), AppError> {
    let mut keys = vec![cache::keys::stop(&stop.id)];
    if stop.status() == StopStatus::Done {
        keys.push(cache::keys::tour(&stop.tour_id));
    }
    Ok(cache::touch(conn, &keys)?)
}

fn waitlist_position(conn: &mut DbConnection, r: &Registration) -> Result<Option<i64>, AppError> {
    Ok(if r.status() == RegistrationStatus::Waitlisted {
        Some(r.waitlist_position(conn)?)
    } else {
        None
    })
}

/// Confirms the oldest waitlisted registrations while the stop is below its target, each
/// with an e-mail. Runs under the stop's lock (the caller took it).
fn promote(conn: &mut DbConnection, env: &Env, ctx: &StopContext) -> Result<usize, AppError> {
    if !matches!(ctx.stop.status(), StopStatus::Open | StopStatus::Closed) {
        return Ok(0);
    }
    let plan = plan(conn, env, &ctx.stop, &ctx.venue, &ctx.tour)?;
    let counters = Counters::get(conn, &ctx.stop.id)?;
    let free = plan.target - i64::from(counters.confirmed);
    if free <= 0 {
        return Ok(0);
    }
    let now = db::now();
    let mut promoted = 0;
    for r in Registration::waitlist_head(conn, &ctx.stop.id, free)? {
        if !Registration::move_status(
            conn,
            &r.id,
            RegistrationStatus::Waitlisted,
            RegistrationStatus::Confirmed,
            now,
        )? {
            continue;
        }
        Counters::add(
            conn,
            &ctx.stop.id,
            Counters {
                confirmed: 1,
                waitlisted: -1,
                ..Counters::default()
            },
        )?;
        // The same manage link as in their earlier e-mails.
        let r = Registration::get(conn, &r.id)?;
        let link = link_for_mail(conn, env, &r)?;
        email::enqueue(
            conn,
            &env.links,
            confirmation_email(env, ctx, &r, &link, true),
        )?;
        promoted += 1;
    }
    if promoted > 0 {
        counts_changed(conn, &ctx.stop)?;
    }
    Ok(promoted)
}

/// Fills the stop up to its target from the waitlist (after its capacity, show rate or
/// venue changed). Confirmed people are never demoted.
pub fn rebalance(conn: &mut DbConnection, env: &Env, stop_id: &str) -> Result<usize, AppError> {
    db::write_transaction(conn, |conn| {
        Counters::lock(conn, stop_id)?;
        let ctx = StopContext::load(conn, stop_id)?;
        promote(conn, env, &ctx)
    })
}

/// Who asks to cancel.
pub enum Canceller<'a> {
    /// The attendee, with the secret of their manage link.
    Attendee(&'a str),
    /// An organizer who runs the stop.
    Organizer(&'a Organizer),
}

fn authorize(
    conn: &mut DbConnection,
    registration_id: &str,
    who: &Canceller,
) -> Result<Registration, AppError> {
    let r = Registration::find(conn, registration_id)?
        .ok_or_else(|| AppError::not_found("registration"))?;
    match who {
        Canceller::Attendee(token) => {
            let given = secrets::token_hash(token);
            if given.len() != r.manage_token_hash.len()
                || given
                    .bytes()
                    .zip(r.manage_token_hash.bytes())
                    .fold(0u8, |a, (x, y)| a | (x ^ y))
                    != 0
            {
                return Err(AppError::forbidden(
                    "this manage token does not belong to this registration",
                ));
            }
        }
        Canceller::Organizer(o) => {
            access::stop_for(conn, o, &r.stop_id)
                .map_err(|_| AppError::not_found("registration"))?;
        }
    }
    Ok(r)
}

/// Cancels a registration; a freed place goes to the oldest waitlisted person at once.
#[tracing::instrument(skip(conn, env, who))]
pub fn cancel(
    conn: &mut DbConnection,
    env: &Env,
    registration_id: &str,
    who: Canceller,
) -> Result<Registration, AppError> {
    db::write_transaction(conn, |conn| {
        let r = authorize(conn, registration_id, &who)?;
        cancel_locked(conn, env, &r.stop_id, &r.id, true)
    })
}

/// A person checked in was in the room: their seat was used and the check-in counts.
fn checked_in_error() -> AppError {
    AppError::conflict(
        "checked_in",
        "this registration is checked in: it can no longer be cancelled",
    )
}

/// Cancels under a transaction the caller holds; takes the stop lock first.
fn cancel_locked(
    conn: &mut DbConnection,
    env: &Env,
    stop_id: &str,
    registration_id: &str,
    notify: bool,
) -> Result<Registration, AppError> {
    Counters::lock(conn, stop_id)?;
    let r = Registration::get(conn, registration_id)?;
    let ctx = StopContext::load(conn, stop_id)?;
    if r.status() == RegistrationStatus::Cancelled {
        return Ok(r);
    }
    if ctx.stop.status() == StopStatus::Done {
        return Err(AppError::conflict(
            "stop_over",
            "this stop is over: its registrations stay as they are",
        ));
    }
    if r.checked_in_at.is_some() {
        return Err(checked_in_error());
    }
    let now = db::now();
    let was = r.status();
    if !Registration::move_status(conn, &r.id, was, RegistrationStatus::Cancelled, now)? {
        // Door check-ins do not take the stop lock: one may have landed since the read.
        if Registration::get(conn, &r.id)?.checked_in_at.is_some() {
            return Err(checked_in_error());
        }
        return Err(AppError::unexpected_msg(
            "registration changed under the stop lock",
        ));
    }
    let mut delta = Counters {
        cancelled: 1,
        ..Counters::default()
    };
    match was {
        RegistrationStatus::Confirmed => {
            delta.confirmed = -1;
            if r.still_coming.as_deref() == Some("yes") {
                delta.still_coming_yes = -1;
            }
        }
        RegistrationStatus::Waitlisted => delta.waitlisted = -1,
        RegistrationStatus::Cancelled => {}
    }
    Counters::add(conn, stop_id, delta)?;
    counts_changed(conn, &ctx.stop)?;
    if notify {
        let content = templates::registration_cancelled(
            r.lang(),
            &r.name,
            &ctx.mail(r.lang()),
            &env.links.url(&format!("/stops/{}", ctx.stop.id)),
        );
        email::enqueue(
            conn,
            &env.links,
            Email::new("registration_cancelled", &r.email, &r.name, content)
                .for_stop(&ctx.tour.id, &ctx.stop.id),
        )?;
    }
    if was == RegistrationStatus::Confirmed {
        promote(conn, env, &ctx)?;
    }
    Ok(Registration::get(conn, &r.id)?)
}

/// The registration behind a manage link.
pub fn by_token(
    conn: &mut DbConnection,
    token: &str,
) -> Result<(Registration, StopContext), AppError> {
    let r = Registration::find_by_token_hash(conn, &secrets::token_hash(token))?
        .ok_or_else(|| AppError::not_found("registration"))?;
    let ctx = StopContext::load(conn, &r.stop_id)?;
    Ok((r, ctx))
}

/// The attendee asks for a new manage link (the old one leaked): the only thing that ever
/// changes a registration's link. The old link stops working; the new one is e-mailed to
/// the registration's address and answered (the browser that asked goes on to it).
#[tracing::instrument(skip_all)]
pub fn new_link(conn: &mut DbConnection, env: &Env, token: &str) -> Result<String, AppError> {
    db::write_transaction(conn, |conn| {
        let (r, ctx) = by_token(conn, token)?;
        let version = r.manage_link_version.max(0) + 1;
        let token = env.manage_links.token(&r.id, version);
        Registration::set_manage_link(conn, &r.id, version, &secrets::token_hash(&token))?;
        let lang = r.lang();
        let content = templates::people::registration_new_link(
            lang,
            &r.name,
            &ctx.mail(lang),
            &manage_url(env, &token),
        );
        email::enqueue(
            conn,
            &env.links,
            Email::new("registration_new_link", &r.email, &r.name, content)
                .for_stop(&ctx.tour.id, &ctx.stop.id)
                .reply_to(ctx.tour.contact_email.as_deref()),
        )?;
        Ok(token)
    })
}

/// The attendee's answer to "still coming?": yes is counted; no frees the seat at once.
pub fn still_coming(
    conn: &mut DbConnection,
    env: &Env,
    token: &str,
    coming: bool,
) -> Result<Registration, AppError> {
    db::write_transaction(conn, |conn| {
        let (r, ctx) = by_token(conn, token)?;
        if coming {
            Counters::lock(conn, &ctx.stop.id)?;
            let r = Registration::get(conn, &r.id)?;
            if r.status() == RegistrationStatus::Confirmed
                && Registration::set_still_coming(conn, &r.id, "yes", db::now())?
            {
                Counters::add(
                    conn,
                    &ctx.stop.id,
                    Counters {
                        still_coming_yes: 1,
                        ..Counters::default()
                    },
                )?;
                counts_changed(conn, &ctx.stop)?;
            }
            Ok(Registration::get(conn, &r.id)?)
        } else {
            Registration::set_still_coming(conn, &r.id, "no", db::now())?;
            cancel_locked(conn, env, &ctx.stop.id, &r.id, true)
        }
    })
}

/// The attendee removes their personal data: the registration is cancelled (unless the stop
/// is over) and what identifies them is erased; the stop's figures stay true.
pub fn erase(conn: &mut DbConnection, env: &Env, token: &str) -> Result<(), AppError> {
    db::write_transaction(conn, |conn| {
        let (r, ctx) = by_token(conn, token)?;
        // A checked-in registration stays (it counts as attended), like one of a done stop.
        if ctx.stop.status() != StopStatus::Done
            && r.status() != RegistrationStatus::Cancelled
            && r.checked_in_at.is_none()
        {
            cancel_locked(conn, env, &ctx.stop.id, &r.id, false)?;
        }
        Registration::erase_personal_data(conn, &r.id, db::now())?;
        // The link dies with the data, and no later e-mail brings it back.
        Registration::set_manage_link(
            conn,
            &r.id,
            NO_LINK,
            &secrets::token_hash(&secrets::new_token()),
        )?;
        Ok(())
    })
}

/// Normalises a typed code: upper case, no spaces or dashes; the QR's URL works too.
pub fn normalize_code(typed: &str) -> String {
    let typed = typed.trim();
    let code = typed
        .rsplit_once("code=")
        .map(|(_, c)| c.split('&').next().unwrap_or(""))
        .unwrap_or(typed);
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_uppercase()
}

/// The result of a check-in.
pub struct CheckIn {
    pub registration: Registration,
    /// Checked in before (the time shown is the first one).
    pub already: bool,
}

/// Checks someone in by their ticket code. A waitlisted person who is let in at the door is
/// confirmed; a cancelled registration is refused.
#[tracing::instrument(skip(conn))]
pub fn check_in(conn: &mut DbConnection, stop: &Stop, code: &str) -> Result<CheckIn, AppError> {
    match check_in_start(conn, stop, code)? {
        DoorStep::Done(done) => Ok(done),
        DoorStep::Confirm(r) => check_in_batch(conn, &stop.id, &[r])?
            .pop()
            .unwrap_or_else(|| Err(AppError::unexpected_msg("no answer for a check-in"))),
    }
}

/// Where a scanned code stands before anything is written.
pub enum DoorStep {
    /// Answered: checked in before (a repeat scan), or decided on the careful path.
    Done(CheckIn),
    /// A confirmed person not checked in yet, the common case at the door: checked in by
    /// `check_in_batch` together with whoever is scanned at the same moment.
    Confirm(Registration),
}

/// `check_in_start` for an organizer's scan: the registration, its stop and tour are read in
/// one query, and the caller's right to the stop is checked before anything is answered.
pub fn check_in_start_for(
    conn: &mut DbConnection,
    organizer: &Organizer,
    stop_id: &str,
    code: &str,
) -> Result<DoorStep, AppError> {
    let code = match scanned_code(code) {
        Ok(code) => code,
        Err(e) => {
            access::stop_for(conn, organizer, stop_id)?;
            return Err(e);
        }
    };
    let Some((r, stop, tour)) = Registration::find_by_code_with_stop(conn, stop_id, &code)? else {
        // No such code here; but first, the same answer as for any stop not theirs.
        access::stop_for(conn, organizer, stop_id)?;
        return Err(AppError::not_found(
            "registration with this code at this stop",
        ));
    };
    let allowed = access::tour_access(conn, organizer, &tour.id)?;
    if !allowed.is_some_and(|a| a.covers_stop(&stop.id)) {
        return Err(AppError::not_found("stop"));
    }
    door_step(conn, &stop, r)
}

/// Reads the code's registration and answers what needs no batch.
pub fn check_in_start(
    conn: &mut DbConnection,
    stop: &Stop,
    code: &str,
) -> Result<DoorStep, AppError> {
    let code = scanned_code(code)?;
    let r = Registration::find_by_code(conn, &stop.id, &code)?
        .ok_or_else(|| AppError::not_found("registration with this code at this stop"))?;
    door_step(conn, stop, r)
}

/// The typed or scanned code, normalised; refused when nothing is left of it.
fn scanned_code(typed: &str) -> Result<String, AppError> {
    let code = normalize_code(typed);
    if code.is_empty() {
        return Err(AppError::invalid("code", "required", "is required"));
    }
    Ok(code)
}

/// A cancelled stop has no door: its tickets are void (the data stays for the report).
fn refuse_if_cancelled(stop: &Stop) -> Result<(), AppError> {
    if stop.status() == StopStatus::Cancelled {
        return Err(AppError::conflict(
            "stop_cancelled",
            "this stop is cancelled: nobody checks in",
        ));
    }
    Ok(())
}

fn door_step(conn: &mut DbConnection, stop: &Stop, r: Registration) -> Result<DoorStep, AppError> {
    refuse_if_cancelled(stop)?;
    if r.status() == RegistrationStatus::Confirmed {
        if r.checked_in_at.is_some() {
            return Ok(DoorStep::Done(CheckIn {
                registration: r,
                already: true,
            }));
        }
        return Ok(DoorStep::Confirm(r));
    }
    Ok(DoorStep::Done(check_in_careful(conn, &stop.id, &r)?))
}

/// Checks in confirmed people of one stop in one transaction: one statement marks them all,
/// the stop's check-in count moves once, one commit. On PostgreSQL the count's row is locked
/// from its update to the commit, so one check-in per transaction made the door queue on
/// that row and on a disk flush each; one batch takes it once, first (the lock order of
/// every writer). Anyone cancelled or checked in meanwhile goes the careful way.
pub fn check_in_batch(
    conn: &mut DbConnection,
    stop_id: &str,
    people: &[Registration],
) -> Result<Vec<Result<CheckIn, AppError>>, AppError> {
    let now = db::now();
    // Those who looked checkable when read; repeats and the rest go the careful way, so a
    // batch of repeats takes no lock here.
    let mut ids: Vec<&str> = people
        .iter()
        .filter(|r| {
            r.stop_id == stop_id
                && r.checked_in_at.is_none()
                && r.status() == RegistrationStatus::Confirmed
        })
        .map(|r| r.id.as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(people
            .iter()
            .map(|r| check_in_careful(conn, stop_id, r))
            .collect());
    }
    let checked: std::collections::HashSet<String> = db::write_transaction(conn, |conn| {
        // The counters row first, as every other writer of registrations takes it: a
        // cancellation holds it and then updates its row, so taking the rows first here
        // deadlocked PostgreSQL against it.
        Counters::lock(conn, stop_id)?;
        let checked = Registration::check_in_confirmed_many(conn, &ids, now)?;
        if !checked.is_empty() {
            Counters::add(
                conn,
                stop_id,
                Counters {
                    checked_in: i32::try_from(checked.len()).unwrap_or(i32::MAX),
                    ..Counters::default()
                },
            )?;
            // Places left do not move; a done stop's public figures do.
            let stop = Stop::find(conn, stop_id)?.ok_or_else(|| AppError::not_found("stop"))?;
            if stop.status() == StopStatus::Done {
                counts_changed(conn, &stop)?;
            }
        }
        Ok::<_, AppError>(checked.into_iter().collect())
    })?;
    let mut answered = std::collections::HashSet::new();
    Ok(people
        .iter()
        .map(|r| {
            if checked.contains(&r.id) {
                // The same code twice in one batch: the second scan is a repeat.
                let first = answered.insert(r.id.clone());
                Ok(CheckIn {
                    registration: Registration {
                        checked_in_at: Some(now),
                        updated_at: now,
                        ..r.clone()
                    },
                    already: !first,
                })
            } else {
                check_in_careful(conn, stop_id, r)
            }
        })
        .collect())
}

/// Checks in one registration under the stop's lock, reading it again first: a waitlisted
/// person moves up, a cancelled one is refused, a repeat is answered as such.
pub fn check_in_careful(
    conn: &mut DbConnection,
    stop_id: &str,
    r: &Registration,
) -> Result<CheckIn, AppError> {
    db::write_transaction(conn, |conn| {
        Counters::lock(conn, stop_id)?;
        let r = Registration::find(conn, &r.id)?
            .ok_or_else(|| AppError::not_found("registration with this code at this stop"))?;
        check_in_locked(conn, stop_id, r)
    })
}

/// Checks in a registration found by the desk (by name).
pub fn check_in_by_id(
    conn: &mut DbConnection,
    stop_id: &str,
    registration_id: &str,
) -> Result<CheckIn, AppError> {
    db::write_transaction(conn, |conn| {
        Counters::lock(conn, stop_id)?;
        let r = Registration::find(conn, registration_id)?
            .filter(|r| r.stop_id == stop_id)
            .ok_or_else(|| AppError::not_found("registration"))?;
        check_in_locked(conn, stop_id, r)
    })
}

fn count_check_in(conn: &mut DbConnection, stop_id: &str) -> Result<(), AppError> {
    Ok(Counters::add(
        conn,
        stop_id,
        Counters {
            checked_in: 1,
            ..Counters::default()
        },
    )?)
}

fn check_in_locked(
    conn: &mut DbConnection,
    stop_id: &str,
    r: Registration,
) -> Result<CheckIn, AppError> {
    let stop = Stop::find(conn, stop_id)?.ok_or_else(|| AppError::not_found("stop"))?;
    refuse_if_cancelled(&stop)?;
    let now = db::now();
    match r.status() {
        RegistrationStatus::Cancelled => {
            return Err(AppError::conflict(
                "registration_cancelled",
                "this registration was cancelled",
            ));
        }
        RegistrationStatus::Waitlisted => {
            Registration::move_status(
                conn,
                &r.id,
                RegistrationStatus::Waitlisted,
                RegistrationStatus::Confirmed,
                now,
            )?;
            Counters::add(
                conn,
                stop_id,
                Counters {
                    confirmed: 1,
                    waitlisted: -1,
                    ..Counters::default()
                },
            )?;
        }
        RegistrationStatus::Confirmed => {}
    }
    // Confirmed by now (a waitlisted person at the door was just moved up).
    let first_time = Registration::check_in_confirmed(conn, &r.id, now)?;
    if first_time {
        count_check_in(conn, stop_id)?;
    }
    if first_time || r.status() == RegistrationStatus::Waitlisted {
        let stop = Stop::find(conn, stop_id)?.ok_or_else(|| AppError::not_found("stop"))?;
        counts_changed(conn, &stop)?;
    }
    Ok(CheckIn {
        registration: Registration::get(conn, &r.id)?,
        already: !first_time,
    })
}

/// Someone at the door without a registration: registered and checked in at once (they
/// count as confirmed, whatever the target: they are in the room). An address that has a
/// registration here is that person's: a confirmed or waitlisted one is checked in as it
/// is (what its owner entered is never overwritten at the door); a cancelled one is
/// refused (409 `registration_cancelled`) and never silently taken up again.
#[tracing::instrument(skip(conn, env, input))]
pub fn walk_in(
    conn: &mut DbConnection,
    env: &Env,
    lang: Lang,
    stop_id: &str,
    input: &RegistrationInput,
) -> Result<CheckIn, AppError> {
    let input = check(input, false)?;
    db::write_transaction(conn, |conn| {
        Counters::lock(conn, stop_id)?;
        let ctx = StopContext::load(conn, stop_id)?;
        if matches!(ctx.stop.status(), StopStatus::Draft | StopStatus::Cancelled) {
            return Err(AppError::conflict(
                "registration_closed",
                "this stop does not take registrations",
            ));
        }
        let now = db::now();
        if let Some(r) = Registration::find_by_email(conn, stop_id, &input.email)? {
            if r.status() == RegistrationStatus::Cancelled {
                return Err(AppError::conflict(
                    "registration_cancelled",
                    "this address's registration was cancelled: ask the person to register \
                     again on the stop's page, or add the walk-in with another address",
                ));
            }
            return check_in_locked(conn, stop_id, r);
        }
        let code = new_code(conn, stop_id)?;
        let id = db::new_id();
        let token = env.manage_links.token(&id, 1);
        let r = Registration::insert(
            conn,
            &NewRegistration {
                id,
                stop_id: stop_id.to_owned(),
                name: input.name,
                email: input.email,
                affiliation: input.affiliation,
                legal_name: input.legal_name,
                wants_to_volunteer: input.volunteer,
                status: RegistrationStatus::Confirmed.as_str().to_owned(),
                code,
                manage_token_hash: secrets::token_hash(&token),
                lang: lang.code().to_owned(),
                walk_in: true,
                checked_in_at: Some(now),
                confirmed_at: Some(now),
                created_at: now,
                updated_at: now,
                manage_link_version: 1,
            },
        )?;
        Counters::add(
            conn,
            stop_id,
            Counters {
                confirmed: 1,
                checked_in: 1,
                ..Counters::default()
            },
        )?;
        counts_changed(conn, &ctx.stop)?;
        Ok(CheckIn {
            registration: r,
            already: false,
        })
    })
}

/// A stop's figures for its dashboard and the API.
#[derive(Clone, Debug)]
pub struct StopStats {
    pub plan: Plan,
    pub counters: Counters,
    pub signal: Signal,
    pub forecast_attendance: f64,
    /// Confirmed beyond the target (after a move to a smaller room, or walk-ins).
    pub over_target: i64,
    /// Checked in / confirmed, once the stop is done.
    pub actual_show_rate: Option<f64>,
}

pub fn stats_for(
    conn: &mut DbConnection,
    env: &Env,
    ctx: &StopContext,
) -> Result<StopStats, AppError> {
    let plan = plan(conn, env, &ctx.stop, &ctx.venue, &ctx.tour)?;
    let counters = Counters::get(conn, &ctx.stop.id)?;
    let confirmed = i64::from(counters.confirmed);
    Ok(StopStats {
        signal: if ctx.stop.status() == StopStatus::Cancelled {
            attendance::Signal::Cancelled
        } else {
            attendance::signal(
                plan.capacity,
                plan.show_rate,
                confirmed,
                plan.target,
                db::now(),
                ctx.stop.starts_at,
            )
        },
        forecast_attendance: attendance::forecast_attendance(
            confirmed,
            i64::from(counters.still_coming_yes),
            plan.show_rate,
        ),
        over_target: (confirmed - plan.target).max(0),
        actual_show_rate: (ctx.stop.status() == StopStatus::Done)
            .then(|| attendance::actual_show_rate(confirmed, i64::from(counters.checked_in)))
            .flatten(),
        plan,
        counters,
    })
}

/// The figures of a stop the organizer runs.
pub fn stats(
    conn: &mut DbConnection,
    env: &Env,
    organizer: &Organizer,
    stop_id: &str,
) -> Result<StopStats, AppError> {
    let (stop, _, _) = access::stop_for(conn, organizer, stop_id)?;
    let ctx = StopContext::load(conn, &stop.id)?;
    stats_for(conn, env, &ctx)
}

/// A stop's registrations for its organizers, with each person's no-shows in the tours the
/// organizer may see (to spot habitual no-shows).
pub fn list(
    conn: &mut DbConnection,
    organizer: &Organizer,
    stop_id: &str,
    filter: &RegistrationFilter,
) -> Result<Vec<(Registration, i64)>, AppError> {
    let (stop, _, _) = access::stop_for(conn, organizer, stop_id)?;
    let list = Registration::list(conn, &stop.id, filter)?;
    let tour_ids = access::visible_tour_ids(conn, organizer)?;
    let emails: Vec<String> = list.iter().map(|r| r.email.clone()).collect();
    let mut no_shows = std::collections::HashMap::new();
    for chunk in emails.chunks(500) {
        no_shows.extend(Registration::no_show_counts(conn, chunk, &tour_ids)?);
    }
    Ok(list
        .into_iter()
        .map(|r| {
            let n = no_shows.get(&r.email).copied().unwrap_or(0);
            (r, n)
        })
        .collect())
}

/// One person's registrations across the tours the organizer may see.
pub fn person_history(
    conn: &mut DbConnection,
    organizer: &Organizer,
    email: &str,
) -> Result<Vec<(Registration, Stop, Tour)>, AppError> {
    let email = text::email(email).map_err(|e| AppError::invalid("email", e.code, e.message))?;
    let tour_ids = access::visible_tour_ids(conn, organizer)?;
    let mut rows = Registration::history(conn, &email, &tour_ids)?;
    // Local co-organizers see only their own stops' rows.
    let mut keep = Vec::with_capacity(rows.len());
    for (r, s, t) in rows.drain(..) {
        let reach = access::tour_access(conn, organizer, &t.id)?;
        if access::sees_stop_tour(reach.as_ref(), &s) {
            keep.push((r, s, t));
        }
    }
    Ok(keep)
}

/// Registrations over time, cumulated per day in the stop's zone: (day, registered, confirmed now).
pub fn timeline(
    conn: &mut DbConnection,
    stop: &Stop,
) -> Result<Vec<(chrono::NaiveDate, i64, i64)>, AppError> {
    let rows = Registration::created_times(conn, &stop.id)?;
    let tz = stop.tz();
    let mut days: Vec<(chrono::NaiveDate, i64, i64)> = Vec::new();
    let (mut total, mut confirmed) = (0i64, 0i64);
    for (at, status) in rows {
        let day = crate::domain::stop::in_zone(at, tz).date_naive();
        total += 1;
        if status == "confirmed" {
            confirmed += 1;
        }
        match days.last_mut() {
            Some(last) if last.0 == day => {
                last.1 = total;
                last.2 = confirmed;
            }
            _ => days.push((day, total, confirmed)),
        }
    }
    Ok(days)
}

/// Used by reminders and venue switches: everyone still concerned by a stop.
pub fn concerned(conn: &mut DbConnection, stop_id: &str) -> Result<Vec<Registration>, AppError> {
    Ok(Registration::with_status(
        conn,
        stop_id,
        &[
            RegistrationStatus::Confirmed,
            RegistrationStatus::Waitlisted,
        ],
    )?)
}

/// For tests and the crash check: the running counters equal the rows.
pub fn counters_match_rows(conn: &mut DbConnection, stop_id: &str) -> Result<bool, AppError> {
    let running = Counters::get(conn, stop_id)?;
    let counted = Counters::recount(conn, stop_id)?;
    Ok(running.confirmed == counted.confirmed
        && running.waitlisted == counted.waitlisted
        && running.cancelled == counted.cancelled
        && running.checked_in == counted.checked_in
        && running.still_coming_yes == counted.still_coming_yes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_registrations_link_is_the_same_each_time_and_changes_with_its_version() {
        let key = ManageLinkKey::new(&[7u8; 64]);
        let a = key.token("r1", 1);
        assert_eq!(a, key.token("r1", 1));
        assert_eq!(a.len(), 43, "what manage links look like");
        assert_ne!(a, key.token("r1", 2));
        assert_ne!(a, key.token("r2", 1));
        assert_ne!(a, ManageLinkKey::new(&[8u8; 64]).token("r1", 1));
    }
}
