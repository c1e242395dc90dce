//! The rules of organizer accounts: how long sign-in stays locked after failed attempts,
//! how long an API token may live, who manages accounts.

use chrono::Duration;

use super::FieldError;
use super::text;

/// Failed sign-ins of one address from one client allowed before the backoff starts.
pub const FREE_FAILURES: i32 = 5;
/// Failed sign-ins of one address from all clients together before every client waits: a
/// guard against guessing from many addresses, set high so that nobody locks an organizer
/// out by accident. While locked, the owner still gets in with an e-mailed sign-in link.
pub const FREE_FAILURES_ANYWHERE: i32 = 50;
/// The first lock; it doubles with each further failure, up to `MAX_LOCK`.
const FIRST_LOCK_SECS: i64 = 30;
const MAX_LOCK_SECS: i64 = 15 * 60;
/// Failures older than this are forgotten.
pub const FORGET_AFTER_HOURS: i64 = 1;

/// How long sign-in stays locked after the `failures`-th failure in a row, when `free`
/// failures are allowed.
pub fn backoff_after(failures: i32, free: i32) -> Option<Duration> {
    if failures < free {
        return None;
    }
    let doublings = (failures - free).min(16) as u32;
    Some(Duration::seconds(
        (FIRST_LOCK_SECS << doublings).min(MAX_LOCK_SECS),
    ))
}

/// Longest lifetime a token may be given, in days (longer: no expiry at all).
pub const MAX_TOKEN_DAYS: i64 = 3650;

/// A token's lifetime as asked for: none (until revoked), or 1 to `MAX_TOKEN_DAYS` days.
pub fn token_lifetime(expires_in_days: Option<i64>) -> Result<Option<Duration>, FieldError> {
    match expires_in_days {
        None => Ok(None),
        Some(days) if (1..=MAX_TOKEN_DAYS).contains(&days) => Ok(Some(Duration::days(days))),
        Some(_) => Err(text::out_of_range("1", &text::grouped(MAX_TOKEN_DAYS))),
    }
}

/// Only site admins add organizers or see the list of accounts.
pub fn may_manage_organizers(is_admin: bool) -> bool {
    is_admin
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_starts_after_free_failures_and_doubles_up_to_a_cap() {
        let f = FREE_FAILURES;
        assert_eq!(backoff_after(f - 1, f), None);
        assert_eq!(backoff_after(f, f), Some(Duration::seconds(30)));
        assert_eq!(backoff_after(f + 1, f), Some(Duration::seconds(60)));
        assert_eq!(backoff_after(f + 2, f), Some(Duration::seconds(120)));
        assert_eq!(
            backoff_after(1000, f),
            Some(Duration::seconds(MAX_LOCK_SECS))
        );
        assert_eq!(
            backoff_after(FREE_FAILURES_ANYWHERE - 1, FREE_FAILURES_ANYWHERE),
            None
        );
    }

    #[test]
    fn a_token_lives_until_revoked_or_between_one_day_and_ten_years() {
        assert_eq!(token_lifetime(None), Ok(None));
        assert_eq!(token_lifetime(Some(1)), Ok(Some(Duration::days(1))));
        assert_eq!(
            token_lifetime(Some(MAX_TOKEN_DAYS)),
            Ok(Some(Duration::days(MAX_TOKEN_DAYS)))
        );
        for days in [0, -1, MAX_TOKEN_DAYS + 1] {
            assert!(token_lifetime(Some(days)).is_err(), "{days}");
        }
    }

    #[test]
    fn only_site_admins_manage_organizers() {
        assert!(may_manage_organizers(true));
        assert!(!may_manage_organizers(false));
    }
}
