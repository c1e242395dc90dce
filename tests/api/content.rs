//! Organizer content in two languages: tours, stops, venues and tasks have an optional text
//! per content language next to the original; each reader sees theirs, else the original.

use serde_json::json;

use crate::both_backends;
use crate::helpers::*;

/// A public page as a visitor reading `lang` sees it (by Accept-Language).
async fn page_in(app: &TestApp, path: &str, lang: &str) -> String {
    let res = app
        .api
        .get(app.url(path))
        .header("Accept-Language", lang)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "GET {path}");
    res.text().await.unwrap()
}

both_backends! {
    async fn each_reader_sees_the_tour_and_stop_in_their_language(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 100, Some(1.0), 10).await;
        let tour = app.patch(&hui, &format!("/api/v1/tours/{}", s.tour_id), &json!({
            "name": "Open Source Roadshow",
            "translations": {"zh-CN": {"name": "开源巡讲", "description": "一场*巡讲*。"}}
        })).await;
        let (status, tour) = json(tour).await;
        assert_eq!(status, 200, "{tour}");
        assert_eq!(tour["translations"]["zh-CN"]["name"], "开源巡讲");
        let slug = tour["slug"].as_str().unwrap().to_owned();
        let (status, stop) = json(app.patch(&hui, &format!("/api/v1/stops/{}", s.stop_id), &json!({
            "translations": {"en": {"city": "Beijing"}}
        })).await).await;
        assert_eq!(status, 200, "{stop}");

        // The Chinese reader: the Chinese name and description; the city has no Chinese
        // text, so its original (北京) shows.
        let zh = page_in(&app, &format!("/tours/{slug}"), "zh-CN").await;
        assert!(zh.contains("开源巡讲") && zh.contains("<em>巡讲</em>"), "{zh}");
        assert!(!zh.contains("Open Source Roadshow") && !zh.contains("Beijing"), "{zh}");
        assert!(zh.contains("北京"));
        // The English reader: the original name and description, the English city.
        let en = page_in(&app, &format!("/tours/{slug}"), "en").await;
        assert!(en.contains("Open Source Roadshow") && en.contains("Beijing"), "{en}");
        assert!(!en.contains("开源巡讲"), "{en}");
        assert!(en.contains("A <em>tour</em>."), "the original description: {en}");

        // The stop's page and the home page too; the language switch's cookie decides
        // over the browser's preference.
        let stop_zh = page_in(&app, &format!("/stops/{}", s.stop_id), "zh-CN").await;
        assert!(stop_zh.contains("开源巡讲"), "{stop_zh}");
        let res = app.api.get(app.url(&format!("/stops/{}", s.stop_id)))
            .header("Accept-Language", "zh-CN").header("Cookie", "lang=en").send().await.unwrap();
        let switched = res.text().await.unwrap();
        assert!(switched.contains("Open Source Roadshow") && switched.contains("Beijing"), "{switched}");
        let home = page_in(&app, "/", "zh-CN").await;
        assert!(home.contains("开源巡讲"), "{home}");

        // An empty text removes it: the Chinese reader is back to the original.
        let (status, tour) = json(app.patch(&hui, &format!("/api/v1/tours/{}", s.tour_id), &json!({
            "translations": {"zh-CN": {"name": ""}}
        })).await).await;
        assert_eq!(status, 200);
        assert!(tour["translations"]["zh-CN"].get("name").is_none(), "{tour}");
        assert_eq!(tour["translations"]["zh-CN"]["description"], "一场*巡讲*。", "other texts stay");
        let (_, got) = json(app.get(&hui, &format!("/api/v1/tours/{}", s.tour_id)).await).await;
        assert_eq!(got["translations"], tour["translations"]);
    }
}

both_backends! {
    async fn a_changed_translation_reaches_the_cached_pages(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 100, Some(1.0), 10).await;
        let path = format!("/stops/{}", s.stop_id);
        // Rendered and kept, in both languages.
        for lang in ["zh-CN", "en", "zh-CN", "en"] {
            assert!(page_in(&app, &path, lang).await.contains("Take the lift"));
        }
        // The venue's directions in Chinese: the Chinese page changes at once, the English
        // one keeps the original.
        let (status, _) = json(app.patch(&hui, &format!("/api/v1/venues/{}", s.venue_id), &json!({
            "translations": {"zh-CN": {"directions": "乘电梯到三楼。", "name": "大厅"}}
        })).await).await;
        assert_eq!(status, 200);
        let zh = page_in(&app, &path, "zh-CN").await;
        assert!(zh.contains("乘电梯到三楼。") && zh.contains("大厅"), "{zh}");
        assert!(!zh.contains("Take the lift"), "{zh}");
        let en = page_in(&app, &path, "en").await;
        assert!(en.contains("Take the lift") && !en.contains("乘电梯"), "{en}");
        // The tour's name, on the stop page and the tour page.
        let (_, tour) = json(app.get(&hui, &format!("/api/v1/tours/{}", s.tour_id)).await).await;
        let slug = tour["slug"].as_str().unwrap();
        assert!(page_in(&app, &format!("/tours/{slug}"), "zh-CN").await.contains("Tour"));
        app.patch(&hui, &format!("/api/v1/tours/{}", s.tour_id), &json!({
            "translations": {"zh-CN": {"name": "巡讲二〇一二"}}
        })).await;
        assert!(page_in(&app, &path, "zh-CN").await.contains("巡讲二〇一二"));
        assert!(page_in(&app, &format!("/tours/{slug}"), "zh-CN").await.contains("巡讲二〇一二"));
        let (_, venue) = json(app.get(&hui, &format!("/api/v1/venues/{}", s.venue_id)).await).await;
        assert_eq!(venue["translations"]["zh-CN"]["directions"], "乘电梯到三楼。");
    }
}

both_backends! {
    async fn e_mails_come_in_the_recipients_language(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 100, Some(1.0), 10).await;
        app.patch(&hui, &format!("/api/v1/venues/{}", s.venue_id), &json!({
            "translations": {"zh-CN": {"directions": "乘电梯到三楼。"}}
        })).await;
        app.patch(&hui, &format!("/api/v1/tours/{}", s.tour_id), &json!({
            "translations": {"zh-CN": {"name": "开源巡讲"}, "en": {"name": "Open Source Tour"}}
        })).await;
        for (lang, email) in [("zh-CN", "mei@example.org"), ("en", "tom@example.org")] {
            let res = app.api.post(app.url(&format!("/api/v1/stops/{}/registrations", s.stop_id)))
                .header("Accept-Language", lang)
                .json(&json!({"name": "Reader", "email": email}))
                .send().await.unwrap();
            assert_eq!(res.status(), 201);
        }
        app.drain().await;
        let zh = &app.mails_to("mei@example.org")[0];
        assert!(zh.text.contains("乘电梯到三楼。") && zh.text.contains("开源巡讲"), "{}", zh.text);
        assert!(!zh.text.contains("Take the lift"), "{}", zh.text);
        let en = &app.mails_to("tom@example.org")[0];
        assert!(en.text.contains("Take the lift") && en.text.contains("Open Source Tour"), "{}", en.text);
        assert!(!en.text.contains("乘电梯"), "{}", en.text);
    }
}

both_backends! {
    async fn the_standard_tasks_exist_in_both_languages(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 100, Some(1.0), 10).await;
        // Made by an organizer reading English (the API's default).
        let (status, _) = json(app.post(&hui, &format!("/api/v1/stops/{}/tasks/standard", s.stop_id), &json!({})).await).await;
        assert_eq!(status, 200);
        let path = format!("/stops/{}/help", s.stop_id);
        let zh = page_in(&app, &path, "zh-CN").await;
        assert!(zh.contains("签到台"), "{zh}");
        assert!(!zh.contains("Registration desk"), "{zh}");
        let en = page_in(&app, &path, "en").await;
        assert!(en.contains("Registration desk") && !en.contains("签到台"), "{en}");
        // A task titled by its kind alone, too.
        app.post_ok(&hui, &format!("/api/v1/stops/{}/tasks", s.stop_id), &json!({"kind": "photos", "slots": 1}), 201).await;
        let zh = page_in(&app, &path, "zh-CN").await;
        let en = page_in(&app, &path, "en").await;
        let (photos_zh, photos_en) = ("拍照", "Photos");
        assert!(zh.contains(photos_zh), "{zh}");
        assert!(en.contains(photos_en), "{en}");
    }
}

both_backends! {
    async fn bad_translations_are_refused_by_field(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let tour = app.create_tour(&hui, "Tour").await;
        let id = tour["id"].as_str().unwrap();
        let cases = [
            (json!({"fr": {"name": "Tournée"}}), "translations"),
            (json!({"zh-CN": {"name": "两\n行"}}), "translations.zh-CN.name"),
            (json!({"zh-CN": {"slug": "x"}}), "translations.zh-CN.slug"),
            (json!({"en": {"description": "x".repeat(20_001)}}), "translations.en.description"),
        ];
        for (translations, field) in cases {
            let (status, body) = json(app.patch(&hui, &format!("/api/v1/tours/{id}"), &json!({"translations": translations})).await).await;
            assert_eq!(status, 422, "{body}");
            assert!(body["error"]["fields"].get(field).is_some(), "{field}: {body}");
        }
        let (status, body) = json(app.post(&hui, "/api/v1/venues", &json!({
            "name": "Hall", "city": "北京", "capacity": 10,
            "translations": {"zh-CN": {"name": "x".repeat(201)}}
        })).await).await;
        assert_eq!(status, 422);
        assert!(body["error"]["fields"].get("translations.zh-CN.name").is_some(), "{body}");
        // Nothing was saved by a refused change.
        let (_, got) = json(app.get(&hui, &format!("/api/v1/tours/{id}")).await).await;
        assert_eq!(got["translations"], json!({}));
    }
}

both_backends! {
    async fn the_forms_offer_the_other_language_and_save_it(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 100, Some(1.0), 10).await;
        let b = app.signed_in_browser(&hui).await;
        let edit = format!("/manage/tours/{}/edit", s.tour_id);
        let (status, html) = b.page(&edit).await;
        assert_eq!(status, 200);
        let labels = select_text(&html, "label");
        assert!(labels.iter().any(|l| l.contains("Name in 中文")), "{labels:?}");
        assert!(labels.iter().any(|l| l.contains("Description in 中文")), "{labels:?}");
        assert!(attr(&html, "input[name='translations.zh-CN.name']", "name").is_some());
        let csrf = b.csrf_of(&edit).await;
        let (_, got) = json(app.get(&hui, &format!("/api/v1/tours/{}", s.tour_id)).await).await;
        let slug = got["slug"].as_str().unwrap().to_owned();
        let post = |name: &'static str| {
            vec![
                ("_csrf", csrf.clone()), ("name", "Tour".to_owned()), ("slug", slug.clone()),
                ("description", "A *tour*.".to_owned()), ("contact_email", "team@example.org".to_owned()),
                ("prior_show_rate", "0.5".to_owned()), ("cfp_opens_on", String::new()), ("cfp_closes_on", String::new()),
                ("translations.zh-CN.name", name.to_owned()), ("translations.zh-CN.description", "中文介绍".to_owned()),
            ]
        };
        let fields = post("两\n行");
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let res = b.post_form(&edit, &fields).await;
        assert_eq!(res.status(), 422);
        let html = scraper::Html::parse_document(&res.text().await.unwrap());
        assert!(attr(&html, "input[name='translations.zh-CN.name'][aria-invalid=true]", "name").is_some());
        let fields = post("巡讲");
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let res = b.post_form(&edit, &fields).await;
        assert_eq!(res.status(), 303);
        let (_, got) = json(app.get(&hui, &format!("/api/v1/tours/{}", s.tour_id)).await).await;
        assert_eq!(got["translations"]["zh-CN"], json!({"name": "巡讲", "description": "中文介绍"}));
        assert!(page_in(&app, &format!("/tours/{slug}"), "zh-CN").await.contains("中文介绍"));
        // The edit form shows what was saved.
        let (_, html) = b.page(&edit).await;
        assert_eq!(attr(&html, "input[name='translations.zh-CN.name']", "value").as_deref(), Some("巡讲"));

        // A venue's and a stop's forms too.
        let (_, html) = b.page(&format!("/manage/venues/{}/edit", s.venue_id)).await;
        assert!(attr(&html, "input[name='translations.zh-CN.name']", "name").is_some());
        assert!(attr(&html, "textarea[name='translations.zh-CN.directions']", "name").is_some());
        let (_, html) = b.page(&format!("/manage/stops/{}/edit", s.stop_id)).await;
        assert!(attr(&html, "input[name='translations.zh-CN.city']", "name").is_some());
        // A Chinese-reading organizer is offered English instead.
        b.get(&format!("/lang/zh-CN?next={edit}")).await;
        let (_, html) = b.page(&edit).await;
        assert!(attr(&html, "input[name='translations.en.name']", "name").is_some());
        // …and the Chinese text already saved, so nothing saved is hidden.
        assert!(attr(&html, "input[name='translations.zh-CN.name']", "name").is_some());
    }
}
