//! What the operators' endpoints ask of the database: is it ready, and the figures the
//! metrics add up.

use diesel::connection::SimpleConnection;

use crate::db;
use crate::error::AppError;
use crate::models::counters::Counters;
use crate::models::outbox::OutboxMessage;
use crate::services::context::Context;

/// Whether the database answers and its migrations are current (an error: it does not answer).
pub async fn database_ready(ctx: &Context) -> Result<bool, AppError> {
    ctx.db
        .run(|conn| {
            conn.batch_execute("SELECT 1")?;
            Ok(db::migrations_current(conn))
        })
        .await
}

/// The instance's registration counters added up, and its e-mails queued, sent, failed.
pub async fn totals(ctx: &Context) -> Result<(Counters, (i64, i64, i64)), AppError> {
    ctx.db
        .run(|conn| {
            let counters = Counters::totals(conn)?;
            let c = OutboxMessage::counts(conn, None)?;
            Ok((counters, (c.queued, c.sent, c.failed)))
        })
        .await
}
