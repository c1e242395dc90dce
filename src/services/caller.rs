//! Who is asking, as the face that heard them established it (a browser session's signed-in
//! identities; an API token's organizer is an `Organizer`): plain data, so that who may do
//! what is decided by the use cases, not by the handlers. And `ApiCallers`, which finds (and
//! remembers) the organizer an API token names; it lives here, below the use cases that
//! take a `Context`, because the `Context` holds it.

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::Instant;

use crate::cache;
use crate::db::{self, Db, DbConnection};
use crate::error::AppError;
use crate::models::api_token::ApiToken;
use crate::models::organizer::Organizer;
use crate::secrets;

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

fn organizer_for_token(
    conn: &mut DbConnection,
    token: &str,
) -> Result<Option<(Organizer, Option<chrono::NaiveDateTime>)>, AppError> {
    Ok(ApiToken::organizer_for(conn, token)?)
}

/// How long an organizer found by an API token is remembered at most.
const CALLER_TTL: std::time::Duration = std::time::Duration::from_secs(60);
/// Bound on remembered tokens (all are forgotten when it is reached).
const MAX_CALLERS: usize = 10_000;

/// Organizers found by their API tokens, remembered for a minute: a desk sends its token with
/// every scan, and looking it up cost a database round trip (and a thread hop) per check-in.
/// Any change of an organizer or a token bumps the `auth` key (`cache::Change::Auth`), which
/// forgets them all at once here and on the other instances within a poll. Kept by the
/// token's hash; unknown tokens are not remembered.
struct Remembered {
    organizer: Organizer,
    generation: u64,
    at: Instant,
    expires_at: Option<chrono::NaiveDateTime>,
}

pub struct ApiCallers {
    db: Db,
    /// Whose `auth` key says when remembered callers are stale.
    pages: std::sync::Arc<crate::cache::PageCache>,
    known: RwLock<HashMap<String, Remembered>>,
}

impl ApiCallers {
    pub fn new(db: Db, pages: std::sync::Arc<crate::cache::PageCache>) -> Self {
        ApiCallers {
            db,
            pages,
            known: RwLock::default(),
        }
    }

    /// The organizer the token belongs to, if any.
    pub async fn organizer(&self, token: String) -> Result<Option<Organizer>, AppError> {
        let hash = secrets::token_hash(&token);
        // Read before the lookup: a change committed meanwhile makes the entry stale at once.
        let generation = self.pages.generation(cache::keys::AUTH);
        if let Some(organizer) = self.known.read().ok().and_then(|k| {
            k.get(&hash)
                .filter(|r| {
                    r.generation == generation
                        && r.at.elapsed() < CALLER_TTL
                        && r.expires_at.is_none_or(|t| t > db::now())
                })
                .map(|r| r.organizer.clone())
        }) {
            return Ok(Some(organizer));
        }
        let found = self
            .db
            .run(move |conn| organizer_for_token(conn, &token))
            .await?;
        if let (Some((organizer, expires_at)), Ok(mut known)) = (&found, self.known.write()) {
            if known.len() >= MAX_CALLERS {
                known.clear();
            }
            known.insert(
                hash,
                Remembered {
                    organizer: organizer.clone(),
                    generation,
                    at: Instant::now(),
                    expires_at: *expires_at,
                },
            );
        }
        Ok(found.map(|(o, _)| o))
    }
}
