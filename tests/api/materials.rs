//! After the stop: material collection, the tour report, the demo tour, S3 storage.

use serde_json::json;

use crate::both_backends;
use crate::helpers::*;

/// Marks every open material request as due now (as if the days had passed).
pub(crate) async fn make_reminders_due(app: &TestApp) {
    app.db(|conn| {
        use diesel::prelude::*;
        use roadshow::db::schema::materials;
        diesel::update(materials::table.filter(materials::status.eq("requested")))
            .set(
                materials::next_reminder_at
                    .eq(Some(roadshow::db::now() - chrono::Duration::minutes(1))),
            )
            .execute(conn)
            .unwrap();
    })
    .await;
}

both_backends! {
    async fn requests_open_when_a_stop_is_done_and_reminders_stop_on_receipt(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 100, None, 1).await;
        let sp = app.post_ok(&hui, "/api/v1/speakers", &json!({"name": "Rongze Zhu", "email": "rz@example.org"}), 201).await;
        let talk = app.post_ok(&hui, "/api/v1/talks", &json!({"title": "Cinder", "duration_minutes": 30, "speaker_ids": [sp["id"]]}), 201).await;
        crate::speakers::accept_all_talks(&app, "rz@example.org").await;
        let (_, stop) = json(app.get(&hui, &format!("/api/v1/stops/{}", s.stop_id)).await).await;
        let item = app.post_ok(&hui, &format!("/api/v1/stops/{}/agenda", s.stop_id), &json!({"talk_id": talk["id"], "starts_at": stop["starts_at"]}), 201).await;
        let photos = app.post_ok(&hui, &format!("/api/v1/stops/{}/tasks", s.stop_id), &json!({"kind": "photos", "slots": 1}), 201).await;
        app.api.post(app.url(&format!("/api/v1/tasks/{}/claims", photos["id"].as_str().unwrap()))).json(&json!({"name": "Shake", "email": "shake@example.org"})).send().await.unwrap();

        let (status, _) = json(app.patch(&hui, &format!("/api/v1/stops/{}", s.stop_id), &json!({"status": "done"})).await).await;
        assert_eq!(status, 200);
        let (_, mats) = json(app.get(&hui, &format!("/api/v1/stops/{}/materials", s.stop_id)).await).await;
        let kinds: Vec<&str> = mats.as_array().unwrap().iter().map(|m| m["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds.len(), 4, "{mats}");
        for k in ["slides", "report", "photos", "video"] {
            assert!(kinds.contains(&k), "{k}");
        }
        assert!(mats.as_array().unwrap().iter().all(|m| m["status"] == "requested"));
        let slides = mats.as_array().unwrap().iter().find(|m| m["kind"] == "slides").unwrap();
        assert_eq!(slides["agenda_item_id"], item["id"]);

        // The first reminders go at once: the speaker, the volunteer, the organizers.
        app.drain().await;
        roadshow::worker::run_scheduled(&app.state).await.unwrap();
        app.drain().await;
        let asked = |who: &str| app.mails_to(who).into_iter().filter(|m| m.subject.contains("Please send") || m.subject.contains("Reminder:")).count();
        assert_eq!(asked("rz@example.org"), 1);
        assert_eq!(asked("shake@example.org"), 1, "the photos belong to the volunteer who took that task");
        assert_eq!(asked("hui@example.org"), 1, "the report and the video fall to the organizers, in one e-mail");

        // The speaker hands in the slides from their page (the request's link signs them in).
        let link = app.mails_to("rz@example.org").into_iter().find(|m| m.subject.contains("Please send")).unwrap().link("/speaker/enter/");
        let b = app.browser();
        let csrf = b.csrf_of(link.trim_start_matches(&app.address)).await;
        b.post_form(link.trim_start_matches(&app.address), &[("_csrf", &csrf)]).await;
        let (_, page) = b.page("/speaker").await;
        let csrf = attr(&page, "input[name=_csrf]", "value").unwrap();
        let form = reqwest::multipart::Form::new().text("_csrf", csrf).part("file", reqwest::multipart::Part::bytes(b"%PDF-1.4\n%%EOF\n".to_vec()).file_name("cinder.pdf"));
        let res = b.client.post(app.url(&format!("/speaker/slots/{}/slides", item["id"].as_str().unwrap()))).multipart(form).send().await.unwrap();
        assert_eq!(res.status(), 303);

        // The volunteer's photos need a licence and the consent of the people shown.
        let vlink = app.mails_to("shake@example.org").into_iter().find(|m| m.subject.contains("Please send")).unwrap().link("/volunteer/enter/");
        let v = app.browser();
        // GET shows the sign-in button; the press signs in (see door::press_link).
        crate::door::press_link(&app, &v, &vlink).await;
        let (_, vpage) = v.page("/volunteer").await;
        let vcsrf = attr(&vpage, "input[name=_csrf]", "value").unwrap();
        let photos_id = mats.as_array().unwrap().iter().find(|m| m["kind"] == "photos").unwrap()["id"].as_str().unwrap().to_owned();
        let jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0, 1];
        let send = |consent: bool| {
            let mut form = reqwest::multipart::Form::new().text("_csrf", vcsrf.clone()).text("licence", "CC BY 4.0")
                .part("file", reqwest::multipart::Part::bytes(jpeg.clone()).file_name("group.jpg"));
            if consent {
                form = form.text("people_consented", "on");
            }
            v.client.post(app.url(&format!("/volunteer/materials/{photos_id}"))).multipart(form).send()
        };
        send(false).await.unwrap();
        let (_, mats_now) = json(app.get(&hui, &format!("/api/v1/stops/{}/materials", s.stop_id)).await).await;
        assert!(mats_now.as_array().unwrap().iter().any(|m| m["kind"] == "photos" && m["status"] == "requested"), "refused without consent");
        send(true).await.unwrap();

        // Later reminders: only what is still missing is chased.
        make_reminders_due(&app).await;
        let before = (asked("rz@example.org"), asked("shake@example.org"), asked("hui@example.org"));
        roadshow::worker::run_scheduled(&app.state).await.unwrap();
        app.drain().await;
        assert_eq!(asked("rz@example.org"), before.0, "the slides are in: no reminder");
        assert_eq!(asked("shake@example.org"), before.1, "the photos are in: no reminder");
        assert_eq!(asked("hui@example.org"), before.2 + 1, "the report and the video in one reminder");

        // The organizers publish; the public stop page shows them, with the licence.
        let (_, mats) = json(app.get(&hui, &format!("/api/v1/stops/{}/materials", s.stop_id)).await).await;
        for m in mats.as_array().unwrap().iter().filter(|m| m["status"] == "received") {
            let (status, body) = json(app.post(&hui, &format!("/api/v1/materials/{}/publish", m["id"].as_str().unwrap()), &json!({"published": true})).await).await;
            assert_eq!(status, 200, "{body}");
        }
        let (_, page) = app.browser().page(&format!("/stops/{}", s.stop_id)).await;
        let section = select_text(&page, "#materials").join(" ");
        assert!(section.contains("Cinder") && section.contains("Rongze Zhu"), "{section}");
        assert!(section.contains("CC BY 4.0") && section.contains("agreed"), "{section}");
        let slide_link = attr(&page, "#materials ul a", "href").unwrap();
        assert_eq!(app.browser().get(&slide_link).await.status(), 200, "published slides download for anyone");
        // The collection dashboard shows what is still missing.
        let ob = app.signed_in_browser(&hui).await;
        let (status, dash) = ob.page(&format!("/manage/tours/{}/materials", s.tour_id)).await;
        assert_eq!(status, 200);
        assert_eq!(select_text(&dash, "tbody td.num")[..3].to_vec(), vec!["2", "0", "2"], "requested, received, published");
    }

    async fn markdown_reports_render_harmless(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 100, None, 1).await;
        app.patch(&hui, &format!("/api/v1/stops/{}", s.stop_id), &json!({"status": "done"})).await;
        let (_, mats) = json(app.get(&hui, &format!("/api/v1/stops/{}/materials", s.stop_id)).await).await;
        let report = mats.as_array().unwrap().iter().find(|m| m["kind"] == "report").unwrap()["id"].as_str().unwrap().to_owned();
        let b = app.signed_in_browser(&hui).await;
        let csrf = b.csrf_of(&format!("/manage/stops/{}/materials", s.stop_id)).await;
        let body = "# Beijing\n\nOver **150** engineers.<script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3))";
        let form = reqwest::multipart::Form::new().text("_csrf", csrf.clone()).text("body", body);
        let res = b.client.post(app.url(&format!("/manage/stops/{}/materials/{report}", s.stop_id))).multipart(form).send().await.unwrap();
        assert_eq!(res.status(), 303);
        let res = b.post_form(&format!("/manage/stops/{}/materials/{report}/publish", s.stop_id), &[("_csrf", &csrf)]).await;
        assert_eq!(res.status(), 303);
        let html = app.browser().get(&format!("/stops/{}", s.stop_id)).await.text().await.unwrap();
        assert!(html.contains("<strong>150</strong>"));
        assert!(!html.contains("<script>alert") && !html.contains("onerror") && !html.contains("javascript:"));
    }

    async fn the_report_adds_up_a_known_tour(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let a = app.open_stop(&hui, 100, Some(0.5), 2).await;
        let b = app.open_stop_in(&hui, &a.tour_id, 50, None, 3).await;
        app.api.patch(app.url(&format!("/api/v1/venues/{}", b.venue_id))).bearer_auth(&hui.token).json(&json!({"cost": "shared"})).send().await.unwrap();
        // Stop A: 4 registered, 3 came. Stop B: 3 registered, one cancelled.
        let mut codes = Vec::new();
        for i in 0..4 {
            let (_, r) = app.register(&a.stop_id, "P", &format!("a{i}@example.org")).await;
            codes.push(r["code"].as_str().unwrap().to_owned());
        }
        for code in &codes[..3] {
            app.post(&hui, &format!("/api/v1/stops/{}/checkins", a.stop_id), &json!({"code": code})).await;
        }
        let mut ids = Vec::new();
        for i in 0..3 {
            let (_, r) = app.register(&b.stop_id, "P", &format!("b{i}@example.org")).await;
            ids.push(r["id"].as_str().unwrap().to_owned());
        }
        app.post(&hui, &format!("/api/v1/registrations/{}/cancel", ids[0]), &json!({})).await;
        // One speaker at both stops, one talk at both.
        let sp = app.post_ok(&hui, "/api/v1/speakers", &json!({"name": "Hui Cheng", "email": "hc@example.org"}), 201).await;
        let sp2 = app.post_ok(&hui, "/api/v1/speakers", &json!({"name": "Other", "email": "o@example.org"}), 201).await;
        let t1 = app.post_ok(&hui, "/api/v1/talks", &json!({"title": "Foundation", "duration_minutes": 30, "speaker_ids": [sp["id"]]}), 201).await;
        let t2 = app.post_ok(&hui, "/api/v1/talks", &json!({"title": "Other talk", "duration_minutes": 30, "speaker_ids": [sp2["id"]]}), 201).await;
        crate::speakers::accept_all_talks(&app, "hc@example.org").await;
        crate::speakers::accept_all_talks(&app, "o@example.org").await;
        for (stop, talks) in [(&a.stop_id, vec![&t1, &t2]), (&b.stop_id, vec![&t1])] {
            let (_, st) = json(app.get(&hui, &format!("/api/v1/stops/{stop}")).await).await;
            let start = chrono::DateTime::parse_from_rfc3339(st["starts_at"].as_str().unwrap()).unwrap();
            for (i, t) in talks.iter().enumerate() {
                app.post_ok(&hui, &format!("/api/v1/stops/{stop}/agenda"), &json!({"talk_id": t["id"], "starts_at": (start + chrono::Duration::minutes(30 * i as i64)).to_rfc3339()}), 201).await;
            }
        }
        app.patch(&hui, &format!("/api/v1/stops/{}", a.stop_id), &json!({"status": "done", "online_viewers": 12})).await;

        let (status, r) = json(app.get(&hui, &format!("/api/v1/tours/{}/report", a.tour_id)).await).await;
        assert_eq!(status, 200, "{r}");
        let t = &r["totals"];
        assert_eq!((t["stops"].as_i64(), t["registrations"].as_i64(), t["confirmed"].as_i64(), t["attendance"].as_i64()), (Some(2), Some(7), Some(6), Some(3)));
        assert_eq!(t["online_viewers"], 12);
        assert_eq!((t["distinct_speakers"].as_i64(), t["speaking_slots"].as_i64(), t["talks"].as_i64(), t["distinct_talks"].as_i64()), (Some(2), Some(3), Some(3), Some(2)));
        assert_eq!(t["repeat_speakers"], json!([{"name": "Hui Cheng", "stops": 2}]));
        assert_eq!(t["repeat_talks"][0]["title"], "Foundation");
        assert_eq!((t["venues_free"].as_i64(), t["venues_shared"].as_i64()), (Some(1), Some(1)));
        let stops = r["stops"].as_array().unwrap();
        assert_eq!(stops[0]["show_rate_actual"].as_f64(), Some(0.75));
        assert_eq!(stops[0]["show_rate_forecast"].as_f64(), Some(0.5), "the override");
        // Stop B learns from A: (3 + 20 × 0.5) / (4 + 20).
        assert!((stops[1]["show_rate_forecast"].as_f64().unwrap() - 13.0 / 24.0).abs() < 1e-9);
        assert_eq!(stops[1]["show_rate_actual"], serde_json::Value::Null, "not done yet");
        // Exports.
        let b2 = app.signed_in_browser(&hui).await;
        let csv = b2.get(&format!("/manage/tours/{}/report.csv", a.tour_id)).await.text().await.unwrap();
        assert_eq!(csv.lines().count(), 3);
        let md = b2.get(&format!("/manage/tours/{}/report.md", a.tour_id)).await.text().await.unwrap();
        assert!(md.contains("2 distinct speakers in 3 speaking slots"), "{md}");
        // Not public until published.
        let (_, tour) = json(app.get(&hui, &format!("/api/v1/tours/{}", a.tour_id)).await).await;
        let slug = tour["slug"].as_str().unwrap().to_owned();
        assert_eq!(app.browser().get(&format!("/tours/{slug}/report")).await.status(), 404);
        app.post(&hui, &format!("/api/v1/tours/{}/report/publish", a.tour_id), &json!({"published": true})).await;
        let (status, page) = app.browser().page(&format!("/tours/{slug}/report")).await;
        assert_eq!(status, 200);
        assert!(page.root_element().html().contains("<svg"), "charts drawn on the server");
        assert!(!page.root_element().html().contains("??"));
    }

    async fn the_demo_tour_reproduces_the_2012_figures(app: TestApp) {
        let loaded = app.db(|conn| roadshow::demo::load(conn).unwrap()).await;
        assert!(loaded.created);
        let again = app.db(|conn| roadshow::demo::load(conn).unwrap()).await;
        assert!(!again.created, "loading twice changes nothing");
        let (status, body) = json(app.api.post(app.url("/api/v1/tokens")).json(&json!({"email": loaded.email, "password": loaded.password})).send().await.unwrap()).await;
        assert_eq!(status, 201, "the printed login works");
        let demo = Organizer { id: String::new(), email: loaded.email.clone(), token: body["token"].as_str().unwrap().to_owned() };
        let (_, r) = json(app.get(&demo, &format!("/api/v1/tours/{}/report", loaded.tour.id)).await).await;
        let t = &r["totals"];
        assert_eq!(t["stops"], 8);
        assert_eq!(t["registrations"], 1060);
        assert_eq!(t["attendance"], 710);
        assert_eq!(t["distinct_speakers"], 31);
        assert_eq!(t["speaking_slots"], 47);
        assert_eq!(t["online_viewers"], 50);
        assert_eq!((t["venues_free"].as_i64(), t["venues_shared"].as_i64(), t["venues_paid"].as_i64()), (Some(7), Some(1), Some(0)));
        assert_eq!(t["repeat_speakers"][0], json!({"name": "Hui Cheng", "stops": 6}));
        let thrice: Vec<&serde_json::Value> = t["repeat_talks"].as_array().unwrap().iter().filter(|x| x["cities"].as_array().unwrap().len() >= 3).collect();
        assert_eq!(thrice.len(), 1, "one talk was given in 3 cities");
        assert!((t["show_rate"].as_f64().unwrap() - 710.0 / 1060.0).abs() < 1e-9);
        let attended: Vec<i64> = r["stops"].as_array().unwrap().iter().map(|s| s["checked_in"].as_i64().unwrap()).collect();
        assert_eq!(&attended[..6], &[150, 80, 100, 110, 40, 70], "the seed's per-stop attendance");
        // The public report is up, in both languages.
        let (status, page) = app.browser().page("/tours/openstack-china-tour-2012/report").await;
        assert_eq!(status, 200);
        assert!(select_text(&page, "p.lead")[0].contains("1060 registrations, 710 people"));
        let res = app.browser().client.get(app.url("/tours/openstack-china-tour-2012/report")).header("accept-language", "zh-CN").send().await.unwrap();
        assert!(res.text().await.unwrap().contains("报名 1060 人"));
    }

    async fn a_generated_big_tour_keeps_its_counters_equal_to_its_rows(app: TestApp) {
        use roadshow::demo::{generate, Size};
        let made = app.db(|conn| generate(conn, Size { stops: 10, registrations: 2_000, talks: 30 }).unwrap()).await;
        let open = made.open_stop_id.expect("an open stop");
        let tour_id = made.tour.id.clone();
        let (registrations, counted): (i64, i64) = app.db(move |conn| {
            use diesel::prelude::*;
            use roadshow::db::schema::{registrations, stop_counters, stops};
            let rows: i64 = registrations::table.inner_join(stops::table).filter(stops::tour_id.eq(&tour_id)).count().get_result(conn).unwrap();
            let counted: Option<i64> = stop_counters::table.inner_join(stops::table).filter(stops::tour_id.eq(&tour_id))
                .select(diesel::dsl::sum(stop_counters::confirmed + stop_counters::waitlisted + stop_counters::cancelled)).first(conn).unwrap();
            (rows, counted.unwrap_or(0))
        }).await;
        assert_eq!(registrations, 2_000);
        assert_eq!(counted, registrations, "counters as the rows say");
        // Its public pages render, and the open stop still takes registrations.
        let (status, _) = app.browser().page(&format!("/tours/{}", made.tour.slug)).await;
        assert_eq!(status, 200);
        let (status, _) = app.browser().page(&format!("/tours/{}/report", made.tour.slug)).await;
        assert_eq!(status, 200);
        let (status, body) = app.register(&open, "Late Comer", "late@example.org").await;
        assert_eq!(status, 201, "{body}");
    }
}

/// An S3-compatible server for the storage test: moto (PyPI), when installed.
fn moto_server() -> Option<(std::process::Child, u16)> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .ok()?
        .local_addr()
        .ok()?
        .port();
    let child = std::process::Command::new("moto_server")
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match child {
        Ok(c) => Some((c, port)),
        Err(e) => {
            if std::env::var("ROADSHOW_TEST_REQUIRE_S3").is_ok_and(|v| v == "1") {
                panic!("S3 tests are required but moto_server cannot start: {e}");
            }
            eprintln!(
                "skipping the S3 test: moto_server is not installed (pip install 'moto[server]')"
            );
            None
        }
    }
}

#[actix_web::test]
async fn uploads_are_stored_in_and_served_from_an_s3_compatible_store() {
    let Some((mut moto, port)) = moto_server() else {
        return;
    };
    let endpoint = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let mut ready = false;
    for _ in 0..100 {
        if http
            .put(format!("{endpoint}/roadshow-test"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            ready = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(ready, "moto did not start");
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.storage.s3_bucket = "roadshow-test".into();
        s.storage.s3_endpoint = endpoint.clone();
        s.storage.s3_allow_http = true;
        s.storage.s3_access_key_id = "test".into();
        s.storage.s3_secret_access_key = "test".into();
    })
    .await
    .unwrap();
    let hui = app.organizer("hui@example.org").await;
    let s = app.open_stop(&hui, 10, None, 5).await;
    let jpeg = vec![
        0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0, 1, 42, 42,
    ];
    let form = reqwest::multipart::Form::new().text("kind", "photos").part(
        "file",
        reqwest::multipart::Part::bytes(jpeg.clone()).file_name("group.jpg"),
    );
    let (status, m) = json(
        app.api
            .post(app.url(&format!("/api/v1/stops/{}/materials", s.stop_id)))
            .bearer_auth(&hui.token)
            .multipart(form)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 201, "{m}");
    // Nothing in the data folder: the file is in the bucket.
    assert!(!app.data_path.join("uploads/materials").exists());
    let listing = http
        .get(format!("{endpoint}/roadshow-test?list-type=2"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        listing.contains("materials/") && listing.contains(".jpg"),
        "{listing}"
    );
    let b = app.signed_in_browser(&hui).await;
    let res = b
        .get(&format!(
            "/materials/{}/download",
            m["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.bytes().await.unwrap().to_vec(), jpeg);
    let _ = moto.kill();
}

both_backends! {
    async fn uploaded_files_are_named_after_what_they_are(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 10, None, 5).await;
        let b = app.signed_in_browser(&hui).await;
        let pdf = b"%PDF-1.4\n<html><script>alert(1)</script>\n%%EOF\n".to_vec();
        for (declared, expected) in [
            ("slides\u{202e}fdp.exe", "slidesfdp.pdf"),
            ("Keystone\u{202e}fdp.hta", "Keystonefdp.pdf"),
            ("x.html", "x.pdf"),
            ("tool.jar", "tool.pdf"),
            ("CON.pdf", "_CON.pdf"),
            ("v1..2.pdf", "v1..2.pdf"),
            ("讲解 v2.pdf", "讲解 v2.pdf"),
        ] {
            let form = reqwest::multipart::Form::new().text("kind", "other").part(
                "file",
                reqwest::multipart::Part::bytes(pdf.clone()).file_name(declared.to_owned()),
            );
            let (status, m) = json(
                app.api.post(app.url(&format!("/api/v1/stops/{}/materials", s.stop_id)))
                    .bearer_auth(&hui.token).multipart(form).send().await.unwrap(),
            ).await;
            assert_eq!(status, 201, "{declared:?}: {m}");
            assert_eq!(m["file_name"], expected, "{declared:?}");
            assert_eq!(m["content_type"], "application/pdf");
            let res = b.get(&format!("/materials/{}/download", m["id"].as_str().unwrap())).await;
            assert_eq!(res.status(), 200);
            let disposition = res.headers()["content-disposition"].to_str().unwrap().to_owned();
            assert!(disposition.starts_with("attachment;"), "{disposition}");
            let decoded = url::form_urlencoded::parse(
                disposition.split("filename*=UTF-8''").nth(1).unwrap().as_bytes(),
            ).map(|(k, _)| k.into_owned()).collect::<String>();
            assert_eq!(decoded, expected, "{disposition}");
            assert!(!decoded.contains('\u{202e}'));
            let ascii = disposition.split("filename=\"").nth(1).unwrap().split('"').next().unwrap();
            assert!(ascii.ends_with(".pdf"), "{disposition}");
        }
        // Names that climb out of a folder are still refused.
        let form = reqwest::multipart::Form::new().text("kind", "other").part(
            "file", reqwest::multipart::Part::bytes(pdf.clone()).file_name("../../etc/x.pdf"),
        );
        let res = app.api.post(app.url(&format!("/api/v1/stops/{}/materials", s.stop_id)))
            .bearer_auth(&hui.token).multipart(form).send().await.unwrap();
        assert_eq!(res.status(), 422);
    }
}

/// A stop a day away with one talk by a speaker who accepted it: (stop, agenda item id,
/// the speaker's signed-in browser).
async fn stop_with_a_talk(app: &TestApp, hui: &Organizer) -> (OpenStop, String, Browser) {
    let s = app.open_stop(hui, 100, None, 1).await;
    let sp = app
        .post_ok(
            hui,
            "/api/v1/speakers",
            &json!({"name": "Rongze Zhu", "email": "rz@example.org"}),
            201,
        )
        .await;
    let talk = app
        .post_ok(
            hui,
            "/api/v1/talks",
            &json!({"title": "Cinder", "duration_minutes": 30, "speaker_ids": [sp["id"]]}),
            201,
        )
        .await;
    let b = crate::speakers::accept_all_talks(app, "rz@example.org").await;
    let (_, stop) = json(app.get(hui, &format!("/api/v1/stops/{}", s.stop_id)).await).await;
    let item = app
        .post_ok(
            hui,
            &format!("/api/v1/stops/{}/agenda", s.stop_id),
            &json!({"talk_id": talk["id"], "starts_at": stop["starts_at"]}),
            201,
        )
        .await;
    (s, item["id"].as_str().unwrap().to_owned(), b)
}

/// Posts a slides upload from the speaker's page (`file`: name and bytes; None sends no
/// file field at all), in `lang`.
async fn upload_slides(
    app: &TestApp,
    b: &Browser,
    item: &str,
    file: Option<(&str, Vec<u8>)>,
    lang: &str,
) -> reqwest::Response {
    let (_, page) = b.page("/speaker").await;
    let csrf = attr(&page, "input[name=_csrf]", "value").unwrap();
    let mut form = reqwest::multipart::Form::new().text("_csrf", csrf);
    if let Some((name, bytes)) = file {
        form = form.part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
        );
    }
    b.client
        .post(app.url(&format!("/speaker/slots/{item}/slides")))
        .header("accept-language", lang)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

fn stored_files(app: &TestApp) -> usize {
    std::fs::read_dir(app.data_path.join("uploads/materials"))
        .map(|d| d.count())
        .unwrap_or(0)
}

/// A file to upload (name and bytes), or None for no file field at all.
type UploadFile<'a> = Option<(&'a str, Vec<u8>)>;

const PDF: &[u8] = b"%PDF-1.4\n%%EOF\n";

both_backends! {
    async fn slides_handed_in_before_the_stop_ends_keep_their_talk_and_speaker_and_are_not_asked_again(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let (s, item, b) = stop_with_a_talk(&app, &hui).await;
        // The upload form shows progress with a script of our own (the form works without it).
        let (_, page) = b.page("/speaker").await;
        assert!(attr(&page, &format!("form[data-progress][action=\"/speaker/slots/{item}/slides\"] progress"), "max").is_some());
        assert_eq!(attr(&page, "script[src=\"/static/upload.js\"]", "src").as_deref(), Some("/static/upload.js"));
        let js = app.browser().get("/static/upload.js").await;
        assert_eq!(js.status(), 200);
        assert!(js.headers()["content-type"].to_str().unwrap().starts_with("text/javascript"));
        assert!(js.text().await.unwrap().contains("xhr.upload.addEventListener('progress'"));

        assert_eq!(upload_slides(&app, &b, &item, Some(("cinder.pdf", PDF.to_vec())), "en").await.status(), 303);
        let mats = crate::speakers::materials_of(&app, &hui, &s.stop_id).await;
        assert_eq!((mats.len(), mats[0]["title"].as_str(), mats[0]["status"].as_str()), (1, Some("Cinder"), Some("received")));
        let org = app.signed_in_browser(&hui).await;
        let dash = format!("/manage/stops/{}/materials", s.stop_id);
        let (_, page) = org.page(&dash).await;
        crate::volunteers::assert_valid_ids(&page);
        assert_eq!(select_text(&page, "article h3"), vec!["Slides of “Cinder” Received"]);
        assert_eq!(select_text(&page, "article p.meta"), vec!["From Rongze Zhu"]);

        // The stop ends: the requests open, but not a second one for these slides.
        app.patch(&hui, &format!("/api/v1/stops/{}", s.stop_id), &json!({"status": "done"})).await;
        roadshow::worker::run_scheduled(&app.state).await.unwrap();
        app.drain().await;
        let mats = crate::speakers::materials_of(&app, &hui, &s.stop_id).await;
        let slides: Vec<_> = mats.iter().filter(|m| m["kind"] == "slides").collect();
        assert_eq!(slides.len(), 1, "{mats:?}");
        assert_eq!(slides[0]["status"], "received");
        assert!(app.mails_to("rz@example.org").iter().all(|m| !m.subject.contains("Please send")), "the speaker is not asked for what they handed in");
        let (_, page) = org.page(&dash).await;
        assert!(select_text(&page, "article h3").contains(&"Slides of “Cinder” Received".to_owned()));
        assert!(!select_text(&page, "article h3").iter().any(|h| h.contains("\"\"") || h.contains("“”")));
    }

    async fn a_speaker_replaces_and_removes_their_slides_asking_first_until_published(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let (s, item, b) = stop_with_a_talk(&app, &hui).await;
        app.patch(&hui, &format!("/api/v1/stops/{}", s.stop_id), &json!({"status": "done"})).await;
        assert_eq!(upload_slides(&app, &b, &item, Some(("v1.pdf", PDF.to_vec())), "en").await.status(), 303);
        let (_, page) = b.page("/speaker").await;
        crate::volunteers::assert_valid_ids(&page);
        let m = crate::speakers::materials_of(&app, &hui, &s.stop_id).await.into_iter().find(|m| m["kind"] == "slides").unwrap();
        let id = m["id"].as_str().unwrap().to_owned();
        // What they handed in, to open; replacing and removing each ask first.
        assert_eq!(attr(&page, "ul.uploads a", "href"), Some(format!("/materials/{id}/download")));
        assert_eq!(select_text(&page, "ul.uploads a"), vec!["v1.pdf"]);
        assert!(attr(&page, &format!("details.confirm form[action=\"/speaker/slots/{item}/slides\"] input[type=file]"), "name").is_some(), "replacing asks first");
        assert!(attr(&page, &format!("details.confirm form[action=\"/speaker/materials/{id}/remove\"]"), "action").is_some(), "removing asks first");
        assert_eq!(b.get(&format!("/materials/{id}/download")).await.status(), 200);
        // Replaced: one material, the new file, the old one gone.
        assert_eq!(upload_slides(&app, &b, &item, Some(("v2.pdf", PDF.to_vec())), "en").await.status(), 303);
        let mats = crate::speakers::materials_of(&app, &hui, &s.stop_id).await;
        let slides: Vec<_> = mats.iter().filter(|m| m["kind"] == "slides").collect();
        assert_eq!((slides.len(), slides[0]["file_name"].as_str()), (1, Some("v2.pdf")));
        assert_eq!(stored_files(&app), 1);
        // Removed after the stop: the request opens again and the file is gone.
        let csrf = attr(&b.page("/speaker").await.1, "input[name=_csrf]", "value").unwrap();
        assert_eq!(b.post_form(&format!("/speaker/materials/{id}/remove"), &[("_csrf", &csrf)]).await.status(), 303);
        let m = crate::speakers::materials_of(&app, &hui, &s.stop_id).await.into_iter().find(|m| m["kind"] == "slides").unwrap();
        assert_eq!((m["status"].as_str(), m["file_name"].as_str()), (Some("requested"), None));
        assert_eq!(stored_files(&app), 0);
        // Published: no more changes from the speaker.
        assert_eq!(upload_slides(&app, &b, &item, Some(("v3.pdf", PDF.to_vec())), "en").await.status(), 303);
        app.post_ok(&hui, &format!("/api/v1/materials/{id}/publish"), &json!({"published": true}), 200).await;
        let (_, page) = b.page("/speaker").await;
        assert!(attr(&page, &format!("form[action=\"/speaker/materials/{id}/remove\"]"), "action").is_none());
        assert!(select_text(&page, "ul.uploads .hint")[0].starts_with("Published."));
        let res = upload_slides(&app, &b, &item, Some(("v4.pdf", PDF.to_vec())), "en").await;
        assert_eq!(res.status(), 409);
        let html = scraper::Html::parse_document(&res.text().await.unwrap());
        assert_eq!(select_text(&html, &format!("#file-{item}-help")), vec!["These slides are published: ask the organizers to unpublish them first."]);
        assert_eq!(b.post_form(&format!("/speaker/materials/{id}/remove"), &[("_csrf", &csrf)]).await.status(), 303);
        let m = crate::speakers::materials_of(&app, &hui, &s.stop_id).await.into_iter().find(|m| m["kind"] == "slides").unwrap();
        assert_eq!((m["status"].as_str(), m["file_name"].as_str()), (Some("published"), Some("v3.pdf")), "published slides stay");
    }

    async fn refused_uploads_say_what_is_wrong_and_mark_the_file_field(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let (s, item, b) = stop_with_a_talk(&app, &hui).await;
        let not_slides = "This file is not a PDF, PowerPoint, Keynote or OpenDocument presentation.";
        let cases: Vec<(UploadFile, u16, &str)> = vec![
            (Some(("notes.txt", b"just some notes".to_vec())), 415, not_slides),
            (Some(("setup.exe", b"MZ\x90\x00 a windows program".to_vec())), 415, not_slides),
            (Some(("slides.pdf", b"<!doctype html><script>alert(1)</script>".to_vec())), 415, not_slides),
            (Some(("", Vec::new())), 422, "Choose a file."),
            (None, 422, "Choose a file."),
            (Some(("empty.pdf", Vec::new())), 422, "This file is empty."),
        ];
        for (file, status, message) in cases {
            let label = format!("{:?}", file.as_ref().map(|f| f.0));
            let res = upload_slides(&app, &b, &item, file, "en").await;
            assert_eq!(res.status(), status, "{label}");
            let html = scraper::Html::parse_document(&res.text().await.unwrap());
            assert_eq!(attr(&html, &format!("#file-{item}"), "aria-invalid").as_deref(), Some("true"), "{label}: the field is marked");
            assert_eq!(select_text(&html, &format!("#file-{item}-help")), vec![message.to_owned()], "{label}");
            assert_eq!(select_text(&html, ".flash.error"), vec!["Some fields need your attention."]);
        }
        let res = upload_slides(&app, &b, &item, Some(("notes.txt", b"notes".to_vec())), "zh-CN").await;
        let html = scraper::Html::parse_document(&res.text().await.unwrap());
        assert_eq!(select_text(&html, &format!("#file-{item}-help")), vec!["这个文件不是 PDF、PowerPoint、Keynote 或 OpenDocument 演示文稿。"]);
        assert_eq!(stored_files(&app), 0, "nothing refused was kept");

        // The API names the field too.
        let api = |part: Option<reqwest::multipart::Part>| {
            let mut form = reqwest::multipart::Form::new().text("kind", "slides").text("agenda_item_id", item.clone());
            if let Some(p) = part {
                form = form.part("file", p);
            }
            app.api.post(app.url(&format!("/api/v1/stops/{}/materials", s.stop_id))).bearer_auth(&hui.token).multipart(form).send()
        };
        let (status, body) = json(api(Some(reqwest::multipart::Part::bytes(b"hello".to_vec()).file_name("a.txt"))).await.unwrap()).await;
        assert_eq!((status, body["error"]["fields"]["file"].as_str()), (415, Some("This file is not a PDF, PowerPoint, Keynote or OpenDocument presentation")), "{body}");
        let (status, body) = json(api(None).await.unwrap()).await;
        assert_eq!(status, 422);
        assert!(body["error"]["fields"]["file"].is_string(), "{body}");

        // The volunteer's hand-in page and the organizers' materials page mark it as well.
        let photos = app.post_ok(&hui, &format!("/api/v1/stops/{}/tasks", s.stop_id), &json!({"kind": "photos", "slots": 1}), 201).await;
        app.api.post(app.url(&format!("/api/v1/tasks/{}/claims", photos["id"].as_str().unwrap()))).json(&json!({"name": "Shake", "email": "shake@example.org"})).send().await.unwrap();
        app.patch(&hui, &format!("/api/v1/stops/{}", s.stop_id), &json!({"status": "done"})).await;
        let mats = crate::speakers::materials_of(&app, &hui, &s.stop_id).await;
        let id_of = |kind: &str| mats.iter().find(|m| m["kind"] == kind).unwrap()["id"].as_str().unwrap().to_owned();
        let (photos_id, report_id) = (id_of("photos"), id_of("report"));
        roadshow::worker::run_scheduled(&app.state).await.unwrap();
        app.drain().await;
        let vlink = app.mails_to("shake@example.org").into_iter().find(|m| m.subject.contains("Please send")).unwrap().link("/volunteer/enter/");
        let v = app.browser();
        crate::door::press_link(&app, &v, &vlink).await;
        let vcsrf = attr(&v.page("/volunteer").await.1, "input[name=_csrf]", "value").unwrap();
        let send = |file: Option<(&str, &[u8])>| {
            let mut form = reqwest::multipart::Form::new().text("_csrf", vcsrf.clone()).text("people_consented", "on");
            if let Some((name, bytes)) = file {
                form = form.part("file", reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_owned()));
            }
            v.client.post(app.url(&format!("/volunteer/materials/{photos_id}"))).multipart(form).send()
        };
        let res = send(Some(("group.txt", b"not a picture"))).await.unwrap();
        assert_eq!(res.status(), 415);
        let html = scraper::Html::parse_document(&res.text().await.unwrap());
        crate::volunteers::assert_valid_ids(&html);
        assert_eq!(attr(&html, &format!("#file-{photos_id}"), "aria-invalid").as_deref(), Some("true"));
        assert_eq!(select_text(&html, &format!("#file-{photos_id}-help")), vec!["This file is not a JPEG, PNG or WebP picture, or a ZIP of pictures."]);
        let res = send(None).await.unwrap();
        assert_eq!(res.status(), 422);
        let html = scraper::Html::parse_document(&res.text().await.unwrap());
        assert!(select_text(&html, &format!("#file-{photos_id}-help"))[0].starts_with("Choose a file, or give a link"));

        let org = app.signed_in_browser(&hui).await;
        let dash = format!("/manage/stops/{}/materials", s.stop_id);
        let csrf = org.csrf_of(&dash).await;
        let form = reqwest::multipart::Form::new().text("_csrf", csrf).part("file", reqwest::multipart::Part::bytes(b"MZ\x90\x00".to_vec()).file_name("report.pdf"));
        let res = org.client.post(app.url(&format!("{dash}/{report_id}"))).multipart(form).send().await.unwrap();
        assert_eq!(res.status(), 415);
        let html = scraper::Html::parse_document(&res.text().await.unwrap());
        crate::volunteers::assert_valid_ids(&html);
        assert_eq!(select_text(&html, &format!("#file-{report_id}-help")), vec!["This file is not a PDF."]);
        assert!(attr(&html, &format!("#m-{report_id} details"), "open").is_some(), "its form is open");
    }
}
