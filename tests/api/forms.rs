//! Exports, the call for proposals and proposals, the agenda builder, request logs.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use serde_json::json;

use crate::both_backends;
use crate::helpers::*;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A CSV download's rows, checking it starts with the byte-order mark Excel needs.
async fn csv_rows(res: reqwest::Response) -> Vec<Vec<String>> {
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    let bytes = res.bytes().await.unwrap();
    let body = bytes
        .strip_prefix(BOM)
        .expect("a UTF-8 byte-order mark first");
    assert!(!body.starts_with(BOM), "one mark only");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// A workbook download's rows, read with calamine (not the crate that wrote it): numbers as
/// the text the CSV has.
async fn xlsx_rows(res: reqwest::Response, sheet: &str, filename: &str) -> Vec<Vec<String>> {
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], XLSX);
    assert_eq!(
        res.headers()["content-disposition"],
        format!("attachment; filename=\"{filename}\"")
    );
    let bytes = res.bytes().await.unwrap();
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
    assert_eq!(book.sheet_names(), vec![sheet.to_owned()]);
    let range = book.worksheet_range(sheet).unwrap();
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::Empty => String::new(),
                    Data::String(s) => s.clone(),
                    Data::Float(f) => f.to_string(),
                    Data::Int(i) => i.to_string(),
                    other => panic!("unexpected cell {other:?}"),
                })
                .collect()
        })
        .collect()
}

/// The CSV's cell as a spreadsheet shows it: the formula guard's quote off, numbers as numbers.
fn as_shown(cell: &str) -> String {
    if let Ok(n) = cell.parse::<f64>()
        && !(cell.len() > 1 && cell.starts_with('0') && !cell.starts_with("0."))
    {
        return n.to_string();
    }
    cell.strip_prefix('\'').unwrap_or(cell).to_owned()
}

fn same_table(csv: &[Vec<String>], xlsx: &[Vec<String>]) {
    assert_eq!(csv.len(), xlsx.len(), "{csv:?}\n{xlsx:?}");
    for (c, x) in csv.iter().zip(xlsx) {
        let shown: Vec<String> = c.iter().map(|cell| as_shown(cell)).collect();
        assert_eq!(&shown, x);
    }
}

both_backends! {
    async fn every_csv_has_a_byte_order_mark_and_an_xlsx_with_the_same_cells_beside_it(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 40, None, 10).await;
        for (name, email) in [("王小明", "wang@example.org"), ("=1+2", "=sum@example.org"), ("Ann", "ann@example.org")] {
            let (status, body) = app.register(&s.stop_id, name, email).await;
            assert_eq!(status, 201, "{body}");
        }
        let b = app.signed_in_browser(&hui).await;

        // The organizers' page: both links, and the same filtered list in both files.
        let base = format!("/manage/stops/{}/registrations", s.stop_id);
        let (_, page) = b.page(&base).await;
        assert!(attr(&page, "a[href*='registrations.xlsx?']", "href").is_some(), "the list links its workbook");
        let csv = csv_rows(b.get(&format!("{base}.csv")).await).await;
        let xlsx = xlsx_rows(b.get(&format!("{base}.xlsx")).await, "registrations", "registrations.xlsx").await;
        assert_eq!(csv.len(), 4);
        assert_eq!(csv[0][..3], ["id", "name", "email"]);
        assert!(csv.iter().any(|r| r[1] == "王小明"), "{csv:?}");
        assert!(xlsx.iter().any(|r| r[1] == "=1+2"), "a text cell, never a formula: {xlsx:?}");
        same_table(&csv, &xlsx);
        let filtered = xlsx_rows(b.get(&format!("{base}.xlsx?q=wang")).await, "registrations", "registrations.xlsx").await;
        assert_eq!(filtered.len(), 2, "the list's filter applies: {filtered:?}");

        // The API: ?format=xlsx, the same as its CSV; an unknown format names the parameter.
        let api = format!("/api/v1/stops/{}/registrations", s.stop_id);
        let csv = csv_rows(app.get(&hui, &format!("{api}?format=csv")).await).await;
        let xlsx = xlsx_rows(app.get(&hui, &format!("{api}?format=xlsx")).await, "registrations", "registrations.xlsx").await;
        same_table(&csv, &xlsx);
        let (status, body) = json(app.get(&hui, &format!("{api}?format=pdf")).await).await;
        assert_eq!(status, 400, "{body}");
        assert!(body["error"]["fields"]["format"].is_string(), "{body}");
        let (status, list) = json(app.get(&hui, &format!("{api}?format=json")).await).await;
        assert_eq!((status, list.as_array().unwrap().len()), (200, 3));

        // The report, for the team and (once published) for the public.
        let report = format!("/manage/tours/{}/report", s.tour_id);
        let (_, page) = b.page(&report).await;
        assert!(attr(&page, "a[href$='report.xlsx']", "href").is_some());
        let csv = csv_rows(b.get(&format!("{report}.csv")).await).await;
        let xlsx = xlsx_rows(b.get(&format!("{report}.xlsx")).await, "report", "tour-report.xlsx").await;
        assert_eq!(csv[1][0], "北京");
        same_table(&csv, &xlsx);
        assert_eq!(b.get(&format!("{report}.pdf")).await.status(), 404);
    }

    async fn the_workbooks_are_as_private_as_the_csvs(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 40, None, 10).await;
        app.register(&s.stop_id, "王小明", "wang@example.org").await;
        let eve = app.organizer("eve@example.org").await;
        let eve_b = app.signed_in_browser(&eve).await;
        for path in [format!("/manage/stops/{}/registrations.xlsx", s.stop_id), format!("/manage/tours/{}/report.xlsx", s.tour_id)] {
            assert_eq!(eve_b.get(&path).await.status(), 404, "{path}");
            assert_eq!(app.browser().get(&path).await.status(), 303, "{path}: signed out goes to sign in");
        }
        let res = app.get(&eve, &format!("/api/v1/stops/{}/registrations?format=xlsx", s.stop_id)).await;
        assert_eq!(res.status(), 404);
        // A report not yet published has no public workbook.
        let tour = json(app.get(&hui, &format!("/api/v1/tours/{}", s.tour_id)).await).await.1;
        let slug = tour["slug"].as_str().unwrap();
        assert_eq!(app.browser().get(&format!("/tours/{slug}/report.xlsx")).await.status(), 404);
    }

    async fn the_time_zone_list_is_canonical_grouped_by_region_and_starts_where_the_tour_is(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let tour = app.create_tour(&hui, "Tour").await;
        let tour_id = tour["id"].as_str().unwrap();
        app.create_venue(&hui, "Hall", "Berlin", 50).await;
        let b = app.signed_in_browser(&hui).await;
        let form = format!("/manage/tours/{tour_id}/stops/new");
        let (status, page) = b.page(&form).await;
        assert_eq!(status, 200);
        let values: Vec<String> = page
            .select(&scraper::Selector::parse("select[name=timezone] option").unwrap())
            .map(|o| o.value().attr("value").unwrap().to_owned())
            .collect();
        for legacy in ["PRC", "Cuba", "US/Pacific", "Asia/Calcutta", "Etc/GMT+3"] {
            assert!(!values.iter().any(|v| v == legacy), "{legacy} offered");
        }
        for canonical in ["Asia/Shanghai", "Europe/Berlin", "America/New_York", "UTC"] {
            assert!(values.iter().any(|v| v == canonical), "{canonical} missing");
        }
        assert!(values.len() < 450, "{} zones", values.len());
        let groups: Vec<String> = page
            .select(&scraper::Selector::parse("select[name=timezone] optgroup").unwrap())
            .map(|g| g.value().attr("label").unwrap().to_owned())
            .collect();
        assert_eq!(groups[..3], ["Asia", "Europe", "Americas"]);
        // The library's venues are all in Berlin: the form starts there.
        assert_eq!(attr(&page, "select[name=timezone] option[selected]", "value").as_deref(), Some("Europe/Berlin"));
        // Once the tour has a stop, a new one starts in its zone.
        let venue = app.create_venue(&hui, "Café", "Tokyo", 30).await;
        app.post_ok(&hui, &format!("/api/v1/tours/{tour_id}/stops"), &json!({
            "city": "Tokyo", "starts_at": "2030-05-01T10:00:00+09:00", "ends_at": "2030-05-01T17:00:00+09:00",
            "timezone": "Asia/Tokyo", "venue_id": venue["id"], "status": "open"
        }), 201).await;
        let (_, page) = b.page(&form).await;
        assert_eq!(attr(&page, "select[name=timezone] option[selected]", "value").as_deref(), Some("Asia/Tokyo"));
        // A stop saved with an old name keeps it when edited.
        let old = app.post_ok(&hui, &format!("/api/v1/tours/{tour_id}/stops"), &json!({
            "city": "Shanghai", "starts_at": "2030-06-01T10:00:00+08:00", "ends_at": "2030-06-01T17:00:00+08:00",
            "timezone": "PRC", "venue_id": venue["id"]
        }), 201).await;
        let (status, page) = b.page(&format!("/manage/stops/{}/edit", old["id"].as_str().unwrap())).await;
        assert_eq!(status, 200);
        assert_eq!(attr(&page, "select[name=timezone] option[selected]", "value").as_deref(), Some("PRC"));
        // In Chinese, the regions are named in Chinese.
        let zh = b.get("/lang/zh-CN").await;
        assert!(zh.status().is_redirection());
        let (_, page) = b.page(&form).await;
        assert_eq!(attr(&page, "select[name=timezone] optgroup", "label").as_deref(), Some("亚洲"));
    }

    async fn a_break_needs_no_title_placed_talks_are_not_offered_again_and_items_move_up_and_down(app: TestApp) {
        use crate::speakers::{proposal, propose_confirmed, tour_with_cfp};
        let hui = app.organizer("hui@example.org").await;
        let (tour_id, _, stops) = tour_with_cfp(&app, &hui).await;
        let stop = &stops[0];
        let (_, detail) = json(app.get(&hui, &format!("/api/v1/stops/{stop}")).await).await;
        let day = detail["starts_at_local"].as_str().unwrap()[..10].to_owned();
        let a = propose_confirmed(&app, &tour_id, &proposal("Rongze Zhu", "rz@example.org", "Cinder in production", &stops[..1])).await;
        propose_confirmed(&app, &tour_id, &proposal("Ann Lee", "ann@example.org", "Swift at scale", &stops[..1])).await;
        let (status, _) = json(app.post(&hui, &format!("/api/v1/proposals/{a}/accept"), &json!({"stop_ids": [stop], "message": ""})).await).await;
        assert_eq!(status, 200, "placed at 13:00");

        let b = app.signed_in_browser(&hui).await;
        let base = format!("/manage/stops/{stop}/agenda");
        let csrf = b.csrf_of(&base).await;
        for (kind, title, at, minutes) in [("break", "", "14:00", "15"), ("lunch", "Lunch together", "14:30", "60")] {
            let res = b.post_form(&base, &[("_csrf", &csrf), ("talk_id", ""), ("kind", kind), ("title", title), ("starts_at", &format!("{day}T{at}")), ("duration_minutes", minutes)]).await;
            assert_eq!(res.status(), 303, "{kind} without a title is fine");
        }
        let (_, page) = b.page(&base).await;
        let rows = select_text(&page, "table.agenda tbody tr");
        assert_eq!(rows.len(), 3, "{rows:?}");
        assert!(rows[1].contains("Break") && !rows[1].contains("(Break)"), "called by its kind, once: {rows:?}");
        // The talk already placed is not offered again; the one still to place is.
        let offered = select_text(&page, "select[name=talk_id] option");
        assert!(!offered.iter().any(|o| o.contains("Cinder in production")), "{offered:?}");
        assert!(offered.iter().any(|o| o.contains("Swift at scale")), "{offered:?}");

        // Lunch moves earlier: it starts where the break did, the break follows after the
        // same gap and ends where lunch ended.
        let agenda_of = || async {
            let (_, agenda) = json(app.get(&hui, &format!("/api/v1/stops/{stop}/agenda")).await).await;
            agenda.as_array().unwrap().iter().map(|i| {
                let start = chrono::DateTime::parse_from_rfc3339(i["starts_at"].as_str().unwrap()).unwrap();
                let end = start + chrono::Duration::minutes(i["duration_minutes"].as_i64().unwrap());
                (i["id"].as_str().unwrap().to_owned(), i["title"].as_str().unwrap().to_owned(), start.format("%H:%M").to_string(), end.format("%H:%M").to_string())
            }).collect::<Vec<_>>()
        };
        let before = agenda_of().await;
        let titles = |a: &[(String, String, String, String)]| a.iter().map(|i| i.1.clone()).collect::<Vec<_>>();
        assert_eq!(titles(&before), ["Cinder in production", "Break", "Lunch together"]);
        let lunch = before[2].0.clone();
        assert_eq!(b.post_form(&format!("{base}/{lunch}/earlier"), &[("_csrf", &csrf)]).await.status(), 303);
        let after = agenda_of().await;
        assert_eq!(titles(&after), ["Cinder in production", "Lunch together", "Break"]);
        assert_eq!((after[1].2.as_str(), after[2].2.as_str(), after[2].3.as_str()), ("06:00", "07:15", "07:30"), "{after:?} (UTC)");
        // The first cannot go earlier nor the last later: no button, and nothing changes.
        let (_, page) = b.page(&base).await;
        assert!(attr(&page, &format!("form[action$='{}/earlier']", before[0].0), "action").is_none());
        assert!(attr(&page, &format!("form[action$='{}/later']", before[1].0), "action").is_none(), "the break is last now");
        assert!(attr(&page, &format!("form[action$='{}/later']", lunch), "action").is_some());
        assert_eq!(b.post_form(&format!("{base}/{}/earlier", before[0].0), &[("_csrf", &csrf)]).await.status(), 303);
        assert_eq!(agenda_of().await, after);
        assert_eq!(b.post_form(&format!("{base}/{lunch}/later"), &[("_csrf", &csrf)]).await.status(), 303);
        assert_eq!(agenda_of().await, before, "back as it was");
        // Another team cannot reorder it.
        let eve = app.organizer("eve@example.org").await;
        let eve_b = app.signed_in_browser(&eve).await;
        let eve_csrf = eve_b.csrf_of("/manage/tours/new").await;
        assert_eq!(eve_b.post_form(&format!("{base}/{lunch}/earlier"), &[("_csrf", &eve_csrf)]).await.status(), 404);
        assert_eq!(agenda_of().await, before);
        // The public agenda names the break in the reader's language.
        app.post(&hui, &format!("/api/v1/stops/{stop}/agenda/publish"), &json!({})).await;
        let reader = app.browser();
        reader.get("/lang/zh-CN").await;
        let (_, public) = reader.page(&format!("/stops/{stop}")).await;
        let items = select_text(&public, "ol.agenda li");
        assert!(items.iter().any(|i| i.contains("茶歇")), "{items:?}");
    }

    async fn every_request_is_one_log_line_at_the_default_level_without_its_tokens(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 40, None, 10).await;
        let (_, reg) = app.register(&s.stop_id, "Ann", "ann@example.org").await;
        let token = reg["manage_token"].as_str().unwrap().to_owned();
        let data = tempfile::tempdir().unwrap();
        let log_path = data.path().join("stderr.log");
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let base = format!("http://127.0.0.1:{port}");
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_roadshow"))
            .arg("serve")
            .env("ROADSHOW_DATABASE_URL", app.state.settings.database_url())
            .env("ROADSHOW_DATA_DIR", data.path())
            .env("ROADSHOW_BIND", format!("127.0.0.1:{port}"))
            .env("ROADSHOW_BASE_URL", &base)
            .env("ROADSHOW_WORKERS", "1")
            .env_remove("RUST_LOG")
            .env_remove("ROADSHOW_LOG_FORMAT")
            .stdout(std::process::Stdio::null())
            .stderr(std::fs::File::create(&log_path).unwrap())
            .spawn()
            .unwrap();
        let client = reqwest::Client::new();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while !client.get(format!("{base}/readyz")).send().await.is_ok_and(|r| r.status() == 200) {
            assert!(std::time::Instant::now() < deadline, "not ready");
            actix_web::rt::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(client.get(format!("{base}/r/{token}")).send().await.unwrap().status(), 200);
        assert_eq!(client.get(format!("{base}/r/{token}/calendar.ics")).send().await.unwrap().status(), 200);
        let res = client.get(format!("{base}/api/v1/stops/{}/registrations?q=ann%40example.org", s.stop_id)).bearer_auth(&hui.token).send().await.unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(client.get(format!("{base}/no/such/page")).send().await.unwrap().status(), 404);
        actix_web::rt::time::sleep(std::time::Duration::from_millis(300)).await;
        child.kill().unwrap();
        child.wait().unwrap();
        let log = std::fs::read_to_string(&log_path).unwrap();
        assert!(!log.contains('\u{1b}'), "no colour codes in a file");
        let lines: Vec<&str> = log.lines().filter(|l| l.contains("roadshow::telemetry: request ")).collect();
        let line_of = |needle: &str| lines.iter().find(|l| l.contains(needle)).unwrap_or_else(|| panic!("no line with {needle}:\n{log}")).to_string();
        let manage = line_of("path=/r/[redacted] ");
        assert!(manage.contains("method=GET") && manage.contains("status=200") && manage.contains("duration_ms="), "{manage}");
        line_of("path=/r/[redacted]/calendar.ics");
        let api = line_of(&format!("path=/api/v1/stops/{}/registrations?q=…", s.stop_id));
        assert!(api.contains("status=200"), "{api}");
        assert!(line_of("path=/no/such/page").contains("status=404"));
        assert!(line_of("path=/readyz").contains("request_id="), "the line carries the request id");
        assert!(!log.contains(&token), "the token is never logged:\n{log}");
        assert!(!log.contains("ann@example.org") && !log.contains("ann%40example.org"), "nor a query's values");
    }

    async fn a_proposal_has_one_message_to_the_speakers_for_accept_and_decline(app: TestApp) {
        use crate::speakers::{proposal, propose_confirmed, tour_with_cfp};
        let hui = app.organizer("hui@example.org").await;
        let (tour_id, _, stops) = tour_with_cfp(&app, &hui).await;
        propose_confirmed(&app, &tour_id, &proposal("Rongze Zhu", "rz@example.org", "Cinder in production", &stops)).await;
        propose_confirmed(&app, &tour_id, &proposal("Ann Lee", "ann@example.org", "Swift at scale", &stops)).await;
        let b = app.signed_in_browser(&hui).await;
        let path = format!("/manage/tours/{tour_id}/proposals");
        let (_, page) = b.page(&path).await;
        let cards = page.select(&scraper::Selector::parse("article.card").unwrap()).collect::<Vec<_>>();
        assert_eq!(cards.len(), 2);
        let one = scraper::Selector::parse("[name=message]").unwrap();
        let forms = scraper::Selector::parse("form").unwrap();
        let mut ids = Vec::new();
        for card in &cards {
            assert_eq!(card.select(&one).count(), 1, "one message field per proposal");
            assert_eq!(card.select(&forms).count(), 1, "accept and decline in one form");
            ids.push(card.select(&one).next().unwrap().value().attr("id").unwrap().to_owned());
        }
        assert_ne!(ids[0], ids[1], "each label points at its own field");
        let reject = attr(&page, "button[formaction$='/reject']", "formaction").unwrap();
        let csrf = attr(&page, "input[name=_csrf]", "value").unwrap();
        let res = b.post_form(&reject, &[("_csrf", &csrf), ("stop_ids", &stops[0]), ("message", "Thank you, maybe next time.")]).await;
        assert_eq!(res.status(), 303);
        app.drain().await;
        let declined: Vec<Mail> = app.mails_to("rz@example.org").into_iter().chain(app.mails_to("ann@example.org")).filter(|m| m.text.contains("Thank you, maybe next time.")).collect();
        assert_eq!(declined.len(), 1, "the decline carries the message");
    }
}
