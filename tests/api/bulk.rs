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
        let fields = [("_csrf", csrf.as_str()), ("stop_id", ""), ("segment", "confirmed"), ("subject", "Slides are online"), ("body", "Dear {name}, thanks!")];
        let res = b.post_form(&page, &[fields.as_slice(), &[("action", "preview")]].concat()).await;
        assert_eq!(res.status(), 200);
        let html = scraper::Html::parse_document(&res.text().await.unwrap());
        assert!(select_text(&html, "pre.mail")[0].contains("Dear Ann, thanks!"));
        assert!(select_text(&html, ".flash.success")[0].starts_with('1'));
        let res = b.post_form(&page, &[fields.as_slice(), &[("action", "send")]].concat()).await;
        assert_eq!(res.status(), 303);
        app.drain().await;
        assert!(app.mails_to("ann@example.org").iter().any(|m| m.subject == "Slides are online"));
    }
}
