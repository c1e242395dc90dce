//! Organizers' messages to a segment of a stop's or a tour's people.

use serde_json::json;

use crate::both_backends;
use crate::helpers::*;

both_backends! {
    async fn a_message_to_a_segment_is_previewed_then_sent_one_copy_each(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        // 1 seat: two confirmed, one waitlisted.
        let s = app.open_stop(&hui, 1, None, 30).await;
        for (name, email) in [("Ann", "ann@example.org"), ("Bo", "bo@example.org"), ("Cy", "cy@example.org")] {
            app.register(&s.stop_id, name, email).await;
        }
        // The same person at a second stop of the tour gets one message for the tour.
        let second = app.open_stop_in(&hui, &s.tour_id, 10, None, 40).await;
        app.register(&second.stop_id, "Ann", "ann@example.org").await;
        app.drain().await;
        let before = app.mail_files().len();

        let path = format!("/api/v1/tours/{}/messages", s.tour_id);
        let body = json!({"segment": "confirmed", "subject": "See you in {city}, {name}", "body": "Hello **{name}**, the room is {venue}. Manage: {manage_link}", "preview": true});
        let (status, preview) = json(app.post(&hui, &path, &body).await).await;
        assert_eq!(status, 200, "{preview}");
        assert_eq!(preview["recipients"], 2, "Ann once, Bo; Cy waits");
        assert_eq!(preview["sample_subject"], "See you in 北京, Ann");
        assert!(preview["sample_text"].as_str().unwrap().contains("Hello **Ann**"));
        assert_eq!(app.mail_files().len(), before, "a preview sends nothing");

        let mut send = body.clone();
        send["preview"] = json!(false);
        let (status, sent) = json(app.post(&hui, &path, &send).await).await;
        assert_eq!(status, 201, "{sent}");
        assert_eq!(sent["recipients"], 2);
        app.drain().await;
        let ann: Vec<_> = app.mails_to("ann@example.org").into_iter().filter(|m| m.subject.starts_with("See you")).collect();
        assert_eq!(ann.len(), 1);
        assert!(!ann[0].raw.contains("bo@example.org"), "nobody sees another's address");
        let link = ann[0].link("/r/");
        assert_eq!(app.browser().page(link.trim_start_matches(&app.address)).await.0, 200, "the manage link works");

        // One stop's waitlist only.
        let (_, p) = json(app.post(&hui, &path, &json!({"stop_id": s.stop_id, "segment": "waitlisted", "subject": "x", "body": "y", "preview": true})).await).await;
        assert_eq!(p["recipients"], 1);
        // No-shows exist only for done stops.
        let (_, p) = json(app.post(&hui, &path, &json!({"segment": "no_shows", "subject": "x", "body": "y", "preview": true})).await).await;
        assert_eq!(p["recipients"], 0);
        // Checks: the segment and the text; another team cannot write to these people.
        let (status, bad) = json(app.post(&hui, &path, &json!({"segment": "everyone", "subject": "", "body": "y"})).await).await;
        assert_eq!(status, 422, "{bad}");
        let eve = app.organizer("eve@example.org").await;
        let (status, _) = json(app.post(&eve, &path, &send).await).await;
        assert_eq!(status, 404);
    }

    async fn organizers_write_to_people_from_the_page(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 10, None, 30).await;
        app.register(&s.stop_id, "Ann", "ann@example.org").await;
        let b = app.signed_in_browser(&hui).await;
        let page = format!("/manage/tours/{}/messages", s.tour_id);
        let csrf = b.csrf_of(&page).await;
        let fields = [("_csrf", csrf.as_str()), ("stop_id", ""), ("segment", "confirmed"), ("subject_en", "Slides are online"), ("body_en", "Dear {name}, thanks!")];
        let res = b.post_form(&page, &[fields.as_slice(), &[("action", "preview")]].concat()).await;
        assert_eq!(res.status(), 200);
        let html = scraper::Html::parse_document(&res.text().await.unwrap());
        assert!(select_text(&html, "pre.mail")[0].contains("Dear Ann, thanks!"));
        assert!(select_text(&html, "div.mail-html")[0].contains("Dear Ann, thanks!"));
        assert!(select_text(&html, ".flash.success")[0].starts_with('1'));
        let res = b.post_form(&page, &[fields.as_slice(), &[("action", "send")]].concat()).await;
        assert_eq!(res.status(), 303);
        app.drain().await;
        assert!(app.mails_to("ann@example.org").iter().any(|m| m.subject == "Slides are online"));
    }

    async fn one_greeting_and_each_reader_gets_their_language_with_its_placeholders(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 10, None, 30).await;
        app.register(&s.stop_id, "Ann", "ann@example.org").await;
        register_in(&app, &s.stop_id, "Mei Zhang", "mei@example.org", "zh-CN").await;
        app.drain().await;
        let path = format!("/api/v1/tours/{}/messages", s.tour_id);
        let both = json!({"segment": "confirmed",
            "subject_en": "See you on {date}", "body_en": "Hi {name},\n\nsee you on **{date}** at {venue}.",
            "subject_zh_cn": "{date}见", "body_zh_cn": "{name}，你好：\n\n我们 **{date}** 在{venue}见。"});
        let (status, sent) = json(app.post(&hui, &path, &both).await).await;
        assert_eq!(status, 201, "{sent}");
        assert_eq!(sent["recipients"], 2);
        app.drain().await;
        let ann = only_bulk(&app, "ann@example.org", "See you");
        let plain = plain_part(&ann);
        assert!(plain.starts_with("Hi Ann,"), "the message starts with the organizer's words: {plain}");
        assert_eq!(plain.matches("Ann").count(), 1, "one greeting: {plain}");
        assert!(!ann.text.contains("Hello Ann") && !ann.text.contains("你好"), "{}", ann.text);
        assert!(!has_cjk(&ann.text), "an English message is English throughout, its date too: {}", ann.text);
        assert!(ann.text.contains("You receive this message from the organizers"));
        let mei = only_bulk(&app, "mei@example.org", "见");
        let plain = plain_part(&mei);
        assert!(plain.starts_with("Mei Zhang，你好："), "{plain}");
        assert_eq!(plain.matches("你好").count(), 1, "{plain}");
        assert!(!plain.contains("Hello") && !plain.contains("Hi "), "{plain}");
        assert!(mei.subject.contains('月') && mei.subject.ends_with('见'), "the date in Chinese: {}", mei.subject);
        assert!(mei.text.contains("你收到这封邮件"));
        assert!(mei.text.contains("<strong>"), "the HTML renders the Markdown");

        // Written in English only: Mei gets the English text, all of it English.
        let en_only = json!({"segment": "confirmed", "subject_en": "Slides for {city}", "body_en": "Dear {name}, the date was {date}."});
        app.post_ok(&hui, &path, &en_only, 201).await;
        app.drain().await;
        let mei = only_bulk(&app, "mei@example.org", "Slides for");
        let plain = plain_part(&mei);
        assert!(plain.starts_with("Dear Mei Zhang, the date was "), "{plain}");
        let date_part = plain.split("the date was ").nth(1).unwrap().lines().next().unwrap();
        assert!(!has_cjk(date_part), "{{date}} in English in an English text: {date_part}");
        assert!(mei.text.contains("You receive this message from the organizers"), "{}", mei.text);
    }

    async fn unknown_placeholders_are_refused_with_the_known_ones_and_the_form_keeps_the_text(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 10, None, 30).await;
        app.register(&s.stop_id, "Ann", "ann@example.org").await;
        app.drain().await;
        let before = app.mail_files().len();
        let path = format!("/api/v1/tours/{}/messages", s.tour_id);
        for preview in [true, false] {
            let (status, bad) = json(app.post(&hui, &path, &json!({"segment": "confirmed", "subject_en": "Hi {first_name}", "body_en": "See {foo} and {name}; a { brace } is text", "preview": preview})).await).await;
            assert_eq!(status, 422, "{bad}");
            let body = bad["error"]["fields"]["body_en"].as_str().unwrap_or_default();
            assert!(body.contains("{foo}") && !body.contains("{ brace }"), "{bad}");
            for known in ["{name}", "{tour}", "{city}", "{date}", "{venue}", "{address}", "{manage_link}"] {
                assert!(body.contains(known), "lists {known}: {bad}");
            }
            assert!(bad["error"]["fields"]["subject_en"].as_str().unwrap_or_default().contains("{first_name}"), "{bad}");
        }
        // The single text of the API names its own fields.
        let (status, bad) = json(app.post(&hui, &path, &json!({"segment": "confirmed", "subject": "x", "body": "{bar}"})).await).await;
        assert_eq!(status, 422);
        assert!(bad["error"]["fields"]["body"].as_str().unwrap().contains("{bar}"), "{bad}");
        app.drain().await;
        assert_eq!(app.mail_files().len(), before, "nothing sent");

        // The page: 422, the field marked in the reader's language, nothing lost.
        let b = app.signed_in_browser(&hui).await;
        let page = format!("/manage/tours/{}/messages", s.tour_id);
        let csrf = b.csrf_of(&page).await;
        let body = "Hello {name}, bring {foo}!";
        for action in ["preview", "test", "send"] {
            let res = b.post_form(&page, &[("_csrf", csrf.as_str()), ("stop_id", ""), ("segment", "confirmed"), ("subject_en", "Bring it"), ("body_en", body), ("subject_zh_cn", "带上"), ("body_zh_cn", "{name}，请带上"), ("action", action)]).await;
            assert_eq!(res.status(), 422, "{action}");
            let html = scraper::Html::parse_document(&res.text().await.unwrap());
            assert_eq!(select_text(&html, "textarea[name=body_en]"), vec![body.to_owned()], "the text is kept");
            assert_eq!(attr(&html, "input[name=subject_zh_cn]", "value").as_deref(), Some("带上"));
            let error = select_text(&html, ".field.invalid").join(" ");
            assert!(error.contains("{foo}") && error.contains("{manage_link}"), "{error}");
        }
        app.drain().await;
        assert_eq!(app.mail_files().len(), before, "nothing sent");
    }

    async fn the_preview_shows_each_language_rendered_and_a_test_goes_to_the_organizer_alone(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 10, None, 30).await;
        app.register(&s.stop_id, "Ann", "ann@example.org").await;
        app.register(&s.stop_id, "Bo", "bo@example.org").await;
        register_in(&app, &s.stop_id, "Mei", "mei@example.org", "zh-CN").await;
        app.drain().await;
        let path = format!("/api/v1/tours/{}/messages", s.tour_id);
        let mut draft = json!({"segment": "confirmed", "subject_en": "Hi {name}", "body_en": "Hi {name}, **bold** on {date}",
            "subject_zh_cn": "{name}你好", "body_zh_cn": "{name}，**加粗** {date}", "preview": true});
        let (status, p) = json(app.post(&hui, &path, &draft).await).await;
        assert_eq!(status, 200, "{p}");
        assert_eq!(p["recipients"], 3);
        let v = p["versions"].as_array().unwrap();
        assert_eq!(v.len(), 2, "{p}");
        assert_eq!((v[0]["lang"].as_str(), v[0]["recipients"].as_u64(), v[0]["sample_name"].as_str()), (Some("en"), Some(2), Some("Ann")));
        assert_eq!((v[1]["lang"].as_str(), v[1]["recipients"].as_u64(), v[1]["sample_name"].as_str()), (Some("zh-CN"), Some(1), Some("Mei")));
        assert!(v[0]["html"].as_str().unwrap().contains("<strong>bold</strong>"));
        assert!(v[1]["subject"].as_str().unwrap().starts_with("Mei你好"));

        // On the page: both versions, the Markdown rendered as the e-mail renders it.
        let b = app.signed_in_browser(&hui).await;
        let page = format!("/manage/tours/{}/messages", s.tour_id);
        let csrf = b.csrf_of(&page).await;
        let form = |action: &'static str| vec![("_csrf", csrf.clone()), ("stop_id", String::new()), ("segment", "confirmed".into()), ("subject_en", "Hi {name}".into()), ("body_en", "Hi {name}, **bold** on {date}".into()), ("subject_zh_cn", "{name}你好".into()), ("body_zh_cn", "{name}，**加粗** {date}".into()), ("action", action.into())];
        let fields = |f: &[(&'static str, String)]| f.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();
        let post = |action: &'static str| {
            let f = fields(&form(action));
            let b = &b;
            let page = page.clone();
            async move {
                let refs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
                b.post_form(&page, &refs).await
            }
        };
        let res = post("preview").await;
        assert_eq!(res.status(), 200);
        let html = scraper::Html::parse_document(&res.text().await.unwrap());
        let rendered = select_text(&html, "section.message-version div.mail-html");
        assert_eq!(rendered.len(), 2);
        assert!(rendered[0].contains("Hi Ann, bold on") && !rendered[0].contains("**"), "{rendered:?}");
        assert!(rendered[1].contains("Mei，加粗") && !rendered[1].contains("**"), "{rendered:?}");
        assert_eq!(select_text(&html, "section.message-version div.mail-html strong"), vec!["bold", "加粗"]);

        // "Send a test to me": the organizer alone, one per language, marked, in no batch.
        let res = post("test").await;
        assert_eq!(res.status(), 200);
        let html = scraper::Html::parse_document(&res.text().await.unwrap());
        assert!(select_text(&html, ".flash.success").iter().any(|t| t.contains("hui@example.org")), "says where it went");
        assert_eq!(select_text(&html, "textarea[name=body_en]"), vec!["Hi {name}, **bold** on {date}".to_owned()], "the form stays as written");
        app.drain().await;
        let tests = app.mails_to("hui@example.org");
        assert_eq!(tests.len(), 2, "{:?}", tests.iter().map(|m| &m.subject).collect::<Vec<_>>());
        assert!(tests.iter().any(|m| m.subject == "[Test] Hi Ann" && m.text.contains("would go to 3 people")));
        assert!(tests.iter().any(|m| m.subject == "【测试】Mei你好"));
        for who in ["ann@example.org", "bo@example.org", "mei@example.org"] {
            assert!(!app.mails_to(who).iter().any(|m| m.subject.contains("Hi ") || m.subject.contains("你好")), "{who} got nothing");
        }
        // The API's test too; no batch and not in the segment's count.
        draft["preview"] = json!(false);
        draft["test"] = json!(true);
        let (status, t) = json(app.post(&hui, &path, &draft).await).await;
        assert_eq!(status, 201, "{t}");
        assert_eq!(t["tests"], 2);
        assert_eq!(t["recipients"], 0);
        let batched = app.db(|conn| {
            use diesel::prelude::*;
            use roadshow::db::schema::outbox;
            outbox::table.filter(outbox::kind.eq("bulk")).filter(outbox::batch_id.is_not_null()).count().get_result::<i64>(conn).unwrap()
        }).await;
        assert_eq!(batched, 0, "tests are in no batch");
    }

    async fn each_segment_shows_how_many_it_holds_and_sends_that_many(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        // Two days ahead (the "still coming?" question is due), one seat: Ann and Bo confirmed, Cy waits.
        let s = app.open_stop(&hui, 1, None, 2).await;
        let start = chrono::Utc::now() + chrono::Duration::hours(60);
        app.patch(&hui, &format!("/api/v1/stops/{}", s.stop_id), &json!({"starts_at": start.to_rfc3339(), "ends_at": (start + chrono::Duration::hours(3)).to_rfc3339()})).await;
        let mut codes = Vec::new();
        for (name, email) in [("Ann", "ann@example.org"), ("Bo", "bo@example.org"), ("Cy", "cy@example.org")] {
            codes.push(app.register(&s.stop_id, name, email).await.1["code"].clone());
        }
        crate::attendee::backdate_registrations(&app, &s.stop_id, 24 * 7).await;
        app.drain().await;
        roadshow::worker::run_scheduled(&app.state).await.unwrap();
        app.drain().await;
        // Bo answers; Ann never does.
        let ask = app.mails_to("bo@example.org").into_iter().find(|m| m.subject.starts_with("Still coming")).unwrap();
        let yes = ask.link("/coming/yes");
        let yes = yes.trim_start_matches(&app.address);
        let b = app.browser();
        let (_, page) = b.page(yes).await;
        let csrf = attr(&page, "input[name=_csrf]", "value").unwrap();
        assert_eq!(b.post_form(yes, &[("_csrf", &csrf)]).await.status(), 303);
        // Bo came.
        app.post_ok(&hui, &format!("/api/v1/stops/{}/checkins", s.stop_id), &json!({"code": codes[1]}), 200).await;
        // A speaker on the agenda, a volunteer with a task.
        let sp = app.post_ok(&hui, "/api/v1/speakers", &json!({"name": "Rongze Zhu", "email": "rz@example.org"}), 201).await;
        let talk = app.post_ok(&hui, "/api/v1/talks", &json!({"title": "Cinder", "duration_minutes": 30, "speaker_ids": [sp["id"]]}), 201).await;
        crate::speakers::accept_all_talks(&app, "rz@example.org").await;
        let (_, stop) = json(app.get(&hui, &format!("/api/v1/stops/{}", s.stop_id)).await).await;
        app.post_ok(&hui, &format!("/api/v1/stops/{}/agenda", s.stop_id), &json!({"talk_id": talk["id"], "starts_at": stop["starts_at"]}), 201).await;
        let photos = app.post_ok(&hui, &format!("/api/v1/stops/{}/tasks", s.stop_id), &json!({"kind": "photos", "slots": 2}), 201).await;
        app.api.post(app.url(&format!("/api/v1/tasks/{}/claims", photos["id"].as_str().unwrap()))).json(&json!({"name": "Shake", "email": "shake@example.org"})).send().await.unwrap();

        let expected = [("confirmed", 2), ("waitlisted", 1), ("checked_in", 1), ("no_shows", 0), ("no_answer", 1), ("speakers", 1), ("volunteers", 1)];
        let ob = app.signed_in_browser(&hui).await;
        for scope in [String::new(), s.stop_id.clone()] {
            let (status, page) = ob.page(&format!("/manage/tours/{}/messages?stop={scope}", s.tour_id)).await;
            assert_eq!(status, 200);
            for (segment, n) in expected {
                let label = select_text(&page, &format!("select[name=segment] option[value={segment}]")).join("");
                assert!(label.ends_with(&format!("({n})")), "{segment}: {label}");
                // The count is what the choice sends.
                let (_, p) = json(app.post(&hui, &format!("/api/v1/tours/{}/messages", s.tour_id), &json!({"segment": segment, "stop_id": (!scope.is_empty()).then_some(&scope), "subject": "x", "body": "y", "preview": true})).await).await;
                assert_eq!(p["recipients"], n, "{segment}: {p}");
            }
        }
        // Speakers and volunteers get their message.
        for (segment, who) in [("speakers", "rz@example.org"), ("volunteers", "shake@example.org"), ("no_answer", "ann@example.org")] {
            app.post_ok(&hui, &format!("/api/v1/tours/{}/messages", s.tour_id), &json!({"segment": segment, "subject": format!("To the {segment}"), "body": "Hi {name}"}), 201).await;
            app.drain().await;
            assert_eq!(app.mails_to(who).iter().filter(|m| m.subject == format!("To the {segment}")).count(), 1, "{segment}");
        }
        assert!(!app.mails_to("bo@example.org").iter().any(|m| m.subject == "To the no_answer"), "Bo answered");
    }

    async fn asking_for_the_materials_sends_each_person_one_email(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 100, None, 1).await;
        // One speaker with two talks; nobody took the photos, the report or the video.
        let sp = app.post_ok(&hui, "/api/v1/speakers", &json!({"name": "Rongze Zhu", "email": "rz@example.org"}), 201).await;
        let (_, stop) = json(app.get(&hui, &format!("/api/v1/stops/{}", s.stop_id)).await).await;
        let starts = chrono::DateTime::parse_from_rfc3339(stop["starts_at"].as_str().unwrap()).unwrap();
        let mut talks = Vec::new();
        for title in ["Cinder", "Swift"] {
            talks.push(app.post_ok(&hui, "/api/v1/talks", &json!({"title": title, "duration_minutes": 30, "speaker_ids": [sp["id"]]}), 201).await);
        }
        crate::speakers::accept_all_talks(&app, "rz@example.org").await;
        for (i, talk) in talks.iter().enumerate() {
            let at = starts + chrono::Duration::minutes(45 * i as i64);
            app.post_ok(&hui, &format!("/api/v1/stops/{}/agenda", s.stop_id), &json!({"talk_id": talk["id"], "starts_at": at.to_rfc3339()}), 201).await;
        }
        app.drain().await;
        // "Ask for the materials now".
        let b = app.signed_in_browser(&hui).await;
        let dash = format!("/manage/stops/{}/materials", s.stop_id);
        let csrf = b.csrf_of(&dash).await;
        let res = b.post_form(&format!("{dash}/open"), &[("_csrf", &csrf)]).await;
        assert_eq!(res.status(), 303);
        roadshow::worker::run_scheduled(&app.state).await.unwrap();
        app.drain().await;
        let asked = |who: &str| app.mails_to(who).into_iter().filter(|m| m.subject.starts_with("Please send")).collect::<Vec<_>>();
        let organizer = asked("hui@example.org");
        assert_eq!(organizer.len(), 1, "one e-mail for the photos, the report and the video");
        assert_eq!(organizer[0].subject, "Please send: 3 things for Tour · 北京");
        let plain = plain_part(&organizer[0]);
        for what in ["Written report", "Photos", "Video"] {
            assert!(plain.to_lowercase().contains(&what.to_lowercase()), "{what}: {plain}");
        }
        let speaker = asked("rz@example.org");
        assert_eq!(speaker.len(), 1, "one e-mail for both talks' slides");
        let plain = plain_part(&speaker[0]);
        assert!(plain.contains("Cinder") && plain.contains("Swift"), "{plain}");
        // Reminded later: again one each.
        crate::materials::make_reminders_due(&app).await;
        roadshow::worker::run_scheduled(&app.state).await.unwrap();
        app.drain().await;
        let reminded = app.mails_to("hui@example.org").into_iter().filter(|m| m.subject.starts_with("Reminder")).count();
        assert_eq!(reminded, 1);
    }
}

/// Registers as a visitor reading the site in `lang` does.
async fn register_in(app: &TestApp, stop_id: &str, name: &str, email: &str, lang: &str) {
    let res = app
        .api
        .post(app.url(&format!("/api/v1/stops/{stop_id}/registrations")))
        .header("accept-language", lang)
        .json(&json!({"name": name, "email": email}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
}

/// The one message to `to` whose subject holds `subject`.
fn only_bulk(app: &TestApp, to: &str, subject: &str) -> Mail {
    let mut found: Vec<Mail> = app
        .mails_to(to)
        .into_iter()
        .filter(|m| m.subject.contains(subject))
        .collect();
    assert_eq!(found.len(), 1, "one message to {to} with {subject}");
    found.remove(0)
}

/// The plain-text part of a message (its first part).
fn plain_part(m: &Mail) -> String {
    let text = m.text.trim_start();
    text.split("<!DOCTYPE").next().unwrap_or(text).to_owned()
}

fn has_cjk(text: &str) -> bool {
    text.chars()
        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c) || c == '，' || c == '：')
}
