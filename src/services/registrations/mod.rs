//! Registrations against attendance ratios: register, cancel (and promote from the
//! waitlist), check in, walk-ins, "still coming?", the stop's figures, a person's history.
//!
//! Every change of a stop's registrations runs in one write transaction that first takes the
//! stop's registration lock (`Counters::lock`), so the decisions never race: the target is
//! not exceeded however many people register at the same instant, on either backend.

mod cancel;
mod door;
mod figures;
mod register;

pub use cancel::*;
pub use door::*;
pub use figures::*;
pub use register::*;

use crate::db::DbConnection;
use crate::domain::attendance::RegistrationStatus;
use crate::error::AppError;
use crate::models::registration::Registration;
use crate::secrets;
use crate::services::Env;

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

fn waitlist_position(conn: &mut DbConnection, r: &Registration) -> Result<Option<i64>, AppError> {
    Ok(if r.status() == RegistrationStatus::Waitlisted {
        Some(r.waitlist_position(conn)?)
    } else {
        None
    })
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
