//! Organizers invite an attendee who would like to volunteer; the invitation's link takes
//! the slot in one click.

use crate::db::{self, DbConnection};
use crate::domain::ids::{RegistrationId, TaskId};
use crate::domain::task as task_rules;
use crate::email::{self, Email, Mail};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::models::magic_link::MagicLink;
use crate::models::organizer::Organizer;
use crate::models::registration::Registration;
use crate::models::task::Task;
use crate::services::context::Context;
use crate::services::stop_context::StopContext;
use crate::services::{Env, access};

use super::claims::claim_in;

pub const INVITE_PURPOSE: &str = "volunteer_invite";
/// An invitation to a task lasts this long at most.
pub const INVITE_DAYS: i64 = task_rules::INVITE_DAYS;

/// Invites an attendee who would like to volunteer to a task.
pub async fn invite(
    ctx: &Context,
    organizer: &Organizer,
    task: &TaskId,
    registration: &RegistrationId,
) -> Result<(), AppError> {
    let (env, organizer) = (ctx.env.clone(), organizer.clone());
    let (task, registration) = (task.clone(), registration.clone());
    ctx.db
        .run(move |conn| invite_in(conn, &env, &organizer, &task, &registration))
        .await
}

/// Invites an attendee who would like to volunteer to a task, by e-mail, with a link that
/// takes the slot in one click.
fn invite_in(
    conn: &mut DbConnection,
    env: &Env,
    organizer: &Organizer,
    task_id: &str,
    registration_id: &str,
) -> Result<(), AppError> {
    db::write_transaction(conn, |conn| {
        let task = Task::find(conn, task_id)?.ok_or_else(|| AppError::not_found("task"))?;
        access::stop_for(conn, organizer, &task.stop_id)
            .map_err(|_| AppError::not_found("task"))?;
        let r = Registration::find(conn, registration_id)?
            .filter(|r| r.stop_id == task.stop_id)
            .ok_or_else(|| AppError::not_found("registration"))?;
        let ctx = StopContext::load(conn, &task.stop_id)?;
        let valid =
            task_rules::invite_validity(db::now(), ctx.stop.starts_at, env.magic_link_hours);
        let token = MagicLink::create(conn, INVITE_PURPOSE, &r.email, Some(&task.id), valid)?;
        let lang = r.lang();
        let mail = Mail::VolunteerInvite {
            name: &r.name,
            stop: &ctx.mail(lang),
            task: &task.title,
            link: &env.links.url(&format!("/volunteer/accept/{token}")),
        };
        email::enqueue(
            conn,
            &env.links,
            Email::new(mail, lang, &r.email, &r.name)
                .for_stop(&ctx.tour.id, &ctx.stop.id)
                .reply_to(ctx.tour.contact_email.as_deref()),
        )?;
        Ok(())
    })
}

/// An invited attendee takes the slot with their link: the volunteer's id.
pub async fn accept_invite(ctx: &Context, token: String) -> Result<String, AppError> {
    let env = ctx.env.clone();
    ctx.db
        .run(move |conn| accept_invite_in(conn, &env, &token))
        .await
}

fn accept_invite_in(conn: &mut DbConnection, env: &Env, token: &str) -> Result<String, AppError> {
    let link = MagicLink::consume(conn, INVITE_PURPOSE, token)?
        .ok_or_else(|| AppError::not_found("invitation"))?;
    let task_id = link
        .subject_id
        .ok_or_else(|| AppError::not_found("invitation"))?;
    let task = Task::find(conn, &task_id)?.ok_or_else(|| AppError::not_found("task"))?;
    let name = Registration::find_by_email(conn, &task.stop_id, &link.email)?
        .map(|r| r.name)
        .unwrap_or_else(|| link.email.split('@').next().unwrap_or("").to_owned());
    let done = claim_in(
        conn,
        env,
        Lang::default(),
        &task_id,
        &name,
        &link.email,
        None,
    )?;
    Ok(done.volunteer.id)
}

/// An invitation that is still good, without using it: the task and its stop.
pub async fn peek_invite(ctx: &Context, token: String) -> Result<(Task, StopContext), AppError> {
    ctx.db
        .run(move |conn| {
            let link = MagicLink::peek(conn, INVITE_PURPOSE, &token)?
                .ok_or_else(|| AppError::not_found("invitation"))?;
            let task_id = link
                .subject_id
                .ok_or_else(|| AppError::not_found("invitation"))?;
            let task =
                Task::find(conn, &task_id)?.ok_or_else(|| AppError::not_found("invitation"))?;
            let ctx = StopContext::load(conn, &task.stop_id)?;
            Ok((task, ctx))
        })
        .await
}
