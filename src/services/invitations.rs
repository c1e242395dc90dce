//! Asking speakers to give a talk: the invitation e-mail (a few a day at most), and the talk
//! an agenda places, copied when it belongs to another tour so its speakers are asked anew.

use chrono::Duration;

use crate::db::{self, DbConnection};
use crate::domain::proposal::may_mail_invitation;
use crate::email::{self, Email, Mail, MailKind};
use crate::error::AppError;
use crate::models::organizer::Organizer;
use crate::models::speaker::Speaker;
use crate::models::stop::Stop;
use crate::models::talk::Talk;
use crate::models::tour::Tour;
use crate::services::Env;

pub use crate::domain::proposal::INVITATIONS_PER_DAY;

/// Asks a speaker to give a talk: an e-mail with a link to their page, where they accept or
/// decline (at most `INVITATIONS_PER_DAY` such e-mails a day; the rest wait on their page).
pub fn invite(
    conn: &mut DbConnection,
    env: &Env,
    speaker: &Speaker,
    by: &str,
    tour: Option<&Tour>,
    talk: &Talk,
) -> Result<(), AppError> {
    let since = db::now() - Duration::days(1);
    if !may_mail_invitation(Speaker::mails_since(
        conn,
        MailKind::TalkInvitation,
        &speaker.email,
        since,
    )?) {
        return Ok(());
    }
    let link = crate::services::magic_links::speaker(conn, env, speaker)?;
    let invitation = Mail::TalkInvitation {
        name: &speaker.name,
        by,
        tour: tour.map(|t| t.name.as_str()),
        title: &talk.title,
        link: &link,
        hours: env.magic_link_hours,
    };
    let mut mail = Email::new(invitation, speaker.lang(), &speaker.email, &speaker.name);
    if let Some(t) = tour {
        mail = mail.for_tour(&t.id).reply_to(t.contact_email.as_deref());
    }
    email::enqueue(conn, &env.links, mail)?;
    Ok(())
}

/// The talk to place at a stop: the talk itself if it belongs to the stop's tour (or to no
/// tour yet: just made by an organizer); otherwise a copy whose speakers are asked anew.
/// A speaker's yes to one tour is not a yes to every tour that finds their talk.
pub fn talk_for_stop(
    conn: &mut DbConnection,
    env: &Env,
    organizer: &Organizer,
    stop: &Stop,
    talk: &Talk,
) -> Result<Talk, AppError> {
    let tours = Talk::tour_ids(conn, &talk.id)?;
    if tours.is_empty() || tours.contains(&stop.tour_id) {
        return Ok(talk.clone());
    }
    let ids = Talk::speaker_ids(conn, &talk.id)?;
    let copy = Talk::insert(
        conn,
        &talk.title,
        &talk.summary,
        talk.duration_minutes,
        &ids,
        None,
    )?;
    let tour = Tour::find(conn, &stop.tour_id)?;
    for s in Speaker::find_many(conn, &ids)? {
        invite(
            conn,
            env,
            &s,
            organizer.display_name(),
            tour.as_ref(),
            &copy,
        )?;
    }
    Ok(copy)
}
