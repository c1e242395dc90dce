//! Registering: one person, or a batch of requests decided together under the stop's lock
//! (the group commit of `services::intake`).

use super::{link_for_mail, manage_url, new_code, waitlist_position};
use crate::db::{self, DbConnection};
use crate::domain::attendance::{self, RegistrationStatus};
use crate::domain::ids::StopId;
use crate::domain::stop::StopStatus;
use crate::domain::text;
use crate::email::{self, Email, Mail, MailKind, Ticket};
use crate::error::{AppError, ErrorCode, Validator};
use crate::i18n::Lang;
use crate::models::counters::Counters;
use crate::models::registration::{NewRegistration, Person, Registration};
use crate::secrets;
use crate::services::Env;
use crate::services::context::Context;
use crate::services::intake::Decided;
use crate::services::stop_context::{StopContext, plan};

pub use crate::services::intake::{Registered, RegistrationInput};

pub(super) struct Checked {
    pub(super) name: String,
    pub(super) email: String,
    pub(super) affiliation: String,
    pub(super) legal_name: String,
    pub(super) volunteer: bool,
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

pub(super) fn check(input: &RegistrationInput, id_check: bool) -> Result<Checked, AppError> {
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

pub(super) fn confirmation_email(
    env: &Env,
    ctx: &StopContext,
    r: &Registration,
    link: &str,
    promoted: bool,
) -> Email {
    let lang = r.lang();
    let s = ctx.mail(lang);
    let qr = ctx.qr_data(env, &r.code);
    let ticket = Ticket {
        name: &r.name,
        stop: &s,
        code: &r.code,
        qr_data: &qr,
        manage_url: link,
    };
    let mail = if promoted {
        Mail::RegistrationPromoted(ticket)
    } else {
        Mail::RegistrationConfirmed(ticket)
    };
    Email::new(mail, lang, &r.email, &r.name)
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
pub const TYPED_ADDRESS_KINDS: [MailKind; 2] =
    [MailKind::RegistrationAgain, MailKind::RegistrationLink];

/// Registers someone for an open stop of a public tour: confirmed below the target, else
/// waitlisted; the same address again gets the registration it already has. Decided in the
/// stop's intake, together with whoever registers at the same moment (`services::intake`).
pub async fn register(
    ctx: &Context,
    lang: Lang,
    stop: &StopId,
    input: RegistrationInput,
) -> Result<Registered, AppError> {
    ctx.intake.submit(stop.to_string(), (lang, input)).await
}

/// `register` on a connection, alone in its transaction (the intake's way when a batch
/// failed as a whole).
fn register_in(
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

/// The intake decides its batches here (`services::intake`).
impl Decided for (Lang, RegistrationInput) {
    type Answer = Registered;

    fn decide(
        conn: &mut DbConnection,
        env: &Env,
        stop_id: &str,
        batch: &[Self],
    ) -> Result<Vec<Result<Registered, AppError>>, AppError> {
        register_batch(conn, env, stop_id, batch)
    }

    fn decide_one(
        conn: &mut DbConnection,
        env: &Env,
        stop_id: &str,
        item: &Self,
    ) -> Result<Registered, AppError> {
        register_in(conn, env, item.0, stop_id, &item.1)
    }
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
                        ErrorCode::RegistrationClosed,
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
        if delta != Counters::default()
            && !Counters::apply_within(conn, &ctx.stop, delta, plan.target)?
        {
            return Err(AppError::unexpected_msg(
                "the confirmed count moved under the stop lock",
            ));
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
                let mail = Mail::RegistrationAgain {
                    name: &r.name,
                    stop: &ctx.mail(r.lang()),
                    status: &status,
                    manage_url: &link,
                };
                self.mails.push(
                    Email::new(mail, r.lang(), &r.email, &r.name)
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
                    status,
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
                let mail = Mail::RegistrationWaitlisted {
                    name: &registration.name,
                    stop: &ctx.mail(registration.lang()),
                    position,
                    manage_url: &manage_url(env, &token),
                };
                self.mails.push(
                    Email::new(
                        mail,
                        registration.lang(),
                        &registration.email,
                        &registration.name,
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
