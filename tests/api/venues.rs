use serde_json::json;

use crate::both_backends;
use crate::helpers::*;

both_backends! {
    async fn venues_keep_every_field_and_their_history(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let body = json!({
            "name": "3W咖啡", "city": "深圳", "address": "南山区科技园", "directions": "二楼，进门右转",
            "capacity": 80, "kind": "cafe", "cost": "shared", "cost_note": "AA制，每人 30 元",
            "contact": "王先生", "weekday_only": false, "id_check_required": true, "caveats": "空间有限"
        });
        let venue = app.post_ok(&hui, "/api/v1/venues", &body, 201).await;
        for key in ["name", "city", "address", "directions", "capacity", "kind", "cost", "cost_note", "contact", "weekday_only", "id_check_required", "caveats"] {
            assert_eq!(venue[key], body[key], "{key}");
        }
        let id = venue["id"].as_str().unwrap();

        let tour = app.create_tour(&hui, "Tour").await;
        app.create_stop(&hui, tour["id"].as_str().unwrap(), id, &[]).await;
        let (status, got) = json(app.get(&hui, &format!("/api/v1/venues/{id}")).await).await;
        assert_eq!(status, 200);
        assert_eq!(got["name"], "3W咖啡");
        assert_eq!(got["history"].as_array().unwrap().len(), 1);
        assert_eq!(got["history"][0]["city"], "北京");

        // Another organizer sees the shared venue but not the draft tour's stop held there.
        let eve = app.organizer("eve@example.org").await;
        let (_, seen) = json(app.get(&eve, &format!("/api/v1/venues/{id}")).await).await;
        assert_eq!(seen["history"], json!([]));
        // …and may not change it.
        let (status, _) = json(app.patch(&eve, &format!("/api/v1/venues/{id}"), &json!({"address": "elsewhere"})).await).await;
        assert_eq!(status, 403);
        let (status, got) = json(app.patch(&hui, &format!("/api/v1/venues/{id}"), &json!({"capacity": 90})).await).await;
        assert_eq!(status, 200);
        assert_eq!(got["capacity"], 90);
        assert_eq!(got["name"], "3W咖啡", "untouched fields stay");

        let (_, found) = json(app.get(&hui, "/api/v1/venues?q=%E6%B7%B1%E5%9C%B3").await).await;
        assert_eq!(found.as_array().unwrap().len(), 1, "search by city 深圳");
        let (_, found) = json(app.get(&hui, "/api/v1/venues?q=nowhere").await).await;
        assert_eq!(found, json!([]));
    }

    async fn venue_input_is_checked(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let (status, body) = json(app.post(&hui, "/api/v1/venues", &json!({"name": "", "city": "Beijing", "capacity": 0, "kind": "castle"})).await).await;
        assert_eq!(status, 422, "{body}");
        // An unknown kind is caught while reading the body; the rest after.
        assert!(body["error"]["fields"]["kind"].is_string(), "{body}");
        let (status, body) = json(app.post(&hui, "/api/v1/venues", &json!({"name": "", "city": "Beijing", "capacity": 0})).await).await;
        assert_eq!(status, 422);
        let fields = &body["error"]["fields"];
        assert!(fields["name"].is_string() && fields["capacity"].is_string(), "{body}");
        let (_, list) = json(app.get(&hui, "/api/v1/venues").await).await;
        assert_eq!(list, json!([]), "nothing half-saved");
    }
}
