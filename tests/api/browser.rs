//! Real-browser tests: headless Chromium, driven through chromedriver (WebDriver), clicks and
//! types its way through the pages of the real app. Skipped with a note when chromedriver is
//! not installed, unless ROADSHOW_TEST_REQUIRE_BROWSER=1 (as in CI, `.ci/run`). chromedriver
//! and chromium are looked up in PATH; ROADSHOW_TEST_CHROMEDRIVER and ROADSHOW_TEST_CHROMIUM
//! name other binaries.
//!
//! Every step leaves a screenshot under `target/tmp/screenshots/<flow>-<nn>-<step>.png`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::error::CmdError;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use crate::helpers::*;

/// How long to wait for a page or an element; generous, for a busy machine.
const WAIT: Duration = Duration::from_secs(20);
pub(crate) const DESKTOP: (u32, u32) = (1280, 900);
pub(crate) const PHONE: (u32, u32) = (390, 844);
/// The narrowest phone we promise pages for.
pub(crate) const NARROW: (u32, u32) = (360, 780);

/// An organizer plans a stop, an attendee registers and cancels (and another one registers),
/// the organizer checks that one in at the desk on a phone, then moves the stop to its backup.
#[actix_web::test]
async fn organizer_attendee_desk_and_venue_switch_in_a_real_browser() {
    let Some(driver) = ChromeDriver::start() else {
        return;
    };
    let started = Instant::now();
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    app.organizer("hui@example.org").await;
    let mut shots = Shots::new();

    let organizer = Ui::open(&driver, &app.address, DESKTOP).await;
    let attendee = Ui::open(&driver, &app.address, PHONE).await;

    // The stop: in the future, so that it takes registrations.
    let day = (chrono::Utc::now() + chrono::Duration::days(60)).date_naive();
    let stop = plan_a_stop(&organizer, &mut shots, day).await;
    register_and_cancel(&app, &attendee, &mut shots, &stop).await;
    let code = register(&attendee, &mut shots, &stop, "Rongze Zhu", "rz@example.org").await;
    check_in_at_the_desk(&organizer, &mut shots, &stop, &code).await;
    switch_venue(&app, &organizer, &attendee, &mut shots, &stop).await;

    organizer.close().await;
    attendee.close().await;
    eprintln!(
        "browser flows took {:.1}s; screenshots in {}",
        started.elapsed().as_secs_f64(),
        Shots::dir().display()
    );
}

struct PlannedStop {
    id: String,
    venue: &'static str,
    backup: &'static str,
    backup_id: String,
}

/// a. Sign in, add a venue and a backup, a tour and a stop; open registration and publish.
async fn plan_a_stop(ui: &Ui, shots: &mut Shots, day: chrono::NaiveDate) -> PlannedStop {
    const FLOW: &str = "organizer";
    ui.goto("/login").await;
    ui.wait("form[action='/login']").await;
    shots.take(ui, FLOW, "login").await;
    ui.fill("#f-email", "hui@example.org").await;
    ui.fill("#f-password", PASSWORD).await;
    ui.click("form[action='/login'] button[type=submit]").await;
    ui.wait_path(|p| p == "/manage").await;
    ui.wait_text("h1", "Your tours").await;
    shots.take(ui, FLOW, "dashboard").await;

    // Two venues from the library: the planned one and its backup.
    let venue = "Sina Building";
    let backup = "Tsinghua FIT Building";
    let mut venue_ids = Vec::new();
    for (name, capacity, kind) in [
        (venue, "100", "company_office"),
        (backup, "60", "university"),
    ] {
        ui.click("header.site a[href='/manage/venues']").await;
        ui.wait_path(|p| p == "/manage/venues").await;
        ui.click("main a[href='/manage/venues/new']").await;
        ui.wait("#f-capacity").await;
        ui.fill("#f-name", name).await;
        ui.fill("#f-city", "Beijing").await;
        ui.fill("#f-address", &format!("1 {name} Road, Haidian"))
            .await;
        ui.fill("#f-directions", "Take the lift to the 3rd floor.")
            .await;
        ui.fill("#f-capacity", capacity).await;
        ui.choose("#f-kind", kind).await;
        ui.choose("#f-cost", "free").await;
        shots.take(ui, FLOW, &format!("new-venue-{kind}")).await;
        ui.click("main form button[type=submit]").await;
        let path = ui.wait_path(|p| is_page_of(p, "/manage/venues/")).await;
        ui.wait_text("h1", name).await;
        ui.wait_text(".flash.success", "Venue added").await;
        venue_ids.push(last_segment(&path));
    }
    shots.take(ui, FLOW, "backup-venue").await;

    // The tour.
    ui.click("header.site a[href='/manage']").await;
    ui.click("main a[href='/manage/tours/new']").await;
    ui.wait("#f-slug").await;
    ui.fill("#f-name", "OpenStack China Tour").await;
    ui.fill("#f-slug", "osct").await;
    ui.fill("#f-description", "Eight cities, one *community*.")
        .await;
    ui.fill("#f-contact_email", "team@example.org").await;
    shots.take(ui, FLOW, "new-tour").await;
    ui.click("main form button[type=submit]").await;
    let tour_path = ui.wait_path(|p| is_page_of(p, "/manage/tours/")).await;
    ui.wait_text("h1", "OpenStack China Tour").await;
    ui.wait_text(".flash.success", "Tour created").await;
    shots.take(ui, FLOW, "tour").await;

    // The stop, in the planned venue with the backup.
    ui.click(&format!("main a[href='{tour_path}/stops/new']"))
        .await;
    ui.wait("#f-starts_at").await;
    ui.fill("#f-city", "Beijing").await;
    ui.choose("#f-timezone", "Asia/Shanghai").await;
    ui.type_datetime("#f-starts_at", day, "0130PM", "13:30")
        .await;
    ui.type_datetime("#f-ends_at", day, "0530PM", "17:30").await;
    ui.choose("#f-venue_id", &venue_ids[0]).await;
    ui.choose("#f-backup_1", &venue_ids[1]).await;
    shots.take(ui, FLOW, "new-stop").await;
    ui.click("main form button[type=submit]").await;
    let stop_path = ui.wait_path(|p| is_page_of(p, "/manage/stops/")).await;
    ui.wait_text(".flash.success", "Stop created").await;
    assert_eq!(ui.texts("ol.backups li > a").await, vec![backup]);
    assert!(ui.text("dl.facts").await.contains(venue));
    shots.take(ui, FLOW, "stop").await;

    // Open registration, then publish the tour.
    ui.click("form[action$='/status/open'] button").await;
    ui.wait_text("h1 .badge.open", "Registration open").await;
    shots.take(ui, FLOW, "stop-open").await;
    ui.click("main p.crumbs a").await;
    ui.wait_path(|p| p == tour_path).await;
    ui.click("form[action$='/status/published'] button").await;
    ui.wait_text("h1 .badge.published", "Published").await;
    ui.wait("main a[href='/tours/osct']").await;
    shots.take(ui, FLOW, "tour-published").await;

    PlannedStop {
        id: last_segment(&stop_path),
        venue,
        backup,
        backup_id: venue_ids[1].clone(),
    }
}

/// b. From the home page to the stop, register, open the manage link of the e-mail, cancel.
async fn register_and_cancel(app: &TestApp, ui: &Ui, shots: &mut Shots, stop: &PlannedStop) {
    const FLOW: &str = "attendee";
    ui.goto("/").await;
    ui.click("main a[href='/tours/osct']").await;
    ui.wait_path(|p| p == "/tours/osct").await;
    shots.take(ui, FLOW, "tour").await;
    ui.click(&format!(".timeline a[href='/stops/{}']", stop.id))
        .await;
    ui.wait("#register form").await;
    assert!(ui.text("dl.facts").await.contains(stop.venue));
    assert_eq!(
        ui.text("#register > p.hint").await,
        "200 places left to register. After that, registrations go to the waitlist."
    );
    shots.take(ui, FLOW, "stop").await;

    ui.fill("#f-name", "Yejia Xu").await;
    ui.fill("#f-email", "yejia@example.org").await;
    ui.fill("#f-affiliation", "Sina").await;
    shots.take(ui, FLOW, "register-form").await;
    ui.click("#register button[type=submit]").await;
    let manage = ui.wait_path(|p| p.starts_with("/r/")).await;
    let code = ui.wait_text(".ticket .code", "").await;
    assert_eq!(code.len(), 6, "a ticket code: {code:?}");
    assert!(ui.texts(".badge").await.contains(&"Confirmed".to_owned()));
    shots.take(ui, FLOW, "ticket").await;

    // The confirmation e-mail links to the same page.
    app.drain().await;
    let mails = app.mails_to("yejia@example.org");
    let mail = mails
        .iter()
        .find(|m| m.subject.starts_with("You're in"))
        .unwrap_or_else(|| panic!("a confirmation e-mail: {mails:?}"));
    let link = mail.link("/r/");
    assert_eq!(link, app.url(&manage), "the manage link of the e-mail");
    ui.clear_cookies().await;
    ui.goto_url(&link).await;
    assert_eq!(ui.wait_text(".ticket .code", "").await, code);
    shots.take(ui, FLOW, "manage-link").await;

    // Cancelling asks first, saying what will happen.
    ui.click("details.confirm summary").await;
    assert!(
        ui.text("details.confirm[open]")
            .await
            .contains("next person on the waitlist")
    );
    shots.take(ui, FLOW, "cancel-asks").await;
    ui.click("form[action$='/cancel'] button").await;
    ui.wait_text(".flash.success", "Your registration is cancelled")
        .await;
    ui.wait_text("main > p .badge", "Cancelled").await;
    assert_eq!(
        ui.text("main .notice").await,
        "This registration is cancelled."
    );
    assert!(ui.find_all("form[action$='/cancel']").await.is_empty());
    assert_eq!(
        ui.text("a[href$='#register']").await,
        "Changed your mind? Register again"
    );
    shots.take(ui, FLOW, "cancelled").await;
}

/// Another attendee, in a fresh session, registers; returns the ticket's code.
async fn register(
    ui: &Ui,
    shots: &mut Shots,
    stop: &PlannedStop,
    name: &str,
    email: &str,
) -> String {
    const FLOW: &str = "attendee";
    ui.clear_cookies().await;
    ui.goto(&format!("/stops/{}", stop.id)).await;
    ui.wait("#register form").await;
    assert_eq!(
        ui.text("#register > p.hint").await,
        "200 places left to register. After that, registrations go to the waitlist."
    );
    ui.fill("#f-name", name).await;
    ui.fill("#f-email", email).await;
    ui.click("#register button[type=submit]").await;
    ui.wait_path(|p| p.starts_with("/r/")).await;
    let code = ui.wait_text(".ticket .code", "").await;
    assert!(ui.text("main").await.contains(name));
    shots.take(ui, FLOW, "second-ticket").await;
    code
}

/// c. The desk on a phone: type the code, see the person checked in.
async fn check_in_at_the_desk(ui: &Ui, shots: &mut Shots, stop: &PlannedStop, code: &str) {
    const FLOW: &str = "desk";
    ui.goto(&format!("/manage/stops/{}", stop.id)).await;
    ui.resize(PHONE).await;
    ui.wait_text("h1", "Beijing").await;
    shots.take(ui, FLOW, "stop-page").await;
    ui.click(&format!("main a[href='/desk/{}']", stop.id)).await;
    ui.wait("#code").await;
    ui.wait_text("main", "0 checked in of 1 confirmed.").await;
    shots.take(ui, FLOW, "desk").await;

    // People type what they read: lower case is fine.
    ui.fill("#code", &code.to_lowercase()).await;
    ui.click("form[action$='/checkin'] button[type=submit]")
        .await;
    let result = ui.wait_text(".result", "checked in").await;
    assert_eq!(
        result,
        format!("Welcome, Rongze Zhu! ({code}) is checked in.")
    );
    assert!(
        ui.text("main")
            .await
            .contains("1 checked in of 1 confirmed.")
    );
    shots.take(ui, FLOW, "checked-in").await;

    // The same code again says so.
    ui.fill("#code", code).await;
    ui.click("form[action$='/checkin'] button[type=submit]")
        .await;
    ui.wait_text(".result.error", "already").await;
    shots.take(ui, FLOW, "already").await;
    ui.resize(DESKTOP).await;
}

/// d. Move the stop to its backup: the public page shows the new place, people are told.
async fn switch_venue(
    app: &TestApp,
    organizer: &Ui,
    attendee: &Ui,
    shots: &mut Shots,
    stop: &PlannedStop,
) {
    const FLOW: &str = "switch";
    let ui = organizer;
    ui.goto(&format!("/manage/stops/{}", stop.id)).await;
    let form = "form[action$='/switch-venue']";
    ui.wait(form).await;
    ui.choose(&format!("{form} select[name=venue_id]"), &stop.backup_id)
        .await;
    ui.fill(
        &format!("{form} input[name=reason]"),
        "No air-conditioning at weekends",
    )
    .await;
    shots.take(ui, FLOW, "form").await;
    ui.click(&format!("{form} button[type=submit]")).await;
    // First what it will do (people, seats, the e-mail), then the confirmation.
    ui.wait("dl.switch-figures").await;
    shots.take(ui, FLOW, "preview").await;
    ui.click("button[value=confirm]").await;
    ui.wait_text(".flash.success", "The stop has moved").await;
    let facts = ui.text("dl.facts").await;
    assert!(facts.contains(stop.backup), "{facts}");
    assert!(
        ui.text("main")
            .await
            .contains("No air-conditioning at weekends"),
        "the switch is logged"
    );
    shots.take(ui, FLOW, "switched").await;

    // The public page (cached before the switch) shows the new venue.
    let ui = attendee;
    ui.clear_cookies().await;
    ui.goto(&format!("/stops/{}", stop.id)).await;
    ui.wait_text("dl.facts strong", stop.backup).await;
    assert!(!ui.text("dl.facts").await.contains(stop.venue));
    // The target follows the smaller room: 60 seats at a 50% show rate, one taken.
    assert_eq!(
        ui.text("#register > p.hint").await,
        "119 places left to register. After that, registrations go to the waitlist."
    );
    shots.take(ui, FLOW, "public-stop").await;

    app.drain().await;
    let told: Vec<_> = app
        .mails_to("rz@example.org")
        .into_iter()
        .filter(|m| m.subject.starts_with("New venue"))
        .collect();
    assert_eq!(told.len(), 1, "the registered attendee is told");
    assert!(told[0].subject.contains(stop.backup), "{}", told[0].subject);
}

fn is_page_of(path: &str, prefix: &str) -> bool {
    path.strip_prefix(prefix)
        .is_some_and(|rest| uuid::Uuid::parse_str(rest).is_ok())
}

fn last_segment(path: &str) -> String {
    path.rsplit('/').next().unwrap_or_default().to_owned()
}

/// chromedriver on a free port, in its own process group: the browsers it starts go with it.
pub(crate) struct ChromeDriver {
    child: Child,
    url: String,
    chromium: Option<PathBuf>,
}

impl ChromeDriver {
    /// None (after a note) when chromedriver is not installed and the browser tests are not
    /// required.
    pub(crate) fn start() -> Option<ChromeDriver> {
        let required = std::env::var("ROADSHOW_TEST_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
        let driver = std::env::var_os("ROADSHOW_TEST_CHROMEDRIVER")
            .map(PathBuf::from)
            .or_else(|| find_in_path("chromedriver"));
        let Some(driver) = driver else {
            if required {
                panic!(
                    "the browser tests are required (ROADSHOW_TEST_REQUIRE_BROWSER=1) but chromedriver is not installed"
                );
            }
            eprintln!(
                "skipping the browser tests: chromedriver is not installed (apt-get install chromium chromium-driver)"
            );
            return None;
        };
        let chromium = std::env::var_os("ROADSHOW_TEST_CHROMIUM")
            .map(PathBuf::from)
            .or_else(|| find_in_path("chromium"));
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = {
            use std::os::unix::process::CommandExt;
            Command::new(&driver)
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .process_group(0)
                .spawn()
                .unwrap_or_else(|e| panic!("start {}: {e}", driver.display()))
        };
        let driver = ChromeDriver {
            child,
            url: format!("http://127.0.0.1:{port}"),
            chromium,
        };
        let deadline = Instant::now() + WAIT;
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        Some(driver)
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        // The whole group: chromedriver and any browser a failed test left open.
        let group = format!("-{}", self.child.id());
        let killed = Command::new("kill")
            .args(["-KILL", "--", &group])
            .status()
            .is_ok_and(|s| s.success());
        if !killed {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

fn find_in_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// One browser session (its own profile, so its own cookies).
pub(crate) struct Ui {
    client: Client,
    base: String,
}

impl Ui {
    pub(crate) async fn open(driver: &ChromeDriver, base: &str, size: (u32, u32)) -> Ui {
        Ui::open_in(driver, base, size, "en-US").await
    }

    /// A browser whose person reads `lang` (`en-US`, `zh-CN`).
    pub(crate) async fn open_in(
        driver: &ChromeDriver,
        base: &str,
        (width, height): (u32, u32),
        lang: &str,
    ) -> Ui {
        let primary = lang.split('-').next().unwrap_or(lang);
        let mut options = json!({
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-extensions", "--hide-scrollbars", format!("--lang={lang}"),
                format!("--window-size={width},{height}"),
            ],
            "prefs": { "intl.accept_languages": format!("{lang},{primary}") },
        });
        if let Some(chromium) = &driver.chromium {
            options["binary"] = json!(chromium);
        }
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("chrome"));
        caps.insert("goog:chromeOptions".into(), options);
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(caps)
            .connect(&driver.url)
            .await
            .expect("a chromium session");
        let ui = Ui {
            client,
            base: base.to_owned(),
        };
        ui.resize((width, height)).await;
        ui
    }

    pub(crate) async fn close(self) {
        self.client.close().await.expect("close the session");
    }

    /// The page's own width: the window's inner size is set through the viewport.
    pub(crate) async fn resize(&self, (width, height): (u32, u32)) {
        // Chromium applies a new size a moment later now and then, and once in a while only
        // on a second asking: ask again until the page's viewport has it.
        let mut inner = json!(null);
        for _ in 0..20 {
            self.client
                .set_window_size(width, height)
                .await
                .expect("resize");
            inner = self
                .client
                .execute("return window.innerWidth", vec![])
                .await
                .expect("innerWidth");
            if inner == json!(width) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(inner, json!(width), "the viewport is {width} wide");
    }

    /// How wide the page is, and its window.
    pub(crate) async fn widths(&self) -> (Option<i64>, Option<i64>) {
        let widths = self
            .client
            .execute(
                "return [document.documentElement.scrollWidth, window.innerWidth]",
                vec![],
            )
            .await
            .expect("widths");
        (widths[0].as_i64(), widths[1].as_i64())
    }

    /// The page needs no sideways scrolling at the window's width.
    pub(crate) async fn assert_fits(&self) {
        let (page, window) = self.widths().await;
        assert!(
            page <= window,
            "{}: the page is {page:?} px wide in a {window:?} px window",
            self.describe().await
        );
    }

    pub(crate) async fn goto(&self, path: &str) {
        self.goto_url(&format!("{}{path}", self.base)).await
    }

    pub(crate) async fn goto_url(&self, url: &str) {
        self.client.goto(url).await.expect("navigate");
    }

    pub(crate) async fn clear_cookies(&self) {
        self.client
            .delete_all_cookies()
            .await
            .expect("clear cookies");
    }

    pub(crate) async fn path(&self) -> String {
        self.client
            .current_url()
            .await
            .expect("url")
            .path()
            .to_owned()
    }

    /// Waits for an element, failing with the page's address and text.
    pub(crate) async fn wait(&self, css: &str) -> Element {
        match self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
        {
            Ok(e) => e,
            Err(e) => panic!("no `{css}` ({e}) on {}", self.describe().await),
        }
    }

    /// Waits until the path of the page matches; returns it.
    pub(crate) async fn wait_path(&self, matches: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let path = self.path().await;
            if matches(&path) {
                return path;
            }
            if Instant::now() > deadline {
                panic!("still on {}", self.describe().await);
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Waits until the first `css` element's text contains `part`; returns the text.
    pub(crate) async fn wait_text(&self, css: &str, part: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Ok(e) = self.client.find(Locator::Css(css)).await
                && let Ok(text) = e.text().await
                && text.contains(part)
            {
                return text;
            }
            if Instant::now() > deadline {
                panic!("no `{css}` with {part:?} on {}", self.describe().await);
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    pub(crate) async fn describe(&self) -> String {
        let url = self
            .client
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default();
        let text = match self.client.find(Locator::Css("body")).await {
            Ok(body) => body.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        format!("{url}:\n{text}")
    }

    pub(crate) async fn find_all(&self, css: &str) -> Vec<Element> {
        self.client.find_all(Locator::Css(css)).await.expect("find")
    }

    /// How many of the elements `css` finds are shown (not `display: none`).
    pub(crate) async fn displayed(&self, css: &str) -> usize {
        let mut n = 0;
        for e in self.find_all(css).await {
            if e.is_displayed().await.expect("displayed") {
                n += 1;
            }
        }
        n
    }

    pub(crate) async fn text(&self, css: &str) -> String {
        self.wait(css).await.text().await.expect("text")
    }

    pub(crate) async fn texts(&self, css: &str) -> Vec<String> {
        let mut out = Vec::new();
        for e in self.find_all(css).await {
            out.push(e.text().await.expect("text"));
        }
        out
    }

    pub(crate) async fn click(&self, css: &str) {
        self.wait(css).await.click().await.expect("click");
    }

    /// Types into a field, replacing what it held.
    pub(crate) async fn fill(&self, css: &str, text: &str) {
        let field = self.wait(css).await;
        field.clear().await.expect("clear");
        field.send_keys(text).await.expect("type");
        assert_eq!(
            field.prop("value").await.expect("value").as_deref(),
            Some(text),
            "typed into {css}"
        );
    }

    pub(crate) async fn choose(&self, css: &str, value: &str) {
        self.wait(css)
            .await
            .select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("choose {value} in {css}: {e}"));
    }

    /// Types a date and time into a `datetime-local` field as a person does (month, day, year,
    /// then the time, in the en-US browser's order).
    pub(crate) async fn type_datetime(
        &self,
        css: &str,
        day: chrono::NaiveDate,
        time_keys: &str,
        time: &str,
    ) {
        let field = self.wait(css).await;
        field.click().await.expect("focus");
        let keys = format!("{}\u{e004}{time_keys}", day.format("%m%d%Y"));
        field.send_keys(&keys).await.expect("type");
        assert_eq!(
            field.prop("value").await.expect("value"),
            Some(format!("{}T{time}", day.format("%Y-%m-%d"))),
            "typed into {css}"
        );
    }

    /// The whole page as a PNG, through the DevTools protocol; the viewport when that fails.
    /// The accessibility problems axe-core finds on the page the browser is on, those of
    /// serious or critical impact, one line each (rule, impact, the elements' selectors).
    /// axe-core is vendored under `tests/vendor/axe-core/` (pinned, with its licence): an
    /// implementation of WCAG checks the app does not use.
    pub(crate) async fn accessibility_problems(&self) -> Vec<String> {
        const AXE: &str = include_str!("../vendor/axe-core/axe.min.js");
        let loaded = self
            .client
            .execute("return typeof window.axe", vec![])
            .await
            .expect("axe present?");
        if loaded != json!("object") {
            self.client
                .execute(&format!("{AXE}\n;return typeof window.axe"), vec![])
                .await
                .expect("load axe-core");
        }
        let found = self
            .client
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                axe.run(document, {resultTypes: ['violations']})
                  .then(r => done(r.violations
                    .filter(v => arguments[0] || v.impact === 'serious' || v.impact === 'critical')
                    .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at '
                      + v.nodes.slice(0, 4).map(n => n.target.join(' ')).join(', '))))
                  .catch(e => done(['axe failed: ' + e]));"#,
                vec![json!(std::env::var_os("ROADSHOW_TEST_AXE_ALL").is_some())],
            )
            .await
            .expect("run axe-core");
        // Duplicate ids make a label name the wrong field; axe-core no longer checks them.
        let ids = self
            .client
            .execute(
                r#"const seen = {}, problems = [];
                for (const el of document.querySelectorAll('[id]')) {
                  if (seen[el.id]) problems.push('duplicate-id (serious): id "' + el.id + '" is used twice');
                  seen[el.id] = true;
                }
                for (const l of document.querySelectorAll('label[for]')) {
                  const target = document.getElementById(l.htmlFor);
                  if (!target || !target.matches('input, select, textarea, button, meter, output, progress'))
                    problems.push('label-target (serious): label for "' + l.htmlFor + '" names no field');
                }
                return problems;"#,
                vec![],
            )
            .await
            .expect("check the ids");
        found
            .as_array()
            .into_iter()
            .chain(ids.as_array())
            .flatten()
            .map(|v| v.as_str().unwrap_or_default().to_owned())
            .collect()
    }

    /// Switches the language as a reader does (the switcher's link, which sets its cookie)
    /// and comes back to the page the browser was on.
    pub(crate) async fn read_in(&self, lang: &str) {
        let here = self
            .client
            .execute(
                "return encodeURIComponent(location.pathname + location.search)",
                vec![],
            )
            .await
            .expect("where the browser is");
        self.goto(&format!(
            "/lang/{lang}?next={}",
            here.as_str().unwrap_or("/")
        ))
        .await;
    }

    pub(crate) async fn screenshot(&self) -> Result<Vec<u8>, CmdError> {
        let metrics = self
            .client
            .issue_cmd(Cdp::new("Page.getLayoutMetrics", json!({})))
            .await;
        if let Ok(m) = metrics
            && let (Some(w), Some(h)) = (
                m["cssContentSize"]["width"].as_f64(),
                m["cssContentSize"]["height"].as_f64(),
            )
        {
            let shot = self
                .client
                .issue_cmd(Cdp::new(
                    "Page.captureScreenshot",
                    json!({
                        "format": "png", "captureBeyondViewport": true,
                        "clip": { "x": 0, "y": 0, "width": w, "height": h, "scale": 1 },
                    }),
                ))
                .await;
            if let Ok(shot) = shot
                && let Some(data) = shot["data"].as_str()
            {
                use base64::Engine;
                if let Ok(png) = base64::engine::general_purpose::STANDARD.decode(data) {
                    return Ok(png);
                }
            }
        }
        self.client.screenshot().await
    }
}

/// chromedriver's passage to the DevTools protocol.
#[derive(Debug)]
struct Cdp {
    body: Value,
}

impl Cdp {
    fn new(cmd: &str, params: Value) -> Cdp {
        Cdp {
            body: json!({ "cmd": cmd, "params": params }),
        }
    }
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (reqwest::Method, Option<String>) {
        (reqwest::Method::POST, Some(self.body.to_string()))
    }
}

/// Numbered screenshots per flow.
pub(crate) struct Shots {
    counts: HashMap<&'static str, u32>,
    folder: PathBuf,
}

impl Shots {
    pub(crate) fn dir() -> PathBuf {
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots")
    }

    fn new() -> Shots {
        Shots::in_folder("")
    }

    /// Screenshots of one test, in their own folder under the screenshots' (emptied first).
    pub(crate) fn in_folder(name: &str) -> Shots {
        let dir = Self::dir().join(name);
        if name.is_empty() {
            // The flows' own pictures; other tests' folders stay.
            for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                if e.path().extension().is_some_and(|x| x == "png") {
                    let _ = std::fs::remove_file(e.path());
                }
            }
        } else {
            let _ = std::fs::remove_dir_all(&dir);
        }
        std::fs::create_dir_all(&dir).expect("screenshot folder");
        Shots {
            counts: HashMap::new(),
            folder: dir,
        }
    }

    pub(crate) fn folder(&self) -> &std::path::Path {
        &self.folder
    }

    pub(crate) async fn take(&mut self, ui: &Ui, flow: &'static str, step: &str) {
        let n = self.counts.entry(flow).or_default();
        *n += 1;
        let path = self.folder.join(format!("{flow}-{n:02}-{step}.png"));
        // Every page shown fits its window: nobody scrolls sideways, on a phone either.
        ui.assert_fits().await;
        let png = ui.screenshot().await.expect("screenshot");
        std::fs::write(&path, png).expect("write the screenshot");
    }
}
