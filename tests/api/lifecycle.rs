//! A stop's life after it is announced: cancelling it (the web asks first and says who will
//! be told) and moving it to another time. Everyone concerned — confirmed and waitlisted
//! attendees, the agenda's speakers, the volunteers with a claim — gets one e-mail in their
//! language, with a calendar file (read back by the independent `ical` parser) that cancels
//! or updates the entry they already have.

use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::*;

/// A message as queued in the outbox.
#[derive(Debug)]
struct Queued {
    kind: String,
    to: String,
    subject: String,
    text: String,
    ics: String,
}

async fn queued(app: &TestApp, stop_id: &str, kind: &str) -> Vec<Queued> {
    let (stop_id, kind) = (stop_id.to_owned(), kind.to_owned());
    app.db(move |conn| {
        use diesel::prelude::*;
        use roadshow::db::schema::outbox;
        outbox::table
            .filter(outbox::stop_id.eq(&stop_id))
            .filter(outbox::kind.eq(&kind))
            .select((
                outbox::kind,
                outbox::to_email,
                outbox::subject,
                outbox::body_text,
                outbox::attachments,
            ))
            .load::<(String, String, String, String, String)>(conn)
            .unwrap()
            .into_iter()
            .map(|(kind, to, subject, text, attachments)| {
                let files: Vec<Value> = serde_json::from_str(&attachments).unwrap();
                let ics = files
                    .iter()
                    .find(|f| f["filename"].as_str().is_some_and(|n| n.ends_with(".ics")))
                    .and_then(|f| f["content"].as_str())
                    .unwrap_or_default()
                    .to_owned();
                Queued {
                    kind,
                    to,
                    subject,
                    text,
                    ics,
                }
            })
            .collect()
    })
    .await
}

/// The calendar's METHOD and its one event's properties, as `ical` reads them.
fn calendar(ics: &str) -> (String, std::collections::HashMap<String, String>) {
    let mut calendars: Vec<_> = ical::IcalParser::new(std::io::BufReader::new(ics.as_bytes()))
        .collect::<Result<Vec<_>, _>>()
        .unwrap_or_else(|e| panic!("ical refuses it ({e}): {ics}"));
    assert_eq!(calendars.len(), 1, "{ics}");
    let cal = calendars.remove(0);
    let method = cal
        .properties
        .iter()
        .find(|p| p.name == "METHOD")
        .and_then(|p| p.value.clone())
        .unwrap_or_default();
    assert_eq!(cal.events.len(), 1, "{ics}");
    let event = cal.events[0]
        .properties
        .iter()
        .map(|p| (p.name.clone(), p.value.clone().unwrap_or_default()))
        .collect();
    (method, event)
}

/// Everyone concerned by one open stop, and one person who is not.
struct People {
    s: OpenStop,
    /// Ann's manage token (confirmed, English).
    ann_token: String,
    ann_code: String,
}

const EVERYONE: [&str; 6] = [
    "ann@example.org",
    "bo@example.org",
    "cy@example.org",
    "sue@example.org",
    "tom@example.org",
    "vic@example.org",
];
/// Those who read Chinese: an attendee, a speaker and a volunteer.
const CHINESE: [&str; 3] = ["bo@example.org", "tom@example.org", "vic@example.org"];

async fn register_in(app: &TestApp, stop_id: &str, name: &str, email: &str, lang: &str) -> Value {
    let (status, body) = json(
        app.api
            .post(app.url(&format!("/api/v1/stops/{stop_id}/registrations")))
            .header("accept-language", lang)
            .json(&json!({"name": name, "email": email}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    body
}

/// One seat at a show rate of 0.5: target 2. Ann and Bo are confirmed, Cy and Sue are on
/// the waitlist, Sue also speaks (with Tom), Vic claimed a task, and Gone cancelled.
async fn people(app: &TestApp, hui: &Organizer) -> People {
    let s = app.open_stop(hui, 1, Some(0.5), 30).await;
    let ann = register_in(app, &s.stop_id, "Ann", "ann@example.org", "en").await;
    register_in(app, &s.stop_id, "Bo", "bo@example.org", "zh-CN").await;
    register_in(app, &s.stop_id, "Cy", "cy@example.org", "en").await;
    register_in(app, &s.stop_id, "Sue", "Sue@Example.org", "en").await;
    let gone = register_in(app, &s.stop_id, "Gone", "gone@example.org", "en").await;
    let (status, _) = json(
        app.post(
            hui,
            &format!(
                "/api/v1/registrations/{}/cancel",
                gone["id"].as_str().unwrap()
            ),
            &json!({}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(ann["status"], "confirmed");

    let (_, stop) = json(app.get(hui, &format!("/api/v1/stops/{}", s.stop_id)).await).await;
    let sue = app
        .post_ok(
            hui,
            "/api/v1/speakers",
            &json!({"name": "Sue", "email": "sue@example.org"}),
            201,
        )
        .await;
    let tom = app
        .post_ok(
            hui,
            "/api/v1/speakers",
            &json!({"name": "Tom", "email": "tom@example.org"}),
            201,
        )
        .await;
    let talk = app.post_ok(hui, "/api/v1/talks", &json!({"title": "Cinder", "duration_minutes": 30, "speaker_ids": [sue["id"], tom["id"]]}), 201).await;
    app.post_ok(
        hui,
        &format!("/api/v1/stops/{}/agenda", s.stop_id),
        &json!({"talk_id": talk["id"], "starts_at": stop["starts_at"]}),
        201,
    )
    .await;
    let tom_id = tom["id"].as_str().unwrap().to_owned();
    app.db(move |conn| {
        use diesel::prelude::*;
        use roadshow::db::schema::speakers;
        diesel::update(speakers::table.find(tom_id))
            .set(speakers::lang.eq("zh-CN"))
            .execute(conn)
            .unwrap();
    })
    .await;
    let task = app
        .post_ok(
            hui,
            &format!("/api/v1/stops/{}/tasks", s.stop_id),
            &json!({"kind": "photos", "title": "Photos", "slots": 2}),
            201,
        )
        .await;
    let (status, claim) = json(
        app.api
            .post(app.url(&format!(
                "/api/v1/tasks/{}/claims",
                task["id"].as_str().unwrap()
            )))
            .header("accept-language", "zh-CN")
            .json(&json!({"name": "Vic", "email": "vic@example.org"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 201, "{claim}");
    app.drain().await;
    People {
        s,
        ann_token: ann["manage_token"].as_str().unwrap().to_owned(),
        ann_code: ann["code"].as_str().unwrap().to_owned(),
    }
}

/// The UID and SEQUENCE of the calendar file a registration already has.
async fn earlier_calendar(app: &TestApp, token: &str) -> (String, i64) {
    let ics = app
        .browser()
        .get(&format!("/r/{token}/calendar.ics"))
        .await
        .text()
        .await
        .unwrap();
    let (_, event) = calendar(&ics);
    (
        event["UID"].clone(),
        event.get("SEQUENCE").map_or(0, |s| s.parse().unwrap()),
    )
}

/// Each of `EVERYONE` got exactly one message of `kind`, in their language; nobody else did.
fn one_each<'a>(mails: &'a [Queued], english: &str, chinese: &str) -> Vec<&'a Queued> {
    let mut out = Vec::new();
    for who in EVERYONE {
        let mine: Vec<&Queued> = mails
            .iter()
            .filter(|m| m.to.eq_ignore_ascii_case(who))
            .collect();
        assert_eq!(mine.len(), 1, "{who} gets exactly one: {mails:?}");
        let prefix = if CHINESE.contains(&who) {
            chinese
        } else {
            english
        };
        assert!(
            mine[0].subject.starts_with(prefix),
            "{who} reads {}",
            mine[0].subject
        );
        out.push(mine[0]);
    }
    assert_eq!(mails.len(), EVERYONE.len(), "nobody else: {mails:?}");
    out
}

/// The fields of the stop's edit form, as the browser would send them.
pub(crate) async fn edit_fields(b: &Browser, stop_id: &str) -> Vec<(String, String)> {
    let (status, page) = b.page(&format!("/manage/stops/{stop_id}/edit")).await;
    assert_eq!(status, 200);
    let mut fields = Vec::new();
    let inputs =
        scraper::Selector::parse("form[action$=\"/edit\"] input, form[action$=\"/edit\"] textarea")
            .unwrap();
    for e in page.select(&inputs) {
        if let Some(name) = e.value().attr("name") {
            let value = if e.value().name() == "textarea" {
                e.text().collect()
            } else {
                e.value().attr("value").unwrap_or_default().to_owned()
            };
            fields.push((name.to_owned(), value));
        }
    }
    let selects = scraper::Selector::parse("form[action$=\"/edit\"] select").unwrap();
    let selected = scraper::Selector::parse("option[selected]").unwrap();
    for e in page.select(&selects) {
        let value = e
            .select(&selected)
            .next()
            .and_then(|o| o.value().attr("value"))
            .unwrap_or_default();
        fields.push((e.value().attr("name").unwrap().to_owned(), value.to_owned()));
    }
    fields
}

pub(crate) fn set(fields: &mut [(String, String)], name: &str, value: &str) {
    fields
        .iter_mut()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no {name}"))
        .1 = value.to_owned();
}

fn later(local: &str, days: i64) -> String {
    let t = chrono::NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M").unwrap();
    (t + chrono::Duration::days(days))
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// The scheduler's pass, two hours from now (a reminder waits an hour after a registration).
async fn run_due(app: &TestApp) -> usize {
    let env = app.state.env.clone();
    let now = roadshow::db::now() + chrono::Duration::hours(2);
    app.db(move |conn| roadshow::services::schedule::run_due(conn, &env, now).unwrap())
        .await
}

async fn reminders(app: &TestApp, stop_id: &str) -> usize {
    queued(app, stop_id, "reminder").await.len()
}

both_backends! {
    async fn cancelling_on_the_web_asks_first_then_tells_everyone_once_in_their_language(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let p = people(&app, &hui).await;
        let stop_id = p.s.stop_id.clone();
        let (uid, sequence) = earlier_calendar(&app, &p.ann_token).await;
        let b = app.signed_in_browser(&hui).await;
        let base = format!("/manage/stops/{stop_id}");

        // The stop's page leads to the question; it does not cancel.
        let (_, page) = b.page(&base).await;
        let cancel = format!("{base}/status/cancelled");
        assert_eq!(attr(&page, &format!("a[href=\"{cancel}\"]"), "href").as_deref(), Some(cancel.as_str()), "a link, not a button");
        let (status, page) = b.page(&cancel).await;
        assert_eq!(status, 200);
        let notice = select_text(&page, ".notice.error").join(" ");
        assert!(notice.contains("6 people"), "{notice}");
        assert!(notice.contains("Confirmed: 2") && notice.contains("waitlist: 2") && notice.contains("speakers: 2") && notice.contains("volunteers: 1"), "{notice}");
        assert!(!select_text(&page, "pre.mail").join(" ").is_empty(), "a preview of the e-mail");

        // Without the confirming button nothing changes: the form is shown again, with the
        // message in the preview.
        let csrf = attr(&page, "input[name=_csrf]", "value").unwrap();
        let res = b.post_form(&cancel, &[("_csrf", &csrf), ("message", "Blackout in the building.")]).await;
        assert_eq!(res.status(), 200);
        let res = b.post_form(&cancel, &[("_csrf", &csrf), ("action", "preview"), ("message", "Blackout in the building.")]).await;
        assert_eq!(res.status(), 200);
        let page = scraper::Html::parse_document(&res.text().await.unwrap());
        assert!(select_text(&page, "pre.mail").join(" ").contains("Blackout in the building."));
        let (_, stop) = json(app.get(&hui, &format!("/api/v1/stops/{stop_id}")).await).await;
        assert_eq!(stop["status"], "open");
        assert!(queued(&app, &stop_id, "stop_cancelled").await.is_empty());

        // Confirmed: cancelled, and everyone concerned is told once.
        let res = b.post_form(&cancel, &[("_csrf", &csrf), ("action", "confirm"), ("message", "Blackout in the building.")]).await;
        assert_eq!(res.status(), 303);
        let (_, page) = b.page(&base).await;
        assert!(select_text(&page, ".flash").join(" ").contains("6 people"), "{:?}", select_text(&page, ".flash"));
        let (_, stop) = json(app.get(&hui, &format!("/api/v1/stops/{stop_id}")).await).await;
        assert_eq!(stop["status"], "cancelled");
        let mails = queued(&app, &stop_id, "stop_cancelled").await;
        for m in one_each(&mails, "Cancelled:", "已取消：") {
            assert_eq!(m.kind, "stop_cancelled");
            assert!(m.text.contains("Blackout in the building."), "{}", m.text);
            assert!(m.text.contains(&format!("/stops/{stop_id}")), "links to the stop page");
            let (method, event) = calendar(&m.ics);
            assert_eq!(method, "CANCEL", "{}", m.ics);
            assert_eq!(event["STATUS"], "CANCELLED");
            assert_eq!(event["UID"], uid, "the same entry as before");
            assert!(event["SEQUENCE"].parse::<i64>().unwrap() > sequence, "{}", m.ics);
        }
        assert!(mails.iter().find(|m| m.to == "ann@example.org").unwrap().text.contains(&format!("/r/{}", p.ann_token)), "attendees get their manage link");
        assert!(!mails.iter().find(|m| m.to == "tom@example.org").unwrap().text.contains("/r/"));
        // They are really sent.
        app.drain().await;
        let sent: Vec<Mail> = app.mails_to("vic@example.org").into_iter().filter(|m| m.subject.starts_with("已取消")).collect();
        assert_eq!(sent.len(), 1);
        let (method, event) = calendar(&sent[0].ics);
        assert_eq!((method.as_str(), event["STATUS"].as_str(), event["UID"].as_str()), ("CANCEL", "CANCELLED", uid.as_str()), "the attachment as mailed");
        assert!(!mails.iter().any(|m| m.to == "gone@example.org"), "not those who had cancelled");

        // The ticket says so, with no code to show; the link still works.
        let (status, ticket) = app.browser().page(&format!("/r/{}", p.ann_token)).await;
        assert_eq!(status, 200);
        assert!(!select_text(&ticket, ".stop-cancelled").is_empty());
        assert!(select_text(&ticket, ".ticket").is_empty() && select_text(&ticket, "svg").is_empty(), "no QR code");
        assert!(!select_text(&ticket, ".badge").iter().any(|t| t == "Confirmed"), "{:?}", select_text(&ticket, ".badge"));
        assert!(select_text(&ticket, ".organizers-notice").join(" ").contains("Blackout in the building."), "the organizers' word stays on the ticket");
        // The public pages say it; nobody registers or checks in; the dashboard stops
        // counting toward a goal; everything is kept.
        let (_, public) = app.browser().page(&format!("/stops/{stop_id}")).await;
        assert!(!select_text(&public, ".notice.error").is_empty());
        assert!(select_text(&public, ".organizers-notice").join(" ").contains("Blackout in the building."));
        let (_, stop) = json(app.get(&hui, &format!("/api/v1/stops/{stop_id}")).await).await;
        assert_eq!(stop["notice"], "Blackout in the building.");
        let (_, tour) = json(app.get(&hui, &format!("/api/v1/tours/{}", p.s.tour_id)).await).await;
        let (_, tour_page) = app.browser().page(&format!("/tours/{}", tour["slug"].as_str().unwrap())).await;
        assert!(!select_text(&tour_page, "li.cancelled").is_empty());
        let (status, body) = app.register(&stop_id, "Late", "late@example.org").await;
        assert_eq!((status, body["error"]["code"].as_str()), (409, Some("registration_closed")));
        let (status, body) = json(app.post(&hui, &format!("/api/v1/stops/{stop_id}/checkins"), &json!({"code": p.ann_code})).await).await;
        assert_eq!((status, body["error"]["code"].as_str()), (409, Some("stop_cancelled")), "{body}");
        let stats = app.stats(&hui, &stop_id).await;
        assert_eq!(stats["signal"], "cancelled");
        assert_eq!((stats["confirmed"].as_i64(), stats["waitlisted"].as_i64()), (Some(2), Some(2)));
        let (_, page) = b.page(&base).await;
        assert!(select_text(&page, ".signal").iter().all(|t| !t.contains("Goal")));
    }

    async fn a_venue_switch_tells_the_same_people_once_each_attendees_with_their_link(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let p = people(&app, &hui).await;
        let other = app.create_venue(&hui, "Other hall", "北京", 10).await;
        let path = format!("/api/v1/stops/{}/switch-venue", p.s.stop_id);
        let (status, body) = json(app.post(&hui, &path, &json!({"venue_id": other["id"], "reason": "Blackout"})).await).await;
        assert_eq!(status, 200, "{body}");
        let mails = queued(&app, &p.s.stop_id, "venue_switch").await;
        // The subject names the stop first in Chinese ("… 更换场地"): the English prefix is
        // checked, the Chinese by the text.
        for m in one_each(&mails, "New venue", "Tour") {
            if CHINESE.contains(&m.to.as_str()) {
                assert!(m.subject.contains("更换场地"), "{}", m.subject);
            }
            let attendee = ["ann@example.org", "bo@example.org", "cy@example.org", "sue@example.org"].contains(&m.to.as_str());
            assert_eq!(m.text.contains("/r/"), attendee, "{}: {}", m.to, m.text);
        }
    }

    async fn the_api_cancels_with_a_message_and_says_how_many_were_told(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let p = people(&app, &hui).await;
        let path = format!("/api/v1/stops/{}", p.s.stop_id);
        let (status, body) = json(app.patch(&hui, &path, &json!({"status": "cancelled", "message": "x".repeat(2001)})).await).await;
        assert_eq!(status, 422, "{body}");
        assert!(body["error"]["fields"]["message"].is_string());
        let (status, body) = json(app.patch(&hui, &path, &json!({"status": "cancelled", "message": "We are sorry."})).await).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!((body["status"].as_str(), body["told"].as_i64()), (Some("cancelled"), Some(6)));
        let mails = queued(&app, &p.s.stop_id, "stop_cancelled").await;
        for m in one_each(&mails, "Cancelled:", "已取消：") {
            assert!(m.text.contains("We are sorry."));
        }
        // Saying it again tells nobody again.
        let (_, body) = json(app.patch(&hui, &path, &json!({"status": "cancelled"})).await).await;
        assert_eq!(body["told"], 0);
        assert_eq!(queued(&app, &p.s.stop_id, "stop_cancelled").await.len(), 6);
        assert_eq!(body["notice"], "We are sorry.", "cancelling again keeps the word");
        // Planned again: the word about the cancellation goes.
        let (status, body) = json(app.patch(&hui, &path, &json!({"status": "draft"})).await).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["notice"], Value::Null);
        // The answer's field is documented.
        let (_, doc) = json(app.api.get(app.url("/api/v1/openapi.json")).send().await.unwrap()).await;
        assert!(doc["components"]["schemas"]["StopJson"]["properties"]["told"].is_object());
        assert!(doc["components"]["schemas"]["UpdateStop"]["properties"]["message"].is_object());
    }

    async fn a_new_time_is_mailed_only_after_the_web_asks_and_the_api_mails_at_once(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let p = people(&app, &hui).await;
        let stop_id = p.s.stop_id.clone();
        let (uid, sequence) = earlier_calendar(&app, &p.ann_token).await;
        let b = app.signed_in_browser(&hui).await;
        let edit = format!("/manage/stops/{stop_id}/edit");
        let mut fields = edit_fields(&b, &stop_id).await;
        let old_start = fields.iter().find(|(n, _)| n == "starts_at").unwrap().1.clone();
        let old_end = fields.iter().find(|(n, _)| n == "ends_at").unwrap().1.clone();
        let (new_start, new_end) = (later(&old_start, 7), later(&old_end, 7));
        set(&mut fields, "starts_at", &new_start);
        set(&mut fields, "ends_at", &new_end);
        let form: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();

        // First the form asks, and nothing changes.
        let res = b.post_form(&edit, &form).await;
        let status = res.status();
        let text = res.text().await.unwrap();
        assert_eq!(status, 200, "{text}");
        let page = scraper::Html::parse_document(&text);
        assert!(select_text(&page, ".notice").join(" ").contains("6 people"), "{:?}", select_text(&page, ".notice"));
        let confirm = attr(&page, "input[name=confirm_times]", "value").expect("asks to confirm");
        let (_, stop) = json(app.get(&hui, &format!("/api/v1/stops/{stop_id}")).await).await;
        assert!(stop["starts_at_local"].as_str().unwrap().starts_with(&old_start), "{stop}");
        assert!(queued(&app, &stop_id, "stop_moved").await.is_empty());

        // Confirmed for other times than those shown: it asks again.
        let mut other = fields.clone();
        set(&mut other, "starts_at", &later(&old_start, 8));
        set(&mut other, "ends_at", &later(&old_end, 8));
        other.push(("confirm_times".into(), confirm.clone()));
        let form: Vec<(&str, &str)> = other.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        assert_eq!(b.post_form(&edit, &form).await.status(), 200);
        assert!(queued(&app, &stop_id, "stop_moved").await.is_empty());

        // Confirmed: saved, and everyone is told the old and new time.
        fields.push(("confirm_times".into(), confirm));
        fields.push(("message".into(), "The hall is free a week later.".into()));
        let form: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        assert_eq!(b.post_form(&edit, &form).await.status(), 303);
        let (_, stop) = json(app.get(&hui, &format!("/api/v1/stops/{stop_id}")).await).await;
        assert!(stop["starts_at_local"].as_str().unwrap().starts_with(&new_start), "{stop}");
        let mails = queued(&app, &stop_id, "stop_moved").await;
        let new_day = |zh: bool| {
            let t = chrono::NaiveDateTime::parse_from_str(&new_start, "%Y-%m-%dT%H:%M").unwrap();
            if zh { t.format("%Y年%-m月%-d日").to_string() } else { t.format("%-d %b %Y").to_string() }
        };
        for m in one_each(&mails, "New time:", "时间变更：") {
            let zh = CHINESE.contains(&m.to.to_lowercase().as_str());
            assert!(m.text.contains(&new_day(zh)), "{} in {}", new_day(zh), m.text);
            assert!(m.text.contains("The hall is free a week later."));
            let (method, event) = calendar(&m.ics);
            assert_eq!(method, "REQUEST");
            assert_eq!(event["UID"], uid);
            assert!(event["SEQUENCE"].parse::<i64>().unwrap() > sequence);
            assert_eq!(event["DTSTART"], chrono::DateTime::parse_from_rfc3339(stop["starts_at"].as_str().unwrap()).unwrap().format("%Y%m%dT%H%M%SZ").to_string());
        }

        // The API tells at once, and says how many.
        let (_, before) = earlier_calendar(&app, &p.ann_token).await;
        let starts = chrono::DateTime::parse_from_rfc3339(stop["starts_at"].as_str().unwrap()).unwrap() + chrono::Duration::hours(1);
        let ends = chrono::DateTime::parse_from_rfc3339(stop["ends_at"].as_str().unwrap()).unwrap() + chrono::Duration::hours(1);
        let (status, body) = json(app.patch(&hui, &format!("/api/v1/stops/{stop_id}"), &json!({"starts_at": starts.to_rfc3339(), "ends_at": ends.to_rfc3339()})).await).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["told"], 6);
        assert_eq!(queued(&app, &stop_id, "stop_moved").await.len(), 12);
        let (_, after) = earlier_calendar(&app, &p.ann_token).await;
        assert!(after > before);
        // Other changes tell nobody.
        let (_, body) = json(app.patch(&hui, &format!("/api/v1/stops/{stop_id}"), &json!({"livestream_url": "https://live.example.org/x"})).await).await;
        assert_eq!(body["told"], 0);
    }

    async fn reminders_follow_a_stop_that_moves_later(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        // Starts in a day: the 48-hour reminder is due now.
        let s = app.open_stop(&hui, 10, None, 1).await;
        register_in(&app, &s.stop_id, "Ann", "ann@example.org", "en").await;
        run_due(&app).await;
        let first = reminders(&app, &s.stop_id).await;
        assert!(first >= 1);
        run_due(&app).await;
        assert_eq!(reminders(&app, &s.stop_id).await, first, "once");
        // A week later: the reminders are due again before the new start, not now.
        let (_, stop) = json(app.get(&hui, &format!("/api/v1/stops/{}", s.stop_id)).await).await;
        let shift = |field: &str| (chrono::DateTime::parse_from_rfc3339(stop[field].as_str().unwrap()).unwrap() + chrono::Duration::days(7)).to_rfc3339();
        let (status, body) = json(app.patch(&hui, &format!("/api/v1/stops/{}", s.stop_id), &json!({"starts_at": shift("starts_at"), "ends_at": shift("ends_at")})).await).await;
        assert_eq!((status, body["told"].as_i64()), (200, Some(1)), "{body}");
        run_due(&app).await;
        assert_eq!(reminders(&app, &s.stop_id).await, first, "not due yet");
        let jobs = {
            let id = s.stop_id.clone();
            app.db(move |conn| {
                use diesel::prelude::*;
                use roadshow::db::schema::stop_jobs;
                stop_jobs::table.filter(stop_jobs::stop_id.eq(id)).select(stop_jobs::job).load::<String>(conn).unwrap()
            }).await
        };
        assert!(!jobs.iter().any(|j| j.starts_with("reminder_")), "{jobs:?}");
    }
}

both_backends! {
    async fn removing_a_backup_or_a_supporter_asks_first_and_says_what_happens(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 10, None, 30).await;
        let backup = app.create_venue(&hui, "Tsinghua Room 101", "北京", 50).await;
        app.put(&hui, &format!("/api/v1/stops/{}/backups", s.stop_id), &json!({"venue_ids": [backup["id"]]})).await;
        app.post_ok(&hui, &format!("/api/v1/stops/{}/supporters", s.stop_id), &json!({"name": "UnitedStack", "contribution": "Tea"}), 201).await;
        let b = app.signed_in_browser(&hui).await;
        let (_, page) = b.page(&format!("/manage/stops/{}", s.stop_id)).await;
        let asks = select_text(&page, "ol.backups details.confirm p").join(" ");
        assert!(asks.contains("Tsinghua Room 101") && asks.contains("first backup"), "{asks}");
        let action = attr(&page, "ol.backups details.confirm form", "action").unwrap();
        assert!(action.ends_with(&format!("/backups/{}/remove", backup["id"].as_str().unwrap())));
        assert_eq!(select_text(&page, "ol.backups details.confirm button.danger"), vec!["Remove the backup"]);
        let asks = select_text(&page, "details.confirm p").join(" ");
        assert!(asks.contains("UnitedStack will no longer be thanked"), "{asks}");
        // The button inside does it.
        let csrf = attr(&page, "input[name=_csrf]", "value").unwrap();
        assert_eq!(b.post_form(&action, &[("_csrf", &csrf)]).await.status(), 303);
        let (_, stop) = json(app.get(&hui, &format!("/api/v1/stops/{}", s.stop_id)).await).await;
        assert_eq!(stop["backup_venue_ids"], json!([]));
    }
}
