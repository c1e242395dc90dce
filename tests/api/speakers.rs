//! Speakers, the call for proposals, agendas and slides.

use std::io::Write;

use serde_json::json;

use crate::both_backends;
use crate::helpers::*;

/// A published tour with its call for proposals open and two open stops (13:00–18:00 local).
pub(crate) async fn tour_with_cfp(app: &TestApp, who: &Organizer) -> (String, String, Vec<String>) {
    let tour = app.create_tour(who, "OpenStack China Tour").await;
    let tour_id = tour["id"].as_str().unwrap().to_owned();
    let now = chrono::Utc::now();
    app.patch(
        who,
        &format!("/api/v1/tours/{tour_id}"),
        &json!({
            "cfp_opens_at": (now - chrono::Duration::days(1)).to_rfc3339(),
            "cfp_closes_at": (now + chrono::Duration::days(10)).to_rfc3339(),
        }),
    )
    .await;
    let mut stops = Vec::new();
    for (city, days) in [("北京", 20), ("上海", 40)] {
        let venue = app
            .create_venue(who, &format!("{city} Hall"), city, 100)
            .await;
        let day = (now + chrono::Duration::days(days)).date_naive();
        let stop = app.post_ok(who, &format!("/api/v1/tours/{tour_id}/stops"), &json!({
            "city": city, "starts_at": format!("{day}T13:00:00+08:00"), "ends_at": format!("{day}T18:00:00+08:00"),
            "timezone": "Asia/Shanghai", "venue_id": venue["id"], "status": "open"
        }), 201).await;
        stops.push(stop["id"].as_str().unwrap().to_owned());
    }
    app.patch(
        who,
        &format!("/api/v1/tours/{tour_id}"),
        &json!({"status": "published"}),
    )
    .await;
    (tour_id, tour["slug"].as_str().unwrap().to_owned(), stops)
}

pub(crate) fn proposal(
    name: &str,
    email: &str,
    title: &str,
    stops: &[String],
) -> serde_json::Value {
    json!({
        "speaker": {"name": name, "email": email, "affiliation": "Sina", "bio": "Cinder core"},
        "title": title, "abstract": "Block storage for OpenStack.", "duration_minutes": 45, "stop_ids": stops
    })
}

/// Follows the latest mailed link to `email` containing `fragment`: the page it opens (a
/// GET changes nothing), then its button. Returns the browser and where the button led.
async fn press_link(app: &TestApp, email: &str, fragment: &str) -> (Browser, String) {
    app.drain().await;
    let mail = app
        .mails_to(email)
        .into_iter()
        .rev()
        .find(|m| m.text.contains(fragment))
        .unwrap_or_else(|| panic!("no mail with {fragment} to {email}"));
    let path = mail
        .link(fragment)
        .trim_start_matches(&app.address)
        .to_owned();
    let b = app.browser();
    let (status, page) = b.page(&path).await;
    assert_eq!(status, 200, "GET {path} shows a page");
    assert_eq!(
        attr(&page, "main form", "action").as_deref(),
        Some(path.as_str())
    );
    let csrf = attr(&page, "input[name=_csrf]", "value").unwrap();
    let res = b.post_form(&path, &[("_csrf", &csrf)]).await;
    assert_eq!(res.status(), 303, "the button uses {path}");
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    (b, to)
}

/// Signs a speaker in with the sign-in link of their latest e-mail that has one.
async fn speaker_browser(app: &TestApp, email: &str) -> Browser {
    let (b, to) = press_link(app, email, "/speaker/enter/").await;
    assert_eq!(to, "/speaker");
    b
}

/// The submitter confirms their proposal with the mailed link (and is signed in).
pub(crate) async fn confirm_proposal(app: &TestApp, email: &str) -> Browser {
    let (b, to) = press_link(app, email, "/speaker/proposals/confirm/").await;
    assert_eq!(to, "/speaker");
    b
}

/// Proposes through the public API and confirms with the mailed link: the proposal's id.
pub(crate) async fn propose_confirmed(
    app: &TestApp,
    tour_id: &str,
    body: &serde_json::Value,
) -> String {
    let (status, p) = json(
        app.api
            .post(app.url(&format!("/api/v1/tours/{tour_id}/proposals")))
            .json(body)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 201, "{p}");
    confirm_proposal(app, body["speaker"]["email"].as_str().unwrap()).await;
    p["id"].as_str().unwrap().to_owned()
}

/// The speaker signs in with their latest link and accepts every talk they were asked for.
pub(crate) async fn accept_all_talks(app: &TestApp, email: &str) -> Browser {
    let b = speaker_browser(app, email).await;
    let (_, page) = b.page("/speaker").await;
    let csrf = attr(&page, "input[name=_csrf]", "value").unwrap();
    let sel = scraper::Selector::parse("form").unwrap();
    let accepts: Vec<String> = page
        .select(&sel)
        .filter_map(|f| f.value().attr("action"))
        .filter(|a| a.starts_with("/speaker/talks/") && a.ends_with("/accept"))
        .map(str::to_owned)
        .collect();
    assert!(!accepts.is_empty(), "nothing to accept for {email}");
    for action in accepts {
        assert_eq!(
            b.post_form(&action, &[("_csrf", &csrf)]).await.status(),
            303
        );
    }
    b
}

/// A stop's materials, as its organizers' API lists them.
pub(crate) async fn materials_of(
    app: &TestApp,
    who: &Organizer,
    stop_id: &str,
) -> Vec<serde_json::Value> {
    let (_, mats) = json(
        app.get(who, &format!("/api/v1/stops/{stop_id}/materials"))
            .await,
    )
    .await;
    mats.as_array().unwrap().clone()
}

pub(crate) fn zip_with(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        for (name, bytes) in files {
            z.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            z.write_all(bytes).unwrap();
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}

both_backends! {
    async fn a_proposal_accepted_at_two_stops_is_on_both_agendas(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let (tour_id, slug, stops) = tour_with_cfp(&app, &hui).await;
        // The public page invites proposals; the call takes them.
        let (_, page) = app.browser().page(&format!("/tours/{slug}")).await;
        assert!(select_text(&page, ".notice a").iter().any(|t| t == "Propose a talk"));
        let p = propose_confirmed(&app, &tour_id, &proposal("Rongze Zhu", "rz@example.org", "Cinder in production", &stops)).await;
        let (_, list) = json(app.get(&hui, &format!("/api/v1/tours/{tour_id}/proposals")).await).await;
        assert_eq!(list[0]["talk"]["title"], "Cinder in production");
        assert_eq!(list[0]["stop_ids"].as_array().unwrap().len(), 2);

        let (status, accepted) = json(app.post(&hui, &format!("/api/v1/proposals/{p}/accept"), &json!({"stop_ids": stops, "message": "See you!"})).await).await;
        assert_eq!(status, 200, "{accepted}");
        assert_eq!(accepted["status"], "accepted");
        assert_eq!(accepted["scheduled_stop_ids"].as_array().unwrap().len(), 2);
        for stop in &stops {
            let (_, agenda) = json(app.get(&hui, &format!("/api/v1/stops/{stop}/agenda")).await).await;
            assert_eq!(agenda[0]["talk"]["title"], "Cinder in production");
            assert!(agenda[0]["starts_at"].as_str().unwrap().ends_with("05:00:00Z"), "placed at the stop's start: {agenda}");
            app.post(&hui, &format!("/api/v1/stops/{stop}/agenda/publish"), &json!({})).await;
            let (_, page) = app.browser().page(&format!("/stops/{stop}")).await;
            let rows = select_text(&page, "ol.agenda li");
            assert!(rows[0].contains("13:00–13:45") && rows[0].contains("Cinder in production") && rows[0].contains("Rongze Zhu (Sina)"), "{rows:?}");
        }
        app.drain().await;
        let decision = app.mails_to("rz@example.org").into_iter().find(|m| m.subject.starts_with("Accepted")).unwrap();
        assert!(decision.text.contains("北京") && decision.text.contains("上海") && decision.text.contains("See you!"));
        // The public profile lists both; it never shows the e-mail address.
        let speaker_link = {
            let (_, page) = app.browser().page(&format!("/stops/{}", stops[0])).await;
            attr(&page, "ol.agenda a", "href").unwrap()
        };
        let (status, profile) = app.browser().page(&speaker_link).await;
        assert_eq!(status, 200);
        assert_eq!(select_text(&profile, "main li").len(), 2);
        assert!(!profile.root_element().html().contains("rz@example.org"));
    }

    async fn the_call_for_proposals_takes_proposals_only_while_open(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let (tour_id, slug, stops) = tour_with_cfp(&app, &hui).await;
        let url = app.url(&format!("/api/v1/tours/{tour_id}/proposals"));
        // Bad input first.
        let (status, body) = json(app.api.post(&url).json(&json!({"speaker": {"name": "", "email": "x"}, "title": "", "duration_minutes": 0, "stop_ids": []})).send().await.unwrap()).await;
        assert_eq!(status, 422);
        for f in ["name", "email", "title", "duration_minutes", "stop_ids"] {
            assert!(body["error"]["fields"][f].is_string(), "{f}: {body}");
        }
        let other_tour = app.open_stop(&hui, 10, None, 5).await;
        let (status, _) = json(app.api.post(&url).json(&proposal("A", "a@example.org", "T", &[other_tour.stop_id])).send().await.unwrap()).await;
        assert_eq!(status, 422, "a stop of another tour");
        // Closed: the call ended.
        let past = chrono::Utc::now() - chrono::Duration::days(1);
        app.patch(&hui, &format!("/api/v1/tours/{tour_id}"), &json!({"cfp_closes_at": past.to_rfc3339(), "cfp_opens_at": (past - chrono::Duration::days(5)).to_rfc3339()})).await;
        let (status, body) = json(app.api.post(&url).json(&proposal("A", "a@example.org", "T", &stops)).send().await.unwrap()).await;
        assert_eq!((status, body["error"]["code"].as_str()), (409, Some("cfp_closed")));
        let (_, page) = app.browser().page(&format!("/tours/{slug}/cfp")).await;
        assert_eq!(select_text(&page, ".notice"), vec!["The call for proposals is not open."]);
        let (_, list) = json(app.get(&hui, &format!("/api/v1/tours/{tour_id}/proposals")).await).await;
        assert_eq!(list, json!([]));
    }

    async fn the_agenda_refuses_overlaps_and_items_outside_the_stop(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let (_, _, stops) = tour_with_cfp(&app, &hui).await;
        let stop = &stops[0];
        let (_, agenda) = json(app.get(&hui, &format!("/api/v1/stops/{stop}")).await).await;
        let day = &agenda["starts_at_local"].as_str().unwrap()[..10];
        let sp = app.post_ok(&hui, "/api/v1/speakers", &json!({"name": "Hui Cheng", "email": "hui.cheng@example.org"}), 201).await;
        let talk = app.post_ok(&hui, "/api/v1/talks", &json!({"title": "OpenStack Foundation", "duration_minutes": 45, "speaker_ids": [sp["id"]]}), 201).await;
        let path = format!("/api/v1/stops/{stop}/agenda");
        app.post_ok(&hui, &path, &json!({"kind": "welcome", "title": "Welcome", "starts_at": format!("{day}T13:00:00+08:00"), "duration_minutes": 15}), 201).await;
        app.post_ok(&hui, &path, &json!({"talk_id": talk["id"], "starts_at": format!("{day}T13:15:00+08:00")}), 201).await;
        // Overlap: the clash names the items.
        let (status, body) = json(app.post(&hui, &path, &json!({"kind": "break", "title": "Coffee", "starts_at": format!("{day}T13:45:00+08:00"), "duration_minutes": 30})).await).await;
        assert_eq!(status, 409, "{body}");
        assert_eq!(body["error"]["code"], "agenda_clash");
        assert!(body["error"]["message"].as_str().unwrap().contains("OpenStack Foundation"));
        // Outside the stop's hours.
        let (status, body) = json(app.post(&hui, &path, &json!({"kind": "lunch", "title": "Lunch", "starts_at": format!("{day}T12:00:00+08:00"), "duration_minutes": 60})).await).await;
        assert_eq!(status, 422, "{body}");
        assert!(body["error"]["fields"]["starts_at"].is_string());
        let (status, _) = json(app.post(&hui, &path, &json!({"kind": "panel", "title": "Panel", "starts_at": format!("{day}T17:30:00+08:00"), "duration_minutes": 60})).await).await;
        assert_eq!(status, 422, "ends after the stop");
        // Back to back is fine; a break needs no title (it is called by its kind).
        app.post_ok(&hui, &path, &json!({"kind": "break", "title": "Coffee", "starts_at": format!("{day}T14:00:00+08:00"), "duration_minutes": 15}), 201).await;
        let (status, body) = json(app.post(&hui, &path, &json!({"kind": "break", "starts_at": format!("{day}T15:00:00+08:00")})).await).await;
        assert_eq!((status, body["title"].as_str()), (201, Some("Break")), "{body}");
        let (_, agenda) = json(app.get(&hui, &path).await).await;
        assert_eq!(agenda.as_array().unwrap().len(), 4, "nothing refused was saved");
        // Another team cannot touch it.
        let eve = app.organizer("eve@example.org").await;
        let (status, _) = json(app.post(&eve, &path, &json!({"kind": "break", "title": "x", "starts_at": format!("{day}T16:00:00+08:00")})).await).await;
        assert_eq!(status, 404);
    }

    async fn after_publication_only_moved_speakers_are_told_and_the_page_shows_the_change(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let (_, _, stops) = tour_with_cfp(&app, &hui).await;
        let stop = &stops[0];
        let (_, s) = json(app.get(&hui, &format!("/api/v1/stops/{stop}")).await).await;
        let day = s["starts_at_local"].as_str().unwrap()[..10].to_owned();
        let a = app.post_ok(&hui, "/api/v1/speakers", &json!({"name": "Speaker A", "email": "a@example.org"}), 201).await;
        let b = app.post_ok(&hui, "/api/v1/speakers", &json!({"name": "Speaker B", "email": "b@example.org"}), 201).await;
        let ta = app.post_ok(&hui, "/api/v1/talks", &json!({"title": "Talk A", "duration_minutes": 30, "speaker_ids": [a["id"]]}), 201).await;
        let tb = app.post_ok(&hui, "/api/v1/talks", &json!({"title": "Talk B", "duration_minutes": 30, "speaker_ids": [b["id"]]}), 201).await;
        // Only speakers who accepted are told of their slots (and shown).
        accept_all_talks(&app, "a@example.org").await;
        accept_all_talks(&app, "b@example.org").await;
        let path = format!("/api/v1/stops/{stop}/agenda");
        let ia = app.post_ok(&hui, &path, &json!({"talk_id": ta["id"], "starts_at": format!("{day}T13:00:00+08:00")}), 201).await;
        app.post_ok(&hui, &path, &json!({"talk_id": tb["id"], "starts_at": format!("{day}T14:00:00+08:00")}), 201).await;
        app.post(&hui, &format!("{path}/publish"), &json!({})).await;
        app.drain().await;
        let before_b = app.mails_to("b@example.org").len();
        let (status, moved) = json(app.patch(&hui, &format!("/api/v1/agenda/{}", ia["id"].as_str().unwrap()), &json!({"starts_at": format!("{day}T15:00:00+08:00")})).await).await;
        assert_eq!(status, 200, "{moved}");
        app.drain().await;
        let to_a: Vec<_> = app.mails_to("a@example.org").into_iter().filter(|m| m.subject.contains("Talk A") && !m.subject.starts_with("You are asked")).collect();
        assert_eq!(to_a.len(), 1);
        assert!(to_a[0].text.contains("15:00"), "{}", to_a[0].text);
        assert_eq!(app.mails_to("b@example.org").len(), before_b, "B's slot did not move");
        let (_, page) = app.browser().page(&format!("/stops/{stop}")).await;
        assert_eq!(select_text(&page, "ul.changes li"), vec!["Moved: Talk A from 13:00 to 15:00"]);
    }

    async fn speakers_upload_slides_of_each_allowed_type_and_nothing_else(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let (tour_id, _, stops) = tour_with_cfp(&app, &hui).await;
        let p = propose_confirmed(&app, &tour_id, &proposal("Rongze Zhu", "rz@example.org", "Cinder", &stops)).await;
        app.post(&hui, &format!("/api/v1/proposals/{p}/accept"), &json!({"stop_ids": [stops[0]]})).await;
        let (_, agenda) = json(app.get(&hui, &format!("/api/v1/stops/{}/agenda", stops[0])).await).await;
        let item = agenda[0]["id"].as_str().unwrap().to_owned();
        let b = speaker_browser(&app, "rz@example.org").await;
        let (status, page) = b.page("/speaker").await;
        assert_eq!(status, 200);
        let csrf = attr(&page, "input[name=_csrf]", "value").unwrap();
        let upload = |name: &str, bytes: Vec<u8>| {
            let form = reqwest::multipart::Form::new()
                .text("_csrf", csrf.clone())
                .part("file", reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()));
            b.client.post(app.url(&format!("/speaker/slots/{item}/slides"))).multipart(form).send()
        };
        let pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".to_vec();
        let odp = zip_with(&[("mimetype", b"application/vnd.oasis.opendocument.presentation"), ("content.xml", b"<office:document/>")]);
        let pptx = zip_with(&[("[Content_Types].xml", b"<Types/>"), ("ppt/presentation.xml", b"<p:presentation/>")]);
        let key = zip_with(&[("Index/Document.iwa", b"\x00\x01"), ("Metadata/Properties.plist", b"<plist/>")]);
        // Each upload replaces the one before (a slot has one set of slides), and the old
        // file goes with it.
        for (name, bytes, mime) in [("cinder.odp", odp, "application/vnd.oasis.opendocument.presentation"), ("cinder.pptx", pptx, "application/vnd.openxmlformats-officedocument.presentationml.presentation"), ("Cinder 讲解.key", key, "application/x-iwork-keynote-sffkey"), ("cinder.pdf", pdf, "application/pdf")] {
            let res = upload(name, bytes).await.unwrap();
            assert_eq!(res.status(), 303, "{name}");
            let mats = materials_of(&app, &hui, &stops[0]).await;
            assert_eq!(mats.len(), 1, "{mats:?}");
            assert_eq!(mats[0]["content_type"], mime);
            assert_eq!(mats[0]["title"], "Cinder", "the slides keep their talk");
            assert_eq!(std::fs::read_dir(app.data_path.join("uploads/materials")).unwrap().count(), 1, "the replaced file is gone");
        }
        // Downloads carry the type and a safe name.
        let pdf_id = materials_of(&app, &hui, &stops[0]).await[0]["id"].as_str().unwrap().to_owned();
        let res = b.get(&format!("/materials/{pdf_id}/download")).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "application/pdf");
        assert!(res.headers()["content-disposition"].to_str().unwrap().starts_with("attachment; filename=\"cinder.pdf\""));
        assert!(res.bytes().await.unwrap().starts_with(b"%PDF"));
        // Not published: the public cannot download it.
        assert_eq!(app.browser().get(&format!("/materials/{pdf_id}/download")).await.status(), 404);

        // Refused: a renamed executable, a path-traversal name, an empty file.
        let files_before = std::fs::read_dir(app.data_path.join("uploads/materials")).map(|d| d.count()).unwrap_or(0);
        let res = upload("slides.pdf", b"\x7fELF\x02\x01\x01\x00 not slides".to_vec()).await.unwrap();
        assert_eq!(res.status(), 415);
        assert!(res.text().await.unwrap().contains("This file is not a PDF, PowerPoint, Keynote or OpenDocument presentation"), "the page says what is accepted");
        let res = upload("../../etc/passwd.pdf", b"%PDF-1.4\n".to_vec()).await.unwrap();
        assert_eq!(res.status(), 422);
        let files_after = std::fs::read_dir(app.data_path.join("uploads/materials")).map(|d| d.count()).unwrap_or(0);
        assert_eq!(files_after, files_before, "nothing refused was stored");
        assert_eq!(materials_of(&app, &hui, &stops[0]).await[0]["content_type"], "application/pdf", "the slides handed in stay");

        // By the API too, with the documented codes.
        let form = reqwest::multipart::Form::new().text("kind", "slides").text("agenda_item_id", item.clone())
            .part("file", reqwest::multipart::Part::bytes(b"MZ\x90\x00 a windows exe".to_vec()).file_name("deck.pptx"));
        let res = app.api.post(app.url(&format!("/api/v1/stops/{}/materials", stops[0]))).bearer_auth(&hui.token).multipart(form).send().await.unwrap();
        assert_eq!(res.status(), 415);
    }

    async fn a_speakers_link_reaches_their_page_and_no_one_elses(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let (tour_id, _, stops) = tour_with_cfp(&app, &hui).await;
        for (name, email, title) in [("A", "a@example.org", "Talk A"), ("B", "b@example.org", "Talk B")] {
            let p = propose_confirmed(&app, &tour_id, &proposal(name, email, title, &stops[..1])).await;
            app.post(&hui, &format!("/api/v1/proposals/{p}/accept"), &json!({"stop_ids": [stops[0]]})).await;
        }
        let (_, agenda) = json(app.get(&hui, &format!("/api/v1/stops/{}/agenda", stops[0])).await).await;
        let b_item = agenda.as_array().unwrap().iter().find(|i| i["title"] == "Talk B").unwrap()["id"].as_str().unwrap().to_owned();
        let a = speaker_browser(&app, "a@example.org").await;
        let (_, page) = a.page("/speaker").await;
        assert_eq!(select_text(&page, "article.slot h3"), vec!["Talk A"]);
        let csrf = attr(&page, "input[name=_csrf]", "value").unwrap();
        let res = a.post_form(&format!("/speaker/slots/{b_item}/confirm"), &[("_csrf", &csrf)]).await;
        assert_eq!(res.status(), 404, "not A's slot");
        let form = reqwest::multipart::Form::new().text("_csrf", csrf.clone()).part("file", reqwest::multipart::Part::bytes(b"%PDF-1.4\n".to_vec()).file_name("x.pdf"));
        let res = a.client.post(app.url(&format!("/speaker/slots/{b_item}/slides"))).multipart(form).send().await.unwrap();
        assert_eq!(res.status(), 404);
        let (_, agenda) = json(app.get(&hui, &format!("/api/v1/stops/{}/agenda", stops[0])).await).await;
        assert!(agenda.as_array().unwrap().iter().all(|i| i["confirmed"] == false));
        // A confirms their own slot; the organizers see it.
        let a_item = agenda.as_array().unwrap().iter().find(|i| i["title"] == "Talk A").unwrap()["id"].as_str().unwrap().to_owned();
        assert_eq!(a.post_form(&format!("/speaker/slots/{a_item}/confirm"), &[("_csrf", &csrf)]).await.status(), 303);
        let (_, agenda) = json(app.get(&hui, &format!("/api/v1/stops/{}/agenda", stops[0])).await).await;
        assert!(agenda.as_array().unwrap().iter().any(|i| i["title"] == "Talk A" && i["confirmed"] == true));
        // The e-mailed link was used once; an anonymous visitor is sent to ask for a link.
        assert_eq!(app.browser().get("/speaker").await.headers()["location"], "/speaker/login?next=%2Fspeaker");
        // The itinerary feed.
        let res = a.post_form("/speaker/feed", &[("_csrf", &csrf)]).await;
        let html = scraper::Html::parse_document(&res.text().await.unwrap());
        let feed = attr(&html, "input.copy", "value").unwrap();
        let ics = app.browser().get(feed.trim_start_matches(&app.address)).await.text().await.unwrap();
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1);
        assert!(ics.contains("Talk A") && ics.contains("北京 Hall"));
    }
}

#[actix_web::test]
async fn an_oversized_upload_is_refused_and_nothing_stays_behind() {
    let app = spawn_app_with(Backend::Sqlite, |s| s.storage.max_upload_bytes = 64 * 1024)
        .await
        .unwrap();
    let hui = app.organizer("hui@example.org").await;
    let s = app.open_stop(&hui, 10, None, 5).await;
    let form = reqwest::multipart::Form::new().text("kind", "photos").part(
        "file",
        reqwest::multipart::Part::bytes(vec![0xFFu8; 200 * 1024]).file_name("big.jpg"),
    );
    let res = app
        .api
        .post(app.url(&format!("/api/v1/stops/{}/materials", s.stop_id)))
        .bearer_auth(&hui.token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
    let (_, mats) = json(
        app.get(&hui, &format!("/api/v1/stops/{}/materials", s.stop_id))
            .await,
    )
    .await;
    assert_eq!(mats, json!([]));
    let stored = std::fs::read_dir(app.data_path.join("uploads"))
        .unwrap()
        .count();
    assert_eq!(stored, 0);
}

both_backends! {
    async fn concurrent_overlapping_agenda_items_leave_exactly_one(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let (_, _, stops) = tour_with_cfp(&app, &hui).await;
        let stop = &stops[0];
        let (_, s) = json(app.get(&hui, &format!("/api/v1/stops/{stop}")).await).await;
        let day = s["starts_at_local"].as_str().unwrap()[..10].to_owned();
        let path = format!("/api/v1/stops/{stop}/agenda");
        // Three rounds of ten 30-minute breaks at the same time (a race shows up in most rounds).
        for (round, hour) in [14, 15, 16].into_iter().enumerate() {
            let body = json!({"kind": "break", "title": "Coffee", "starts_at": format!("{day}T{hour}:00:00+08:00"), "duration_minutes": 30});
            let results = futures_util::future::join_all((0..10).map(|_| app.post(&hui, &path, &body))).await;
            let statuses: Vec<u16> = results.iter().map(|r| r.status().as_u16()).collect();
            assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 1, "{statuses:?}");
            assert!(statuses.iter().all(|s| *s == 201 || *s == 409), "{statuses:?}");
            let (_, agenda) = json(app.get(&hui, &path).await).await;
            assert_eq!(agenda.as_array().unwrap().len(), round + 1, "{agenda}");
        }
    }
}

/// The proposals the organizers see.
async fn proposals_of(app: &TestApp, who: &Organizer, tour_id: &str) -> serde_json::Value {
    json(
        app.get(who, &format!("/api/v1/tours/{tour_id}/proposals"))
            .await,
    )
    .await
    .1
}

/// The id of the speaker profile with this address (straight from the database).
async fn speaker_id_of(app: &TestApp, email: &str) -> String {
    let email = email.to_owned();
    app.db(move |conn| {
        roadshow::models::speaker::Speaker::find_by_email(conn, &email)
            .unwrap()
            .unwrap()
            .id
    })
    .await
}

#[actix_web::test]
async fn the_call_for_proposals_is_rate_limited() {
    let app = spawn_app_with(Backend::Sqlite, |s| s.abuse.rate_limits = "on".into())
        .await
        .unwrap();
    let hui = app.organizer("hui@example.org").await;
    let (tour_id, slug, stops) = tour_with_cfp(&app, &hui).await;
    let url = app.url(&format!("/api/v1/tours/{tour_id}/proposals"));
    let mut statuses = Vec::new();
    for i in 0..6 {
        let body = proposal(
            "Spammer",
            &format!("victim{i}@example.org"),
            "Claim your prize",
            &stops,
        );
        let res = app.api.post(&url).json(&body).send().await.unwrap();
        statuses.push(res.status().as_u16());
    }
    assert_eq!(
        statuses,
        vec![201, 201, 201, 201, 201, 429],
        "5 a minute by default"
    );
    // The form shares the limit.
    let b = app.browser();
    let res = b
        .client
        .post(app.url(&format!("/tours/{slug}/cfp")))
        .header("origin", &app.address)
        .form(&[
            ("name", "Spammer"),
            ("email", "victim9@example.org"),
            ("title", "Prize"),
            ("duration_minutes", "30"),
            ("stop_ids", stops[0].as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 429);
    app.drain().await;
    assert_eq!(
        app.mail_files().len(),
        5,
        "one mail per accepted submission, none for the refused"
    );
}

both_backends! {
    async fn a_proposal_mails_only_its_submitter_until_confirmed(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let (tour_id, _, stops) = tour_with_cfp(&app, &hui).await;
        let mut body = proposal("Rongze Zhu", "rz@example.org", "Cinder in production", &stops);
        body["co_speakers"] = json!([{"name": "Co Speaker", "email": "co@example.org"}]);
        let (status, p) = json(app.api.post(app.url(&format!("/api/v1/tours/{tour_id}/proposals"))).json(&body).send().await.unwrap()).await;
        assert_eq!((status, &p["confirmed"]), (201, &json!(false)), "{p}");
        app.drain().await;
        let files = app.mail_files();
        assert_eq!(files.len(), 1, "exactly one e-mail");
        let mail = Mail::parse(&files[0]);
        assert!(mail.to.contains("rz@example.org") && mail.subject.contains("confirm"), "{mail:?}");

        assert_eq!(proposals_of(&app, &hui, &tour_id).await, json!([]), "organizers do not see it yet");
        let b = app.signed_in_browser(&hui).await;
        let (_, page) = b.page(&format!("/manage/tours/{tour_id}/proposals")).await;
        assert!(select_text(&page, "article h2").is_empty());
        // Opening the link (as a mail scanner does) changes nothing.
        let path = mail.link("/speaker/proposals/confirm/").trim_start_matches(&app.address).to_owned();
        for _ in 0..2 {
            let (status, page) = app.browser().page(&path).await;
            assert_eq!(status, 200);
            assert!(page.root_element().text().collect::<String>().contains("Cinder in production"));
        }
        app.drain().await;
        assert_eq!(app.mail_files().len(), 1);
        assert_eq!(proposals_of(&app, &hui, &tour_id).await, json!([]));
        let co_id = speaker_id_of(&app, "co@example.org").await;
        assert_eq!(app.browser().get(&format!("/speakers/{co_id}")).await.status(), 404);
        // The button confirms: the organizers see it, the co-speaker is asked.
        let speaker = confirm_proposal(&app, "rz@example.org").await;
        let got = proposals_of(&app, &hui, &tour_id).await;
        assert_eq!(got.as_array().unwrap().len(), 1, "{got}");
        let people: Vec<(String, bool)> = got[0]["talk"]["speakers"].as_array().unwrap().iter().map(|s| (s["name"].as_str().unwrap().to_owned(), s["accepted"].as_bool().unwrap())).collect();
        assert_eq!(people, vec![("Rongze Zhu".to_owned(), true), ("Co Speaker".to_owned(), false)]);
        app.drain().await;
        let to_co = app.mails_to("co@example.org");
        assert_eq!(to_co.len(), 1);
        assert!(to_co[0].text.contains("Rongze Zhu") && to_co[0].text.contains("/speaker/enter/"), "{}", to_co[0].text);
        assert_eq!(speaker.get("/speaker").await.status(), 200, "the submitter is signed in");
        // The link was used.
        let b = app.browser();
        assert_eq!(b.get(&path).await.status(), 404);
        let csrf = b.csrf_of("/speaker/login").await;
        assert_eq!(b.post_form(&path, &[("_csrf", &csrf)]).await.status(), 404);
        // Accepted and published: the co-speaker is not named until they accept.
        let pid = got[0]["id"].as_str().unwrap();
        app.post_ok(&hui, &format!("/api/v1/proposals/{pid}/accept"), &json!({"stop_ids": [stops[0]]}), 200).await;
        app.post(&hui, &format!("/api/v1/stops/{}/agenda/publish", stops[0]), &json!({})).await;
        let (_, page) = app.browser().page(&format!("/stops/{}", stops[0])).await;
        let rows = select_text(&page, "ol.agenda li");
        assert!(rows[0].contains("Rongze Zhu") && !rows[0].contains("Co Speaker"), "{rows:?}");
        assert_eq!(app.browser().get(&format!("/speakers/{co_id}")).await.status(), 404);
        accept_all_talks(&app, "co@example.org").await;
        let (_, page) = app.browser().page(&format!("/stops/{}", stops[0])).await;
        assert!(select_text(&page, "ol.agenda li")[0].contains("Co Speaker"));
        assert_eq!(app.browser().get(&format!("/speakers/{co_id}")).await.status(), 200);
    }

    async fn a_strangers_proposal_neither_seeds_nor_changes_a_speakers_profile(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let (tour_id, _, stops) = tour_with_cfp(&app, &hui).await;
        let url = app.url(&format!("/api/v1/tours/{tour_id}/proposals"));
        let scam = json!({
            "speaker": {"name": "Prof. Real Person (sponsored by ScamCoin)", "email": "real.person@university.example", "bio": "Buy ScamCoin at http://scam.example"},
            "title": "Claim your prize", "duration_minutes": 30, "stop_ids": [stops[0]]
        });
        assert_eq!(app.api.post(&url).json(&scam).send().await.unwrap().status(), 201);
        let id = speaker_id_of(&app, "real.person@university.example").await;
        assert_eq!(app.browser().get(&format!("/speakers/{id}")).await.status(), 404, "no public profile");
        // One address is mailed a few times an hour at most.
        for _ in 0..2 {
            assert_eq!(app.api.post(&url).json(&scam).send().await.unwrap().status(), 201);
        }
        assert_eq!(app.api.post(&url).json(&scam).send().await.unwrap().status(), 429);
        app.drain().await;
        assert_eq!(app.mails_to("real.person@university.example").len(), 3);
        // An organizer adds the real person: their data wins, and nothing of the form is shown.
        let eve = app.organizer("eve@example.org").await;
        let (status, sp) = json(app.post(&eve, "/api/v1/speakers", &json!({"name": "Real Person", "email": "real.person@university.example", "affiliation": "University"})).await).await;
        assert_eq!(status, 200, "{sp}");
        assert_eq!((sp["id"].as_str(), sp["name"].as_str(), sp["bio"].as_str(), sp["profile_hidden"].as_bool()), (Some(id.as_str()), Some("Real Person"), Some(""), Some(false)), "{sp}");
        // Once confirmed, a stranger's form changes nothing either.
        let again = json!({
            "speaker": {"name": "Hacked Name", "email": "real.person@university.example", "bio": "Hacked bio"},
            "title": "Another prize", "duration_minutes": 30, "stop_ids": [stops[0]]
        });
        app.db(|conn| {
            use diesel::prelude::*;
            use roadshow::db::schema::proposals;
            diesel::delete(proposals::table.filter(proposals::confirmed_at.is_null())).execute(conn).unwrap();
        }).await;
        assert_eq!(app.api.post(&url).json(&again).send().await.unwrap().status(), 201);
        let (_, sp) = json(app.post(&eve, "/api/v1/speakers", &json!({"name": "x", "email": "real.person@university.example"})).await).await;
        let stored = app.db(|conn| roadshow::models::speaker::Speaker::find_by_email(conn, "real.person@university.example").unwrap().unwrap()).await;
        assert_eq!((stored.name.as_str(), stored.bio.as_str()), ("Real Person", ""));
        assert_eq!(sp["profile_hidden"], true, "eve does not work with them yet: {sp}");
    }

    async fn a_speaker_appears_on_another_tours_agenda_only_after_accepting(app: TestApp) {
        let alice = app.organizer("alice@example.org").await;
        let (tour_id, _, stops) = tour_with_cfp(&app, &alice).await;
        let mut body = proposal("Speaker Sue", "sue@example.org", "Cinder in production", &stops[..1]);
        body["speaker"]["bio"] = json!("Sue's private notes");
        let p = propose_confirmed(&app, &tour_id, &body).await;
        let accepted = app.post_ok(&alice, &format!("/api/v1/proposals/{p}/accept"), &json!({"stop_ids": [stops[0]]}), 200).await;
        let sue = accepted["talk"]["speakers"][0]["id"].as_str().unwrap().to_owned();
        let alice_talk = accepted["talk"]["id"].as_str().unwrap().to_owned();
        app.post(&alice, &format!("/api/v1/stops/{}/agenda/publish", stops[0]), &json!({})).await;
        assert_eq!(app.browser().get(&format!("/speakers/{sue}")).await.status(), 200);

        // Dave looks Sue up by address: he learns an id, nothing else.
        let dave = app.organizer("dave@example.org").await;
        let (status, found) = json(app.post(&dave, "/api/v1/speakers", &json!({"name": "Sue?", "email": "sue@example.org"})).await).await;
        assert_eq!(status, 200);
        assert_eq!(found, json!({"id": sue, "name": "", "email": "sue@example.org", "affiliation": "", "bio": "", "profile_hidden": true}));
        // He names her on his talk, on his published agenda, and reuses Alice's talk too.
        let d = app.open_stop(&dave, 100, None, 30).await;
        let (_, s) = json(app.get(&dave, &format!("/api/v1/stops/{}", d.stop_id)).await).await;
        let talk = app.post_ok(&dave, "/api/v1/talks", &json!({"title": "Why you should buy CryptoScamCoin", "duration_minutes": 30, "speaker_ids": [sue]}), 201).await;
        assert_eq!(talk["speakers"][0]["accepted"], false);
        let path = format!("/api/v1/stops/{}/agenda", d.stop_id);
        app.post_ok(&dave, &path, &json!({"talk_id": talk["id"], "starts_at": s["starts_at"]}), 201).await;
        let start = chrono::DateTime::parse_from_rfc3339(s["starts_at"].as_str().unwrap()).unwrap() + chrono::Duration::hours(1);
        let reused = app.post_ok(&dave, &path, &json!({"talk_id": alice_talk, "starts_at": start.to_rfc3339()}), 201).await;
        assert_ne!(reused["talk"]["id"], alice_talk.as_str(), "another tour gets its own copy of the talk");
        assert_eq!(reused["talk"]["speakers"][0]["accepted"], false);
        app.post(&dave, &format!("{path}/publish"), &json!({})).await;
        let stop_page = || async { select_text(&app.browser().page(&format!("/stops/{}", d.stop_id)).await.1, "ol.agenda li") };
        let rows = stop_page().await;
        assert_eq!(rows.len(), 2);
        assert!(rows.iter().all(|r| !r.contains("Speaker Sue") && r.contains("Speaker to be confirmed")), "{rows:?}");
        let profile = app.browser().get(&format!("/speakers/{sue}")).await.text().await.unwrap();
        assert!(!profile.contains("CryptoScamCoin") && !profile.contains(&d.tour_id), "{profile}");
        // Dave's speaker page: no address, and his API calls never showed the bio.
        let b = app.signed_in_browser(&dave).await;
        let page = b.get(&format!("/manage/speakers/{sue}")).await.text().await.unwrap();
        assert!(!page.contains("sue@example.org"), "{page}");
        let (_, agenda) = json(app.get(&dave, &path).await).await;
        assert!(!agenda.to_string().contains("sue@example.org") && !agenda.to_string().contains("private notes"));

        // Sue is asked by e-mail; she accepts the scam talk on her own page.
        app.drain().await;
        let asked: Vec<Mail> = app.mails_to("sue@example.org").into_iter().filter(|m| m.subject.starts_with("You are asked")).collect();
        assert_eq!(asked.len(), 2, "one per talk");
        let sb = speaker_browser(&app, "sue@example.org").await;
        let (_, own) = sb.page("/speaker").await;
        let titles = select_text(&own, "article.invitation h3");
        assert_eq!(titles.len(), 2, "{titles:?}");
        let csrf = attr(&own, "input[name=_csrf]", "value").unwrap();
        let tid = talk["id"].as_str().unwrap();
        assert_eq!(sb.post_form(&format!("/speaker/talks/{tid}/accept"), &[("_csrf", &csrf)]).await.status(), 303);
        let rid = reused["talk"]["id"].as_str().unwrap();
        assert_eq!(sb.post_form(&format!("/speaker/talks/{rid}/decline"), &[("_csrf", &csrf)]).await.status(), 303);
        let rows = stop_page().await;
        assert!(rows.iter().any(|r| r.contains("CryptoScamCoin") && r.contains("Speaker Sue")), "{rows:?}");
        assert!(rows.iter().any(|r| r.contains("Cinder in production") && !r.contains("Speaker Sue")), "declined: {rows:?}");
        let profile = app.browser().get(&format!("/speakers/{sue}")).await.text().await.unwrap();
        assert!(profile.contains("CryptoScamCoin"));
        // Now Dave works with her.
        let (_, found) = json(app.post(&dave, "/api/v1/speakers", &json!({"name": "Sue?", "email": "sue@example.org"})).await).await;
        assert_eq!((found["name"].as_str(), found["profile_hidden"].as_bool()), (Some("Speaker Sue"), Some(false)));
    }

    async fn a_speakers_sign_in_link_waits_for_the_button(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let sp = app.post_ok(&hui, "/api/v1/speakers", &json!({"name": "Rongze Zhu", "email": "rz@example.org"}), 201).await;
        app.post_ok(&hui, "/api/v1/talks", &json!({"title": "Cinder", "duration_minutes": 30, "speaker_ids": [sp["id"]]}), 201).await;
        app.drain().await;
        let mail = app.mails_to("rz@example.org").pop().unwrap();
        let path = mail.link("/speaker/enter/").trim_start_matches(&app.address).to_owned();
        let b = app.browser();
        for _ in 0..2 {
            let (status, page) = b.page(&path).await;
            assert_eq!(status, 200, "GET shows the button");
            assert_eq!(attr(&page, "main form", "method").as_deref(), Some("post"));
        }
        assert_eq!(b.get("/speaker").await.status(), 303, "a GET signs nobody in");
        let csrf = b.csrf_of(&path).await;
        let res = b.post_form(&path, &[("_csrf", &csrf)]).await;
        assert_eq!((res.status().as_u16(), res.headers()["location"].to_str().unwrap()), (303, "/speaker"));
        assert_eq!(b.get("/speaker").await.status(), 200);
        let other = app.browser();
        let csrf = other.csrf_of("/speaker/login").await;
        assert_eq!(other.post_form(&path, &[("_csrf", &csrf)]).await.status(), 404, "single use");
        assert_eq!(other.get(&path).await.status(), 404);
    }
}

/// A used or expired link's page: 404 (the link leads nowhere now), saying so, with a form
/// that asks for the address and posts it to `action`. The form's CSRF token.
pub(crate) async fn assert_spent(b: &Browser, path: &str, action: &str) -> String {
    let (status, page) = b.page(path).await;
    assert_eq!(status, 404, "GET {path}");
    assert_eq!(
        select_text(&page, "h1"),
        vec!["This link no longer works"],
        "{path}"
    );
    assert!(
        select_text(&page, "main p.lead")
            .iter()
            .any(|t| t.contains("used already") && t.contains("expired")),
        "{path}: says why"
    );
    assert_eq!(
        attr(&page, "main form", "action").as_deref(),
        Some(action),
        "{path}"
    );
    assert_eq!(
        attr(&page, "main form input[name=email]", "type").as_deref(),
        Some("email")
    );
    attr(&page, "main form input[name=_csrf]", "value").unwrap()
}

/// Makes every unused link of `purpose` expired (as if its hours had passed).
pub(crate) async fn expire_links(app: &TestApp, purpose: &'static str) {
    app.db(move |conn| {
        use diesel::prelude::*;
        use roadshow::db::schema::magic_links;
        diesel::update(magic_links::table.filter(magic_links::purpose.eq(purpose)))
            .set(magic_links::expires_at.eq(roadshow::db::now() - chrono::Duration::minutes(1)))
            .execute(conn)
            .unwrap();
    })
    .await;
}

/// The path of the latest mailed link to `email` containing `fragment`.
async fn mailed_path(app: &TestApp, email: &str, fragment: &str) -> String {
    app.drain().await;
    app.mails_to(email)
        .into_iter()
        .rev()
        .find(|m| m.text.contains(fragment))
        .unwrap_or_else(|| panic!("no mail with {fragment} to {email}"))
        .link(fragment)
        .trim_start_matches(&app.address)
        .to_owned()
}

both_backends! {
    async fn a_used_or_expired_speaker_link_shows_why_and_sends_a_fresh_one(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let (tour_id, slug, stops) = tour_with_cfp(&app, &hui).await;
        // The call for proposals leads to the sign-in page.
        let (_, cfp) = app.browser().page(&format!("/tours/{slug}/cfp")).await;
        assert_eq!(attr(&cfp, "main a[href=\"/speaker/login\"]", "href").as_deref(), Some("/speaker/login"));
        let url = app.url(&format!("/api/v1/tours/{tour_id}/proposals"));
        app.api.post(&url).json(&proposal("Rongze Zhu", "rz@example.org", "Cinder", &stops)).send().await.unwrap();
        let confirm = mailed_path(&app, "rz@example.org", "/speaker/proposals/confirm/").await;
        // Every speaker e-mail says where to get a new link.
        let mail = app.mails_to("rz@example.org").pop().unwrap();
        assert!(mail.text.contains(&format!("Link used or expired? Get a new one: {}/speaker/login", app.address)), "{}", mail.text);
        assert!(mail.text.contains("The link works once, for 2 days."), "{}", mail.text);
        confirm_proposal(&app, "rz@example.org").await;

        // The confirmation link, used: GET and POST show why, with the form.
        let b = app.browser();
        let csrf = assert_spent(&b, &confirm, "/speaker/login").await;
        let res = b.post_form(&confirm, &[("_csrf", &csrf)]).await;
        assert_eq!(res.status(), 404);
        assert!(res.text().await.unwrap().contains("This link no longer works"));
        // The form: the same answer for a speaker and a stranger; only the speaker gets mail.
        for who in ["rz@example.org", "nobody@example.org"] {
            let res = b.post_form("/speaker/login", &[("_csrf", &csrf), ("email", who)]).await;
            assert_eq!(res.status(), 200);
            assert!(res.text().await.unwrap().contains("If this address belongs to a speaker, a link is on its way."), "{who}");
        }
        app.drain().await;
        assert!(app.mails_to("nobody@example.org").is_empty());
        let enter = mailed_path(&app, "rz@example.org", "/speaker/enter/").await;
        // A sign-in link: used once, then the page that sends a fresh one.
        let (b2, to) = press_link(&app, "rz@example.org", "/speaker/enter/").await;
        assert_eq!(to, "/speaker");
        drop(b2);
        assert_spent(&app.browser(), &enter, "/speaker/login").await;
        // Expired before use: the same.
        let b3 = app.browser();
        let csrf = b3.csrf_of("/speaker/login").await;
        b3.post_form("/speaker/login", &[("_csrf", &csrf), ("email", "rz@example.org")]).await;
        let fresh = mailed_path(&app, "rz@example.org", "/speaker/enter/").await;
        assert_ne!(fresh, enter);
        expire_links(&app, "speaker").await;
        assert_spent(&app.browser(), &fresh, "/speaker/login").await;
    }

    async fn an_expired_proposal_confirmation_is_sent_again_from_the_sign_in_page(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let (tour_id, _, stops) = tour_with_cfp(&app, &hui).await;
        let url = app.url(&format!("/api/v1/tours/{tour_id}/proposals"));
        app.api.post(&url).json(&proposal("Rongze Zhu", "rz@example.org", "Cinder", &stops)).send().await.unwrap();
        let old = mailed_path(&app, "rz@example.org", "/speaker/proposals/confirm/").await;
        expire_links(&app, "proposal_confirm").await;
        let b = app.browser();
        let csrf = assert_spent(&b, &old, "/speaker/login").await;
        b.post_form("/speaker/login", &[("_csrf", &csrf), ("email", "rz@example.org")]).await;
        let fresh = mailed_path(&app, "rz@example.org", "/speaker/proposals/confirm/").await;
        assert_ne!(fresh, old, "a fresh confirmation link");
        assert_eq!(proposals_of(&app, &hui, &tour_id).await, json!([]));
        confirm_proposal(&app, "rz@example.org").await;
        assert_eq!(proposals_of(&app, &hui, &tour_id).await.as_array().unwrap().len(), 1, "the proposal counts");
    }

    async fn speakers_see_edit_and_withdraw_their_proposals_until_they_are_decided(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let (tour_id, _, stops) = tour_with_cfp(&app, &hui).await;
        let (_, sent) = json(app.api.post(app.url(&format!("/api/v1/tours/{tour_id}/proposals"))).json(&proposal("Rongze Zhu", "rz@example.org", "Cinder", &stops)).send().await.unwrap()).await;
        let p = sent["id"].as_str().unwrap().to_owned();
        let b = confirm_proposal(&app, "rz@example.org").await;
        let (_, page) = b.page("/speaker").await;
        crate::volunteers::assert_valid_ids(&page);
        assert_eq!(select_text(&page, "article.proposal h3"), vec!["Cinder Proposed"]);
        // No dead link to a public profile before a talk is on a published agenda.
        assert!(attr(&page, "main a[href^=\"/speakers/\"]", "href").is_none());
        assert!(select_text(&page, "main p.hint").iter().any(|t| t.contains("Your public profile appears once")));
        let edit = format!("/speaker/proposals/{p}/edit");
        let withdraw = format!("/speaker/proposals/{p}/withdraw");
        assert!(attr(&page, &format!("article.proposal details form[action=\"{edit}\"]"), "action").is_some());
        assert!(attr(&page, &format!("article.proposal details.confirm form[action=\"{withdraw}\"]"), "action").is_some(), "withdrawing asks first");
        let csrf = attr(&page, "input[name=_csrf]", "value").unwrap();
        // Bad input marks the fields of that form.
        let res = b.post_form(&edit, &[("_csrf", &csrf), ("title", ""), ("abstract", "x"), ("duration_minutes", "2")]).await;
        assert_eq!(res.status(), 422);
        let html = scraper::Html::parse_document(&res.text().await.unwrap());
        assert_eq!(attr(&html, &format!("#proposal-{p}-title"), "aria-invalid").as_deref(), Some("true"));
        assert_eq!(attr(&html, &format!("#proposal-{p}-duration_minutes"), "aria-invalid").as_deref(), Some("true"));
        assert!(attr(&html, "details.edit", "open").is_some(), "the form stays open");
        // Saved: the organizers see the new text.
        let res = b.post_form(&edit, &[("_csrf", &csrf), ("title", "Cinder at scale"), ("abstract", "**New** abstract"), ("duration_minutes", "40")]).await;
        assert_eq!(res.status(), 303);
        let list = proposals_of(&app, &hui, &tour_id).await;
        assert_eq!((list[0]["talk"]["title"].as_str(), list[0]["talk"]["duration_minutes"].as_i64()), (Some("Cinder at scale"), Some(40)), "{list}");
        let org = app.signed_in_browser(&hui).await;
        let (_, review) = org.page(&format!("/manage/tours/{tour_id}/proposals")).await;
        assert!(select_text(&review, "article p.edited")[0].starts_with("Edited by its speakers"));
        // Withdrawn: the organizers see it and cannot accept it any more.
        assert_eq!(b.post_form(&withdraw, &[("_csrf", &csrf)]).await.status(), 303);
        assert_eq!(proposals_of(&app, &hui, &tour_id).await[0]["status"], "withdrawn");
        let (status, body) = json(app.post(&hui, &format!("/api/v1/proposals/{p}/accept"), &json!({"stop_ids": [stops[0]]})).await).await;
        assert_eq!((status, body["error"]["code"].as_str()), (409, Some("proposal_withdrawn")));
        let (_, page) = b.page("/speaker").await;
        assert_eq!(select_text(&page, "article.proposal h3"), vec!["Cinder at scale Withdrawn"]);
        assert!(attr(&page, &format!("form[action=\"{edit}\"]"), "action").is_none(), "decided: no more edits");
        let res = b.post_form(&edit, &[("_csrf", &csrf), ("title", "Again"), ("duration_minutes", "30")]).await;
        assert_eq!(res.status(), 409);
        assert_eq!(proposals_of(&app, &hui, &tour_id).await[0]["talk"]["title"], "Cinder at scale");

        // Another, accepted and on a published agenda: the public profile link works.
        let p2 = propose_confirmed(&app, &tour_id, &proposal("Rongze Zhu", "rz@example.org", "Swift", &stops)).await;
        app.post_ok(&hui, &format!("/api/v1/proposals/{p2}/accept"), &json!({"stop_ids": [stops[0]]}), 200).await;
        let (_, page) = b.page("/speaker").await;
        assert!(attr(&page, "main a[href^=\"/speakers/\"]", "href").is_none(), "not before the agenda is published");
        app.post(&hui, &format!("/api/v1/stops/{}/agenda/publish", stops[0]), &json!({})).await;
        let (_, page) = b.page("/speaker").await;
        let profile = attr(&page, "main a[href^=\"/speakers/\"]", "href").expect("the profile link");
        assert_eq!(app.browser().get(&profile).await.status(), 200);
    }
}
