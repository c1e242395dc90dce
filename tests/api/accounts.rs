use crate::both_backends;
use crate::helpers::*;

both_backends! {
    async fn the_first_start_offers_a_one_time_setup_link(app: TestApp) {
        let token = app.db(|conn| roadshow::services::accounts::setup_link_if_empty(conn).unwrap()).await.expect("empty database");
        let b = app.browser();
        let path = format!("/setup/{token}");
        let csrf = b.csrf_of(&path).await;
        let res = b.post_form(&path, &[("_csrf", &csrf), ("email", "admin@example.org"), ("name", "Admin"), ("password", "short")]).await;
        assert_eq!(res.status(), 422, "a short password is refused");
        let res = b.post_form(&path, &[("_csrf", &csrf), ("email", "admin@example.org"), ("name", "Admin"), ("password", PASSWORD)]).await;
        assert_eq!(res.status(), 303);
        let (status, page) = b.page("/manage/organizers").await;
        assert_eq!(status, 200, "the first organizer is a site admin");
        assert_eq!(select_text(&page, "tbody td").first().map(String::as_str), Some("admin@example.org"));
        // The link works once; a second browser cannot use it.
        let other = app.browser();
        let (status, _) = other.page(&path).await;
        assert_eq!(status, 404);
        assert!(app.db(|conn| roadshow::services::accounts::setup_link_if_empty(conn).unwrap()).await.is_none());
    }

    async fn invited_co_organizers_set_their_password(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let tour = app.create_tour(&hui, "Tour").await;
        let b = app.signed_in_browser(&hui).await;
        let tour_page = format!("/manage/tours/{}", tour["id"].as_str().unwrap());
        let csrf = b.csrf_of(&tour_page).await;
        let res = b.post_form(&format!("{tour_page}/team"), &[("_csrf", &csrf), ("email", "new@example.org"), ("role", "organizer")]).await;
        assert_eq!(res.status(), 200);
        let html = scraper::Html::parse_document(&res.text().await.unwrap());
        let link = attr(&html, "input.copy", "value").expect("an invitation link");
        let path = link.trim_start_matches(&app.address).to_owned();

        let newcomer = app.browser();
        let csrf = newcomer.csrf_of(&path).await;
        let res = newcomer.post_form(&path, &[("_csrf", &csrf), ("name", "New Person"), ("password", PASSWORD)]).await;
        assert_eq!(res.status(), 303);
        let (status, page) = newcomer.page("/manage").await;
        assert_eq!(status, 200);
        assert_eq!(select_text(&page, "table.list tbody td a"), vec!["Tour"]);
        // Used once.
        let (status, _) = app.browser().page(&path).await;
        assert_eq!(status, 404);
    }
}

both_backends! {
    async fn an_api_token_names_its_organizer_as_they_are_now(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let callers = app.state.callers.clone();
        let found = callers.organizer(hui.token.clone()).await.unwrap().expect("a valid token");
        assert_eq!(found.id, hui.id);
        // Remembered now; a change of the organizer is seen at once all the same.
        let id = hui.id.clone();
        app.db(move |conn| roadshow::models::organizer::Organizer::set_name(conn, &id, "Hui Renamed").unwrap()).await;
        let found = callers.organizer(hui.token.clone()).await.unwrap().unwrap();
        assert_eq!(found.name, "Hui Renamed");
        assert!(callers.organizer("not-a-token".into()).await.unwrap().is_none());
        let res = app.api.get(app.url("/api/v1/tours")).bearer_auth("not-a-token").send().await.unwrap();
        assert_eq!(res.status(), 401);
    }
}
