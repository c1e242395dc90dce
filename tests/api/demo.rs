//! `roadshow demo`: the 2012 tour as history and a tour running now, whose stops tell the
//! whole story (done with materials half in, in progress at the desk, near and past the
//! target, further off), all seen through the API and the pages as an organizer sees them.

use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::*;

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
    Organizer { id: String::new(), email: email.to_owned(), token: body["token"].as_str().unwrap().to_owned() }
}

both_backends! {
    async fn the_demo_tells_the_whole_story(app: TestApp) {
        let (loaded, current) = roadshow::demo::run(&app.state).await.unwrap();
        assert!(current.created);
        let demo = demo_login(&app, &loaded.email, &loaded.password).await;
        let (_, stops) = json(app.get(&demo, &format!("/api/v1/tours/{}/stops", current.tour.id)).await).await;
        println!("{}", serde_json::to_string_pretty(&stops).unwrap());
        for (part, id) in &current.stops {
            let stats = app.stats(&demo, id).await;
            println!("{part:?} {}", stats);
            let (_, tasks) = json(app.get(&demo, &format!("/api/v1/stops/{id}/tasks")).await).await;
            println!("tasks {}", tasks);
            let (_, stop) = json(app.get(&demo, &format!("/api/v1/stops/{id}")).await).await;
            println!("stop {}", stop);
        }
        let _: Value = Value::Null;
    }
}
