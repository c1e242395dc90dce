//! What organizers see of the outbox: their tours' messages, and a retry for failed ones.

use crate::db::DbConnection;
use crate::domain::ids::{MessageId, TourId};
use crate::error::{AppError, ErrorCode};
use crate::models::organizer::Organizer;
use crate::models::outbox::{OutboxCounts, OutboxMessage, OutboxStatus};
use crate::models::tour::Tour;
use crate::services::access;
use crate::services::context::Context;

pub struct TourOutbox {
    pub tour: Tour,
    pub counts: OutboxCounts,
    pub messages: Vec<OutboxMessage>,
}

/// A tour's messages, for organizers who run the whole tour.
pub async fn tour_outbox(
    ctx: &Context,
    organizer: &Organizer,
    tour: &TourId,
    status: Option<OutboxStatus>,
) -> Result<TourOutbox, AppError> {
    let (organizer, tour) = (organizer.clone(), tour.clone());
    ctx.db
        .run(move |conn| tour_outbox_in(conn, &organizer, &tour, status))
        .await
}

fn tour_outbox_in(
    conn: &mut DbConnection,
    organizer: &Organizer,
    tour_id: &str,
    status: Option<OutboxStatus>,
) -> Result<TourOutbox, AppError> {
    let (tour, _) = access::editable_tour(conn, organizer, tour_id)?;
    let ids = [tour.id.clone()];
    Ok(TourOutbox {
        counts: OutboxMessage::counts(conn, Some(&ids))?,
        messages: OutboxMessage::list(conn, Some(&ids), status, 200)?,
        tour,
    })
}

/// Every message, for site admins (including those of no tour, such as password resets).
pub async fn all_messages(
    ctx: &Context,
    organizer: &Organizer,
    status: Option<OutboxStatus>,
) -> Result<(OutboxCounts, Vec<OutboxMessage>), AppError> {
    let organizer = organizer.clone();
    ctx.db
        .run(move |conn| all_messages_in(conn, &organizer, status))
        .await
}

fn all_messages_in(
    conn: &mut DbConnection,
    organizer: &Organizer,
    status: Option<OutboxStatus>,
) -> Result<(OutboxCounts, Vec<OutboxMessage>), AppError> {
    if !organizer.is_admin {
        return Err(AppError::forbidden("only site admins see every message"));
    }
    Ok((
        OutboxMessage::counts(conn, None)?,
        OutboxMessage::list(conn, None, status, 200)?,
    ))
}

/// Queues a failed message again. Tour messages: the tour's organizers; others: site admins.
pub async fn retry(
    ctx: &Context,
    organizer: &Organizer,
    message: &MessageId,
) -> Result<OutboxMessage, AppError> {
    let (organizer, message) = (organizer.clone(), message.clone());
    ctx.db
        .run(move |conn| retry_in(conn, &organizer, &message))
        .await
}

fn retry_in(
    conn: &mut DbConnection,
    organizer: &Organizer,
    message_id: &str,
) -> Result<OutboxMessage, AppError> {
    let message =
        OutboxMessage::find(conn, message_id)?.ok_or_else(|| AppError::not_found("message"))?;
    match &message.tour_id {
        Some(tour_id) => {
            access::editable_tour(conn, organizer, tour_id)
                .map_err(|_| AppError::not_found("message"))?;
        }
        None if organizer.is_admin => {}
        None => return Err(AppError::not_found("message")),
    }
    if OutboxMessage::retry(conn, &message.id)? == 0 {
        return Err(AppError::conflict(
            ErrorCode::NotFailed,
            "only failed messages can be retried",
        ));
    }
    OutboxMessage::find(conn, &message.id)?.ok_or_else(|| AppError::not_found("message"))
}
