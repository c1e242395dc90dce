//! Every kind of page fits the narrowest phone we promise (360 px): nobody scrolls sideways.
//! The demo tour (eight stops of 2012, with registrations, agendas, materials and the report)
//! gives the pages their real-sized content, and a stop of its ahead gives the pages of the
//! people around a stop: an attendee's, a volunteer's, a speaker's, a desk helper's, each
//! reached through the link of their e-mail. Every GET route the app registers is opened in
//! a real browser at 360 px, or listed below with why it is not a page one reads.

use std::collections::BTreeSet;

use serde_json::json;

use crate::authz::coverage::registered_routes;
use crate::browser::{ChromeDriver, DESKTOP, NARROW, Shots, Ui};
use crate::helpers::*;

/// Registered GET routes that are not pages a person reads.
const NOT_PAGES: &[(&str, &str)] = &[
    ("/metrics", "figures for Prometheus"),
    ("/healthz", "a health check"),
    ("/readyz", "a health check"),
    ("/static/style.css", "the stylesheet"),
    ("/static/desk.js", "a script"),
    ("/static/upload.js", "a script"),
    ("/tours/{}/calendar.ics", "a calendar file"),
    ("/r/{}/calendar.ics", "a calendar file"),
    ("/volunteer/feed/{}", "a calendar feed"),
    ("/speaker/feed/{}", "a calendar feed"),
    ("/tours/{}/report.{}", "a download of the report"),
    ("/manage/tours/{}/report.{}", "a download of the report"),
    ("/manage/stops/{}/registrations.csv", "a CSV download"),
    ("/manage/stops/{}/registrations.xlsx", "an Excel download"),
    ("/materials/{}/download", "a file download"),
    ("/lang/{}", "switches the language and goes back"),
    (
        "/manage/emails/{}/html",
        "an e-mail's HTML, shown inside its preview page",
    ),
];

/// `/manage/stops/0a1b…` → `/manage/stops/{}` (ids, tokens and slugs alike), to match routes.
fn pattern_of(path: &str, values: &BTreeSet<String>) -> String {
    let path = path.split('?').next().unwrap();
    path.split('/')
        .map(|part| {
            if let Some((stem, ext)) = part.rsplit_once('.')
                && values.contains(stem)
            {
                return format!("{{}}.{ext}");
            }
            if values.contains(part) {
                "{}".to_owned()
            } else {
                part.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The path of the link to `email` whose path holds `fragment` (the latest such mail).
fn link_to(app: &TestApp, email: &str, fragment: &str) -> String {
    let mail = app
        .mails_to(email)
        .into_iter()
        .rev()
        .find(|m| m.text.contains(fragment))
        .unwrap_or_else(|| panic!("no mail with {fragment} to {email}"));
    mail.link(fragment)
        .trim_start_matches(&app.address)
        .to_owned()
}

/// The last part of a path (a token, an id).
fn tail(path: &str) -> String {
    path.rsplit('/').next().unwrap().to_owned()
}

struct Widths {
    seen: BTreeSet<String>,
    wide: Vec<String>,
    /// Serious or critical accessibility problems, per page kind, width and language.
    inaccessible: BTreeSet<String>,
    values: BTreeSet<String>,
    shots: Shots,
}

impl Widths {
    /// Measures the page the browser is on (after it was opened as `path`).
    async fn measure(&mut self, ui: &Ui, path: &str) {
        ui.wait("main").await;
        let (page, window) = ui.widths().await;
        let pattern = pattern_of(path, &self.values);
        if page > window {
            self.wide.push(format!("{path}: {page:?} px in {window:?}"));
        }
        let name: String = pattern
            .replace("{}", "x")
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let png = ui.screenshot().await.expect("screenshot");
        std::fs::write(
            self.shots
                .folder()
                .join(format!("{}.png", name.trim_matches('-'))),
            png,
        )
        .unwrap();
        self.accessible(ui, &pattern).await;
        self.seen.insert(pattern);
    }

    /// Runs axe-core on the page at phone and desktop width, in English and in Chinese (the
    /// language cookie, as the switcher sets it), and keeps what it finds serious.
    async fn accessible(&mut self, ui: &Ui, pattern: &str) {
        if self.seen.contains(pattern) {
            return;
        }
        for lang in ["en", "zh-CN"] {
            if lang != "en" {
                ui.read_in(lang).await;
                ui.wait("main").await;
            }
            for size in [NARROW, DESKTOP] {
                ui.resize(size).await;
                for problem in ui.accessibility_problems().await {
                    self.inaccessible
                        .insert(format!("{pattern} at {} px in {lang}: {problem}", size.0));
                }
            }
            ui.resize(NARROW).await;
        }
        ui.read_in("en").await;
        ui.wait("main").await;
    }

    async fn visit(&mut self, ui: &Ui, path: &str) {
        ui.goto(path).await;
        self.measure(ui, path).await;
    }

    /// Opens an e-mail's link (its page, with the button that uses it), then presses the
    /// button and measures where it leads.
    async fn enter(&mut self, ui: &Ui, path: &str, lands: &str) {
        self.visit(ui, path).await;
        ui.click("main form button[type=submit]").await;
        let landed = ui.wait_path(|p| p != path && p.starts_with(lands)).await;
        self.measure(ui, &landed).await;
    }
}

#[actix_web::test]
async fn every_page_fits_a_360_px_phone() {
    let Some(driver) = ChromeDriver::start() else {
        return;
    };
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let setup = app
        .db(|conn| roadshow::services::accounts::setup_link_if_empty(conn).unwrap())
        .await
        .expect("an empty database");
    let loaded = app.db(|conn| roadshow::demo::load(conn).unwrap()).await;
    let (_, token) = json(
        app.api
            .post(app.url("/api/v1/tokens"))
            .json(&json!({"email": loaded.email, "password": loaded.password}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let demo = Organizer {
        id: String::new(),
        email: loaded.email.clone(),
        token: token["token"].as_str().unwrap().to_owned(),
    };
    let (tour_id, slug) = (loaded.tour.id.clone(), loaded.tour.slug.clone());
    let (_, stops) = json(
        app.get(&demo, &format!("/api/v1/tours/{tour_id}/stops"))
            .await,
    )
    .await;
    let past = stops[0]["id"].as_str().unwrap().to_owned();

    // A stop ahead, in the demo tour, with the people around it.
    let ahead = app.open_stop_in(&demo, &tour_id, 120, None, 30).await;
    let stop = ahead.stop_id.clone();
    let now = chrono::Utc::now();
    app.patch(
        &demo,
        &format!("/api/v1/tours/{tour_id}"),
        &json!({
            "cfp_opens_at": (now - chrono::Duration::days(1)).to_rfc3339(),
            "cfp_closes_at": (now + chrono::Duration::days(20)).to_rfc3339(),
        }),
    )
    .await;
    let (_, attendee) = json(
        app.api
            .post(app.url(&format!("/api/v1/stops/{stop}/registrations")))
            .json(&json!({"name": "Li Lei", "email": "li.lei@example.org", "volunteer": true}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let manage = attendee["manage_token"].as_str().unwrap().to_owned();
    let task = app
        .post_ok(
            &demo,
            &format!("/api/v1/stops/{stop}/tasks"),
            &json!({"kind": "photos", "slots": 3}),
            201,
        )
        .await;
    let (status, _) = json(
        app.api
            .post(app.url(&format!(
                "/api/v1/tasks/{}/claims",
                task["id"].as_str().unwrap()
            )))
            .json(&json!({"name": "Han Meimei", "email": "han@example.org"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 201);
    let (status, proposal) = json(
        app.api
            .post(app.url(&format!("/api/v1/tours/{tour_id}/proposals")))
            .json(&json!({
                "speaker": {"name": "Zhang Wei", "email": "zhang.wei@example.org", "affiliation": "Sina", "bio": "Storage"},
                "title": "Swift at Sina", "duration_minutes": 30, "stop_ids": [stop]
            }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 201, "{proposal}");
    app.post_ok(
        &demo,
        &format!("/api/v1/tours/{tour_id}/members"),
        &json!({"email": "new.member@example.org", "role": "local", "stop_ids": [stop]}),
        201,
    )
    .await;
    let (_, speakers) = json(
        app.get(&demo, &format!("/api/v1/stops/{past}/agenda"))
            .await,
    )
    .await;
    let speaker_id = speakers
        .as_array()
        .unwrap()
        .iter()
        .find_map(|item| item["talk"]["speakers"][0]["id"].as_str())
        .expect("a speaker on the demo's first agenda")
        .to_owned();

    let mut w = Widths {
        seen: BTreeSet::new(),
        wide: Vec::new(),
        inaccessible: BTreeSet::new(),
        values: BTreeSet::new(),
        shots: Shots::in_folder("phone-360px"),
    };

    // Before anyone signs in: the setup page, the public pages, the forms that ask for links.
    let ui = Ui::open(&driver, &app.address, NARROW).await;
    w.values.extend([
        setup.clone(),
        slug.clone(),
        past.clone(),
        stop.clone(),
        manage.clone(),
        speaker_id.clone(),
    ]);
    for path in [
        format!("/setup/{setup}"),
        "/".to_owned(),
        format!("/tours/{slug}"),
        format!("/tours/{slug}/report"),
        format!("/tours/{slug}/help"),
        format!("/tours/{slug}/cfp"),
        format!("/stops/{past}"),
        format!("/stops/{stop}"),
        format!("/stops/{stop}/help"),
        format!("/stops/{stop}/lost-link"),
        format!("/speakers/{speaker_id}"),
        format!("/r/{manage}"),
        format!("/r/{manage}/coming/yes"),
        format!("/r/{manage}/coming/no"),
        format!("/desk/{stop}/login"),
        "/speaker/login".to_owned(),
        "/volunteer/login".to_owned(),
        "/login".to_owned(),
        "/login/link".to_owned(),
        "/password/forgot".to_owned(),
    ] {
        w.visit(&ui, &path).await;
    }
    // Links that come by e-mail: asked for where a person would ask.
    let b = app.browser();
    for (form, email) in [
        ("/login/link", loaded.email.as_str()),
        ("/password/forgot", loaded.email.as_str()),
    ] {
        let csrf = b.csrf_of(form).await;
        b.post_form(form, &[("_csrf", &csrf), ("email", email)])
            .await;
    }
    // The organizer asks Li Lei, who would like to volunteer, to take the task.
    let org = app.browser();
    let csrf = org.csrf_of("/login").await;
    let res = org
        .post_form(
            "/login",
            &[
                ("_csrf", &csrf),
                ("email", &loaded.email),
                ("password", &loaded.password),
            ],
        )
        .await;
    assert_eq!(res.status(), 303, "the demo organizer signs in");
    let csrf = org.csrf_of(&format!("/manage/stops/{stop}/tasks")).await;
    org.post_form(
        &format!("/manage/stops/{stop}/tasks/invite"),
        &[
            ("_csrf", &csrf),
            ("task_id", task["id"].as_str().unwrap()),
            ("registration_id", attendee["id"].as_str().unwrap()),
        ],
    )
    .await;
    app.drain().await;
    let accept = link_to(&app, "li.lei@example.org", "/volunteer/accept/");
    let sign_in = link_to(&app, &loaded.email, "/login/link/");
    let reset = link_to(&app, &loaded.email, "/password/reset/");
    let invite = link_to(&app, "new.member@example.org", "/invite/");
    let confirm = link_to(&app, "zhang.wei@example.org", "/speaker/proposals/confirm/");
    let volunteer = link_to(&app, "han@example.org", "/volunteer/enter/");
    w.values
        .extend([&sign_in, &reset, &invite, &confirm, &volunteer, &accept].map(|p| tail(p)));
    for path in [&reset, &invite, &sign_in, &accept] {
        w.visit(&ui, path).await;
    }
    ui.close().await;

    // A volunteer and a speaker, each in their own browser, through their links.
    let guest = Ui::open(&driver, &app.address, NARROW).await;
    w.enter(&guest, &volunteer, "/volunteer").await;
    w.enter(&guest, &confirm, "/speaker").await;
    let csrf = b.csrf_of("/speaker/login").await;
    b.post_form(
        "/speaker/login",
        &[("_csrf", &csrf), ("email", "zhang.wei@example.org")],
    )
    .await;
    app.drain().await;
    let speaker_link = link_to(&app, "zhang.wei@example.org", "/speaker/enter/");
    w.values.insert(tail(&speaker_link));
    w.enter(&guest, &speaker_link, "/speaker").await;
    w.visit(&guest, "/speaker").await;
    w.visit(&guest, "/volunteer").await;
    guest.close().await;

    // The demo organizer: every organizer's page, then a desk helper they add.
    let ui = Ui::open(&driver, &app.address, NARROW).await;
    ui.goto("/login").await;
    ui.fill("#f-email", &loaded.email).await;
    ui.fill("#f-password", &loaded.password).await;
    ui.click("form[action='/login'] button[type=submit]").await;
    ui.wait_path(|p| p == "/manage").await;
    let (_, venues) = json(app.get(&demo, "/api/v1/venues").await).await;
    let venue = venues.as_array().unwrap()[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let kind = "registration_confirmed";
    w.values.extend([
        tour_id.clone(),
        venue.clone(),
        kind.to_owned(),
        "open".to_owned(),
    ]);
    for path in [
        "/manage".to_owned(),
        "/manage/account".to_owned(),
        "/manage/tours/new".to_owned(),
        format!("/manage/tours/{tour_id}"),
        format!("/manage/tours/{tour_id}/edit"),
        format!("/manage/tours/{tour_id}/stops/new"),
        format!("/manage/tours/{tour_id}/materials"),
        format!("/manage/tours/{tour_id}/report"),
        format!("/manage/tours/{tour_id}/proposals"),
        format!("/manage/tours/{tour_id}/outbox"),
        format!("/manage/tours/{tour_id}/messages"),
        format!("/manage/tours/{tour_id}/preview"),
        format!("/manage/stops/{past}"),
        format!("/manage/stops/{stop}/preview"),
        format!("/manage/stops/{past}/edit"),
        format!("/manage/stops/{stop}/status/open"),
        format!("/manage/stops/{stop}/switch-venue?venue_id={venue}&reason=Blackout"),
        format!("/manage/stops/{past}/registrations"),
        format!("/manage/stops/{past}/materials"),
        format!("/manage/stops/{stop}/tasks"),
        format!("/manage/stops/{past}/agenda"),
        "/manage/people?email=li.lei%40example.org".to_owned(),
        format!("/manage/speakers/{speaker_id}"),
        "/manage/venues".to_owned(),
        "/manage/venues/new".to_owned(),
        format!("/manage/venues/{venue}"),
        format!("/manage/venues/{venue}/edit"),
        format!("/manage/venues/{venue}/suggest"),
        format!("/manage/venues/{venue}/copy"),
        "/manage/organizers".to_owned(),
        "/manage/outbox".to_owned(),
        "/manage/emails".to_owned(),
        format!("/manage/emails/{kind}"),
        format!("/desk/{stop}"),
    ] {
        w.visit(&ui, &path).await;
    }
    // The pages with tables and charts, on a phone and on a desktop: each shows the chart
    // drawn for its width (and only that one), and neither scrolls sideways.
    for (size, shown, hidden) in [
        (NARROW, "svg.chart.narrow", "svg.chart.wide"),
        (DESKTOP, "svg.chart.wide", "svg.chart.narrow"),
    ] {
        ui.resize(size).await;
        for path in [
            format!("/tours/{slug}/report"),
            format!("/manage/stops/{past}"),
            format!("/manage/stops/{past}/registrations"),
        ] {
            ui.goto(&path).await;
            ui.wait("main").await;
            let (page, window) = ui.widths().await;
            assert!(page <= window, "{path}: {page:?} px wide in {window:?}");
            let charts = ui.find_all("figure.chart").await.len();
            assert_eq!(
                ui.displayed(shown).await,
                charts,
                "{path} at {size:?}: {shown}"
            );
            assert_eq!(
                ui.displayed(hidden).await,
                0,
                "{path} at {size:?}: {hidden}"
            );
            let name = format!(
                "{}px{}",
                size.0,
                pattern_of(&path, &w.values).replace(['/', '{', '}'], "-")
            );
            let png = ui.screenshot().await.expect("screenshot");
            std::fs::write(w.shots.folder().join(format!("{name}.png")), png).unwrap();
        }
    }
    ui.resize(NARROW).await;
    ui.goto(&format!("/manage/stops/{stop}")).await;
    ui.fill(
        "form[action$='/desk-helpers'] input[name=email]",
        "desk@example.org",
    )
    .await;
    ui.fill(
        "form[action$='/desk-helpers'] input[name=name]",
        "Desk Helper",
    )
    .await;
    ui.click("form[action$='/desk-helpers'] button[type=submit]")
        .await;
    ui.wait(".flash").await;
    ui.close().await;
    app.drain().await;
    let desk = link_to(&app, "desk@example.org", "/desk/enter/");
    w.values.insert(tail(&desk));
    let helper = Ui::open(&driver, &app.address, NARROW).await;
    w.enter(&helper, &desk, "/desk/").await;
    helper.close().await;

    assert!(
        w.wide.is_empty(),
        "pages wider than a 360 px phone: {:#?}",
        w.wide
    );
    assert!(
        w.inaccessible.is_empty(),
        "serious or critical accessibility problems (axe-core): {:#?}",
        w.inaccessible
    );
    let not_pages: BTreeSet<&str> = NOT_PAGES.iter().map(|(p, _)| *p).collect();
    let missing: Vec<String> = registered_routes()
        .into_iter()
        .filter(|(method, path)| method == "GET" && !path.starts_with("/api/"))
        .map(|(_, path)| path)
        .filter(|p| !w.seen.contains(p) && !not_pages.contains(p.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "page kinds nobody opened at 360 px (open them here, or list them in NOT_PAGES with why): {missing:#?}"
    );
}
