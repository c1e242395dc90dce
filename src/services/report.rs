//! The tour report: per stop and in total, what the 2012 organizers wrote by hand in their
//! review post. Built from the running counters and a few bulk queries, so it stays fast on
//! big tours.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::db::{self, DbConnection};
use crate::domain::attendance::{self, History};
use crate::domain::ids::TourId;
use crate::domain::stop::StopStatus;
use crate::domain::venue::CostKind;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::models::agenda::AgendaItem;
use crate::models::counters::Counters;
use crate::models::material::Material;
use crate::models::organizer::Organizer;
use crate::models::talk::Talk;
use crate::models::task::Claim;
use crate::models::tour::{Tour, TourChanges};
use crate::read::report::{Report, StopRow, Totals};
use crate::services::Env;
use crate::services::access;
use crate::services::context::Context;

/// Builds the report of a tour's announced stops (drafts are left out).
pub fn build(conn: &mut DbConnection, env: &Env, tour: Tour) -> Result<Report, AppError> {
    build_for(conn, env, tour, &|_| true)
}

/// The report of the stops `visible` keeps: rows and totals alike come from those stops
/// only (a per-stop co-organizer sees their stops, nothing of the others). The forecast of
/// each stop still learns from every done stop before it, as the stop's own figures do.
fn build_for(
    conn: &mut DbConnection,
    env: &Env,
    tour: Tour,
    visible: &dyn Fn(&str) -> bool,
) -> Result<Report, AppError> {
    let rows = Counters::of_planned_stops(conn, &tour.id)?;
    let stop_ids: Vec<String> = rows.iter().map(|(s, _, _)| s.id.clone()).collect();

    let items = AgendaItem::for_stops(conn, &stop_ids)?;
    let talk_ids: Vec<String> = items
        .iter()
        .filter_map(|i| i.talk_id.clone())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let talks: HashMap<String, crate::models::talk::TalkWithSpeakers> =
        Talk::with_speakers(conn, &talk_ids)?
            .into_iter()
            .map(|t| (t.talk.id.clone(), t))
            .collect();
    let volunteers = Claim::volunteers_of_stops(conn, &stop_ids)?;
    let materials = Material::for_stops(conn, &stop_ids)?;
    let now = db::now();

    let mut history = History::default();
    let mut out = Vec::with_capacity(rows.len());
    let mut all_speakers: HashMap<String, (String, HashSet<String>)> = HashMap::new();
    let mut talk_cities: BTreeMap<String, (String, Vec<String>, HashSet<String>)> = BTreeMap::new();
    for (stop, venue, counters) in rows {
        let c = counters.unwrap_or_default();
        let forecast = attendance::expected_show_rate(
            stop.show_rate_override,
            history,
            tour.prior_show_rate,
            env.prior_weight,
        );
        let confirmed = i64::from(c.confirmed);
        let checked_in = i64::from(c.checked_in);
        let done = stop.status() == StopStatus::Done;
        if done {
            history.confirmed += confirmed;
            history.attended += checked_in;
        }
        if !visible(&stop.id) {
            continue;
        }
        let mine: Vec<&AgendaItem> = items
            .iter()
            .filter(|i| i.stop_id == stop.id && i.talk_id.is_some())
            .collect();
        let mut speakers_here = HashSet::new();
        let held = stop.status() != StopStatus::Cancelled;
        for item in &mine {
            if let Some(t) = item.talk_id.as_ref().and_then(|id| talks.get(id)) {
                for s in &t.speakers {
                    speakers_here.insert(s.id.clone());
                    if !held {
                        // Planned, not given: the row says so; the tour's totals do not.
                        continue;
                    }
                    all_speakers
                        .entry(s.id.clone())
                        .or_insert_with(|| (s.name.clone(), HashSet::new()))
                        .1
                        .insert(stop.id.clone());
                }
                if !held {
                    continue;
                }
                // Talks given several times: once per stop (two stops may share a city).
                let entry = talk_cities
                    .entry(t.talk.id.clone())
                    .or_insert_with(|| (t.talk.title.clone(), Vec::new(), HashSet::new()));
                if entry.2.insert(stop.id.clone()) {
                    entry.1.push(stop.city.clone());
                }
            }
        }
        let stop_materials: Vec<Material> = materials
            .iter()
            .filter(|m| m.stop_id == stop.id)
            .cloned()
            .collect();
        out.push(StopRow {
            registrations: i64::from(c.confirmed + c.waitlisted + c.cancelled),
            confirmed,
            checked_in,
            forecast_show_rate: forecast,
            actual_show_rate: if done {
                attendance::actual_show_rate(confirmed, checked_in)
            } else {
                None
            },
            online_viewers: stop.online_viewers,
            talks: mine.len(),
            speakers: speakers_here.len(),
            // A speaking slot is a speaker at a stop (a panel or a second talk is not another
            // trip): the 2012 tour's 47 "lecturers" over 8 stops.
            speaking_slots: speakers_here.len(),
            volunteers: volunteers
                .iter()
                .filter(|(s, _)| *s == stop.id)
                .map(|(_, v)| v)
                .collect::<HashSet<_>>()
                .len(),
            materials: crate::read::materials::completeness(&stop_materials, now),
            stop,
            venue,
        });
    }

    // A cancelled stop keeps its row (who had registered, what was planned) but is not in
    // the tour's totals: nobody came, and its people were not "in the room".
    let held: Vec<&StopRow> = out
        .iter()
        .filter(|r| r.stop.status() != StopStatus::Cancelled)
        .collect();
    let mut t = Totals {
        stops: held.len(),
        ..Totals::default()
    };
    for r in held {
        t.registrations += r.registrations;
        t.confirmed += r.confirmed;
        t.attendance += r.checked_in;
        t.online_viewers += i64::from(r.online_viewers.unwrap_or(0));
        t.talks += r.talks;
        t.speaking_slots += r.speaking_slots;
        match r.venue.cost() {
            CostKind::Free => t.venues_free += 1,
            CostKind::Paid => t.venues_paid += 1,
            CostKind::Shared => t.venues_shared += 1,
        }
    }
    t.show_rate = attendance::actual_show_rate(t.confirmed, t.attendance);
    t.distinct_talks = talk_cities.len();
    t.distinct_speakers = all_speakers.len();
    t.repeat_speakers = all_speakers
        .values()
        .filter(|(_, s)| s.len() > 1)
        .map(|(n, s)| (n.clone(), s.len()))
        .collect();
    t.repeat_speakers
        .sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    t.repeat_talks = talk_cities
        .into_values()
        .filter(|(_, c, _)| c.len() > 1)
        .map(|(title, cities, _)| (title, cities))
        .collect();
    t.repeat_talks
        .sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
    let cancelled: HashSet<&str> = out
        .iter()
        .filter(|r| r.stop.status() == StopStatus::Cancelled)
        .map(|r| r.stop.id.as_str())
        .collect();
    t.volunteers = volunteers
        .iter()
        .filter(|(s, _)| visible(s) && !cancelled.contains(s.as_str()))
        .map(|(_, v)| v)
        .collect::<HashSet<_>>()
        .len();
    let shown: Vec<Material> = materials
        .into_iter()
        .filter(|m| visible(&m.stop_id))
        .collect();
    let (r, rc, p, _) = crate::read::materials::completeness(&shown, now);
    t.material_completeness = (r + rc + p > 0).then(|| (rc + p) as f64 / (r + rc + p) as f64);
    Ok(Report {
        tour,
        rows: out,
        totals: t,
    })
}

/// The tour's report as its organizer sees it (a local organizer: their stops only).
pub async fn for_organizer(
    ctx: &Context,
    organizer: &Organizer,
    tour: &TourId,
) -> Result<Report, AppError> {
    let (env, organizer, tour) = (ctx.env.clone(), organizer.clone(), tour.clone());
    ctx.db
        .run(move |conn| for_organizer_in(conn, &env, &organizer, &tour))
        .await
}

fn for_organizer_in(
    conn: &mut DbConnection,
    env: &Env,
    organizer: &Organizer,
    tour_id: &str,
) -> Result<Report, AppError> {
    let (tour, reach) = access::tour_for(conn, organizer, tour_id)?;
    if reach.is_stop_limited() {
        build_for(conn, env, tour, &|stop_id| reach.covers_stop(stop_id))
    } else {
        build(conn, env, tour)
    }
}

/// The report of a public tour (by its slug), once its organizers published it.
pub async fn public(ctx: &Context, slug: String) -> Result<Report, AppError> {
    let env = ctx.env.clone();
    ctx.db.run(move |conn| public_in(conn, &env, &slug)).await
}

fn public_in(conn: &mut DbConnection, env: &Env, slug: &str) -> Result<Report, AppError> {
    let tour = Tour::find_public_by_slug(conn, slug)?
        .filter(|t| t.report_published_at.is_some())
        .ok_or_else(|| AppError::not_found("report"))?;
    build(conn, env, tour)
}

/// Organizers who may edit the tour publish its report (or take it back).
pub async fn set_published(
    ctx: &Context,
    organizer: &Organizer,
    tour: &TourId,
    publish: bool,
) -> Result<Tour, AppError> {
    let (organizer, tour) = (organizer.clone(), tour.clone());
    ctx.db
        .run(move |conn| set_published_in(conn, &organizer, &tour, publish))
        .await
}

fn set_published_in(
    conn: &mut DbConnection,
    organizer: &Organizer,
    tour_id: &str,
    publish: bool,
) -> Result<Tour, AppError> {
    let (tour, _) = access::editable_tour(conn, organizer, tour_id)?;
    let tour = Tour::update(
        conn,
        &tour.id,
        &TourChanges {
            report_published_at: Some(publish.then(db::now)),
            ..TourChanges::default()
        },
    )?;
    Ok(tour)
}

fn pct(r: Option<f64>) -> String {
    r.map(|r| format!("{:.0}%", r * 100.0))
        .unwrap_or_else(|| "—".into())
}

/// The report as Markdown: the review post writes itself.
pub fn markdown(r: &Report, lang: Lang) -> String {
    let t = &r.totals;
    let mut md = format!(
        "# {}\n\n",
        lang.tf("report.title", &[("tour", &r.tour.name)])
    );
    md.push_str(&crate::format::report_summary(
        lang,
        &crate::format::SummaryCounts {
            stops: t.stops,
            registrations: t.registrations,
            attendance: t.attendance,
            rate: pct(t.show_rate),
            speakers: t.distinct_speakers,
            slots: t.speaking_slots,
        },
    ));
    md.push_str("\n\n");
    md.push_str(&format!(
        "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n|---|---|---|---|--:|--:|---|--:|--:|--:|--:|\n",
        lang.t("field.city"),
        lang.t("stop.when"),
        lang.t("field.venue"),
        lang.t("field.cost"),
        lang.t("report.registered"),
        lang.t("stats.checked_in"),
        lang.t("report.show_rate"),
        lang.t("field.online_viewers"),
        lang.t("report.talks"),
        lang.t("report.speakers"),
        lang.t("report.materials"),
    ));
    for row in &r.rows {
        md.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} / {} | {} | {} | {} | {} |\n",
            cell(&row.stop.city),
            crate::format::date(lang, row.stop.starts_at, row.stop.tz()),
            cell(&row.venue.name),
            lang.t(&format!("venue_cost.{}", row.venue.cost)),
            row.registrations,
            row.checked_in,
            pct(row.actual_show_rate),
            pct(Some(row.forecast_show_rate)),
            row.online_viewers
                .map(|n| n.to_string())
                .unwrap_or_else(|| "—".into()),
            row.talks,
            row.speakers,
            pct(row.material_completeness()),
        ));
    }
    md.push_str(&format!("\n## {}\n\n", lang.t("report.totals")));
    md.push_str(&format!(
        "- {1}{0}{2}\n",
        lang.colon(),
        lang.t("report.registered"),
        t.registrations
    ));
    md.push_str(&format!(
        "- {}{}{}{}\n",
        lang.t("stats.checked_in"),
        lang.colon(),
        t.attendance,
        lang.parens(&pct(t.show_rate))
    ));
    md.push_str(&format!(
        "- {1}{0}{2}\n",
        lang.colon(),
        lang.t("field.online_viewers"),
        t.online_viewers
    ));
    md.push_str(&format!(
        "- {}\n",
        crate::format::speakers_in_slots(lang, t.distinct_speakers, t.speaking_slots)
    ));
    for (name, n) in &t.repeat_speakers {
        md.push_str(&format!(
            "  - {}\n",
            lang.tf(
                "report.repeat_speaker",
                &[("name", &cell(name)), ("n", &n.to_string())]
            )
        ));
    }
    md.push_str(&format!(
        "- {}\n",
        crate::format::talks_given(lang, t.talks, t.distinct_talks)
    ));
    for (title, cities) in &t.repeat_talks {
        md.push_str(&format!(
            "  - {}\n",
            lang.tf(
                "report.repeat_talk",
                &[
                    ("title", &cell(title)),
                    ("cities", &cities.join(lang.list_separator()))
                ]
            )
        ));
    }
    md.push_str(&format!(
        "- {}\n",
        lang.tf(
            "report.venues",
            &[
                ("free", &t.venues_free.to_string()),
                ("paid", &t.venues_paid.to_string()),
                ("shared", &t.venues_shared.to_string())
            ]
        )
    ));
    md.push_str(&format!(
        "- {1}{0}{2}\n",
        lang.colon(),
        lang.t("report.volunteers"),
        t.volunteers
    ));
    md.push_str(&format!(
        "- {1}{0}{2}\n",
        lang.colon(),
        lang.t("report.materials"),
        pct(t.material_completeness)
    ));
    md
}

/// Markdown table cells cannot hold pipes or line breaks.
fn cell(text: &str) -> String {
    text.replace('|', "/").replace(['\n', '\r'], " ")
}

/// The per-stop table, downloaded as CSV or `.xlsx`.
pub fn table(r: &Report) -> crate::export::Table {
    let mut w = crate::export::Table::new(
        "report",
        &[
            "city",
            "date",
            "venue",
            "cost",
            "registrations",
            "confirmed",
            "checked_in",
            "show_rate_forecast",
            "show_rate_actual",
            "online_viewers",
            "talks",
            "speakers",
            "speaking_slots",
            "volunteers",
            "materials_requested",
            "materials_received",
            "materials_published",
        ],
    );
    for row in &r.rows {
        let (req, rec, publ, _) = row.materials;
        w.row(&[
            row.stop.city.clone(),
            crate::domain::stop::in_zone(row.stop.starts_at, row.stop.tz())
                .format("%Y-%m-%d")
                .to_string(),
            row.venue.name.clone(),
            row.venue.cost.as_str().to_owned(),
            row.registrations.to_string(),
            row.confirmed.to_string(),
            row.checked_in.to_string(),
            format!("{:.4}", row.forecast_show_rate),
            row.actual_show_rate
                .map(|r| format!("{r:.4}"))
                .unwrap_or_default(),
            row.online_viewers
                .map(|n| n.to_string())
                .unwrap_or_default(),
            row.talks.to_string(),
            row.speakers.to_string(),
            row.speaking_slots.to_string(),
            row.volunteers.to_string(),
            req.to_string(),
            rec.to_string(),
            publ.to_string(),
        ]);
    }
    w
}
