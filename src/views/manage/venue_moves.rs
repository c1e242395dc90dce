//! A stop's venues on its organizers' page: how the venue fits, the ranked backups with
//! their warnings, the venues that could become backups (its city first, fitting first),
//! the switch and its log; and the page that says what a switch will do before it is done.

use maud::{Markup, html};

use crate::domain::venue::Fit;
use crate::error::FieldErrors;
use crate::format::{date, time_range};
use crate::models::stop::{StopDetail, VenueSwitch};
use crate::read::venues::{SwitchPreview, VenueFit, VenueMoves};
use crate::views::Ctx;
use crate::views::components::{
    Field, button_form, confirm_form, error_summary, input, post_form, select,
};
use crate::views::layout::page;

/// One fact of how a venue fits, as a sentence.
fn fit_text(ctx: &Ctx, f: &Fit) -> String {
    match f {
        Fit::Weekend { day } => {
            let noon = day.and_time(chrono::NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default());
            ctx.tf(
                "venue_moves.fit.weekend",
                &[("day", &date(ctx.lang, noon, chrono_tz::UTC))],
            )
        }
        Fit::OtherCity { venue, stop } => ctx.tf(
            "venue_moves.fit.other_city",
            &[("venue", venue), ("stop", stop)],
        ),
        Fit::Crowded {
            confirmed,
            seats,
            target,
            expected,
        } => ctx.tf(
            "venue_moves.fit.crowded",
            &[
                ("confirmed", &confirmed.to_string()),
                ("seats", &seats.to_string()),
                ("target", &target.to_string()),
                ("expected", &expected.to_string()),
            ],
        ),
        Fit::FewerSeats { seats, planned } => ctx.tf(
            "venue_moves.fit.fewer_seats",
            &[
                ("seats", &seats.to_string()),
                ("planned", &planned.to_string()),
            ],
        ),
        Fit::IdCheck => ctx.t("venue_moves.fit.id_check").into_owned(),
        Fit::Smaller { seats, current } => ctx.tf(
            "venue_moves.fit.smaller",
            &[
                ("seats", &seats.to_string()),
                ("current", &current.to_string()),
            ],
        ),
        Fit::Caveats(text) => ctx.tf("venue_moves.fit.caveats", &[("text", text)]),
        Fit::Cost { cost, note } => {
            let cost = ctx.t(&format!("venue_cost.{}", cost.as_str()));
            if note.is_empty() {
                ctx.tf("venue_moves.fit.cost", &[("cost", &cost)])
            } else {
                ctx.tf(
                    "venue_moves.fit.cost_note",
                    &[("cost", &cost), ("note", note)],
                )
            }
        }
        Fit::NoDirections => ctx.t("venue_moves.fit.no_directions").into_owned(),
    }
}

/// The warnings in a few words, for a choice in a list ("weekdays only, ID check").
pub fn fit_short(ctx: &Ctx, fits: &[Fit]) -> String {
    let mut words: Vec<String> = Vec::new();
    for f in fits {
        let w = match f {
            Fit::Weekend { .. } => ctx.t("venue_moves.short.weekend").into_owned(),
            Fit::OtherCity { venue, .. } => {
                ctx.tf("venue_moves.short.other_city", &[("city", venue)])
            }
            Fit::Crowded { .. } => ctx.t("venue_moves.short.crowded").into_owned(),
            Fit::FewerSeats { .. } => ctx.t("venue_moves.short.fewer_seats").into_owned(),
            Fit::IdCheck => ctx.t("venue_moves.short.id_check").into_owned(),
            _ => continue,
        };
        if !words.contains(&w) {
            words.push(w);
        }
    }
    words.join(ctx.lang.list_separator())
}

/// The warnings, then the notes, each marked as what it is.
pub fn fit_list(ctx: &Ctx, fits: &[Fit]) -> Markup {
    html! {
        @if !fits.is_empty() {
            ul.fits {
                @for f in fits.iter().filter(|f| f.is_warning()) {
                    li.warning { strong { (ctx.t("venue_moves.warning")) (ctx.lang.colon()) } (fit_text(ctx, f)) }
                }
                @for f in fits.iter().filter(|f| !f.is_warning()) {
                    li.note { (fit_text(ctx, f)) }
                }
            }
        }
    }
}

fn venue_line(ctx: &Ctx, f: &VenueFit) -> Markup {
    html! {
        a href={ "/manage/venues/" (f.venue.id) } { (f.venue.name) }
        " · " (f.venue.city) " (" (f.venue.capacity) " " (ctx.t("venue.seats")) ")"
        @if f.fits_well() { " " span.badge.fits { (ctx.t("venue_moves.fits_well")) } }
    }
}

fn candidate(ctx: &Ctx, base: &str, f: &VenueFit) -> Markup {
    html! {
        li.candidate.warned[!f.fits_well()] {
            (venue_line(ctx, f))
            (fit_list(ctx, &f.fits))
            (post_form(ctx, &format!("{base}/backups"), "inline", html! {
                input type="hidden" name="venue_id" value=(f.venue.id);
                button.secondary type="submit" { (ctx.t("venue_moves.add")) }
            }))
        }
    }
}

/// The venue part of a stop's page: the venue's fit, the backups, the candidates, the
/// switch (to its preview) and the switches so far.
pub fn section(
    ctx: &Ctx,
    d: &StopDetail,
    moves: &VenueMoves,
    switches: &[(VenueSwitch, String, String)],
    errors: &FieldErrors,
) -> Markup {
    let stop = &d.stop;
    let base = format!("/manage/stops/{}", stop.id);
    let warned = moves.current.iter().any(Fit::is_warning);
    html! {
        @if !moves.current.is_empty() {
            div.notice.warning[warned] role=[warned.then_some("status")] {
                p { strong { (ctx.t(if warned { "venue_moves.current_warn" } else { "venue_moves.current_notes" })) } }
                (fit_list(ctx, &moves.current))
            }
        }
        h2 #backups { (ctx.t("stop.backups")) }
        p.hint { (ctx.t("stop.backups_hint")) }
        (error_summary(ctx, errors))
        @if moves.backups.is_empty() { p.empty { (ctx.t("stop.no_backups")) } }
        ol.backups {
            @for (i, b) in moves.backups.iter().enumerate() {
                li.warned[!b.fits_well()] {
                    (venue_line(ctx, b))
                    (fit_list(ctx, &b.fits))
                    div.actions {
                        @if i > 0 { (button_form(ctx, &format!("{base}/backups/{}/up", b.venue.id), &ctx.t("form.move_up"), "link")) " " }
                        @if i + 1 < moves.backups.len() { (button_form(ctx, &format!("{base}/backups/{}/down", b.venue.id), &ctx.t("form.move_down"), "link")) " " }
                        (confirm_form(ctx, &format!("{base}/backups/{}/remove", b.venue.id), &ctx.t("form.remove"),
                            &ctx.tf(if i == 0 { "lifecycle.remove_backup.first" } else { "lifecycle.remove_backup.explain" }, &[("venue", &b.venue.name)]),
                            &ctx.t("lifecycle.remove_backup.confirm")))
                    }
                }
            }
        }
        h3 { (ctx.t("venue_moves.candidates")) }
        @if moves.candidates.is_empty() {
            p.empty { (ctx.tf("venue_moves.no_candidates", &[("city", &stop.city)])) }
        } @else {
            p.hint { (ctx.tf("venue_moves.candidates_hint", &[("city", &stop.city)])) }
            ul.candidates { @for f in &moves.candidates { (candidate(ctx, &base, f)) } }
        }
        @if !moves.elsewhere.is_empty() {
            details.elsewhere {
                summary { (ctx.tf("venue_moves.elsewhere", &[("n", &moves.elsewhere.len().to_string())])) }
                ul.candidates { @for f in &moves.elsewhere { (candidate(ctx, &base, f)) } }
            }
        }

        @if moves.can_switch {
            h2 { (ctx.t("switch.title")) }
            p.hint { (ctx.t("switch.hint")) }
            form.switch method="get" action={ (base) "/switch-venue" } {
                (select(ctx, errors, "venue_id", &ctx.t("switch.to"), "", &switch_choices(ctx, moves)))
                (input(ctx, errors, Field::new("reason", &ctx.t("switch.reason"), "").required()))
                button type="submit" { (ctx.t("venue_moves.preview_button")) }
            }
        }
        @if !switches.is_empty() {
            h3 { (ctx.t("switch.log")) }
            ul {
                @for (s, from, to) in switches {
                    li { (date(ctx.lang, s.created_at, stop.tz())) ": " (from) " → " (to) " — " (s.reason) }
                }
            }
        }
    }
}

/// The backups in their order, then the other venues of the stop's city, then the rest;
/// each with its warnings in a few words.
fn switch_choices(ctx: &Ctx, moves: &VenueMoves) -> Vec<(String, String)> {
    let label = |prefix: String, f: &VenueFit| {
        let short = fit_short(ctx, &f.fits);
        let mut text = format!(
            "{prefix}{} · {} ({} {})",
            f.venue.name,
            f.venue.city,
            f.venue.capacity,
            ctx.t("venue.seats")
        );
        if !short.is_empty() {
            text.push_str(" — ⚠ ");
            text.push_str(&short);
        }
        (f.venue.id.clone(), text)
    };
    let mut out: Vec<(String, String)> = moves
        .backups
        .iter()
        .enumerate()
        .map(|(i, f)| label(format!("{}. ", i + 1), f))
        .collect();
    out.extend(
        moves
            .candidates
            .iter()
            .chain(&moves.elsewhere)
            .map(|f| label(String::new(), f)),
    );
    out
}

fn percent(r: f64) -> String {
    format!("{:.0}%", r * 100.0)
}

/// What a switch will do, with the button that does it. `changed`: the figures moved since
/// the organizer last looked.
pub fn switch_preview(ctx: &Ctx, p: &SwitchPreview, errors: &FieldErrors, changed: bool) -> Markup {
    let stop = &p.detail.stop;
    let base = format!("/manage/stops/{}", stop.id);
    let to = &p.to.venue;
    let title = ctx.tf(
        "venue_moves.preview.title",
        &[("city", &stop.city), ("venue", &to.name)],
    );
    let crowded = p.over > 0;
    let expected_after = (p.confirmed + p.promoted) as f64 * p.after.show_rate;
    page(
        ctx,
        &title,
        html! {
            p.crumbs { a href=(base) { (p.tour.name) " · " (stop.city) } }
            h1 { (title) }
            p { (time_range(ctx.lang, stop.starts_at, stop.ends_at, stop.tz())) " · " (p.detail.venue.name) " → " strong { (to.name) } ", " (to.address) }
            p.hint { (ctx.t("venue_moves.preview.lead")) }
            @if changed {
                div.flash.error role="alert" { (ctx.t("venue_moves.preview.changed")) }
            }
            @if crowded {
                div.notice.error.crowded role="alert" {
                    p { strong { (ctx.tf("venue_moves.preview.crowded", &[
                        ("confirmed", &(p.confirmed + p.promoted).to_string()),
                        ("seats", &p.after.capacity.to_string()),
                        ("expected", &format!("{expected_after:.0}")),
                        ("over", &p.over.to_string()),
                        ("target", &p.after.target.to_string()),
                    ])) } }
                }
            }
            h2 { (ctx.tf("venue_moves.preview.fits", &[("venue", &to.name)])) }
            @if p.to.fits_well() { p { (ctx.t("venue_moves.fits_well")) } }
            (fit_list(ctx, &p.to.fits))

            h2 { (ctx.t("venue_moves.preview.people")) }
            dl.facts.switch-figures {
                dt { (ctx.t("venue_moves.preview.seats")) }
                dd.seats { (p.before.capacity) " → " strong { (p.after.capacity) } }
                dt { (ctx.t("venue_moves.preview.show_rate")) }
                dd { (percent(p.after.show_rate)) }
                dt { (ctx.t("venue_moves.preview.target")) }
                dd.target { (p.before.target) " → " strong { (p.after.target) } }
                dt { (ctx.t("venue_moves.preview.confirmed")) }
                dd.confirmed { (p.confirmed) " → " strong { (p.confirmed + p.promoted) } }
                dt { (ctx.t("venue_moves.preview.waitlisted")) }
                dd.waitlisted { (p.waitlisted) " → " strong { (p.waitlisted - p.promoted) } }
                dt { (ctx.t("venue_moves.preview.expected")) }
                dd.expected { (format!("{:.0}", p.confirmed as f64 * p.before.show_rate)) " → " strong { (format!("{expected_after:.0}")) } }
            }
            @if stop.capacity_override.is_some() {
                p.hint { (ctx.tf("venue_moves.preview.own_capacity", &[("n", &p.after.capacity.to_string())])) }
            }
            ul.effects {
                @if p.promoted > 0 {
                    li.promoted { (ctx.lang.tn("venue_moves.preview.promoted", p.promoted, &[])) }
                }
                li.stay { (ctx.tf("venue_moves.preview.stay", &[
                    ("confirmed", &p.confirmed.to_string()),
                    ("waitlisted", &(p.waitlisted - p.promoted).to_string()),
                ])) }
            }
            div.notice.told {
                p.people { strong { (ctx.lang.tn("venue_moves.preview.told", p.told.people as i64, &[])) } }
                p.breakdown { (ctx.tf("lifecycle.breakdown", &[
                    ("confirmed", &p.told.confirmed.to_string()),
                    ("waitlisted", &p.told.waitlisted.to_string()),
                    ("speakers", &p.told.speakers.to_string()),
                    ("volunteers", &p.told.volunteers.to_string()),
                ])) }
            }

            (error_summary(ctx, errors))
            (post_form(ctx, &format!("{base}/switch-venue"), "", html! {
                input type="hidden" name="venue_id" value=(to.id);
                input type="hidden" name="seen" value=(p.seen);
                (input(ctx, errors, Field::new("reason", &ctx.t("switch.reason"), &p.reason).required()))
                div.actions {
                    button.secondary type="submit" name="action" value="preview" { (ctx.t("lifecycle.preview")) }
                    " " button.danger type="submit" name="action" value="confirm" { (ctx.lang.tn("venue_moves.preview.confirm", p.told.people as i64, &[])) }
                    " " a href=(base) { (ctx.t("venue_moves.preview.keep")) }
                }
            }))

            @for (lang, name, mail) in &p.samples {
                section.sample lang=(lang.code()) {
                    h2 { (ctx.tf("venue_moves.preview.mail", &[("lang", lang.native_name()), ("name", name)])) }
                    dl.facts { dt { (ctx.t("outbox.subject")) } dd.subject { (mail.subject) } }
                    pre.mail { (mail.text) }
                }
            }
        },
    )
}
