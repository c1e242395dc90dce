//! A stop's whole life as its people live it, against the real binary with a clock the test
//! runs ahead: announcement, registrations (some through the waitlist), a cancellation, a
//! bulk message, "still coming?", a venue switch, reminders, the day itself with check-ins,
//! done, materials, the report. After every step every link of every e-mail sent so far is
//! opened again, as its recipient would (their language, no session unless they are an
//! organizer), and must still lead somewhere that works, in their language; and everyone who
//! had to be told something was told exactly once (the outbox, per address and kind).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::binary::Server;
use crate::both_backends;
use crate::browser::{ChromeDriver, DESKTOP, NARROW, Shots, Ui};
use crate::helpers::*;

const EN: &str = "en";
const ZH: &str = "zh-CN";

/// The binary, its clock, and what the test expects its people to have been told.
struct Life {
    app: TestApp,
    server: Server,
    clock: PathBuf,
    _clock_dir: tempfile::TempDir,
    token: String,
    /// Each person's language, as their browser says it.
    langs: HashMap<String, &'static str>,
    /// (address, kind of e-mail) → how many they must have received by now.
    expected: BTreeMap<(String, String), usize>,
    /// The organizer's signed-in browser (organizers' links lead to pages behind sign-in).
    organizer: Browser,
    organizer_email: String,
}

fn browser(base: &str, lang: &str) -> Browser {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::ACCEPT_LANGUAGE, lang.parse().unwrap());
    Browser {
        client: reqwest::Client::builder()
            .cookie_store(true)
            .default_headers(headers)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        base: base.to_owned(),
    }
}

/// The links of a text that point at this server, without the punctuation around them.
fn links_in(text: &str, base: &str) -> Vec<String> {
    let mut out = vec![];
    let mut rest = text;
    while let Some(at) = rest.find(base) {
        let tail = &rest[at..];
        let end = tail
            .find(|c: char| !(c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'*+,;=%".contains(c)))
            .unwrap_or(tail.len());
        let link = tail[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ']']);
        out.push(link.to_owned());
        rest = &tail[end..];
    }
    out
}

/// Links that sign someone in or confirm something once: used or expired, they answer with
/// a page that says so and e-mails a fresh one.
fn is_one_time(path: &str) -> bool {
    [
        "/enter/",
        "/accept/",
        "/proposals/confirm/",
        "/login/",
        "/reset/",
        "/invite/",
    ]
    .iter()
    .any(|p| path.contains(p))
}

impl Life {
    async fn start(app: TestApp) -> Life {
        let clock_dir = tempfile::tempdir().unwrap();
        let clock = clock_dir.path().join("clock");
        std::fs::write(&clock, "0").unwrap();
        let database_url = app.state.settings.database_url();
        // The app's own data folder: the same session key, so an organizer signed in here is
        // signed in there, and its mail folder (the in-process app sends nothing).
        let server = Server::start_with(
            &database_url,
            &app.data_path,
            None,
            &[
                ("ROADSHOW_TEST_CLOCK_FILE", clock.to_str().unwrap()),
                ("ROADSHOW_SCHEDULE_EVERY_MS", "100"),
            ],
        )
        .await;
        let hui = app.organizer("hui@example.org").await;
        let organizer = browser(&server.base, EN);
        let csrf = organizer.csrf_of("/login").await;
        let res = organizer
            .post_form(
                "/login",
                &[
                    ("_csrf", csrf.as_str()),
                    ("email", "hui@example.org"),
                    ("password", PASSWORD),
                    ("next", "/manage"),
                ],
            )
            .await;
        assert_eq!(res.status(), 303, "the organizer signs in");
        let mut langs = HashMap::new();
        langs.insert(hui.email.clone(), EN);
        Life {
            app,
            server,
            clock,
            _clock_dir: clock_dir,
            token: hui.token.clone(),
            langs,
            expected: BTreeMap::new(),
            organizer,
            organizer_email: hui.email,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.server.base, path)
    }

    async fn api(&self, method: &str, path: &str, body: Value) -> (u16, Value) {
        let req = match method {
            "POST" => self.app.api.post(self.url(path)),
            "PATCH" => self.app.api.patch(self.url(path)),
            "PUT" => self.app.api.put(self.url(path)),
            _ => self.app.api.get(self.url(path)),
        };
        json(
            req.bearer_auth(&self.token)
                .json(&body)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    async fn api_ok(&self, method: &str, path: &str, body: Value) -> Value {
        let (status, v) = self.api(method, path, body).await;
        assert!(
            (200..300).contains(&status),
            "{method} {path}: {status} {v}"
        );
        v
    }

    /// The clock runs ahead to `days` (and `hours`) after the start of the test.
    async fn at(&self, days: i64, hours: i64) {
        let seconds = (days * 24 + hours) * 3600;
        std::fs::write(&self.clock, seconds.to_string()).unwrap();
        // The binary reads the file every 20 ms and runs its schedule every 100 ms.
        actix_web::rt::time::sleep(Duration::from_millis(400)).await;
        self.settle().await;
    }

    /// Waits until the outbox holds nothing unsent and has stopped growing.
    async fn settle(&self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut last = usize::MAX;
        let mut calm = 0;
        loop {
            let rows = self.outbox().await;
            let unsent = rows.iter().filter(|m| m.status.as_str() != "sent").count();
            if unsent == 0 && rows.len() == last {
                calm += 1;
                if calm >= 3 {
                    return;
                }
            } else {
                calm = 0;
            }
            last = rows.len();
            assert!(Instant::now() < deadline, "the outbox did not settle");
            actix_web::rt::time::sleep(Duration::from_millis(150)).await;
        }
    }

    async fn outbox(&self) -> Vec<roadshow::models::outbox::OutboxMessage> {
        self.app
            .db(|conn| {
                roadshow::models::outbox::OutboxMessage::list(conn, None, None, 10_000).unwrap()
            })
            .await
    }

    /// These people must have been told this once more.
    fn told(&mut self, kind: &str, who: &[&str]) {
        for w in who {
            *self
                .expected
                .entry((w.to_string(), kind.to_owned()))
                .or_default() += 1;
        }
    }

    /// A person registers as the public does, in their language.
    async fn register(&mut self, stop: &str, name: &str, email: &str, lang: &'static str) -> Value {
        self.langs.insert(email.to_owned(), lang);
        let (status, body) = json(
            self.app
                .api
                .post(self.url(&format!("/api/v1/stops/{stop}/registrations")))
                .header("accept-language", lang)
                .json(&json!({"name": name, "email": email}))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, 201, "{email}: {body}");
        body
    }

    /// The newest e-mail of this kind to this address.
    async fn mail(&self, to: &str, kind: &str) -> roadshow::models::outbox::OutboxMessage {
        self.outbox()
            .await
            .into_iter()
            .filter(|m| m.to_email == to && m.kind == kind)
            .max_by_key(|m| m.created_at)
            .unwrap_or_else(|| panic!("no {kind} e-mail to {to}"))
    }

    /// Opens a mailed link's page and presses its one button (the person clicks).
    async fn press(&self, b: &Browser, link: &str, expect: u16) -> reqwest::Response {
        let path = link.trim_start_matches(&self.server.base).to_owned();
        let (status, page) = b.page(&path).await;
        assert_eq!(status, 200, "GET {path}");
        let form = attr(&page, "main form", "action").unwrap_or_else(|| path.clone());
        let csrf = attr(&page, "main form input[name=_csrf]", "value").unwrap();
        let res = b.post_form(&form, &[("_csrf", &csrf)]).await;
        assert_eq!(res.status(), expect, "POST {form}");
        res
    }

    /// Every person was told what they had to be, exactly once, and every link of every
    /// e-mail so far still works for them.
    async fn check(&self, step: &str) {
        self.settle().await;
        let rows = self.outbox().await;
        let mut actual: BTreeMap<(String, String), usize> = BTreeMap::new();
        for m in &rows {
            *actual
                .entry((m.to_email.clone(), m.kind.clone()))
                .or_default() += 1;
        }
        let keys: std::collections::BTreeSet<_> =
            actual.keys().chain(self.expected.keys()).collect();
        let wrong: Vec<String> = keys
            .into_iter()
            .filter(|k| actual.get(k) != self.expected.get(k))
            .map(|k| {
                format!(
                    "{} {}: sent {}, expected {}",
                    k.0,
                    k.1,
                    actual.get(k).unwrap_or(&0),
                    self.expected.get(k).unwrap_or(&0)
                )
            })
            .collect();
        assert!(
            wrong.is_empty(),
            "after {step}, who was told what:\n{}",
            wrong.join("\n")
        );
        let mut seen = HashSet::new();
        for m in &rows {
            let lang = *self
                .langs
                .get(&m.to_email)
                .unwrap_or_else(|| panic!("whose language is {}?", m.to_email));
            for link in links_in(&m.body_text, &self.server.base) {
                if seen.insert((link.clone(), m.to_email.clone())) {
                    self.open(step, &m.kind, &m.to_email, lang, &link).await;
                }
            }
        }
    }

    /// One link, as its recipient opens it days later.
    async fn open(&self, step: &str, kind: &str, to: &str, lang: &str, link: &str) {
        let b = if to == self.organizer_email {
            // Organizers' links lead behind their sign-in.
            Browser {
                client: self.organizer.client.clone(),
                base: self.server.base.clone(),
            }
        } else {
            browser(&self.server.base, lang)
        };
        let mut path = link.trim_start_matches(&self.server.base).to_owned();
        let mut res = b.get(&path).await;
        for _ in 0..3 {
            if !res.status().is_redirection() {
                break;
            }
            path = res.headers()["location"].to_str().unwrap().to_owned();
            res = b.get(&path).await;
        }
        let status = res.status().as_u16();
        let kind_of = res
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let body = res.text().await.unwrap();
        let why = format!("after {step}: the {kind} e-mail to {to}: {link} → {status} {path}");
        if kind_of.starts_with("text/calendar") {
            assert_eq!(status, 200, "{why}");
            assert!(body.starts_with("BEGIN:VCALENDAR"), "{why}");
            return;
        }
        let page = scraper::Html::parse_document(&body);
        let page_lang = attr(&page, "html", "lang").unwrap_or_default();
        if status == 404 && is_one_time(link) {
            // Used or expired: the page says so and sends a fresh link.
            assert!(
                attr(&page, "form.spent", "action").is_some(),
                "{why}: a spent link offers a fresh one"
            );
        } else {
            assert_eq!(status, 200, "{why}");
        }
        let wanted = if lang == ZH { "zh-CN" } else { "en" };
        assert_eq!(
            page_lang, wanted,
            "{why}: the page is in the recipient's language"
        );
    }
}

both_backends! {
    async fn a_tour_lives_from_announcement_to_report_and_every_link_keeps_working(app: TestApp) {
        let mut life = Life::start(app).await;
        let hui = life.organizer_email.clone();

        // ----- Announcement: a tour of two stops; Beijing in a small room with a bigger backup.
        let tour = life.api_ok("POST", "/api/v1/tours", json!({"name": "OpenStack China Tour", "contact_email": "tour@example.org"})).await;
        let tour_id = tour["id"].as_str().unwrap().to_owned();
        let small = life.api_ok("POST", "/api/v1/venues", json!({"name": "Small room", "city": "北京", "address": "1 Zhongguancun St", "capacity": 4})).await;
        let big = life.api_ok("POST", "/api/v1/venues", json!({"name": "Big hall", "city": "北京", "address": "9 Haidian Rd", "capacity": 6})).await;
        let hall = life.api_ok("POST", "/api/v1/venues", json!({"name": "Shanghai hall", "city": "上海", "address": "2 Nanjing Rd", "capacity": 50})).await;
        let start = chrono::Utc::now() + chrono::Duration::days(10);
        let stop = |city: &str, venue: &Value, days: i64| {
            let s = start + chrono::Duration::days(days);
            json!({"city": city, "starts_at": s.to_rfc3339(), "ends_at": (s + chrono::Duration::hours(4)).to_rfc3339(),
                   "timezone": "Asia/Shanghai", "venue_id": venue["id"], "show_rate": 1.0, "status": "open"})
        };
        let a = life.api_ok("POST", &format!("/api/v1/tours/{tour_id}/stops"), stop("北京", &small, 0)).await;
        let a_id = a["id"].as_str().unwrap().to_owned();
        let b = life.api_ok("POST", &format!("/api/v1/tours/{tour_id}/stops"), stop("上海", &hall, 2)).await;
        let b_id = b["id"].as_str().unwrap().to_owned();
        life.api_ok("PUT", &format!("/api/v1/stops/{a_id}/backups"), json!({"venue_ids": [big["id"]]})).await;
        life.api_ok("PATCH", &format!("/api/v1/tours/{tour_id}"), json!({"status": "published"})).await;
        let stats = life.api_ok("GET", &format!("/api/v1/stops/{a_id}/stats"), json!({})).await;
        assert_eq!(stats["registration_target"], 4, "4 seats, everyone comes: {stats}");

        // A speaker named on Beijing's agenda is asked, and accepts on her page.
        let sue = life.api_ok("POST", "/api/v1/speakers", json!({"name": "Sue Chen", "email": "sue@example.org"})).await;
        life.langs.insert("sue@example.org".into(), EN);
        let talk = life.api_ok("POST", "/api/v1/talks", json!({"title": "Cinder in production", "duration_minutes": 30, "speaker_ids": [sue["id"]]})).await;
        let item = life.api_ok("POST", &format!("/api/v1/stops/{a_id}/agenda"), json!({"talk_id": talk["id"], "starts_at": a["starts_at"]})).await;
        life.api_ok("POST", &format!("/api/v1/stops/{a_id}/agenda/publish"), json!({})).await;
        life.told("talk_invitation", &["sue@example.org"]);
        life.check("the speaker was asked").await;
        let speaker = browser(&life.server.base, EN);
        let asked = life.mail("sue@example.org", "talk_invitation").await;
        let enter = links_in(&asked.body_text, &life.server.base).into_iter().find(|l| l.contains("/speaker/enter/")).expect("a sign-in link");
        life.press(&speaker, &enter, 303).await;
        let (_, own) = speaker.page("/speaker").await;
        let csrf = attr(&own, "input[name=_csrf]", "value").unwrap();
        let tid = talk["id"].as_str().unwrap();
        assert_eq!(speaker.post_form(&format!("/speaker/talks/{tid}/accept"), &[("_csrf", &csrf)]).await.status(), 303);
        let item_id = item["id"].as_str().unwrap().to_owned();
        assert_eq!(speaker.post_form(&format!("/speaker/slots/{item_id}/confirm"), &[("_csrf", &csrf)]).await.status(), 303);

        // A volunteer takes the photos.
        let task = life.api_ok("POST", &format!("/api/v1/stops/{a_id}/tasks"), json!({"kind": "photos", "title": "Photos", "slots": 1})).await;
        life.langs.insert("vic@example.org".into(), ZH);
        let (status, claim) = json(life.app.api.post(life.url(&format!("/api/v1/tasks/{}/claims", task["id"].as_str().unwrap()))).header("accept-language", ZH).json(&json!({"name": "小维", "email": "vic@example.org"})).send().await.unwrap()).await;
        assert_eq!(status, 201, "{claim}");
        life.told("claim_confirmed", &["vic@example.org"]);
        life.check("the volunteer's claim").await;

        // ----- Registrations: four places, then the waitlist; Ann goes to Shanghai too.
        let people = [("Ann", "ann@example.org", EN), ("薄", "bo@example.org", ZH), ("Cy", "cy@example.org", EN), ("狄", "di@example.org", ZH),
                      ("Ed", "ed@example.org", EN), ("费", "fay@example.org", ZH), ("Gil", "gil@example.org", EN), ("韩", "hal@example.org", ZH)];
        for (name, email, lang) in people {
            life.register(&a_id, name, email, lang).await;
        }
        life.told("registration_confirmed", &["ann@example.org", "bo@example.org", "cy@example.org", "di@example.org"]);
        life.told("registration_waitlisted", &["ed@example.org", "fay@example.org", "gil@example.org", "hal@example.org"]);
        life.register(&b_id, "Ann", "ann@example.org", EN).await;
        life.register(&b_id, "顾", "gu@example.org", ZH).await;
        life.told("registration_confirmed", &["ann@example.org", "gu@example.org"]);
        life.check("the registrations").await;

        // Cy cancels from the link of her confirmation: Ed moves up from the waitlist.
        let cy = browser(&life.server.base, EN);
        let confirmation = life.mail("cy@example.org", "registration_confirmed").await;
        let manage = links_in(&confirmation.body_text, &life.server.base).into_iter().find(|l| l.contains("/r/")).unwrap();
        let manage_path = manage.trim_start_matches(&life.server.base).to_owned();
        let csrf = cy.csrf_of(&manage_path).await;
        assert_eq!(cy.post_form(&format!("{}/cancel", manage_path.trim_end_matches('/')), &[("_csrf", &csrf)]).await.status(), 303);
        life.told("registration_cancelled", &["cy@example.org"]);
        life.told("registration_promoted", &["ed@example.org"]);
        life.check("a cancellation").await;

        // ----- Day 2: a message to Beijing's confirmed people, with their own links.
        life.at(2, 0).await;
        life.api_ok("POST", &format!("/api/v1/tours/{tour_id}/messages"), json!({"stop_id": a_id, "segment": "confirmed",
            "subject": "See you in {city}, {name}", "body": "Hello {name}, your registration: {manage_link}"})).await;
        life.told("bulk", &["ann@example.org", "bo@example.org", "di@example.org", "ed@example.org"]);
        life.check("a bulk message").await;

        // ----- Day 7: "still coming?" (three days before), and a week before, nothing for a
        // speaker who confirmed her slot. Bo says no from his e-mail: Fay moves up.
        life.at(7, 1).await;
        life.told("still_coming", &["ann@example.org", "bo@example.org", "di@example.org", "ed@example.org"]);
        life.check("the still-coming question").await;
        let bo = browser(&life.server.base, ZH);
        let question = life.mail("bo@example.org", "still_coming").await;
        let no = links_in(&question.body_text, &life.server.base).into_iter().find(|l| l.contains("/coming/no")).expect("a 'no' link");
        life.press(&bo, &no, 303).await;
        life.told("registration_cancelled", &["bo@example.org"]);
        life.told("registration_promoted", &["fay@example.org"]);
        life.check("a 'not coming'").await;

        // ----- The venue falls through: the bigger backup takes over and the waitlist moves up.
        life.api_ok("POST", &format!("/api/v1/stops/{a_id}/switch-venue"), json!({"venue_id": big["id"], "reason": "The small room floods"})).await;
        life.told("venue_switch", &["ann@example.org", "di@example.org", "ed@example.org", "fay@example.org", "gil@example.org", "hal@example.org", "sue@example.org", "vic@example.org"]);
        life.told("registration_promoted", &["gil@example.org", "hal@example.org"]);
        life.check("the venue switch").await;

        // ----- Beijing moves three hours later, through the edit form, which asks first.
        let confirmed = ["ann@example.org", "di@example.org", "ed@example.org", "fay@example.org", "gil@example.org", "hal@example.org"];
        let edit = format!("/manage/stops/{a_id}/edit");
        let mut fields = crate::lifecycle::edit_fields(&life.organizer, &a_id).await;
        let later = |local: &str| {
            let t = chrono::NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M").unwrap();
            (t + chrono::Duration::hours(3)).format("%Y-%m-%dT%H:%M").to_string()
        };
        for name in ["starts_at", "ends_at"] {
            let value = later(&fields.iter().find(|(n, _)| n == name).unwrap().1);
            crate::lifecycle::set(&mut fields, name, &value);
        }
        let form: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let res = life.organizer.post_form(&edit, &form).await;
        assert_eq!(res.status(), 200, "the form asks first");
        let page = scraper::Html::parse_document(&res.text().await.unwrap());
        let notice = select_text(&page, ".notice").join(" ");
        assert!(notice.contains("8 people"), "six attendees, the speaker, the volunteer: {notice}");
        fields.push(("confirm_times".into(), attr(&page, "input[name=confirm_times]", "value").unwrap()));
        fields.push(("message".into(), "The hall is ours from the afternoon.".into()));
        let form: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        assert_eq!(life.organizer.post_form(&edit, &form).await.status(), 303);
        life.told("stop_moved", &confirmed);
        life.told("stop_moved", &["sue@example.org", "vic@example.org"]);
        life.check("the new time").await;

        // ----- Reminders follow the new time: two days before it.
        life.at(8, 4).await;
        life.told("reminder", &confirmed);
        life.check("the first reminder").await;

        // ----- Shanghai is cancelled, in the real browser: the organizer is asked first, then
        // Ann and Gu are told (and nothing more is sent about Shanghai).
        let driver = ChromeDriver::start();
        let mut shots = Shots::in_folder(&format!("lifetime-{:?}", life.app.backend()).to_lowercase());
        let cancel = format!("/manage/stops/{b_id}/status/cancelled");
        if let Some(driver) = &driver {
            let ui = Ui::open(driver, &life.server.base, DESKTOP).await;
            ui.goto("/login").await;
            ui.fill("#f-email", &hui).await;
            ui.fill("#f-password", PASSWORD).await;
            ui.click("form[action='/login'] button[type=submit]").await;
            ui.wait_path(|p| p == "/manage").await;
            ui.goto(&format!("/manage/stops/{b_id}")).await;
            ui.click(&format!("main a[href='{cancel}']")).await;
            ui.wait_path(|p| p == cancel).await;
            let notice = ui.text(".notice").await;
            assert!(notice.contains("2 people"), "{notice}");
            ui.fill("#f-message", "The Shanghai hall burned down; see you in Beijing.").await;
            shots.take(&ui, "organizer", "cancel-shanghai-asks").await;
            ui.resize(NARROW).await;
            shots.take(&ui, "organizer", "cancel-shanghai-asks-360px").await;
            ui.click("button[name=action][value=confirm]").await;
            ui.wait_path(|p| p == format!("/manage/stops/{b_id}")).await;
            ui.wait_text(".flash", "2").await;
            shots.take(&ui, "organizer", "shanghai-cancelled-360px").await;
            ui.resize(DESKTOP).await;
            shots.take(&ui, "organizer", "shanghai-cancelled").await;
            ui.close().await;
        } else {
            let csrf = life.organizer.csrf_of(&cancel).await;
            let res = life.organizer.post_form(&cancel, &[("_csrf", &csrf), ("action", "confirm"), ("message", "The Shanghai hall burned down; see you in Beijing.")]).await;
            assert_eq!(res.status(), 303);
        }
        life.told("stop_cancelled", &["ann@example.org", "gu@example.org"]);
        life.check("Shanghai's cancellation").await;
        if let Some(driver) = &driver {
            // Gu opens his ticket from his confirmation, on his phone: it says cancelled.
            let gu = Ui::open_in(driver, &life.server.base, NARROW, ZH).await;
            let first = life.mail("gu@example.org", "registration_confirmed").await;
            let link = links_in(&first.body_text, &life.server.base).into_iter().find(|l| l.contains("/r/")).unwrap();
            gu.goto_url(&link).await;
            let page = gu.text("main").await;
            assert!(page.contains("取消") && page.contains("The Shanghai hall burned down"), "{page}");
            shots.take(&gu, "attendee", "ticket-of-a-cancelled-stop").await;
            gu.close().await;
        }
        let (status, _) = json(life.app.api.post(life.url(&format!("/api/v1/stops/{b_id}/registrations"))).json(&json!({"name": "Late", "email": "late@example.org"})).send().await.unwrap()).await;
        assert_eq!(status, 409, "a cancelled stop takes no registrations");

        // ----- Three hours before, with the volunteer's (a day before).
        life.at(10, 1).await;
        life.told("reminder", &confirmed);
        life.told("volunteer_reminder", &["vic@example.org"]);
        life.check("the second reminder").await;

        // ----- The day: four come in; then the stop is done and the materials are asked for.
        life.at(10, 4).await;
        for who in ["ann@example.org", "di@example.org", "ed@example.org", "gil@example.org"] {
            let code = ticket_code(&life, &a_id, who).await;
            life.api_ok("POST", &format!("/api/v1/stops/{a_id}/checkins"), json!({"code": code})).await;
        }
        life.check("the check-ins").await;
        life.at(10, 8).await;
        life.api_ok("PATCH", &format!("/api/v1/stops/{a_id}"), json!({"status": "done"})).await;
        life.settle().await;
        let asked: Vec<(String, String)> = life.outbox().await.into_iter().filter(|m| m.kind == "material_request").map(|m| (m.to_email, m.subject)).collect();
        assert!(asked.iter().any(|(to, _)| to == "sue@example.org"), "the speaker is asked for her slides: {asked:?}");
        assert!(asked.iter().any(|(to, _)| to == "vic@example.org"), "the volunteer for the photos: {asked:?}");
        for (to, _) in &asked {
            life.told("material_request", &[to.as_str()]);
        }
        life.check("done").await;

        // Sue hands in her slides from the request's link.
        let request = life.mail("sue@example.org", "material_request").await;
        let enter = links_in(&request.body_text, &life.server.base).into_iter().find(|l| l.contains("/speaker/enter/")).expect("a sign-in link");
        let sue_b = browser(&life.server.base, EN);
        life.press(&sue_b, &enter, 303).await;
        let (_, own) = sue_b.page("/speaker").await;
        let csrf = attr(&own, "input[name=_csrf]", "value").unwrap();
        let form = reqwest::multipart::Form::new().text("_csrf", csrf).part("file", reqwest::multipart::Part::bytes(b"%PDF-1.4\n%%EOF\n".to_vec()).file_name("cinder.pdf"));
        let res = sue_b.client.post(life.url(&format!("/speaker/slots/{item_id}/slides"))).multipart(form).send().await.unwrap();
        assert_eq!(res.status(), 303);
        life.check("the slides").await;

        // ----- The report: Beijing's four in the room, published for all.
        life.api_ok("POST", &format!("/api/v1/tours/{tour_id}/report/publish"), json!({"published": true})).await;
        let report = life.api_ok("GET", &format!("/api/v1/tours/{tour_id}/report"), json!({})).await;
        assert_eq!(report["stops"].as_array().unwrap().len(), 2, "{report}");
        assert_eq!(report["stops"][1]["status"], "cancelled", "Shanghai keeps its row");
        assert_eq!(report["stops"][1]["registrations"], 2);
        assert_eq!(report["totals"]["stops"], 1, "held: Beijing alone");
        assert_eq!(report["totals"]["attendance"], 4);
        assert_eq!(report["totals"]["confirmed"], 6);
        let (status, page) = browser(&life.server.base, EN).page(&format!("/tours/{}/report", tour["slug"].as_str().unwrap())).await;
        assert_eq!(status, 200);
        assert!(!page.html().contains("@example.org"), "no address in the public report");

        // A month later, every link still works.
        // Meanwhile what is still missing was asked for again (1, 3 and 7 days after the first
        // request): the photos of the volunteer, the report and the video of the organizers;
        // nothing more of Sue, who handed hers in.
        life.at(40, 0).await;
        for _ in 0..3 {
            life.told("material_request", &["vic@example.org", &hui]);
        }
        // Shanghai was cancelled: nothing is asked for it.
        life.check("a month later").await;

        // In the real browser on a phone, in Chinese: Di opens her first e-mail's link again.
        if let Some(driver) = &driver {
            let di = Ui::open_in(driver, &life.server.base, NARROW, ZH).await;
            let first = life.mail("di@example.org", "registration_confirmed").await;
            let link = links_in(&first.body_text, &life.server.base).into_iter().find(|l| l.contains("/r/")).unwrap();
            di.goto_url(&link).await;
            di.wait("main").await;
            let page = di.text("main").await;
            assert!(page.contains("狄") && page.contains("北京"), "{page}");
            shots.take(&di, "attendee", "first-link-a-month-later").await;
            di.close().await;
        }
    }
}

/// A person's ticket code (on their ticket page and in their e-mails).
async fn ticket_code(life: &Life, stop: &str, who: &str) -> String {
    let rows = life
        .app
        .db({
            let (stop, who) = (stop.to_owned(), who.to_owned());
            move |conn| {
                use diesel::prelude::*;
                use roadshow::db::schema::registrations;
                registrations::table
                    .filter(registrations::stop_id.eq(stop))
                    .filter(registrations::email.eq(who))
                    .filter(registrations::status.eq("confirmed"))
                    .select(registrations::code)
                    .load::<String>(conn)
                    .unwrap()
            }
        })
        .await;
    rows.into_iter().next().expect("a confirmed registration")
}
