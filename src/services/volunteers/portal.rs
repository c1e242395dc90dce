//! The volunteer's side behind their sign-in link: their tasks and hand-ins, their calendar
//! feed, the link itself, and the day-before reminder.

use chrono::Duration;

use crate::db::{self, DbConnection};
use crate::domain::ids::VolunteerId;
use crate::domain::task as task_rules;
use crate::domain::text;
use crate::email::{self, Email, Mail};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::models::material::Material;
use crate::models::stop::Stop;
use crate::models::task::{Claim, Volunteer};
use crate::read::volunteers::{OwnTask, VolunteerTasks};
use crate::secrets;
use crate::services::Env;
use crate::services::context::Context;
use crate::services::stop_context::StopContext;

use super::task_start;

/// Sends a volunteer a fresh sign-in link (nothing, silently, for an address nobody uses).
pub fn request_link(
    conn: &mut DbConnection,
    env: &Env,
    lang: Lang,
    email_address: &str,
) -> Result<(), AppError> {
    let Ok(address) = text::email(email_address) else {
        return Ok(());
    };
    db::write_transaction(conn, |conn| {
        let Some(v) = Volunteer::find_by_email(conn, &address)? else {
            return Ok(());
        };
        let link = crate::services::magic_links::volunteer(
            conn,
            env,
            &v,
            Duration::hours(env.magic_link_hours),
        )?;
        let mail = Mail::SignInLink {
            name: &v.name,
            what: &lang.t("email.sign_in.volunteer_page"),
            link: &link,
            hours: env.magic_link_hours,
        };
        email::enqueue(conn, &env.links, Email::new(mail, lang, &v.email, &v.name))?;
        Ok(())
    })
}

/// What the volunteer's own page shows.
pub struct OwnPage {
    pub volunteer: Volunteer,
    pub tasks: Vec<OwnTask>,
    /// The materials they are asked to hand in.
    pub requests: Vec<(Material, Stop)>,
    /// The stops whose desk they may open.
    pub desk_stops: Vec<String>,
    /// Their calendar feed's address, when they just made one (it is shown once).
    pub feed: Option<String>,
}

/// The volunteer's page: their tasks across stops, what to hand in, their desks.
pub async fn own_page(ctx: &Context, volunteer: &VolunteerId) -> Result<OwnPage, AppError> {
    let (env, volunteer) = (ctx.env.clone(), volunteer.clone());
    ctx.db
        .run(move |conn| own_page_in(conn, &env, &volunteer, None))
        .await
}

/// A new calendar feed for the volunteer (the old address stops working), and their page
/// showing its address.
pub async fn make_feed(ctx: &Context, volunteer: &VolunteerId) -> Result<OwnPage, AppError> {
    let (env, volunteer) = (ctx.env.clone(), volunteer.clone());
    ctx.db
        .run(move |conn| {
            let url = feed_url_in(conn, &env, &volunteer)?;
            own_page_in(conn, &env, &volunteer, Some(url))
        })
        .await
}

fn own_page_in(
    conn: &mut DbConnection,
    env: &Env,
    volunteer_id: &str,
    feed: Option<String>,
) -> Result<OwnPage, AppError> {
    let (volunteer, tasks) = own_tasks(conn, env, volunteer_id)?;
    let requests = crate::services::collection::volunteer_requests(conn, volunteer_id)?;
    let desk_stops = crate::services::desk::stops_of_helper(conn, &volunteer.email)?;
    Ok(OwnPage {
        volunteer,
        tasks,
        requests,
        desk_stops,
        feed,
    })
}

/// A volunteer's tasks across stops, for their page.
fn own_tasks(
    conn: &mut DbConnection,
    env: &Env,
    volunteer_id: &str,
) -> Result<(Volunteer, Vec<OwnTask>), AppError> {
    let v = Volunteer::find(conn, volunteer_id)?.ok_or_else(|| AppError::not_found("volunteer"))?;
    let now = db::now();
    let mut out = Vec::new();
    for (claim, task, stop, tour) in Claim::of_volunteer(conn, volunteer_id)? {
        let venue = crate::models::venue::Venue::get(conn, &stop.venue_id)?;
        let releasable = task_rules::can_release(now, task_start(&task, &stop), env.release_hours);
        out.push(OwnTask {
            claim,
            task,
            stop,
            tour,
            venue,
            releasable,
        });
    }
    Ok((v, out))
}

/// A new secret address of the volunteer's calendar feed (only its hash is kept).
pub fn feed_url_in(
    conn: &mut DbConnection,
    env: &Env,
    volunteer_id: &str,
) -> Result<String, AppError> {
    let token = secrets::new_token();
    Volunteer::set_feed_token_hash(conn, volunteer_id, &secrets::token_hash(&token))?;
    Ok(env.links.url(&format!("/volunteer/feed/{token}.ics")))
}

/// The volunteer and their claims, by their feed's token.
pub async fn tasks_by_feed(ctx: &Context, token: String) -> Result<VolunteerTasks, AppError> {
    ctx.db
        .run(move |conn| {
            let v = Volunteer::find_by_feed_hash(conn, &secrets::token_hash(&token))?
                .ok_or_else(|| AppError::not_found("feed"))?;
            let list = Claim::of_volunteer(conn, &v.id)?;
            Ok((v, list))
        })
        .await
}

/// The day-before reminder to every volunteer of a stop (run by the scheduler).
pub fn remind(conn: &mut DbConnection, env: &Env, stop: &Stop) -> Result<usize, AppError> {
    let ctx = StopContext::load(conn, &stop.id)?;
    let mut by_volunteer: Vec<(Volunteer, Vec<String>)> = Vec::new();
    for (_, task, v) in Claim::at_stop(conn, &stop.id)? {
        match by_volunteer.iter_mut().find(|(x, _)| x.id == v.id) {
            Some((_, titles)) => titles.push(task.title),
            None => by_volunteer.push((v, vec![task.title])),
        }
    }
    let n = by_volunteer.len();
    for (v, titles) in by_volunteer {
        let lang = v.lang();
        let link = crate::services::magic_links::volunteer(conn, env, &v, Duration::hours(48))?;
        let mail = Mail::VolunteerReminder {
            name: &v.name,
            stop: &ctx.mail(lang),
            tasks: &titles.join(", "),
            link: &link,
        };
        email::enqueue(
            conn,
            &env.links,
            Email::new(mail, lang, &v.email, &v.name)
                .for_stop(&ctx.tour.id, &ctx.stop.id)
                .reply_to(ctx.tour.contact_email.as_deref())
                .attach(ctx.ics(env)),
        )?;
    }
    Ok(n)
}
