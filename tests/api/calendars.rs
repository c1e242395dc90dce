//! Every calendar we hand out (the tour feed, a registration's .ics and the one attached to
//! its e-mail, a speaker's itinerary, a volunteer's tasks) is valid RFC 5545, checked by a
//! parser that is not the crate writing them (`ical`) and by a strict reading of the content
//! lines here; hostile names and directions come back as the text they are.

use serde_json::json;

use crate::both_backends;
use crate::helpers::*;

/// A tour name that, written unescaped, adds a property and a whole event to the calendar.
const HOSTILE: &str = "Dave Tour\r\nX-TOURNAME-INJ:1\r\nBEGIN:VEVENT\r\nSUMMARY:FAKE EVENT\r\nDTSTART:20270101T000000Z\r\nEND:VEVENT";
/// Multi-line directions as a browser sends them (CRLF), with a bare CR and TEXT specials.
const DIRECTIONS: &str =
    "Take exit B.\r\nTurn left; then right,\rATTACH:http://127.0.0.1:9/evil\r\nRoom 3 \\ 4";

/// What a name or a text field holds once stored: line breaks as LF.
fn stored(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// One content line: name, parameters, value (still escaped).
#[derive(Debug)]
struct Line {
    name: String,
    value: String,
}

/// Reads a calendar strictly: CRLF line ends only (no bare CR or LF), physical lines of at
/// most 75 octets, folding by CRLF + one space, and every line `NAME[;PARAMS]:VALUE`.
fn content_lines(ics: &str) -> Vec<Line> {
    assert!(ics.ends_with("\r\n"), "ends with CRLF: {ics:?}");
    let physical: Vec<&str> = ics[..ics.len() - 2].split("\r\n").collect();
    for l in &physical {
        assert!(
            !l.contains('\r') && !l.contains('\n'),
            "a bare CR or LF in {l:?}"
        );
        assert!(l.len() <= 75, "longer than 75 octets: {l:?}");
        assert!(
            !l.chars().any(|c| c.is_control() && c != '\t'),
            "a control character in {l:?}"
        );
    }
    let mut logical: Vec<String> = Vec::new();
    for l in physical {
        if let Some(rest) = l.strip_prefix(' ').or_else(|| l.strip_prefix('\t')) {
            logical
                .last_mut()
                .expect("a fold after a line")
                .push_str(rest);
        } else {
            logical.push(l.to_owned());
        }
    }
    logical
        .into_iter()
        .map(|l| {
            let colon = l.find(':').unwrap_or_else(|| panic!("no colon in {l:?}"));
            let head = &l[..colon];
            let name = head.split(';').next().unwrap().to_owned();
            assert!(
                !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
                "not a property name: {name:?} in {l:?}"
            );
            Line {
                name,
                value: l[colon + 1..].to_owned(),
            }
        })
        .collect()
}

/// RFC 5545 3.3.11, read back; an escape the RFC does not define is an error.
fn unescape(value: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            assert!(c != ';' && c != ',', "unescaped {c:?} in TEXT {value:?}");
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('\\') => out.push('\\'),
            Some(';') => out.push(';'),
            Some(',') => out.push(','),
            Some('n' | 'N') => out.push('\n'),
            other => panic!("bad escape \\{other:?} in {value:?}"),
        }
    }
    out
}

/// The calendar's events as the independent parser sees them: (UID, SUMMARY) each.
fn parsed_events(
    ics: &str,
) -> (
    Vec<ical::property::Property>,
    Vec<Vec<ical::property::Property>>,
) {
    let mut calendars: Vec<_> = ical::IcalParser::new(std::io::BufReader::new(ics.as_bytes()))
        .collect::<Result<Vec<_>, _>>()
        .unwrap_or_else(|e| panic!("ical refuses it ({e}): {ics}"));
    assert_eq!(calendars.len(), 1, "one calendar: {ics}");
    let cal = calendars.remove(0);
    assert!(cal.todos.is_empty() && cal.journals.is_empty() && cal.alarms.is_empty());
    (
        cal.properties,
        cal.events.into_iter().map(|e| e.properties).collect(),
    )
}

fn prop<'a>(props: &'a [ical::property::Property], name: &str) -> Option<&'a str> {
    props
        .iter()
        .find(|p| p.name == name)
        .and_then(|p| p.value.as_deref())
}

/// Checks a calendar both ways and gives back its strict lines.
fn check_calendar(ics: &str, events: usize) -> Vec<Line> {
    let lines = content_lines(ics);
    let (cal_props, evs) = parsed_events(ics);
    assert_eq!(evs.len(), events, "exactly the expected events: {ics}");
    // Nothing made up its own top-level property.
    for p in &cal_props {
        assert!(
            [
                "VERSION",
                "PRODID",
                "CALSCALE",
                "METHOD",
                "NAME",
                "X-WR-CALNAME"
            ]
            .contains(&p.name.as_str()),
            "unexpected calendar property {}: {ics}",
            p.name
        );
    }
    for e in &evs {
        assert!(
            prop(e, "UID").is_some_and(|u| u.ends_with("@roadshow")),
            "{ics}"
        );
        assert!(prop(e, "DTSTART").is_some() && prop(e, "SUMMARY").is_some());
        for p in e {
            assert!(
                !p.name.starts_with("X-") && p.name != "ATTACH",
                "injected {}: {ics}",
                p.name
            );
        }
    }
    // The strict reading agrees with the parser on the events.
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.name == "BEGIN" && l.value == "VEVENT")
            .count(),
        events
    );
    lines
}

fn text_values(lines: &[Line], name: &str) -> Vec<String> {
    lines
        .iter()
        .filter(|l| l.name == name)
        .map(|l| unescape(&l.value))
        .collect()
}

async fn set_tour_name(app: &TestApp, tour_id: &str, name: &str) {
    let (id, name) = (tour_id.to_owned(), name.to_owned());
    app.db(move |conn| {
        use diesel::prelude::*;
        use roadshow::db::schema::tours;
        diesel::update(tours::table.find(id))
            .set(tours::name.eq(name))
            .execute(conn)
            .unwrap();
    })
    .await;
}

both_backends! {
    async fn every_calendar_is_valid_and_hostile_text_stays_text(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 100, Some(1.0), 10).await;
        // Directions typed in a form: stored with LF only.
        let (status, venue) = json(app.patch(&hui, &format!("/api/v1/venues/{}", s.venue_id), &json!({
            "name": "Hall; A, B", "address": "1 Road, 北京", "directions": DIRECTIONS
        })).await).await;
        assert_eq!(status, 200, "{venue}");
        assert_eq!(venue["directions"], stored(DIRECTIONS));
        // A name from before names were checked (or any path that lets one through).
        set_tour_name(&app, &s.tour_id, HOSTILE).await;
        let name = stored(HOSTILE);
        let summary_start = format!("{name} · 北京");
        let description_start = format!("{}\n", stored(DIRECTIONS));

        // The tour feed.
        let (_, tour) = json(app.get(&hui, &format!("/api/v1/tours/{}", s.tour_id)).await).await;
        let slug = tour["slug"].as_str().unwrap().to_owned();
        let ics = app.browser().get(&format!("/tours/{slug}/calendar.ics")).await.text().await.unwrap();
        let lines = check_calendar(&ics, 1);
        assert_eq!(text_values(&lines, "NAME"), vec![name.clone()]);
        assert_eq!(text_values(&lines, "X-WR-CALNAME"), vec![name.clone()]);
        assert_eq!(text_values(&lines, "SUMMARY"), vec![summary_start.clone()]);
        assert_eq!(text_values(&lines, "LOCATION"), vec!["Hall; A, B, 1 Road, 北京".to_owned()]);
        assert!(text_values(&lines, "DESCRIPTION")[0].starts_with(&description_start), "{ics}");

        // A registration's calendar file, from its manage link and attached to its e-mail.
        let (status, reg) = app.register(&s.stop_id, "Ann", "ann@example.org").await;
        assert_eq!(status, 201, "{reg}");
        let token = reg["manage_token"].as_str().unwrap();
        let ics = app.browser().get(&format!("/r/{token}/calendar.ics")).await.text().await.unwrap();
        let lines = check_calendar(&ics, 1);
        assert_eq!(text_values(&lines, "SUMMARY"), vec![summary_start.clone()]);
        assert!(text_values(&lines, "DESCRIPTION")[0].starts_with(&description_start), "{ics}");
        app.drain().await;
        let mail = app.mails_to("ann@example.org").into_iter().next().expect("a confirmation");
        let start = mail.ics.find("BEGIN:VCALENDAR").expect("an .ics is attached");
        let end = mail.ics[start..].find("END:VCALENDAR").unwrap() + start + "END:VCALENDAR".len();
        // The helper reads mails with LF line ends: the parser alone judges the attachment.
        let (_, evs) = parsed_events(&mail.ics[start..end]);
        assert_eq!(evs.len(), 1, "{}", &mail.ics[start..end]);

        // A speaker's itinerary, under a hostile name.
        let sp = app.post_ok(&hui, "/api/v1/speakers", &json!({"name": "Sue", "email": "sue@example.org"}), 201).await;
        let talk = app.post_ok(&hui, "/api/v1/talks", &json!({"title": "Cinder; a, b", "duration_minutes": 30, "speaker_ids": [sp["id"]]}), 201).await;
        let (_, stop) = json(app.get(&hui, &format!("/api/v1/stops/{}", s.stop_id)).await).await;
        app.post_ok(&hui, &format!("/api/v1/stops/{}/agenda", s.stop_id), &json!({"talk_id": talk["id"], "starts_at": stop["starts_at"]}), 201).await;
        let speaker_id = sp["id"].as_str().unwrap().to_owned();
        let env = app.state.env.clone();
        let feed = app.db(move |conn| {
            use diesel::prelude::*;
            use roadshow::db::schema::speakers;
            diesel::update(speakers::table.find(&speaker_id)).set(speakers::name.eq(HOSTILE)).execute(conn).unwrap();
            roadshow::services::speakers::feed_url(conn, &env, &speaker_id).unwrap()
        }).await;
        let ics = app.browser().get(feed.trim_start_matches(&app.address)).await.text().await.unwrap();
        let deliveries = ics.split("\r\n").filter(|l| *l == "BEGIN:VEVENT").count();
        let lines = check_calendar(&ics, deliveries);
        assert_eq!(text_values(&lines, "NAME"), vec![name.clone()]);
        for summary in text_values(&lines, "SUMMARY") {
            assert!(summary.starts_with(&format!("Cinder; a, b · {name} · ")), "{summary:?}");
        }

        // A volunteer's tasks, under a hostile name.
        let task = app.post_ok(&hui, &format!("/api/v1/stops/{}/tasks", s.stop_id), &json!({"kind": "photos", "title": "Photos, please", "slots": 1}), 201).await;
        let (status, claim) = json(app.api.post(app.url(&format!("/api/v1/tasks/{}/claims", task["id"].as_str().unwrap())))
            .json(&json!({"name": "Shake", "email": "shake@example.org"})).send().await.unwrap()).await;
        assert_eq!(status, 201, "{claim}");
        let env = app.state.env.clone();
        let feed = app.db(move |conn| {
            use diesel::prelude::*;
            use roadshow::db::schema::volunteers;
            let id: String = volunteers::table.filter(volunteers::email.eq("shake@example.org")).select(volunteers::id).first(conn).unwrap();
            diesel::update(volunteers::table.find(&id)).set(volunteers::name.eq(HOSTILE)).execute(conn).unwrap();
            roadshow::services::volunteers::feed_url_in(conn, &env, &id).unwrap()
        }).await;
        let ics = app.browser().get(feed.trim_start_matches(&app.address)).await.text().await.unwrap();
        let lines = check_calendar(&ics, 1);
        assert_eq!(text_values(&lines, "NAME"), vec![name.clone()]);
        assert_eq!(text_values(&lines, "SUMMARY"), vec![format!("Photos, please · {name} · 北京")]);
    }
}

both_backends! {
    async fn single_line_fields_refuse_line_breaks_and_free_text_keeps_them_as_lf(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 10, None, 5).await;
        let (status, body) = json(app.patch(&hui, &format!("/api/v1/tours/{}", s.tour_id), &json!({"name": HOSTILE})).await).await;
        assert_eq!(status, 422, "{body}");
        assert!(body["error"]["fields"]["name"].is_string(), "{body}");
        let (status, body) = json(app.patch(&hui, &format!("/api/v1/stops/{}", s.stop_id), &json!({"city": "北京\rX-INJ:1"})).await).await;
        assert_eq!(status, 422, "{body}");
        assert!(body["error"]["fields"]["city"].is_string(), "{body}");
        let (status, body) = json(app.patch(&hui, &format!("/api/v1/tours/{}", s.tour_id), &json!({"description": "One.\r\nTwo.\rThree."})).await).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["description"], "One.\nTwo.\nThree.");
    }
}
