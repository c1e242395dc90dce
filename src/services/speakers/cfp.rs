//! The call for proposals: the public form, the proposal's confirmation by its submitter,
//! and the sign-in link that also offers a pending proposal's confirmation again.

use chrono::{Duration, NaiveDateTime};

use crate::db::{self, DbConnection};
use crate::domain::ids::TourId;
use crate::domain::proposal;
use crate::domain::text;
use crate::email::{self, Email, Mail};
use crate::error::{AppError, ErrorCode, FieldCode, Validator};
use crate::i18n::Lang;
use crate::models::magic_link::MagicLink;
use crate::models::proposal::Proposal;
use crate::models::speaker::Speaker;
use crate::models::stop::Stop;
use crate::models::talk::Talk;
use crate::models::tour::Tour;
use crate::models::venue::Venue;
use crate::services::context::Context;
use crate::services::{Env, invitations};

/// The link that confirms a proposal sent from the public form.
pub const CONFIRM_PURPOSE: &str = "proposal_confirm";
/// How long that link works.
pub const CONFIRM_HOURS: i64 = 48;
pub use crate::domain::proposal::UNCONFIRMED_PER_HOUR;
/// A proposal waiting this long for its confirmation is not offered a new link any more
/// (its submitter proposes it again).
pub const RESEND_CONFIRMATION_DAYS: i64 = 14;

/// Whether the tour's call for proposals takes proposals now.
pub fn cfp_open(tour: &Tour) -> bool {
    proposal::cfp_open(
        tour.is_public(),
        tour.cfp_opens_at,
        tour.cfp_closes_at,
        db::now(),
    )
}

/// What the public form of a tour's call for proposals shows.
pub struct CfpPage {
    pub tour: Tour,
    /// The stops a proposal may name.
    pub stops: Vec<(Stop, Venue)>,
    /// Whether the call takes proposals now (the form says so when not).
    pub open: bool,
}

/// The call for proposals of the public tour with this slug.
pub async fn cfp(ctx: &Context, slug: &str) -> Result<CfpPage, AppError> {
    let slug = slug.to_owned();
    ctx.db.run(move |conn| cfp_in(conn, &slug)).await
}

fn cfp_in(conn: &mut DbConnection, slug: &str) -> Result<CfpPage, AppError> {
    let tour = Tour::find_public_by_slug(conn, slug)?.ok_or_else(|| AppError::not_found("tour"))?;
    let stops = cfp_stops(conn, &tour)?;
    let open = cfp_open(&tour);
    Ok(CfpPage { tour, stops, open })
}

/// Mails a sign-in link if the address is a speaker's; says nothing either way. A proposal
/// of theirs still waiting for its confirmation (its link used up by a scanner, or expired)
/// gets a fresh confirmation link too, while the call for proposals is open.
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
        let Some(speaker) = Speaker::find_by_email(conn, &address)? else {
            return Ok(());
        };
        let since = db::now() - Duration::days(RESEND_CONFIRMATION_DAYS);
        if let Some(pending) = Proposal::latest_unconfirmed_by(conn, &speaker.id, since)?
            && let Some(tour) = Tour::find(conn, &pending.tour_id)?.filter(cfp_open)
            && let Some(talk) = Talk::find(conn, &pending.talk_id)?
        {
            mail_confirmation(
                conn,
                env,
                lang,
                &tour,
                &pending,
                &speaker.email,
                &speaker.name,
                &talk.title,
            )?;
        }
        let link = crate::services::magic_links::speaker(conn, env, &speaker)?;
        let mail = Mail::SignInLink {
            name: &speaker.name,
            what: &lang.t("email.sign_in.speaker_page"),
            link: &link,
            hours: env.magic_link_hours,
        };
        email::enqueue(
            conn,
            &env.links,
            Email::new(mail, lang, &speaker.email, &speaker.name),
        )?;
        Ok(())
    })
}

/// A person on a proposal.
#[derive(Clone, Debug, Default)]
pub struct PersonInput {
    pub name: String,
    pub email: String,
    pub affiliation: String,
    pub bio: String,
}

/// A proposal as submitted to a tour's call for proposals.
#[derive(Clone, Debug, Default)]
pub struct ProposalInput {
    pub speaker: PersonInput,
    pub co_speakers: Vec<PersonInput>,
    pub title: String,
    pub summary: String,
    pub duration_minutes: Option<i64>,
    pub stop_ids: Vec<String>,
}

/// Stops a proposal may name: the tour's public stops still to come.
fn cfp_stops(conn: &mut DbConnection, tour: &Tour) -> Result<Vec<(Stop, Venue)>, AppError> {
    Ok(Stop::list_public(conn, &tour.id)?
        .into_iter()
        .filter(|(s, _)| proposal::may_be_proposed(s.status()))
        .collect())
}

/// The profile a public form names: a confirmed one stays as its owner wrote it (the form's
/// text is dropped); an unconfirmed one takes the newest form's text; a new address gets an
/// unconfirmed profile. Nothing of it is shown anywhere until confirmed.
fn pending_speaker(
    conn: &mut DbConnection,
    p: &PersonInput,
    lang: Lang,
    now: NaiveDateTime,
) -> Result<Speaker, AppError> {
    match Speaker::find_by_email(conn, &p.email)? {
        Some(s) if s.confirmed_at.is_some() => Ok(s),
        Some(s) => {
            Speaker::replace_unconfirmed(conn, &s.id, &p.name, &p.affiliation, &p.bio, lang, now)?;
            Speaker::find(conn, &s.id)?.ok_or_else(|| AppError::not_found("speaker"))
        }
        None => Ok(Speaker::insert(
            conn,
            &p.name,
            &p.email,
            &p.affiliation,
            &p.bio,
            lang,
            now,
            false,
        )?),
    }
}

pub(super) fn check_person(v: &mut Validator, prefix: &str, p: &PersonInput) -> PersonInput {
    PersonInput {
        name: v
            .check(&format!("{prefix}name"), text::required_line(&p.name, 200))
            .unwrap_or_default(),
        email: v
            .check(&format!("{prefix}email"), text::email(&p.email))
            .unwrap_or_default(),
        affiliation: v
            .check(
                &format!("{prefix}affiliation"),
                text::optional_line(&p.affiliation, 200),
            )
            .unwrap_or_default(),
        bio: v
            .check(&format!("{prefix}bio"), text::optional(&p.bio, 5000))
            .unwrap_or_default(),
    }
}

/// Takes a proposal while the call is open. It waits for its submitter: one e-mail goes out,
/// to the submitter's address, with a link to confirm; until then organizers do not see it,
/// no co-speaker is told, and no profile it names is shown. One address is sent at most
/// `UNCONFIRMED_PER_HOUR` of these an hour.
#[tracing::instrument(skip(ctx, input))]
pub async fn submit_proposal(
    ctx: &Context,
    lang: Lang,
    tour: &TourId,
    input: ProposalInput,
) -> Result<Proposal, AppError> {
    let (env, tour) = (ctx.env.clone(), tour.clone());
    ctx.db
        .run(move |conn| submit_proposal_in(conn, &env, lang, &tour, &input))
        .await
}

/// `submit_proposal` from the public form, which names the tour by its slug: the tour the
/// proposal was sent to (the page thanks its submitter for it).
#[tracing::instrument(skip(ctx, input))]
pub async fn submit_to_cfp(
    ctx: &Context,
    lang: Lang,
    slug: &str,
    input: ProposalInput,
) -> Result<Tour, AppError> {
    let (env, slug) = (ctx.env.clone(), slug.to_owned());
    ctx.db
        .run(move |conn| {
            let tour = Tour::find_public_by_slug(conn, &slug)?
                .ok_or_else(|| AppError::not_found("tour"))?;
            submit_proposal_in(conn, &env, lang, &tour.id, &input)?;
            Ok(tour)
        })
        .await
}

fn submit_proposal_in(
    conn: &mut DbConnection,
    env: &Env,
    lang: Lang,
    tour_id: &str,
    input: &ProposalInput,
) -> Result<Proposal, AppError> {
    let mut v = Validator::new();
    let speaker = check_person(&mut v, "", &input.speaker);
    if input.co_speakers.len() > 5 {
        v.add("co_speakers", FieldCode::TooMany, "at most 5 co-speakers");
    }
    let co: Vec<PersonInput> = input
        .co_speakers
        .iter()
        .enumerate()
        .filter(|(_, p)| !(p.name.trim().is_empty() && p.email.trim().is_empty()))
        .map(|(i, p)| check_person(&mut v, &format!("co_speakers[{i}]."), p))
        .collect();
    let title = v.check("title", text::required_line(&input.title, 200));
    let summary = v.check("abstract", text::optional(&input.summary, 10_000));
    let duration = match input.duration_minutes {
        Some(d) => v.check("duration_minutes", text::number_in(d, 5, 240)),
        None => {
            v.add("duration_minutes", FieldCode::Required, "is required");
            None
        }
    };
    if input.stop_ids.is_empty() {
        v.add(
            "stop_ids",
            FieldCode::Required,
            "name at least one stop where you could give the talk",
        );
    }
    v.finish()?;
    db::write_transaction(conn, |conn| {
        let tour = Tour::find(conn, tour_id)?
            .filter(Tour::is_public)
            .ok_or_else(|| AppError::not_found("tour"))?;
        if !cfp_open(&tour) {
            return Err(AppError::conflict(
                ErrorCode::CfpClosed,
                "the call for proposals of this tour is not open",
            ));
        }
        let allowed: Vec<String> = cfp_stops(conn, &tour)?
            .into_iter()
            .map(|(s, _)| s.id)
            .collect();
        if input.stop_ids.iter().any(|s| !allowed.contains(s)) {
            return Err(AppError::invalid(
                "stop_ids",
                FieldCode::UnknownStop,
                "pick stops of this tour that are still to come",
            ));
        }
        let now = db::now();
        if let Some(known) = Speaker::find_by_email(conn, &speaker.email)?
            && !proposal::may_send_unconfirmed(Proposal::unconfirmed_by_since(
                conn,
                &known.id,
                now - Duration::hours(1),
            )?)
        {
            return Err(AppError::too_many_requests(
                "several proposals for this address wait for confirmation: confirm them, or try again later",
            )
            .retry_after(3600));
        }
        let main = pending_speaker(conn, &speaker, lang, now)?;
        let mut ids = vec![main.id.clone()];
        for p in &co {
            let s = pending_speaker(conn, p, lang, now)?;
            if !ids.contains(&s.id) {
                ids.push(s.id.clone());
            }
        }
        let title = title.clone().unwrap_or_default();
        let talk = Talk::insert(
            conn,
            &title,
            &summary.clone().unwrap_or_default(),
            duration.unwrap_or(30),
            &ids,
            None,
        )?;
        let proposal = Proposal::insert(
            conn,
            &tour.id,
            &talk.id,
            Some(&main.id),
            &input.stop_ids,
            now,
        )?;
        // The name as typed: the recipient may not be who the form says.
        mail_confirmation(
            conn,
            env,
            lang,
            &tour,
            &proposal,
            &main.email,
            &speaker.name,
            &title,
        )?;
        Ok(proposal)
    })
}

/// Mails the link that confirms a proposal to the address it was sent for.
#[expect(
    clippy::too_many_arguments,
    reason = "what the e-mail says, each its own"
)]
fn mail_confirmation(
    conn: &mut DbConnection,
    env: &Env,
    lang: Lang,
    tour: &Tour,
    proposal: &Proposal,
    address: &str,
    name: &str,
    title: &str,
) -> Result<(), AppError> {
    let token = MagicLink::create(
        conn,
        CONFIRM_PURPOSE,
        address,
        Some(&proposal.id),
        Duration::hours(CONFIRM_HOURS),
    )?;
    let link = env
        .links
        .url(&format!("/speaker/proposals/confirm/{token}"));
    let mail = Mail::ProposalConfirm {
        name,
        tour: &tour.name,
        title,
        link: &link,
        hours: CONFIRM_HOURS,
    };
    email::enqueue(
        conn,
        &env.links,
        Email::new(mail, lang, address, name)
            .for_tour(&tour.id)
            .reply_to(tour.contact_email.as_deref()),
    )?;
    Ok(())
}

/// What a proposal's confirmation link is about (shown before the button is pressed).
pub async fn peek_confirmation(ctx: &Context, token: &str) -> Result<(Talk, Tour), AppError> {
    let token = token.to_owned();
    ctx.db
        .run(move |conn| peek_confirmation_in(conn, &token))
        .await
}

fn peek_confirmation_in(conn: &mut DbConnection, token: &str) -> Result<(Talk, Tour), AppError> {
    let link = MagicLink::peek(conn, CONFIRM_PURPOSE, token)?
        .ok_or_else(|| AppError::not_found("confirmation link"))?;
    let proposal = Proposal::find_unconfirmed(conn, link.subject_id.as_deref().unwrap_or(""))?
        .ok_or_else(|| AppError::not_found("confirmation link"))?;
    let talk = Talk::find(conn, &proposal.talk_id)?.ok_or_else(|| AppError::not_found("talk"))?;
    let tour = Tour::find(conn, &proposal.tour_id)?.ok_or_else(|| AppError::not_found("tour"))?;
    Ok((talk, tour))
}

/// A confirmed proposal's submitter, and whether their profile is public now.
pub struct Confirmed {
    pub speaker_id: String,
    /// False when the profile still shows text another form wrote after theirs: they check
    /// it and save it themselves.
    pub profile_confirmed: bool,
}

/// Uses a confirmation link (once): the proposal counts (organizers see it), its submitter
/// accepted the talk, and the co-speakers are asked to accept it too. The submitter's
/// profile is confirmed if it holds what this very proposal's form said.
#[tracing::instrument(skip(ctx, token))]
pub async fn confirm_proposal(ctx: &Context, token: &str) -> Result<Confirmed, AppError> {
    let (env, token) = (ctx.env.clone(), token.to_owned());
    ctx.db
        .run(move |conn| confirm_proposal_in(conn, &env, &token))
        .await
}

fn confirm_proposal_in(
    conn: &mut DbConnection,
    env: &Env,
    token: &str,
) -> Result<Confirmed, AppError> {
    db::write_transaction(conn, |conn| {
        let link = MagicLink::consume(conn, CONFIRM_PURPOSE, token)?
            .ok_or_else(|| AppError::not_found("confirmation link"))?;
        let proposal = Proposal::find_unconfirmed(conn, link.subject_id.as_deref().unwrap_or(""))?
            .ok_or_else(|| AppError::not_found("confirmation link"))?;
        let submitter = proposal
            .submitted_by
            .as_deref()
            .and_then(|id| Speaker::find(conn, id).transpose())
            .transpose()?
            .filter(|s| s.email == link.email)
            .ok_or_else(|| AppError::not_found("confirmation link"))?;
        let now = db::now();
        Proposal::confirm(conn, &proposal.id, now)?;
        Talk::accept(conn, &proposal.talk_id, &submitter.id, now)?;
        // The profile was written by this proposal's form (same instant) unless another form
        // for the address came later; only then is it this person's own text.
        let profile_confirmed = submitter.confirmed_at.is_some()
            || (submitter.updated_at == proposal.created_at
                && Speaker::confirm(conn, &submitter.id, now)? == 1);
        let tour =
            Tour::find(conn, &proposal.tour_id)?.ok_or_else(|| AppError::not_found("tour"))?;
        let talk =
            Talk::find(conn, &proposal.talk_id)?.ok_or_else(|| AppError::not_found("talk"))?;
        for id in Talk::speaker_ids(conn, &talk.id)? {
            if id == submitter.id {
                continue;
            }
            if let Some(co) = Speaker::find(conn, &id)? {
                invitations::invite(conn, env, &co, &submitter.name, Some(&tour), &talk)?;
            }
        }
        Ok(Confirmed {
            speaker_id: submitter.id,
            profile_confirmed,
        })
    })
}
