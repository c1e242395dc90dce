//! The door: ticket codes scanned or typed, check-ins one by one or in batches, walk-ins.

use super::new_code;
use super::register::{RegistrationInput, check};
use crate::db::{self, DbConnection};
use crate::domain::attendance::RegistrationStatus;
use crate::domain::stop::StopStatus;
use crate::error::{AppError, ErrorCode, FieldCode};
use crate::i18n::Lang;
use crate::models::access::tour_access;
use crate::models::counters::Counters;
use crate::models::organizer::Organizer;
use crate::models::registration::{NewRegistration, Registration};
use crate::models::stop::Stop;
use crate::secrets;
use crate::services::Env;
use crate::services::access;
use crate::services::intake::Decided;
use crate::services::stop_context::StopContext;

pub use crate::domain::attendance::normalize_code;

pub use crate::services::intake::CheckIn;

/// The door decides its batches here (`services::intake`).
impl Decided for Registration {
    type Answer = CheckIn;

    fn decide(
        conn: &mut DbConnection,
        _: &Env,
        stop_id: &str,
        people: &[Self],
    ) -> Result<Vec<Result<CheckIn, AppError>>, AppError> {
        check_in_batch(conn, stop_id, people)
    }

    /// Read again under the stop's lock: whatever happened to them meanwhile is decided there.
    fn decide_one(
        conn: &mut DbConnection,
        _: &Env,
        stop_id: &str,
        person: &Self,
    ) -> Result<CheckIn, AppError> {
        check_in_careful(conn, stop_id, person)
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
    let allowed = tour_access(conn, organizer, &tour.id)?;
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

/// The registration the desk found by name, and what needs no batch.
pub fn check_in_start_by_id(
    conn: &mut DbConnection,
    stop_id: &str,
    registration_id: &str,
) -> Result<DoorStep, AppError> {
    let stop = Stop::find(conn, stop_id)?.ok_or_else(|| AppError::not_found("stop"))?;
    let r = Registration::find(conn, registration_id)?
        .filter(|r| r.stop_id == stop_id)
        .ok_or_else(|| AppError::not_found("registration"))?;
    door_step(conn, &stop, r)
}

/// The typed or scanned code, normalised; refused when nothing is left of it.
fn scanned_code(typed: &str) -> Result<String, AppError> {
    let code = normalize_code(typed);
    if code.is_empty() {
        return Err(AppError::invalid(
            "code",
            FieldCode::Required,
            "is required",
        ));
    }
    Ok(code)
}

/// A cancelled stop has no door: its tickets are void (the data stays for the report).
fn refuse_if_cancelled(stop: &Stop) -> Result<(), AppError> {
    if stop.status() == StopStatus::Cancelled {
        return Err(AppError::conflict(
            ErrorCode::StopCancelled,
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
            let stop = Stop::find(conn, stop_id)?.ok_or_else(|| AppError::not_found("stop"))?;
            Counters::add(
                conn,
                &stop,
                Counters {
                    checked_in: i32::try_from(checked.len()).unwrap_or(i32::MAX),
                    ..Counters::default()
                },
            )?;
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

fn count_check_in(conn: &mut DbConnection, stop: &Stop) -> Result<(), AppError> {
    Ok(Counters::add(
        conn,
        stop,
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
                ErrorCode::RegistrationCancelled,
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
                &stop,
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
        count_check_in(conn, &stop)?;
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
                ErrorCode::RegistrationClosed,
                "this stop does not take registrations",
            ));
        }
        let now = db::now();
        if let Some(r) = Registration::find_by_email(conn, stop_id, &input.email)? {
            if r.status() == RegistrationStatus::Cancelled {
                return Err(AppError::conflict(
                    ErrorCode::RegistrationCancelled,
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
                status: RegistrationStatus::Confirmed,
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
            &ctx.stop,
            Counters {
                confirmed: 1,
                checked_in: 1,
                ..Counters::default()
            },
        )?;
        Ok(CheckIn {
            registration: r,
            already: false,
        })
    })
}
