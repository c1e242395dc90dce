//! `roadshow demo`: the 2012 tour as history and a tour running now, whose stops tell the
//! whole story (done with materials half in and no-shows, in progress at the desk, near and
//! past the target, further off), each seen through the API and the pages as its organizer
//! sees them; the 2012 figures stay those of the seed, and a second run adds nothing.

use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::*;
use roadshow::demo::Part;

async fn demo_login(app: &TestApp, email: &str, password: &str) -> Organizer {
    let (status, body) = json(
        app.api
            .post(app.url("/api/v1/tokens"))
            .json(&json!({"email": email, "password": password}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 201, "the printed login works: {body}");
    Organizer {
        id: String::new(),
        email: email.to_owned(),
        token: body["token"].as_str().unwrap().to_owned(),
    }
}

fn time(v: &Value) -> chrono::DateTime<chrono::Utc> {
    v.as_str().unwrap().parse().unwrap()
}

both_backends! {
    async fn the_demo_tells_the_whole_story(app: TestApp) {
        let (loaded, current) = roadshow::demo::run(&app.state).await.unwrap();
        assert!(current.created);
        let demo = demo_login(&app, &loaded.email, &loaded.password).await;
        let stop_of = |part: Part| current.stops.iter().find(|(p, _)| *p == part).unwrap().1.clone();
        let now = chrono::Utc::now();

        // The 2012 tour is history, its figures those of the seed.
        let (_, r) = json(app.get(&demo, &format!("/api/v1/tours/{}/report", loaded.tour.id)).await).await;
        assert_eq!((r["totals"]["stops"].as_i64(), r["totals"]["registrations"].as_i64(), r["totals"]["attendance"].as_i64()), (Some(8), Some(1060), Some(710)));

        // Done last week: no-shows, and its materials half handed in, the rest overdue.
        let done = stop_of(Part::Done);
        let (_, stop) = json(app.get(&demo, &format!("/api/v1/stops/{done}")).await).await;
        assert_eq!(stop["status"], "done");
        assert!(time(&stop["ends_at"]) < now - chrono::Duration::days(3), "{stop}");
        let stats = app.stats(&demo, &done).await;
        let (confirmed, checked_in) = (stats["confirmed"].as_i64().unwrap(), stats["checked_in"].as_i64().unwrap());
        assert!(checked_in > 0 && checked_in < confirmed, "a few no-shows: {stats}");
        let browser = app.browser();
        let csrf = browser.csrf_of("/login").await;
        let res = browser.post_form("/login", &[("_csrf", &csrf), ("email", &loaded.email), ("password", &loaded.password)]).await;
        assert_eq!(res.status(), 303, "the demo organizer signs in");
        let (status, page) = browser.page(&format!("/manage/stops/{done}/materials")).await;
        assert_eq!(status, 200);
        let cards = select_text(&page, "article.card").len();
        let overdue = select_text(&page, "article.card.flagged").len();
        assert!(overdue > 0 && overdue < cards, "{overdue} of {cards} materials overdue");

        // In progress today, the desk has checked in part of the room.
        let today = stop_of(Part::Today);
        let (_, stop) = json(app.get(&demo, &format!("/api/v1/stops/{today}")).await).await;
        assert!(time(&stop["starts_at"]) <= now && now <= time(&stop["ends_at"]), "in progress: {stop}");
        let stats = app.stats(&demo, &today).await;
        let (confirmed, checked_in) = (stats["confirmed"].as_i64().unwrap(), stats["checked_in"].as_i64().unwrap());
        assert!(checked_in > 0 && checked_in < confirmed, "{stats}");

        // Open near its target; open past it, with a waitlist.
        let near = app.stats(&demo, &stop_of(Part::NearTarget)).await;
        let left = near["registration_target"].as_i64().unwrap() - near["confirmed"].as_i64().unwrap();
        assert!((1..=10).contains(&left), "near the target: {near}");
        assert_eq!(near["waitlisted"], 0);
        let past = app.stats(&demo, &stop_of(Part::Waitlisted)).await;
        assert!(past["waitlisted"].as_i64().unwrap() > 0, "{past}");
        assert_eq!(past["confirmed"], past["registration_target"], "{past}");

        // Upcoming stops have ranked backups; tasks are half claimed; agendas have speakers.
        for part in [Part::NearTarget, Part::Waitlisted, Part::Later] {
            let id = stop_of(part);
            let (_, stop) = json(app.get(&demo, &format!("/api/v1/stops/{id}")).await).await;
            assert!(!stop["backup_venue_ids"].as_array().unwrap().is_empty(), "{part:?} has backups");
            assert!(time(&stop["starts_at"]) > now);
        }
        let (_, stop) = json(app.get(&demo, &format!("/api/v1/stops/{}", stop_of(Part::NearTarget))).await).await;
        assert_eq!(stop["backup_venue_ids"].as_array().unwrap().len(), 2, "two backups, in order");
        for part in [Part::Done, Part::Today, Part::NearTarget, Part::Waitlisted] {
            let id = stop_of(part);
            let (_, tasks) = json(app.get(&demo, &format!("/api/v1/stops/{id}/tasks")).await).await;
            let tasks = tasks.as_array().unwrap();
            let claimed = tasks.iter().filter(|t| t["claimed"].as_i64().unwrap() > 0).count();
            assert!(claimed > 0 && claimed < tasks.len(), "{part:?}: {claimed} of {} tasks claimed", tasks.len());
            let (_, agenda) = json(app.get(&demo, &format!("/api/v1/stops/{id}/agenda")).await).await;
            assert!(agenda.to_string().contains("Jun Zhong"), "{part:?}: {agenda}");
        }

        // The call for proposals: one accepted, one to review, one not confirmed by its sender.
        let (status, page) = browser.page(&format!("/manage/tours/{}/proposals", current.tour.id)).await;
        assert_eq!(status, 200);
        let html = page.root_element().html();
        assert!(html.contains("Open source on campus"), "the accepted proposal");
        assert!(html.contains("Packaging for two distributions at once"), "the proposal to review");
        assert!(!html.contains("Stateful services on Kubernetes"), "unconfirmed: not shown yet");

        // Both tours are public; the 2012 one links its report.
        let (status, page) = app.browser().page("/tours/openstack-china-tour-2012").await;
        assert_eq!(status, 200);
        assert_eq!(attr(&page, "a[href='/tours/openstack-china-tour-2012/report']", "href").as_deref(), Some("/tours/openstack-china-tour-2012/report"));
        let (status, page) = app.browser().page(&format!("/tours/{}", current.tour.slug)).await;
        assert_eq!(status, 200);
        assert!(attr(&page, &format!("a[href='/tours/{}/report']", current.tour.slug), "href").is_none(), "no report published yet");

        // Nobody made up is e-mailed.
        assert_eq!(app.drain().await, 0, "no e-mail queued for the demo's people");
        assert!(app.mail_files().is_empty());

        // A second run adds nothing.
        let (again, current_again) = roadshow::demo::run(&app.state).await.unwrap();
        assert!(!again.created && !current_again.created);
        let (_, tours) = json(app.get(&demo, "/api/v1/tours").await).await;
        assert_eq!(tours.as_array().unwrap().len(), 2, "{tours}");
        let (_, stops) = json(app.get(&demo, &format!("/api/v1/tours/{}/stops", current.tour.id)).await).await;
        assert_eq!(stops.as_array().unwrap().len(), 5);
        let (_, r) = json(app.get(&demo, &format!("/api/v1/tours/{}/report", loaded.tour.id)).await).await;
        assert_eq!(r["totals"]["registrations"], 1060);
    }
}
