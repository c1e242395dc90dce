//! "Help us" pages, volunteers' own page, and the organizers' task coverage.

use maud::{Markup, html};

use crate::error::FieldErrors;
use crate::models::registration::Registration;
use crate::models::stop::Stop;
use crate::models::task::{Claim, Task, Volunteer};
use crate::models::tour::Tour;
use crate::services::volunteers::{ClaimView, TaskView};
use crate::views::Ctx;
use crate::views::components::{Field, button_form, date, error_summary, input, post_form, select};
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
        _ => ctx.t("task.whole_stop").into_owned(),
    }
}

/// Open tasks with free slots, and how to reach the organizers.
pub fn help(
    ctx: &Ctx,
    tour: &Tour,
    list: &[(Stop, Vec<Task>)],
    errors: &FieldErrors,
    message: Option<&str>,
) -> Markup {
    page(
        ctx,
        &ctx.tf("help.title", &[("tour", &tour.name)]),
        html! {
            p.crumbs { a href={ "/tours/" (tour.slug) } { (tour.name) } }
            h1 { (ctx.tf("help.title", &[("tour", &tour.name)])) }
            p.lead { (ctx.t("help.lead")) }
            @if let Some(c) = &tour.contact_email { p { (ctx.t("help.contact")) " " a href={ "mailto:" (c) } { (c) } } }
            @if let Some(m) = message { p.flash.error role="alert" { (m) } }
            (error_summary(ctx, errors))
            @if list.is_empty() { p.empty { (ctx.t("help.none")) } }
            @for (stop, tasks) in list {
                h2 { (stop.city) " · " (date(ctx.lang, stop.starts_at, stop.tz())) }
                @for t in tasks {
                    article.card {
                        h3 { (t.title) }
                        p.meta { (task_when(ctx, t, stop)) " · " (ctx.tf("help.free", &[("n", &t.free().to_string()), ("of", &t.slots.to_string())])) }
                        @if !t.description.is_empty() { p.pre { (t.description) } }
                        form.row method="post" action={ "/tasks/" (t.id) "/claim" } {
                            (input(ctx, &FieldErrors::new(), Field::new("name", &ctx.t("field.your_name"), "").required()))
                            (input(ctx, &FieldErrors::new(), Field::new("email", &ctx.t("field.email"), "").kind("email").required()))
                            button type="submit" { (ctx.t("help.claim")) }
                        }
                    }
                }
            }
        },
    )
}

pub fn claimed(ctx: &Ctx, task: &Task, already: bool) -> Markup {
    page(
        ctx,
        &ctx.t("help.thanks_title"),
        html! {
            h1 { (ctx.t("help.thanks_title")) }
            p { (if already { ctx.tf("help.already", &[("task", &task.title)]) } else { ctx.tf("help.thanks", &[("task", &task.title)]) }) }
            @if task.kind == "registration_desk" { p { (ctx.t("people.volunteer.desk_pending")) } }
        },
    )
}

pub fn login(ctx: &Ctx, sent: bool) -> Markup {
    page(
        ctx,
        &ctx.t("volunteer.login_title"),
        html! {
            h1 { (ctx.t("volunteer.login_title")) }
            @if sent { p.flash.success role="status" { (ctx.t("speaker.link_sent")) } }
            @else {
                p { (ctx.t("speaker.login_lead")) }
                (post_form(ctx, "/volunteer/login", "narrow", html! {
                    (input(ctx, &FieldErrors::new(), Field::new("email", &ctx.t("field.email"), "").kind("email").required()))
                    button type="submit" { (ctx.t("reset.send")) }
                }))
            }
        },
    )
}

/// A volunteer's tasks across stops, with release and the calendar.
pub fn own(
    ctx: &Ctx,
    v: &Volunteer,
    claims: &[(Claim, Task, Stop, Tour)],
    requests: &[(crate::models::material::Material, Stop)],
    feed_url: Option<&str>,
    release_hours: i64,
    desk_stops: &[String],
) -> Markup {
    page(
        ctx,
        &ctx.t("volunteer.title"),
        html! {
            h1 { (ctx.tf("speaker.hello", &[("name", &v.name)])) }
            h2 { (ctx.t("volunteer.tasks")) }
            @if claims.is_empty() { p.empty { (ctx.t("volunteer.none")) } }
            @for (c, t, s, tour) in claims {
                article.card {
                    h3 { (t.title) }
                    p { (tour.name) " · " (s.city) " · " (date(ctx.lang, s.starts_at, s.tz())) " · " (task_when(ctx, t, s)) }
                    // The desk opens only with the link an organizer sends (it shows people's data).
                    @if t.kind == "registration_desk" {
                        @if desk_stops.contains(&s.id) {
                            p { (ctx.t("people.volunteer.desk_given")) " " a href={ "/desk/" (s.id) "/login" } { (ctx.t("people.email.desk_fresh")) } }
                        } @else {
                            p.hint { (ctx.t("people.volunteer.desk_pending")) }
                        }
                    }
                    @if let Some(contact) = &tour.contact_email { p { (ctx.t("help.contact")) " " a href={ "mailto:" (contact) } { (contact) } } }
                    (button_form(ctx, &format!("/volunteer/claims/{}/release", c.id), &ctx.t("volunteer.release"), "secondary"))
                }
            }
            p.hint { (ctx.tf("volunteer.release_hint", &[("hours", &release_hours.to_string())])) }
            @if !requests.is_empty() {
                h2 { (ctx.t("volunteer.materials")) }
                @for (m, stop) in requests {
                    article.card {
                        h3 { (ctx.t(&format!("material_kind.{}", m.kind))) " · " (stop.city) " " (crate::views::components::status_badge(ctx, "material_status", &m.status)) }
                        (crate::views::materials::hand_in_form(ctx, &format!("/volunteer/materials/{}", m.id), m))
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
                    h3 { (v.task.title) " " span.badge.(if v.task.claimed >= v.task.slots { "published" } else if v.flagged { "cancelled" } else { "" }) { (v.task.claimed) "/" (v.task.slots) } }
                    @if v.flagged { p.flash.error { (ctx.t("tasks.unfilled")) } }
                    @if v.task.kind == "registration_desk" { p.hint { (ctx.t("people.tasks.desk_hint")) } }
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
                                " " (button_form(ctx, &format!("{base}/claims/{}/release", c.id), &ctx.t("volunteer.release"), "link danger"))
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
