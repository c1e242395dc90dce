//! "Help us" pages, volunteers' own page, and the organizers' task coverage.

use maud::{Markup, html};

use crate::error::FieldErrors;
use crate::format::date;
use crate::models::registration::Registration;
use crate::models::stop::Stop;
use crate::models::task::{Task, Volunteer};
use crate::models::tour::Tour;
use crate::read::volunteers::{ClaimView, OwnTask, TaskView, TasksOutcome};
use crate::views::Ctx;
use crate::views::components::{
    Field, button_form, confirm_form, error_summary, field_error, input, post_form, select,
};
use crate::views::layout::page;

fn task_when(ctx: &Ctx, t: &Task, s: &Stop) -> String {
    let tz = s.tz();
    match (t.starts_at, t.ends_at) {
        (Some(a), Some(b)) => format!(
            "{}–{}",
            crate::domain::stop::in_zone(a, tz).format("%H:%M"),
            crate::domain::stop::in_zone(b, tz).format("%H:%M")
        ),
        (Some(a), None) => crate::domain::stop::in_zone(a, tz)
            .format("%H:%M")
            .to_string(),
        // Reminders go out before the stop; the report and the materials come after it.
        _ => match t.kind.as_str() {
            "reminders" => ctx.t("journeys.task.before_stop").into_owned(),
            "report" | "materials" => ctx.t("journeys.task.after_stop").into_owned(),
            _ => ctx.t("task.whole_stop").into_owned(),
        },
    }
}

/// What the help page's form was sent with, to show it again when something was missing.
#[derive(Clone, Debug, Default)]
pub struct HelpForm {
    pub name: String,
    pub email: String,
    pub task_ids: Vec<String>,
}

/// The tasks of a tour's (or a stop's) public stops, free and full, with ONE form: tick the
/// tasks, give a name and an address once. Ids are unique on the page (`task-{id}`,
/// `f-name`, `f-email`), so every label points at its own field.
pub fn help(
    ctx: &Ctx,
    tour: &Tour,
    list: &[(Stop, Vec<Task>)],
    action: &str,
    form: &HelpForm,
    errors: &FieldErrors,
    message: Option<&str>,
) -> Markup {
    let pick_error = field_error(ctx, errors, "task_ids");
    page(
        ctx,
        &ctx.tf("help.title", &[("tour", &tour.name)]),
        html! {
            p.crumbs { a href={ "/tours/" (tour.slug) } { (tour.name) } }
            h1 { (ctx.tf("help.title", &[("tour", &tour.name)])) }
            p.lead { (ctx.t("help.lead")) }
            @if let Some(c) = &tour.contact_email { p { (ctx.t("help.contact")) " " a href={ "mailto:" (c) } { (c) } } }
            p.hint { (ctx.t("journeys.help.already")) " " a href="/volunteer/login" { (ctx.t("journeys.help.own_page")) } }
            @if let Some(m) = message { p.flash.error role="alert" { (m) } }
            (error_summary(ctx, errors))
            @if list.is_empty() {
                p.empty { (ctx.t("help.none")) }
            } @else {
                form.help method="post" action=(action) {
                    div.field.invalid[pick_error.is_some()] #tasks {
                        @if let Some(e) = &pick_error { p.error #tasks-error { (e) } }
                        @for (stop, tasks) in list {
                            fieldset.stop {
                                legend { (stop.city) " · " (date(ctx.lang, stop.starts_at, stop.tz())) }
                                @for t in tasks {
                                    @let id = format!("task-{}", t.id);
                                    @let full = t.free() == 0;
                                    article.card.task.full[full] {
                                        input type="checkbox" name="task_ids" value=(t.id) id=(id) disabled[full] checked[!full && form.task_ids.contains(&t.id)] aria-describedby={ (id) "-meta" @if pick_error.is_some() { " tasks-error" } };
                                        h2 { label for=(id) { (t.title) } }
                                        p.meta id={ (id) "-meta" } {
                                            (task_when(ctx, t, stop)) " · "
                                            @if full { span.badge.full { (ctx.t("journeys.help.full")) } }
                                            @else { (ctx.tf("help.free", &[("n", &t.free().to_string()), ("of", &t.slots.to_string())])) }
                                        }
                                        @if !t.description.is_empty() { p.pre { (t.description) } }
                                    }
                                }
                            }
                        }
                    }
                    fieldset.you {
                        legend { (ctx.t("journeys.help.you")) }
                        (input(ctx, errors, Field::new("name", &ctx.t("field.your_name"), &form.name).required()))
                        (input(ctx, errors, Field::new("email", &ctx.t("field.email"), &form.email).kind("email").required().hint(&ctx.t("journeys.help.email_hint"))))
                    }
                    button type="submit" { (ctx.t("journeys.help.submit")) }
                }
            }
        },
    )
}

/// After the help page's form: what was taken, what they held already, what someone else
/// took first; and the way back.
pub fn claimed(ctx: &Ctx, outcome: &TasksOutcome, back: &str, stop_ids: &[String]) -> Markup {
    let titles = |list: &[Task]| {
        list.iter()
            .map(|t| t.title.as_str())
            .collect::<Vec<_>>()
            .join(ctx.t("journeys.list_separator").as_ref())
    };
    page(
        ctx,
        &ctx.t("help.thanks_title"),
        html! {
            h1 { (ctx.t("help.thanks_title")) }
            @if !outcome.taken.is_empty() {
                p { (ctx.tf("journeys.help.taken", &[("tasks", &titles(&outcome.taken))])) }
            }
            @if !outcome.already.is_empty() {
                p { (ctx.tf("journeys.help.held", &[("tasks", &titles(&outcome.already))])) }
            }
            @if !outcome.full.is_empty() {
                p.flash.error role="status" { (ctx.tf("journeys.help.quicker", &[("tasks", &titles(&outcome.full))])) }
            }
            @if outcome.taken.iter().chain(&outcome.already).any(|t| t.kind == crate::domain::task::TaskKind::RegistrationDesk) { p { (ctx.t("people.volunteer.desk_pending")) } }
            p { (ctx.t("journeys.help.mailed")) }
            ul.links {
                li { a href=(back) { (ctx.t("journeys.help.back")) } }
                @for id in stop_ids { li { a href={ "/stops/" (id) } { (ctx.t("journeys.help.stop_page")) } } }
                li { a href="/volunteer/login" { (ctx.t("journeys.help.own_page")) } }
            }
        },
    )
}

pub fn login(ctx: &Ctx, sent: bool) -> Markup {
    page(
        ctx,
        &ctx.t("volunteer.login_title"),
        html! {
            h1 { (ctx.t("volunteer.login_title")) }
            @if sent { p.flash.success role="status" { (ctx.t("journeys.volunteer_link_sent")) } }
            @else {
                p { (ctx.t("speaker.login_lead")) }
                (post_form(ctx, "/volunteer/login", "narrow", html! {
                    (input(ctx, &FieldErrors::new(), Field::new("email", &ctx.t("field.email"), "").kind("email").required()))
                    button type="submit" { (ctx.t("reset.send")) }
                }))
                p.hint { (ctx.t("journeys.login.speaker_instead")) " " a href="/speaker/login" { (ctx.t("speaker.login_title")) } }
            }
        },
    )
}

/// A volunteer's tasks across stops: when and where (the venue's address and how to find
/// the room), release (which asks first), the materials they owe, the calendar.
/// What a volunteer's page shows.
pub struct VolunteerPage<'a> {
    pub volunteer: &'a Volunteer,
    pub tasks: &'a [OwnTask],
    /// The materials they owe, with their stops.
    pub requests: &'a [(crate::models::material::Material, Stop)],
    /// They may release a task until this many hours before it.
    pub release_hours: i64,
    /// The stops whose desk an organizer opened to them.
    pub desk_stops: &'a [String],
}

pub fn own(ctx: &Ctx, p: &VolunteerPage, feed_url: Option<&str>, errors: &FieldErrors) -> Markup {
    let VolunteerPage {
        volunteer: v,
        tasks,
        requests,
        release_hours,
        desk_stops,
    } = *p;
    let before = crate::format::hours(ctx.lang, release_hours);
    page(
        ctx,
        &ctx.t("volunteer.title"),
        html! {
            h1 { (ctx.tf("speaker.hello", &[("name", &v.name)])) }
            (error_summary(ctx, errors))
            h2 { (ctx.t("volunteer.tasks")) }
            @if tasks.is_empty() { p.empty { (ctx.t("volunteer.none")) } }
            @for OwnTask { claim: c, task: t, stop: s, tour, venue, releasable } in tasks {
                article.card.task {
                    h3 { (t.title) }
                    p { (tour.name) " · " (s.city) " · " (date(ctx.lang, s.starts_at, s.tz())) " · " (task_when(ctx, t, s)) }
                    p.venue {
                        strong { (venue.name) } br;
                        (venue.address)
                        " · " a href={ "/stops/" (s.id) } { (ctx.t("journeys.volunteer.stop_page")) }
                    }
                    @if !venue.directions.is_empty() { p.pre.directions { (ctx.t("stop.directions")) ": " (venue.directions) } }
                    // The desk opens only with the link an organizer sends (it shows people's data).
                    @if t.kind == crate::domain::task::TaskKind::RegistrationDesk {
                        @if desk_stops.contains(&s.id) {
                            p { (ctx.t("people.volunteer.desk_given")) " " a href={ "/desk/" (s.id) "/login" } { (ctx.t("people.email.desk_fresh")) } }
                        } @else {
                            p.hint { (ctx.t("people.volunteer.desk_pending")) }
                        }
                    }
                    @if let Some(contact) = &tour.contact_email { p { (ctx.t("help.contact")) " " a href={ "mailto:" (contact) } { (contact) } } }
                    @if *releasable {
                        (confirm_form(ctx, &format!("/volunteer/claims/{}/release", c.id), &ctx.t("volunteer.release"), &ctx.t("journeys.volunteer.release_explain"), &ctx.t("journeys.volunteer.release_button")))
                    } @else {
                        p.hint { (ctx.tf("volunteer.release_closed", &[("duration", &before)])) }
                    }
                }
            }
            p.hint { (ctx.tf("volunteer.release_hint", &[("duration", &before)])) }
            @if !requests.is_empty() {
                h2 { (ctx.t("volunteer.materials")) }
                @for (m, stop) in requests {
                    article.card {
                        h3 { (ctx.t(&format!("material_kind.{}", m.kind))) " · " (stop.city) " " (crate::views::components::status_badge(ctx, "material_status", m.status)) }
                        (crate::views::materials::hand_in_form(ctx, &format!("/volunteer/materials/{}", m.id), m, errors))
                    }
                }
            }
            h2 { (ctx.t("speaker.calendar")) }
            @if let Some(url) = feed_url {
                p { (ctx.t("speaker.feed_hint")) }
                input.copy type="text" readonly value=(url) aria-label=(ctx.t("speaker.calendar"));
            } @else {
                (button_form(ctx, "/volunteer/feed", &ctx.t("speaker.feed_make"), "secondary"))
            }
            script src="/static/upload.js" defer {}
        },
    )
}

/// Task coverage of a stop for its organizers.
pub fn coverage(
    ctx: &Ctx,
    tour: &Tour,
    stop: &Stop,
    views: &[TaskView],
    candidates: &[Registration],
    errors: &FieldErrors,
) -> Markup {
    let base = format!("/manage/stops/{}/tasks", stop.id);
    let (filled, total) = views
        .iter()
        .fold((0, 0), |(f, t), v| (f + v.task.claimed, t + v.task.slots));
    let kinds: Vec<(String, String)> = crate::domain::task::TaskKind::ALL
        .iter()
        .map(|k| {
            (
                k.as_str().to_owned(),
                ctx.t(&format!("task_kind.{}", k.as_str())).into_owned(),
            )
        })
        .collect();
    let task_choices: Vec<(String, String)> = views
        .iter()
        .map(|v| {
            (
                v.task.id.clone(),
                format!("{} ({}/{})", v.task.title, v.task.claimed, v.task.slots),
            )
        })
        .collect();
    page(
        ctx,
        &ctx.t("tasks.title"),
        html! {
            p.crumbs { a href={ "/manage/stops/" (stop.id) } { (tour.name) " · " (stop.city) } }
            h1 { (ctx.t("tasks.title")) }
            p { (ctx.tf("tasks.coverage", &[("filled", &filled.to_string()), ("total", &total.to_string())])) " · " a href={ "/stops/" (stop.id) "/help" } { (ctx.t("tasks.public_page")) } }
            (error_summary(ctx, errors))
            @if let Some(e) = errors.get("task") { p.flash.error role="alert" { (e.message) } }
            @if views.is_empty() {
                p.empty { (ctx.t("tasks.none")) }
            }
            (button_form(ctx, &format!("{base}/standard"), &ctx.t("tasks.standard"), "secondary"))
            @for v in views {
                article.card.flagged[v.flagged] {
                    h2 { (v.task.title) " " span.badge.(if v.task.claimed >= v.task.slots { "published" } else if v.flagged { "cancelled" } else { "" }) { (v.task.claimed) "/" (v.task.slots) } }
                    @if v.flagged { p.flash.error { (ctx.t("tasks.unfilled")) } }
                    @if v.task.kind == crate::domain::task::TaskKind::RegistrationDesk { p.hint { (ctx.t("people.tasks.desk_hint")) } }
                    ul {
                        @for ClaimView { claim: c, volunteer: vol, no_shows, desk_access } in &v.claims {
                            li {
                                (vol.name) " <" (vol.email) ">"
                                @if *no_shows > 0 { " " span.badge.cancelled { (ctx.tf("registrations.no_shows", &[("n", &no_shows.to_string())])) } }
                                @match desk_access {
                                    Some(false) => {
                                        " " span.badge.desk-pending { (ctx.t("people.tasks.awaiting_desk")) }
                                        " " (button_form(ctx, &format!("{base}/claims/{}/desk", c.id), &ctx.t("people.tasks.give_desk"), "link"))
                                    },
                                    Some(true) => {
                                        " " span.badge.published.desk-access { (ctx.t("people.tasks.has_desk")) }
                                        " " (button_form(ctx, &format!("{base}/claims/{}/undesk", c.id), &ctx.t("people.tasks.remove_desk"), "link danger"))
                                    },
                                    None => {},
                                }
                                @match c.showed_up { Some(true) => { " · " (ctx.t("people.came")) }, Some(false) => { " · " strong { (ctx.t("people.no_show")) } }, None => {} }
                                " " (button_form(ctx, &format!("{base}/claims/{}/came", c.id), &ctx.t("tasks.came"), "link"))
                                " " (button_form(ctx, &format!("{base}/claims/{}/absent", c.id), &ctx.t("tasks.absent"), "link"))
                                " " (confirm_form(ctx, &format!("{base}/claims/{}/release", c.id), &ctx.t("volunteer.release"), &ctx.t("journeys.tasks.release_explain"), &ctx.t("journeys.volunteer.release_button")))
                            }
                        }
                    }
                    (post_form(ctx, &format!("{base}/{}/slots", v.task.id), "row", html! {
                        input type="number" name="slots" value=(v.task.slots) min="1" aria-label=(ctx.t("tasks.slots"));
                        button.link type="submit" { (ctx.t("tasks.set_slots")) }
                    }))
                    @if v.task.claimed == 0 { (button_form(ctx, &format!("{base}/{}/delete", v.task.id), &ctx.t("form.remove"), "link danger")) }
                }
            }
            h2 { (ctx.t("tasks.assign")) }
            @if !task_choices.is_empty() {
                (post_form(ctx, &format!("{base}/assign"), "", html! {
                    (select(ctx, errors, "task_id", &ctx.t("tasks.task"), "", &task_choices))
                    (input(ctx, errors, Field::new("name", &ctx.t("field.name"), "").required()))
                    (input(ctx, errors, Field::new("email", &ctx.t("field.email"), "").kind("email").required()))
                    button type="submit" { (ctx.t("tasks.assign")) }
                }))
            }
            h2 { (ctx.t("tasks.candidates")) }
            @if candidates.is_empty() { p.empty { (ctx.t("tasks.no_candidates")) } }
            ul {
                @for r in candidates {
                    li {
                        (r.name) " · " (r.affiliation)
                        @if !task_choices.is_empty() {
                            (post_form(ctx, &format!("{base}/invite"), "inline", html! {
                                input type="hidden" name="registration_id" value=(r.id);
                                select name="task_id" aria-label=(ctx.t("tasks.task")) { @for (id, label) in &task_choices { option value=(id) { (label) } } }
                                button.link type="submit" { (ctx.t("tasks.invite")) }
                            }))
                        }
                    }
                }
            }
            h2 { (ctx.t("tasks.add")) }
            (post_form(ctx, &base, "", html! {
                (select(ctx, errors, "kind", &ctx.t("field.kind"), "other", &kinds))
                (input(ctx, errors, Field::new("title", &ctx.t("field.talk_title"), "").hint(&ctx.t("tasks.title_hint"))))
                (input(ctx, errors, Field::new("description", &ctx.t("field.description"), "").kind("textarea")))
                (input(ctx, errors, Field::new("starts_at", &ctx.t("field.starts_at"), "").kind("datetime-local")))
                (input(ctx, errors, Field::new("ends_at", &ctx.t("field.ends_at"), "").kind("datetime-local")))
                (input(ctx, errors, Field::new("slots", &ctx.t("tasks.slots"), "1").kind("number").required()))
                button type="submit" { (ctx.t("tasks.add")) }
            }))
        },
    )
}
