//! Requests for one stop that arrive together are decided together: one transaction, one
//! lock of the stop's counters, one commit (group commit). Under a rush this turns the stop's
//! hot row (PostgreSQL) or the single writer (SQLite) from a queue of transactions into a few
//! batches, while every person still gets their own answer, in order of arrival.
//!
//! Two kinds of requests go this way: registrations (`Intake`) and the check-ins of
//! confirmed people at the door (`Door`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;

use crate::db::{Db, DbConnection};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::models::registration::Registration;
use crate::services::Env;

/// At most this many requests in one transaction (a bound on how long the lock is held).
const MAX_BATCH: usize = 128;

/// Decides a batch for a stop: an answer per item, or an error that kept nothing of it.
pub type Decide<I, O> =
    fn(&mut DbConnection, &Env, &str, &[I]) -> Result<Vec<Result<O, AppError>>, AppError>;
/// Decides one item on its own (when its batch failed as a whole).
pub type DecideOne<I, O> = fn(&mut DbConnection, &Env, &str, &I) -> Result<O, AppError>;

type Reply<O> = oneshot::Sender<Result<O, AppError>>;

struct Queue<I, O> {
    waiting: Vec<(I, Reply<O>)>,
    /// A task is deciding this stop's batches; newcomers just join the queue.
    draining: bool,
}

impl<I, O> Default for Queue<I, O> {
    fn default() -> Self {
        Queue {
            waiting: Vec::new(),
            draining: false,
        }
    }
}

/// Per-stop queues of requests of one kind, each drained batch after batch.
pub struct StopBatches<I, O> {
    db: Db,
    env: Env,
    queues: Arc<Mutex<HashMap<String, Queue<I, O>>>>,
    decide: Decide<I, O>,
    decide_one: DecideOne<I, O>,
}

impl<I, O> Clone for StopBatches<I, O> {
    fn clone(&self) -> Self {
        StopBatches {
            db: self.db.clone(),
            env: self.env.clone(),
            queues: self.queues.clone(),
            decide: self.decide,
            decide_one: self.decide_one,
        }
    }
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

/// The outcome of a registration request.
pub struct Registered {
    pub registration: Registration,
    /// Given once, when the registration is new (or taken up again after a cancellation).
    pub manage_token: Option<String>,
    pub created: bool,
    pub waitlist_position: Option<i64>,
}

/// The result of a check-in.
pub struct CheckIn {
    pub registration: Registration,
    /// Checked in before (the time shown is the first one).
    pub already: bool,
}

/// How a request of one kind is decided, in a batch and alone. Implemented beside the use
/// cases (`services::registrations`), which take the `Context` holding the batches: the
/// requests and answers are defined here so that this module needs nothing of theirs.
pub trait Decided: Sized {
    type Answer;

    fn decide(
        conn: &mut DbConnection,
        env: &Env,
        stop_id: &str,
        batch: &[Self],
    ) -> Result<Vec<Result<Self::Answer, AppError>>, AppError>;

    fn decide_one(
        conn: &mut DbConnection,
        env: &Env,
        stop_id: &str,
        item: &Self,
    ) -> Result<Self::Answer, AppError>;
}

/// Registrations: see `registrations::register_batch`.
pub type Intake = StopBatches<(Lang, RegistrationInput), Registered>;
/// Check-ins of confirmed people: see `registrations::check_in_batch`.
pub type Door = StopBatches<Registration, CheckIn>;

pub fn intake(db: Db, env: Env) -> Intake {
    StopBatches::new(
        db,
        env,
        <(Lang, RegistrationInput)>::decide,
        <(Lang, RegistrationInput)>::decide_one,
    )
}

pub fn door(db: Db, env: Env) -> Door {
    StopBatches::new(db, env, Registration::decide, Registration::decide_one)
}

impl<I, O> StopBatches<I, O>
where
    I: Send + Sync + 'static,
    O: Send + 'static,
{
    pub fn new(db: Db, env: Env, decide: Decide<I, O>, decide_one: DecideOne<I, O>) -> Self {
        StopBatches {
            db,
            env,
            queues: Arc::default(),
            decide,
            decide_one,
        }
    }

    /// Decides `item` for the stop, in a batch with whatever arrives for it at the same moment.
    pub async fn submit(&self, stop_id: String, item: I) -> Result<O, AppError> {
        let (reply, answer) = oneshot::channel();
        let start = {
            let mut queues = self
                .queues
                .lock()
                .map_err(|_| AppError::unexpected_msg("stop queue poisoned"))?;
            let queue = queues.entry(stop_id.clone()).or_default();
            queue.waiting.push((item, reply));
            !std::mem::replace(&mut queue.draining, true)
        };
        if start {
            let me = self.clone();
            actix_web::rt::spawn(async move { me.drain(stop_id).await });
        }
        answer
            .await
            .map_err(|_| AppError::unexpected_msg("the request was dropped"))?
    }

    /// Decides the stop's waiting requests, batch after batch, until none is left.
    async fn drain(&self, stop_id: String) {
        loop {
            let batch: Vec<_> = {
                let Ok(mut queues) = self.queues.lock() else {
                    return;
                };
                let Some(queue) = queues.get_mut(&stop_id) else {
                    return;
                };
                if queue.waiting.is_empty() {
                    queues.remove(&stop_id);
                    return;
                }
                let n = queue.waiting.len().min(MAX_BATCH);
                queue.waiting.drain(..n).collect()
            };
            let (items, replies): (Vec<_>, Vec<_>) = batch.into_iter().unzip();
            let (env, sid, decide) = (self.env.clone(), stop_id.clone(), self.decide);
            let shared = Arc::new(items);
            let batch = shared.clone();
            let decided = self
                .db
                .run_batch(move |conn| decide(conn, &env, &sid, &batch))
                .await;
            match decided {
                Ok(answers) => {
                    for (reply, answer) in replies.into_iter().zip(answers) {
                        let _ = reply.send(answer);
                    }
                }
                // The whole batch failed (nothing of it was kept): each one again on its own,
                // so one bad apple costs nobody else their place.
                Err(e) if replies.len() == 1 => {
                    if let Some(reply) = replies.into_iter().next() {
                        let _ = reply.send(Err(e));
                    }
                }
                Err(_) => {
                    for (i, reply) in replies.into_iter().enumerate() {
                        let (env, sid, batch) = (self.env.clone(), stop_id.clone(), shared.clone());
                        let decide_one = self.decide_one;
                        let answer = self
                            .db
                            .run(move |conn| decide_one(conn, &env, &sid, &batch[i]))
                            .await;
                        let _ = reply.send(answer);
                    }
                }
            }
        }
    }
}
