use serde_json::json;

use crate::both_backends;
use crate::helpers::*;

both_backends! {
    async fn stops_keep_local_times_venues_and_ranked_backups(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let tour = app.create_tour(&hui, "Tour").await;
        let tour_id = tour["id"].as_str().unwrap();
        let shanda = app.create_venue(&hui, "Shanda Innovations", "北京", 150).await;
        let tsinghua = app.create_venue(&hui, "清华大学", "北京", 300).await;
        let cafe = app.create_venue(&hui, "Café", "北京", 40).await;
        let ids = |v: &serde_json::Value| v["id"].as_str().unwrap().to_owned();
        let stop = app.create_stop(&hui, tour_id, &ids(&shanda), &[&ids(&tsinghua), &ids(&cafe)]).await;
        assert_eq!(stop["starts_at"], "2012-09-16T05:30:00Z");
        assert_eq!(stop["starts_at_local"], "2012-09-16T13:30:00+08:00");
        assert_eq!(stop["timezone"], "Asia/Shanghai");
        assert_eq!(stop["city"], "北京");
        assert_eq!(stop["status"], "draft");
        assert_eq!(stop["capacity"], 150, "defaults to the venue's");
        assert_eq!(stop["capacity_override"], serde_json::Value::Null);
        assert_eq!(stop["backup_venue_ids"], json!([ids(&tsinghua), ids(&cafe)]));
        let stop_id = stop["id"].as_str().unwrap();

        // Re-rank the backups.
        let (status, got) = json(app.put(&hui, &format!("/api/v1/stops/{stop_id}/backups"), &json!({"venue_ids": [ids(&cafe), ids(&tsinghua)]})).await).await;
        assert_eq!(status, 200, "{got}");
        assert_eq!(got["backup_venue_ids"], json!([ids(&cafe), ids(&tsinghua)]));
        // A backup cannot be the venue itself, or twice.
        let (status, _) = json(app.put(&hui, &format!("/api/v1/stops/{stop_id}/backups"), &json!({"venue_ids": [ids(&shanda)]})).await).await;
        assert_eq!(status, 422);
        let (status, _) = json(app.put(&hui, &format!("/api/v1/stops/{stop_id}/backups"), &json!({"venue_ids": [ids(&cafe), ids(&cafe)]})).await).await;
        assert_eq!(status, 422);

        // Capacity override, then back to the venue's.
        let (_, got) = json(app.patch(&hui, &format!("/api/v1/stops/{stop_id}"), &json!({"capacity": 120, "show_rate": 0.67})).await).await;
        assert_eq!(got["capacity"], 120);
        assert_eq!(got["show_rate"], 0.67);
        let (_, got) = json(app.patch(&hui, &format!("/api/v1/stops/{stop_id}"), &json!({"capacity": null})).await).await;
        assert_eq!(got["capacity"], 150);

        // A draft stop may change venue directly; the new venue stops being a backup.
        let (status, got) = json(app.patch(&hui, &format!("/api/v1/stops/{stop_id}"), &json!({"venue_id": ids(&tsinghua)})).await).await;
        assert_eq!(status, 200, "{got}");
        assert_eq!(got["capacity"], 300);
        assert_eq!(got["backup_venue_ids"], json!([ids(&cafe)]));
        // An announced stop moves only by a venue switch.
        app.patch(&hui, &format!("/api/v1/stops/{stop_id}"), &json!({"status": "open"})).await;
        let (status, body) = json(app.patch(&hui, &format!("/api/v1/stops/{stop_id}"), &json!({"venue_id": ids(&shanda)})).await).await;
        assert_eq!(status, 409, "{body}");
        assert_eq!(body["error"]["code"], "use_venue_switch");
        // Status moves follow the rules.
        let (status, body) = json(app.patch(&hui, &format!("/api/v1/stops/{stop_id}"), &json!({"status": "draft"})).await).await;
        assert_eq!(status, 422, "{body}");

        // Supporters.
        let supporter = app.post_ok(&hui, &format!("/api/v1/stops/{stop_id}/supporters"), &json!({"name": "Cisco", "contribution": "WebEx live stream"}), 201).await;
        let (_, got) = json(app.get(&hui, &format!("/api/v1/stops/{stop_id}")).await).await;
        assert_eq!(got["supporters"][0]["name"], "Cisco");
        let res = app.api.delete(app.url(&format!("/api/v1/stops/{stop_id}/supporters/{}", supporter["id"].as_str().unwrap()))).bearer_auth(&hui.token).send().await.unwrap();
        assert_eq!(res.status(), 204);

        // The tour lists its stops in time order.
        let (_, list) = json(app.get(&hui, &format!("/api/v1/tours/{tour_id}/stops")).await).await;
        assert_eq!(list.as_array().unwrap().len(), 1);
    }

    async fn a_stop_clones_everything_but_the_date(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let tour = app.create_tour(&hui, "Tour").await;
        let venue = app.create_venue(&hui, "Shanda", "Beijing", 150).await;
        let backup = app.create_venue(&hui, "Backup", "Beijing", 100).await;
        let stop = app.create_stop(&hui, tour["id"].as_str().unwrap(), venue["id"].as_str().unwrap(), &[backup["id"].as_str().unwrap()]).await;
        let stop_id = stop["id"].as_str().unwrap();
        app.patch(&hui, &format!("/api/v1/stops/{stop_id}"), &json!({"capacity": 120, "livestream_url": "https://live.example.org/bj", "status": "open"})).await;
        app.post_ok(&hui, &format!("/api/v1/stops/{stop_id}/supporters"), &json!({"name": "Shanda", "contribution": "room and drinks"}), 201).await;

        let copy = app.post_ok(&hui, &format!("/api/v1/stops/{stop_id}/clone"), &json!({"starts_at": "2013-03-16T13:30:00+08:00", "ends_at": "2013-03-16T17:30:00+08:00"}), 201).await;
        assert_ne!(copy["id"], stop["id"]);
        assert_eq!(copy["starts_at_local"], "2013-03-16T13:30:00+08:00");
        assert_eq!(copy["status"], "draft");
        let (_, source) = json(app.get(&hui, &format!("/api/v1/stops/{stop_id}")).await).await;
        for key in ["city", "timezone", "venue_id", "backup_venue_ids", "capacity", "livestream_url"] {
            assert_eq!(copy[key], source[key], "{key}");
        }
        assert_eq!(copy["capacity"], 120);
        assert_eq!(copy["supporters"][0]["contribution"], "room and drinks");
    }

    async fn stop_input_is_checked(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let tour = app.create_tour(&hui, "Tour").await;
        let tour_id = tour["id"].as_str().unwrap();
        let venue = app.create_venue(&hui, "Shanda", "Beijing", 150).await;
        let path = format!("/api/v1/tours/{tour_id}/stops");
        let (status, body) = json(app.post(&hui, &path, &json!({
            "city": " ", "starts_at": "2012-09-16 13:30", "ends_at": "2012-09-16T17:30:00+08:00",
            "timezone": "Mars/Olympus", "venue_id": "nope", "backup_venue_ids": ["nope"], "capacity": -5,
            "livestream_url": "javascript:alert(1)"
        })).await).await;
        assert_eq!(status, 422);
        let fields = body["error"]["fields"].as_object().unwrap();
        for f in ["city", "starts_at", "timezone", "venue_id", "backup_venue_ids", "capacity", "livestream_url"] {
            assert!(fields.contains_key(f), "{f} missing in {body}");
        }
        let (status, body) = json(app.post(&hui, &path, &json!({
            "city": "Beijing", "starts_at": "2012-09-16T17:30:00+08:00", "ends_at": "2012-09-16T13:30:00+08:00",
            "timezone": "Asia/Shanghai", "venue_id": venue["id"]
        })).await).await;
        assert_eq!(status, 422);
        assert!(body["error"]["fields"]["ends_at"].is_string(), "{body}");
        let (_, list) = json(app.get(&hui, &format!("/api/v1/tours/{tour_id}/stops")).await).await;
        assert_eq!(list, json!([]), "nothing was saved");
    }
}
