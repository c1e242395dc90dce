//! The tour report page, with charts drawn on the server.

use maud::{Markup, html};

use crate::format::date;
use crate::read::report::Report;
use crate::views::Ctx;
use crate::views::charts;
use crate::views::components::button_form;
use crate::views::layout::page;

fn pct(r: Option<f64>) -> String {
    r.map(|r| format!("{:.0}%", r * 100.0))
        .unwrap_or_else(|| "—".into())
}

/// `manage`: the organizers' view (publish button, export links under /manage).
pub fn report(ctx: &Ctx, r: &Report, manage: bool) -> Markup {
    let t = &r.totals;
    let export = if manage {
        format!("/manage/tours/{}/report", r.tour.id)
    } else {
        format!("/tours/{}/report", r.tour.slug)
    };
    let labels: Vec<String> = r.rows.iter().map(|row| row.stop.city.clone()).collect();
    page(
        ctx,
        &ctx.tf("report.title", &[("tour", &r.tour.name)]),
        html! {
            p.crumbs { @if manage { a href={ "/manage/tours/" (r.tour.id) } { (r.tour.name) } } @else { a href={ "/tours/" (r.tour.slug) } { (r.tour.name) } } }
            h1 { (ctx.tf("report.title", &[("tour", &r.tour.name)])) }
            @if manage {
                p.actions {
                    @if r.tour.report_published_at.is_some() {
                        (ctx.t("report.is_public")) " " a href={ "/tours/" (r.tour.slug) "/report" } { (ctx.t("tour.public_page")) }
                        (button_form(ctx, &format!("/manage/tours/{}/report/unpublish", r.tour.id), &ctx.t("report.unpublish"), "secondary"))
                    } @else {
                        (button_form(ctx, &format!("/manage/tours/{}/report/publish", r.tour.id), &ctx.t("report.publish"), ""))
                    }
                }
            }
            p.lead { (crate::format::report_summary(ctx.lang, &crate::format::SummaryCounts {
                stops: t.stops, registrations: t.registrations, attendance: t.attendance,
                rate: pct(t.show_rate), speakers: t.distinct_speakers, slots: t.speaking_slots,
            })) }
            p { a href={ (export) ".md" } { (ctx.t("report.markdown")) } " · " a href={ (export) ".csv" } { "CSV" } " · " a href={ (export) ".xlsx" } { (ctx.t("export.xlsx")) } }
            (charts::bars(ctx, charts::Chart {
                title: &ctx.t("report.chart_attendance"),
                labels: labels.clone(),
                series: vec![
                    (ctx.t("report.registered").into_owned(), r.rows.iter().map(|x| Some(x.registrations as f32)).collect()),
                    (ctx.t("stats.checked_in").into_owned(), r.rows.iter().map(|x| Some(x.checked_in as f32)).collect()),
                ],
                counts: true,
            }))
            (charts::line(ctx, charts::Chart {
                title: &ctx.t("report.chart_show_rate"),
                labels,
                series: vec![
                    (ctx.t("report.forecast").into_owned(), r.rows.iter().map(|x| Some((x.forecast_show_rate * 100.0) as f32)).collect()),
                    (ctx.t("report.actual").into_owned(), r.rows.iter().map(|x| x.actual_show_rate.map(|a| (a * 100.0) as f32)).collect()),
                ],
                counts: false,
            }))
            table.list.report {
                thead { tr {
                    th { (ctx.t("field.city")) } th { (ctx.t("stop.when")) } th { (ctx.t("field.venue")) }
                    th { (ctx.t("report.registered")) } th { (ctx.t("stats.checked_in")) } th { (ctx.t("report.show_rate")) }
                    th { (ctx.t("field.online_viewers")) } th { (ctx.t("report.talks")) } th { (ctx.t("report.speakers")) }
                    th { (ctx.t("report.volunteers")) } th { (ctx.t("report.materials")) }
                } }
                tbody {
                    @for row in &r.rows {
                        tr {
                            td data-label=(ctx.t("field.city")) {
                                a href={ "/stops/" (row.stop.id) } { (row.stop.city) }
                                @if row.stop.status == crate::domain::stop::StopStatus::Cancelled { " " (crate::views::components::status_badge(ctx, "stop_status", row.stop.status.as_str())) }
                            }
                            td data-label=(ctx.t("stop.when")) { (date(ctx.lang, row.stop.starts_at, row.stop.tz())) }
                            td data-label=(ctx.t("field.venue")) { (row.venue.name) br; small { (ctx.t(&format!("venue_cost.{}", row.venue.cost))) } }
                            td.num data-label=(ctx.t("report.registered")) { (row.registrations) } td.num data-label=(ctx.t("stats.checked_in")) { (row.checked_in) }
                            td.num data-label=(ctx.t("report.show_rate")) { (pct(row.actual_show_rate)) br; small { (ctx.t("report.forecast")) " " (pct(Some(row.forecast_show_rate))) } }
                            td.num data-label=(ctx.t("field.online_viewers")) { (row.online_viewers.map(|n| n.to_string()).unwrap_or_else(|| "—".into())) }
                            td.num data-label=(ctx.t("report.talks")) { (row.talks) } td.num data-label=(ctx.t("report.speakers")) { (row.speakers) } td.num data-label=(ctx.t("report.volunteers")) { (row.volunteers) }
                            td.num data-label=(ctx.t("report.materials")) { (pct(row.material_completeness())) }
                        }
                    }
                }
            }
            h2 { (ctx.t("report.totals")) }
            ul.totals {
                li { (ctx.t("report.registered")) (ctx.lang.colon()) strong { (t.registrations) } }
                li { (ctx.t("stats.checked_in")) (ctx.lang.colon()) strong { (t.attendance) } (ctx.lang.parens(&pct(t.show_rate))) }
                li { (ctx.t("field.online_viewers")) (ctx.lang.colon()) strong { (t.online_viewers) } }
                li { (crate::format::speakers_in_slots(ctx.lang, t.distinct_speakers, t.speaking_slots)) }
                @for (name, n) in &t.repeat_speakers { li.sub { (ctx.tf("report.repeat_speaker", &[("name", name), ("n", &n.to_string())])) } }
                li { (crate::format::talks_given(ctx.lang, t.talks, t.distinct_talks)) }
                @for (title, cities) in &t.repeat_talks { li.sub { (ctx.tf("report.repeat_talk", &[("title", title), ("cities", &cities.join(ctx.lang.list_separator()))])) } }
                li { (ctx.tf("report.venues", &[("free", &t.venues_free.to_string()), ("paid", &t.venues_paid.to_string()), ("shared", &t.venues_shared.to_string())])) }
                li { (ctx.t("report.volunteers")) (ctx.lang.colon()) strong { (t.volunteers) } }
                li { (ctx.t("report.materials")) (ctx.lang.colon()) strong { (pct(t.material_completeness)) } }
            }
        },
    )
}
