use serde_json::json;

use crate::both_backends;
use crate::helpers::*;

both_backends! {
    async fn tours_are_created_read_listed_and_published(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let tour = app.create_tour(&hui, "OpenStack China Tour 2012").await;
        assert_eq!(tour["slug"], "openstack-china-tour-2012");
        assert_eq!(tour["status"], "draft");
        assert_eq!(tour["role"], "owner");
        assert_eq!(tour["prior_show_rate"], 0.5);
        let id = tour["id"].as_str().unwrap();

        let (status, got) = json(app.get(&hui, &format!("/api/v1/tours/{id}")).await).await;
        assert_eq!(status, 200);
        assert_eq!(got["name"], "OpenStack China Tour 2012");
        assert_eq!(got["contact_email"], "team@example.org");

        let (_, list) = json(app.get(&hui, "/api/v1/tours").await).await;
        assert_eq!(list.as_array().unwrap().len(), 1);

        let (status, got) = json(app.patch(&hui, &format!("/api/v1/tours/{id}"), &json!({"status": "published", "prior_show_rate": 0.67, "contact_email": null})).await).await;
        assert_eq!(status, 200, "{got}");
        assert_eq!(got["status"], "published");
        assert_eq!(got["prior_show_rate"], 0.67);
        assert_eq!(got["contact_email"], serde_json::Value::Null);

        // The same name again gets the next free slug.
        let second = app.create_tour(&hui, "OpenStack China Tour 2012").await;
        assert_eq!(second["slug"], "openstack-china-tour-2012-2");
        // A chosen slug that is taken is a field error.
        let (status, body) = json(app.post(&hui, "/api/v1/tours", &json!({"name": "x", "slug": "openstack-china-tour-2012"})).await).await;
        assert_eq!(status, 422);
        assert!(body["error"]["fields"]["slug"].is_string(), "{body}");
    }

    async fn chinese_names_round_trip(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let tour = app.create_tour(&hui, "OpenStack 中国行 2012").await;
        let id = tour["id"].as_str().unwrap();
        let (_, got) = json(app.get(&hui, &format!("/api/v1/tours/{id}")).await).await;
        assert_eq!(got["name"], "OpenStack 中国行 2012");
        let only_chinese = app.create_tour(&hui, "中国行").await;
        assert!(only_chinese["slug"].as_str().unwrap().starts_with("tour-"));
    }

    async fn another_team_cannot_read_or_change_a_tour(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let eve = app.organizer("eve@example.org").await;
        let tour = app.create_tour(&hui, "Tour").await;
        let id = tour["id"].as_str().unwrap();
        let venue = app.create_venue(&hui, "Shanda", "Beijing", 150).await;
        let stop = app.create_stop(&hui, id, venue["id"].as_str().unwrap(), &[]).await;
        let stop_id = stop["id"].as_str().unwrap();

        for path in [format!("/api/v1/tours/{id}"), format!("/api/v1/tours/{id}/stops"), format!("/api/v1/tours/{id}/members"), format!("/api/v1/stops/{stop_id}")] {
            let (status, body) = json(app.get(&eve, &path).await).await;
            assert_eq!(status, 404, "{path}: {body}");
            assert_eq!(body["error"]["code"], "not_found");
        }
        let (status, _) = json(app.patch(&eve, &format!("/api/v1/tours/{id}"), &json!({"name": "mine"})).await).await;
        assert_eq!(status, 404);
        let (status, _) = json(app.patch(&eve, &format!("/api/v1/stops/{stop_id}"), &json!({"city": "mine"})).await).await;
        assert_eq!(status, 404);
        let (status, _) = json(app.post(&eve, &format!("/api/v1/tours/{id}/stops"), &json!({"city": "x", "starts_at": "2012-09-16T13:30:00+08:00", "ends_at": "2012-09-16T17:30:00+08:00", "timezone": "Asia/Shanghai", "venue_id": venue["id"]})).await).await;
        assert_eq!(status, 404);
        let (_, list) = json(app.get(&eve, "/api/v1/tours").await).await;
        assert_eq!(list, json!([]));
        // Nothing changed.
        let (_, got) = json(app.get(&hui, &format!("/api/v1/tours/{id}")).await).await;
        assert_eq!(got["name"], "Tour");
    }

    async fn owners_build_the_team_and_roles_limit_what_members_do(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let co = app.organizer("co@example.org").await;
        let local = app.organizer("local@example.org").await;
        let tour = app.create_tour(&hui, "Tour").await;
        let id = tour["id"].as_str().unwrap();
        let venue = app.create_venue(&hui, "Shanda", "Beijing", 150).await;
        let beijing = app.create_stop(&hui, id, venue["id"].as_str().unwrap(), &[]).await;
        let shenzhen = app.create_stop(&hui, id, venue["id"].as_str().unwrap(), &[]).await;

        let added = app.post_ok(&hui, &format!("/api/v1/tours/{id}/members"), &json!({"email": "co@example.org", "role": "organizer"}), 201).await;
        assert_eq!(added["member"]["role"], "organizer");
        assert_eq!(added["invitation_sent"], false, "co already has a password");
        app.post_ok(&hui, &format!("/api/v1/tours/{id}/members"), &json!({"email": "LOCAL@example.org", "role": "local", "stop_ids": [shenzhen["id"]]}), 201).await;
        // An address without an account gets one, and an invitation in its mailbox only: the
        // owner never holds the link that sets the new account's password.
        let invited = app.post_ok(&hui, &format!("/api/v1/tours/{id}/members"), &json!({"email": "new@example.org", "role": "organizer"}), 201).await;
        assert_eq!(invited["invitation_sent"], true);
        assert!(!invited.to_string().contains("/invite/"), "{invited}");
        app.drain().await;
        assert!(app.mails_to("new@example.org")[0].link("/invite/").starts_with(&app.address));
        let (_, team) = json(app.get(&hui, &format!("/api/v1/tours/{id}/members")).await).await;
        assert_eq!(team.as_array().unwrap().len(), 4);

        // A co-organizer edits the tour and its stops but not the team.
        let (status, _) = json(app.patch(&co, &format!("/api/v1/tours/{id}"), &json!({"name": "Renamed"})).await).await;
        assert_eq!(status, 200);
        let (status, body) = json(app.post(&co, &format!("/api/v1/tours/{id}/members"), &json!({"email": "x@example.org", "role": "organizer"})).await).await;
        assert_eq!(status, 403, "{body}");

        // The local member sees the tour and their own stop only, and cannot edit the tour.
        let (status, _) = json(app.get(&local, &format!("/api/v1/tours/{id}")).await).await;
        assert_eq!(status, 200);
        let (_, stops) = json(app.get(&local, &format!("/api/v1/tours/{id}/stops")).await).await;
        assert_eq!(stops.as_array().unwrap().len(), 1);
        assert_eq!(stops[0]["id"], shenzhen["id"]);
        let (status, _) = json(app.get(&local, &format!("/api/v1/stops/{}", beijing["id"].as_str().unwrap())).await).await;
        assert_eq!(status, 404);
        let (status, _) = json(app.patch(&local, &format!("/api/v1/stops/{}", shenzhen["id"].as_str().unwrap()), &json!({"livestream_url": "https://live.example.org/sz"})).await).await;
        assert_eq!(status, 200);
        let (status, _) = json(app.patch(&local, &format!("/api/v1/tours/{id}"), &json!({"name": "Mine"})).await).await;
        assert_eq!(status, 403);

        // The last owner stays.
        let (status, body) = json(app.api.delete(app.url(&format!("/api/v1/tours/{id}/members/{}", hui.id))).bearer_auth(&hui.token).send().await.unwrap()).await;
        assert_eq!(status, 409, "{body}");
        let res = app.api.delete(app.url(&format!("/api/v1/tours/{id}/members/{}", co.id))).bearer_auth(&hui.token).send().await.unwrap();
        assert_eq!(res.status(), 204);
        let (status, _) = json(app.get(&co, &format!("/api/v1/tours/{id}")).await).await;
        assert_eq!(status, 404);
    }
}
