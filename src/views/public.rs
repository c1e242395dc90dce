use maud::{Markup, html};

use crate::format::{date_span, date_time, time_range};
use crate::models::stop::StopDetail;
use crate::models::tour::Tour;
use crate::read::public::PublicTour;
use crate::views::Ctx;
use crate::views::components::{markdown, status_badge};
use crate::views::layout::page;

pub fn home(ctx: &Ctx, tours: &[PublicTour]) -> Markup {
    page(
        ctx,
        &ctx.t("home.title"),
        html! {
            section.hero {
                h1 { (ctx.t("home.title")) }
                p.lead { (ctx.t("home.lead")) }
            }
            @if tours.is_empty() {
                p.empty { (ctx.t("home.no_tours")) }
            }
            ul.cards {
                @for t in tours {
                    li.card {
                        h2 { a href={ "/tours/" (t.tour.slug) } { (t.tour.name) } }
                        @if let (Some((first, _)), Some((last, _))) = (t.stops.first(), t.stops.last()) {
                            p.meta {
                                (date_span(ctx.lang, (first.starts_at, first.tz()), (last.starts_at, last.tz())))
                                " · " (ctx.lang.tn("tour.stop_count", i64::try_from(t.stops.len()).unwrap_or(i64::MAX), &[]))
                            }
                            p.cities { (t.stops.iter().map(|(s, _)| s.city.as_str()).collect::<Vec<_>>().join(" → ")) }
                        }
                    }
                }
            }
        },
    )
}

pub fn tour(ctx: &Ctx, t: &PublicTour) -> Markup {
    let tour = &t.tour;
    page(
        ctx,
        &tour.name,
        html! {
            h1 { (tour.name) }
            @if tour.status() == crate::domain::tour::TourStatus::Archived {
                p.notice { (ctx.t("tour.archived_notice")) }
            }
            div.prose { (markdown(&tour.description)) }
            @if let Some(email) = &tour.contact_email {
                p { (ctx.t("tour.contact")) (ctx.lang.colon()) a href={ "mailto:" (email) } { (email) } }
            }
            p { a href={ "/tours/" (tour.slug) "/calendar.ics" } { (ctx.t("tour.calendar")) } }
            p { a href={ "/tours/" (tour.slug) "/help" } { (ctx.t("help.link")) } }
            @if tour.report_published_at.is_some() {
                p { a href={ "/tours/" (tour.slug) "/report" } { (ctx.t("tour.public_report_link")) } }
            }
            @if t.cfp_open {
                p.notice { (ctx.t("cfp.invite")) " " a href={ "/tours/" (tour.slug) "/cfp" } { (ctx.t("cfp.submit")) } }
            }
            h2 { (ctx.t("tour.stops")) }
            @if t.stops.is_empty() {
                p.empty { (ctx.t("tour.no_stops")) }
            }
            ol.timeline {
                @for (stop, venue) in &t.stops {
                    li.(stop.status) {
                        time datetime=(crate::domain::stop::to_rfc3339(stop.starts_at)) { (date_time(ctx.lang, stop.starts_at, stop.tz())) }
                        h3 { a href={ "/stops/" (stop.id) } { (stop.city) } }
                        p { (venue.name) }
                        @if stop.status != crate::domain::stop::StopStatus::Open {
                            (status_badge(ctx, "stop_status", stop.status.as_str()))
                        }
                    }
                }
            }
        },
    )
}

/// `register`: the registration form, while the stop takes registrations.
pub fn stop(
    ctx: &Ctx,
    d: &StopDetail,
    tour: &Tour,
    moved: Option<&(crate::models::stop::VenueSwitch, String, String)>,
    register: Option<Markup>,
) -> Markup {
    let stop = &d.stop;
    let title = format!("{} · {}", tour.name, stop.city);
    page(
        ctx,
        &title,
        html! {
            p.crumbs { a href={ "/tours/" (tour.slug) } { (tour.name) } }
            h1 { (stop.city) }
            @match stop.status.as_str() {
                "cancelled" => p.notice.error { (ctx.t("stop.cancelled_notice")) },
                "done" => p.notice { (ctx.t("stop.done_notice")) },
                "closed" => p.notice { (ctx.t("stop.closed_notice")) },
                _ => {},
            }
            @if stop.status != crate::domain::stop::StopStatus::Done { (crate::views::components::organizers_notice(ctx, stop.notice.as_deref())) }
            @if let Some((switch, from, to)) = moved {
                div.notice.moved {
                    p { strong { (ctx.tf("stop.moved_notice", &[("from", from), ("to", to)])) } }
                    @if !switch.reason.is_empty() { p { (switch.reason) } }
                }
            }
            dl.facts {
                dt { (ctx.t("stop.when")) }
                dd { time datetime=(crate::domain::stop::to_rfc3339(stop.starts_at)) { (time_range(ctx.lang, stop.starts_at, stop.ends_at, stop.tz())) } }
                dt { (ctx.t("stop.where")) }
                dd {
                    strong { (d.venue.name) } br;
                    (d.venue.address)
                }
                @if !d.venue.directions.is_empty() {
                    dt { (ctx.t("stop.directions")) }
                    dd.pre { (d.venue.directions) }
                }
                @if d.venue.id_check_required {
                    dt { (ctx.t("stop.id_check")) }
                    dd { (ctx.t("stop.id_check_note")) }
                }
                @if let Some(url) = &stop.livestream_url {
                    dt { (ctx.t("stop.livestream")) }
                    dd { a href=(url) rel="noopener noreferrer" { (url) } }
                }
            }
            @if let Some(form) = register { (form) }
            @if !d.supporters.is_empty() {
                h2 { (ctx.t("stop.supporters")) }
                ul {
                    @for s in &d.supporters {
                        li { strong { (s.name) } @if !s.contribution.is_empty() { " — " (s.contribution) } }
                    }
                }
            }
        },
    )
}
