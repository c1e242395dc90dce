//! Who supports a stop (the room, drinks, the live stream…), shown on its page.

use crate::db::DbConnection;
use crate::domain::ids::{StopId, SupporterId};
use crate::domain::text;
use crate::error::{AppError, Validator};
use crate::models::organizer::Organizer;
use crate::models::stop::{Stop, Supporter};
use crate::services::access;
use crate::services::context::Context;

pub async fn add_supporter(
    ctx: &Context,
    organizer: &Organizer,
    stop: &StopId,
    name: String,
    contribution: String,
) -> Result<Supporter, AppError> {
    let (organizer, stop) = (organizer.clone(), stop.clone());
    ctx.db
        .run(move |conn| add_supporter_in(conn, &organizer, &stop, &name, &contribution))
        .await
}

pub async fn remove_supporter(
    ctx: &Context,
    organizer: &Organizer,
    stop: &StopId,
    supporter: &SupporterId,
) -> Result<(), AppError> {
    let (organizer, stop, supporter) = (organizer.clone(), stop.clone(), supporter.clone());
    ctx.db
        .run(move |conn| remove_supporter_in(conn, &organizer, &stop, &supporter))
        .await
}

fn add_supporter_in(
    conn: &mut DbConnection,
    organizer: &Organizer,
    stop_id: &str,
    name: &str,
    contribution: &str,
) -> Result<Supporter, AppError> {
    let mut v = Validator::new();
    let name = v.check("name", text::required_line(name, 200));
    let contribution = v.check("contribution", text::optional(contribution, 500));
    v.finish()?;
    let (stop, _, _) = access::stop_for(conn, organizer, stop_id)?;
    let supporter = Stop::add_supporter(
        conn,
        &stop.id,
        &name.unwrap_or_default(),
        &contribution.unwrap_or_default(),
    )?;
    Ok(supporter)
}

fn remove_supporter_in(
    conn: &mut DbConnection,
    organizer: &Organizer,
    stop_id: &str,
    supporter_id: &str,
) -> Result<(), AppError> {
    let (stop, _, _) = access::stop_for(conn, organizer, stop_id)?;
    if Stop::remove_supporter(conn, &stop.id, supporter_id)? == 0 {
        return Err(AppError::not_found("supporter"));
    }
    Ok(())
}
