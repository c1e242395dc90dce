//! A stop's figures as the organizers' pages say them, in the stop's tense: before it
//! (registrations against the target, the signal, the days to go), during it (the desk),
//! after it (the show rate measured against the forecast, the materials, the report).

use maud::{Markup, html};

use crate::domain::attendance::Signal;
use crate::domain::stop::{StopStatus, Tense};
use crate::read::dashboards::StopFigures;
use crate::read::registrations::StopStats;
use crate::views::Ctx;

pub fn pct(r: f64) -> String {
    format!("{:.0}%", r * 100.0)
}

/// "12 of 98 · 120 days to go".
pub fn progress(ctx: &Ctx, f: &StopFigures) -> String {
    let of = ctx.tf(
        "dash.progress",
        &[
            ("confirmed", &f.counters.confirmed.to_string()),
            ("target", &f.plan.target.to_string()),
        ],
    );
    format!(
        "{of} · {}",
        ctx.lang.tn("dash.days_to_go", f.days_to_go, &[])
    )
}

/// The CSS class of the stop's state (the signal before it, its tense after).
pub fn state_class(f: &StopFigures) -> &'static str {
    match f.tense {
        Tense::Before => f.signal.as_str(),
        Tense::During => "during",
        Tense::After => "after",
        Tense::Cancelled => "cancelled",
    }
}

/// The stop's state in a few words, for a row of a table.
pub fn short_state(ctx: &Ctx, f: &StopFigures) -> String {
    match f.tense {
        Tense::Before if f.stop.status() == StopStatus::Draft => ctx.t("dash.short.draft").into(),
        Tense::Before => ctx.t(&format!("dash.short.{}", f.signal.as_str())).into(),
        Tense::During => ctx.t("dash.short.during").into(),
        Tense::After if f.stop.status() == StopStatus::Done => ctx.t("dash.short.done").into(),
        Tense::After => ctx.t("dash.short.ended").into(),
        Tense::Cancelled => ctx.t("dash.short.cancelled").into(),
    }
}

/// The sentence at the top of a stop's dashboard.
pub fn headline(ctx: &Ctx, f: &StopFigures) -> Markup {
    let c = &f.counters;
    html! {
        p.signal.(state_class(f)) role="status" {
            @match f.tense {
                Tense::Before => {
                    @match f.signal {
                        Signal::OnTrack if c.confirmed == 0 => { (ctx.t("dash.none_yet")) }
                        Signal::OnTrack => { (ctx.t("dash.on_pace")) }
                        Signal::Behind => {
                            (ctx.tf("dash.behind", &[("n", &crate::domain::attendance::to_target(i64::from(c.confirmed), f.plan.target).to_string())]))
                        }
                        s => { (ctx.t(&format!("signal.{}", s.as_str()))) }
                    }
                    " " strong.progress { (progress(ctx, f)) }
                }
                Tense::During => {
                    (ctx.tf("dash.during", &[("checked_in", &c.checked_in.to_string()), ("confirmed", &c.confirmed.to_string())]))
                }
                Tense::After => {
                    @match f.actual_show_rate {
                        Some(actual) => {
                            (ctx.tf("dash.after", &[
                                ("checked_in", &c.checked_in.to_string()),
                                ("confirmed", &c.confirmed.to_string()),
                                ("actual", &pct(actual)),
                                ("forecast", &pct(f.plan.show_rate)),
                            ]))
                        }
                        None => { (ctx.tf("dash.after_nobody", &[("checked_in", &c.checked_in.to_string())])) }
                    }
                    @if f.stop.status() != StopStatus::Done { " " (ctx.t("dash.mark_done")) }
                }
                Tense::Cancelled => { (ctx.t("signal.cancelled")) }
            }
        }
    }
}

/// The figures of a stop's dashboard in its tense, with registrations over time.
pub fn stop_panel(
    ctx: &Ctx,
    f: &StopFigures,
    stats: &StopStats,
    timeline: &[(chrono::NaiveDate, i64, i64)],
) -> Markup {
    let c = &f.counters;
    let stat = |n: String, label: &str| html! { div.stat { span.n { (n) } (label) } };
    let base = format!("/manage/stops/{}", f.stop.id);
    html! {
        (headline(ctx, f))
        @if stats.over_target > 0 && f.tense != Tense::After {
            p.hint { (ctx.tf("signal.over_target", &[("n", &stats.over_target.to_string())])) }
        }
        div.stats {
            @match f.tense {
                Tense::Before => {
                    (stat(f.plan.capacity.to_string(), &ctx.t("field.capacity")))
                    (stat(pct(f.plan.show_rate), &ctx.t("stats.show_rate")))
                    (stat(f.plan.target.to_string(), &ctx.t("stats.target")))
                    (stat(c.confirmed.to_string(), &ctx.t("registration_status.confirmed")))
                    (stat(c.waitlisted.to_string(), &ctx.t("registration_status.waitlisted")))
                    (stat(c.cancelled.to_string(), &ctx.t("registration_status.cancelled")))
                    (stat(c.still_coming_yes.to_string(), &ctx.t("stats.said_yes")))
                    (stat(format!("{:.0}", stats.forecast_attendance), &ctx.t("stats.forecast")))
                }
                Tense::During => {
                    (stat(c.checked_in.to_string(), &ctx.t("stats.checked_in")))
                    (stat(c.confirmed.to_string(), &ctx.t("registration_status.confirmed")))
                    (stat((c.confirmed - c.checked_in).max(0).to_string(), &ctx.t("dash.not_yet_in")))
                    (stat(format!("{:.0}", stats.forecast_attendance), &ctx.t("stats.forecast")))
                    (stat(f.plan.capacity.to_string(), &ctx.t("field.capacity")))
                    (stat(c.waitlisted.to_string(), &ctx.t("registration_status.waitlisted")))
                }
                Tense::After => {
                    (stat(c.checked_in.to_string(), &ctx.t("stats.checked_in")))
                    (stat(c.confirmed.to_string(), &ctx.t("registration_status.confirmed")))
                    @if let Some(actual) = f.actual_show_rate {
                        (stat(pct(actual), &ctx.tf("stats.actual_vs_forecast", &[("forecast", &pct(f.plan.show_rate))])))
                    }
                    (stat((c.confirmed - c.checked_in).max(0).to_string(), &ctx.t("dash.no_shows")))
                    (stat(f.plan.capacity.to_string(), &ctx.t("field.capacity")))
                    (stat(f.missing_materials.to_string(), &ctx.t("dash.missing_materials")))
                }
                Tense::Cancelled => {
                    (stat(c.confirmed.to_string(), &ctx.t("registration_status.confirmed")))
                    (stat(c.waitlisted.to_string(), &ctx.t("registration_status.waitlisted")))
                    (stat(c.cancelled.to_string(), &ctx.t("registration_status.cancelled")))
                }
            }
        }
        @match f.tense {
            Tense::During => {
                p.actions { a.button href={ "/desk/" (f.stop.id) } { (ctx.t("dash.open_desk")) } }
            }
            Tense::After => {
                p.actions {
                    a.button href={ (base) "/materials" } {
                        (ctx.lang.tn("dash.collect", f.missing_materials, &[]))
                    }
                    a.button.secondary href={ "/manage/tours/" (f.stop.tour_id) "/report" } { (ctx.t("dash.report")) }
                }
            }
            _ => {}
        }
        @if !timeline.is_empty() && f.tense != Tense::Cancelled {
            @let days = crate::views::charts::every_day(timeline);
            @let target = f.plan.target as f32;
            (crate::views::charts::line(ctx, crate::views::charts::Chart {
                title: &ctx.t("stats.over_time"),
                labels: days.iter().map(|(d, _, _)| d.format("%m-%d").to_string()).collect(),
                series: vec![
                    (ctx.t("stats.registered").into_owned(), days.iter().map(|(_, t, _)| Some(*t as f32)).collect()),
                    (ctx.t("registration_status.confirmed").into_owned(), days.iter().map(|(_, _, c)| Some(*c as f32)).collect()),
                    (ctx.t("stats.target").into_owned(), days.iter().map(|_| Some(target)).collect()),
                ],
                counts: true,
            }))
        }
    }
}

/// The label of a status change on a stop's page: a done stop "reopens" to closed, it does
/// not "close registration".
pub fn move_label(ctx: &Ctx, from: StopStatus, to: StopStatus) -> String {
    match (from, to) {
        (StopStatus::Done, StopStatus::Closed) => ctx.t("dash.action.undo_done").into(),
        (StopStatus::Closed, StopStatus::Open) => ctx.t("dash.action.reopen").into(),
        _ => ctx.t(&format!("stop_action.{}", to.as_str())).into(),
    }
}
