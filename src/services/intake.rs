//! Registrations arriving together for one stop are decided together: one transaction, one
//! lock of the stop's counters, one commit (group commit). Under a rush this turns the stop's
//! hot row (PostgreSQL) or the single writer (SQLite) from a queue of transactions into a few
//! batches, while every person still gets their own answer, in order of arrival.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;

use crate::db::Db;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::services::Env;
use crate::services::registrations::{self, Registered, RegistrationInput};

/// At most this many registrations in one transaction (a bound on how long the lock is held).
const MAX_BATCH: usize = 128;

type Reply = oneshot::Sender<Result<Registered, AppError>>;

#[derive(Default)]
struct Queue {
    waiting: Vec<(Lang, RegistrationInput, Reply)>,
    /// A task is deciding this stop's batches; newcomers just join the queue.
    draining: bool,
}

#[derive(Clone)]
pub struct Intake {
    db: Db,
    env: Env,
    queues: Arc<Mutex<HashMap<String, Queue>>>,
}

impl Intake {
    pub fn new(db: Db, env: Env) -> Self {
        Intake {
            db,
            env,
            queues: Arc::default(),
        }
    }

    /// Registers someone for a stop (see `registrations::register`), in a batch with whoever
    /// registers for the same stop at the same moment.
    pub async fn register(
        &self,
        stop_id: String,
        lang: Lang,
        input: RegistrationInput,
    ) -> Result<Registered, AppError> {
        let (reply, answer) = oneshot::channel();
        let start = {
            let mut queues = self
                .queues
                .lock()
                .map_err(|_| AppError::unexpected_msg("registration queue poisoned"))?;
            let queue = queues.entry(stop_id.clone()).or_default();
            queue.waiting.push((lang, input, reply));
            !std::mem::replace(&mut queue.draining, true)
        };
        if start {
            let me = self.clone();
            actix_web::rt::spawn(async move { me.drain(stop_id).await });
        }
        answer
            .await
            .map_err(|_| AppError::unexpected_msg("the registration was dropped"))?
    }

    /// Decides the stop's waiting registrations, batch after batch, until none is left.
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
            let (inputs, replies): (Vec<_>, Vec<_>) = batch
                .into_iter()
                .map(|(lang, input, reply)| ((lang, input), reply))
                .unzip();
            let (env, sid) = (self.env.clone(), stop_id.clone());
            let shared = Arc::new(inputs);
            let batch = shared.clone();
            let decided = self
                .db
                .run(move |conn| registrations::register_batch(conn, &env, &sid, &batch))
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
                        let answer = self
                            .db
                            .run(move |conn| {
                                let (lang, input) = &batch[i];
                                registrations::register(conn, &env, *lang, &sid, input)
                            })
                            .await;
                        let _ = reply.send(answer);
                    }
                }
            }
        }
    }
}
