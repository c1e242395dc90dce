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
        // The page says the invitation was e-mailed, and shows no link: only the invitee's
        // mailbox holds it.
        let body = res.text().await.unwrap();
        assert!(body.contains("new@example.org") && !body.contains("/invite/"), "{body}");
        app.drain().await;
        let link = app.mails_to("new@example.org")[0].link("/invite/");
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

async fn session_cookie(app: &TestApp, who: &Organizer, _forwarded_for: Option<&str>) -> String {
    app.session_cookie(who).await
}

/// GET with a raw cookie header: 200 when the session still counts.
async fn with_cookie(app: &TestApp, cookie: &str, path: &str) -> u16 {
    app.api
        .get(app.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn token_works(app: &TestApp, token: &str) -> bool {
    app.api
        .get(app.url("/api/v1/tours"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
        == 200
}

/// Uses a reset link from the mailbox: GET the form, POST a new password.
async fn reset_with(app: &TestApp, link: &str, password: &str) -> u16 {
    let path = link.trim_start_matches(&app.address).to_owned();
    let b = app.browser();
    let (status, page) = b.page(&path).await;
    if status != 200 {
        return status;
    }
    let csrf = attr(&page, "input[name=_csrf]", "value").unwrap();
    b.post_form(&path, &[("_csrf", &csrf), ("password", password)])
        .await
        .status()
        .as_u16()
}

async fn request_reset(app: &TestApp, email: &str) -> String {
    // The mail this request sends: the one not there before (two sent within a millisecond
    // need not sort in the order they were sent).
    let before: Vec<String> = app.mails_to(email).iter().map(|m| m.text.clone()).collect();
    let b = app.browser();
    let csrf = b.csrf_of("/password/forgot").await;
    assert_eq!(
        b.post_form("/password/forgot", &[("_csrf", &csrf), ("email", email)])
            .await
            .status(),
        200
    );
    app.drain().await;
    app.mails_to(email)
        .into_iter()
        .rfind(|m| !before.contains(&m.text))
        .unwrap()
        .link("/password/reset/")
}

both_backends! {
    async fn a_copied_session_cookie_dies_when_its_browser_signs_out(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let stolen = session_cookie(&app, &hui, None).await;
        let other = session_cookie(&app, &hui, None).await;
        assert_eq!(with_cookie(&app, &stolen, "/manage").await, 200);
        // The browser the cookie was copied from signs out.
        let b = app.browser();
        let page = app.api.get(app.url("/manage")).header("cookie", &stolen).send().await.unwrap();
        let html = scraper::Html::parse_document(&page.text().await.unwrap());
        let csrf = attr(&html, "form[action='/logout'] input[name=_csrf]", "value").unwrap();
        let res = b.client.post(app.url("/logout")).header("cookie", &stolen).form(&[("_csrf", csrf.as_str())]).send().await.unwrap();
        assert_eq!(res.status(), 303);
        // The copy no longer signs anyone in; the organizer's other browser still does.
        assert_eq!(with_cookie(&app, &stolen, "/manage").await, 303, "a signed-out cookie is sent to sign in");
        assert_eq!(with_cookie(&app, &other, "/manage").await, 200);
    }

    async fn a_password_reset_ends_every_session_token_and_older_reset_link(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let cookie = session_cookie(&app, &hui, None).await;
        assert!(token_works(&app, &hui.token).await);
        let first = request_reset(&app, &hui.email).await;
        let second = request_reset(&app, &hui.email).await;
        assert_ne!(first, second);
        assert_eq!(reset_with(&app, &second, "a brand new password").await, 303);
        assert_eq!(with_cookie(&app, &cookie, "/manage").await, 303, "the old session is over");
        assert!(!token_works(&app, &hui.token).await, "API tokens die with a reset");
        assert_eq!(reset_with(&app, &first, "the attacker's password").await, 404, "the older link died when one was used");
        // The new password works, the old one not.
        let (status, _) = json(app.api.post(app.url("/api/v1/tokens")).json(&serde_json::json!({"email": hui.email, "password": "a brand new password"})).send().await.unwrap()).await;
        assert_eq!(status, 201);
        let (status, _) = json(app.api.post(app.url("/api/v1/tokens")).json(&serde_json::json!({"email": hui.email, "password": PASSWORD})).send().await.unwrap()).await;
        assert_eq!(status, 401);
    }

    async fn an_inviter_never_holds_the_link_that_sets_an_invitees_password(app: TestApp) {
        // The review's pre-account takeover: an owner invites an address that is not theirs.
        let alice = app.organizer("alice@example.org").await;
        let tour = app.create_tour(&alice, "Alice tour").await;
        let added = app.post_ok(&alice, &format!("/api/v1/tours/{}/members", tour["id"].as_str().unwrap()), &serde_json::json!({"email": "victim@example.org", "role": "organizer"}), 201).await;
        assert!(!added.to_string().contains("/invite/"), "{added}");
        app.drain().await;
        // The link is in the invitee's mailbox, and nowhere in what the owner saw.
        let link = app.mails_to("victim@example.org")[0].link("/invite/");
        let owner_page = app.signed_in_browser(&alice).await.get(&format!("/manage/tours/{}", tour["id"].as_str().unwrap())).await.text().await.unwrap();
        let token = link.rsplit('/').next().unwrap();
        assert!(!owner_page.contains(token));
        // A site admin adding an organizer does not see the link either.
        let admin = app.organizer_with("admin@example.org", true).await;
        let b = app.signed_in_browser(&admin).await;
        let csrf = b.csrf_of("/manage/organizers").await;
        let res = b.post_form("/manage/organizers", &[("_csrf", &csrf), ("email", "newbie@example.org"), ("name", "Newbie")]).await;
        assert_eq!(res.status(), 200);
        assert!(!res.text().await.unwrap().contains("/invite/"));
        app.drain().await;
        assert_eq!(app.mails_to("newbie@example.org").len(), 1);
    }

    async fn organizers_list_and_revoke_their_own_api_tokens_only(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let bob = app.organizer("bob@example.org").await;
        let (status, made) = json(app.api.post(app.url("/api/v1/tokens")).json(&serde_json::json!({"email": hui.email, "password": PASSWORD, "label": "desk phone", "expires_in_days": 30})).send().await.unwrap()).await;
        assert_eq!(status, 201, "{made}");
        let second = made["token"].as_str().unwrap().to_owned();
        assert!(made["expires_at"].is_string());
        let (status, list) = json(app.get(&hui, "/api/v1/tokens").await).await;
        assert_eq!(status, 200);
        let list = list.as_array().unwrap();
        assert_eq!(list.len(), 2);
        assert!(list.iter().any(|t| t["label"] == "desk phone" && t["id"] == made["id"]));
        assert!(!serde_json::to_string(list).unwrap().contains(&second), "a token is shown once");
        // Bob cannot see or revoke Hui's tokens.
        let (_, bobs) = json(app.get(&bob, "/api/v1/tokens").await).await;
        assert_eq!(bobs.as_array().unwrap().len(), 1);
        let res = app.api.delete(app.url(&format!("/api/v1/tokens/{}", made["id"].as_str().unwrap()))).bearer_auth(&bob.token).send().await.unwrap();
        assert_eq!(res.status(), 404);
        assert!(token_works(&app, &second).await);
        // Hui revokes it: it stops at once (the remembered caller is forgotten too).
        let res = app.api.delete(app.url(&format!("/api/v1/tokens/{}", made["id"].as_str().unwrap()))).bearer_auth(&hui.token).send().await.unwrap();
        assert_eq!(res.status(), 204);
        assert!(!token_works(&app, &second).await);
        assert!(token_works(&app, &hui.token).await);
        // Bad expiry: a clear 422.
        let (status, body) = json(app.api.post(app.url("/api/v1/tokens")).json(&serde_json::json!({"email": hui.email, "password": PASSWORD, "expires_in_days": 0})).send().await.unwrap()).await;
        assert_eq!(status, 422);
        assert!(body["error"]["fields"]["expires_in_days"].is_string(), "{body}");
    }

    async fn an_expired_api_token_is_refused_even_when_remembered(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        assert!(token_works(&app, &hui.token).await);
        let id = hui.id.clone();
        app.db(move |conn| {
            use diesel::prelude::*;
            use roadshow::db::schema::api_tokens;
            diesel::update(api_tokens::table.filter(api_tokens::organizer_id.eq(id)))
                .set(api_tokens::expires_at.eq(Some(roadshow::db::now() - chrono::Duration::seconds(1))))
                .execute(conn)
                .unwrap();
        })
        .await;
        // The caller is still remembered in memory for up to a minute; its expiry is not.
        let res = app.api.get(app.url("/api/v1/tours")).bearer_auth(&hui.token).send().await.unwrap();
        // Remembered entries carry the expiry they were read with (none here): forget them
        // the way any change of a token does, then the expiry applies.
        if res.status() == 200 {
            app.db(|conn| roadshow::cache::auth_changed(conn).unwrap()).await;
        }
        assert!(!token_works(&app, &hui.token).await);
    }

    async fn the_account_page_revokes_a_browser_signs_out_everywhere_and_changes_the_password(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let phone = session_cookie(&app, &hui, None).await;
        let laptop = app.signed_in_browser(&hui).await;
        let (status, page) = laptop.page("/manage/account").await;
        assert_eq!(status, 200);
        // Two browsers listed; the laptop signs the phone out.
        let forms: Vec<String> = page
            .select(&scraper::Selector::parse("form[action$='/revoke']").unwrap())
            .filter_map(|f| f.value().attr("action").map(str::to_owned))
            .filter(|a| a.contains("/sessions/"))
            .collect();
        assert_eq!(forms.len(), 1, "the other browser can be signed out, this one is marked");
        let csrf = attr(&page, "input[name=_csrf]", "value").unwrap();
        assert_eq!(laptop.post_form(&forms[0], &[("_csrf", &csrf)]).await.status(), 303);
        assert_eq!(with_cookie(&app, &phone, "/manage").await, 303);
        assert_eq!(laptop.get("/manage").await.status(), 200);

        // A token made on the page is shown once and works.
        let res = laptop.post_form("/manage/account/tokens", &[("_csrf", &csrf), ("label", "script"), ("expires_in_days", "30")]).await;
        assert_eq!(res.status(), 200);
        let html = scraper::Html::parse_document(&res.text().await.unwrap());
        let token = attr(&html, "input.copy", "value").unwrap();
        assert!(token_works(&app, &token).await);

        // A wrong current password is refused, naming the field.
        let res = laptop.post_form("/manage/account/password", &[("_csrf", &csrf), ("current_password", "nope nope nope"), ("password", "another long password")]).await;
        assert_eq!(res.status(), 422);
        // The change ends every other session and every token; this browser stays in.
        let tablet = session_cookie(&app, &hui, None).await;
        let res = laptop.post_form("/manage/account/password", &[("_csrf", &csrf), ("current_password", PASSWORD), ("password", "another long password")]).await;
        assert_eq!(res.status(), 303);
        assert_eq!(laptop.get("/manage/account").await.status(), 200);
        assert_eq!(with_cookie(&app, &tablet, "/manage").await, 303);
        assert!(!token_works(&app, &token).await);
        assert!(!token_works(&app, &hui.token).await);

        // Sign out everywhere: this browser too.
        let csrf = laptop.csrf_of("/manage/account").await;
        assert_eq!(laptop.post_form("/manage/account/sign-out-everywhere", &[("_csrf", &csrf)]).await.status(), 303);
        assert_eq!(laptop.get("/manage").await.status(), 303);
    }

    async fn a_strangers_wrong_passwords_do_not_lock_the_owner_out(app: TestApp) {
        // Clients are told apart by X-Forwarded-For, believed from the trusted proxy (us).
        let app = spawn_app_with(app.backend(), |s| s.abuse.trusted_proxies = "127.0.0.1".into()).await.unwrap();
        let hui = app.organizer("hui@example.org").await;
        let attempt = |ip: &'static str, password: &'static str| {
            let (app, email) = (&app, hui.email.clone());
            async move {
                let res = app.api.post(app.url("/api/v1/tokens")).header("x-forwarded-for", ip).json(&serde_json::json!({"email": email, "password": password})).send().await.unwrap();
                res.status().as_u16()
            }
        };
        for _ in 0..5 {
            let s = attempt("203.0.113.5", "wrong password!!").await;
            assert!(s == 401 || s == 429, "{s}");
        }
        assert_eq!(attempt("203.0.113.5", PASSWORD).await, 429, "the guessing client waits");
        assert_eq!(attempt("198.51.100.7", PASSWORD).await, 201, "the owner, elsewhere, gets in");
        // The sign-in page of the locked client says so and offers the e-mailed link.
        let b = app.browser();
        let csrf = b.csrf_of("/login").await;
        let res = b.client.post(app.url("/login")).header("x-forwarded-for", "203.0.113.5").form(&[("_csrf", csrf.as_str()), ("email", hui.email.as_str()), ("password", PASSWORD), ("next", "/manage")]).send().await.unwrap();
        assert_eq!(res.status(), 429);
        assert!(res.headers().get("retry-after").is_some());
        let html = scraper::Html::parse_document(&res.text().await.unwrap());
        assert!(attr(&html, "a[href='/login/link']", "href").is_some());

        // The e-mailed link: opening it signs nobody in (mail scanners open links); the
        // button does, once, and clears the lock.
        let csrf = b.csrf_of("/login/link").await;
        assert_eq!(b.client.post(app.url("/login/link")).header("x-forwarded-for", "203.0.113.5").form(&[("_csrf", csrf.as_str()), ("email", hui.email.as_str())]).send().await.unwrap().status(), 200);
        let csrf = b.csrf_of("/login/link").await;
        assert_eq!(b.post_form("/login/link", &[("_csrf", &csrf), ("email", "nobody@example.org")]).await.status(), 200, "unknown addresses get the same answer");
        app.drain().await;
        assert_eq!(app.mails_to("nobody@example.org").len(), 0);
        let link = app.mails_to(&hui.email).last().unwrap().link("/login/link/");
        let path = link.trim_start_matches(&app.address).to_owned();
        let scanner = app.browser();
        assert_eq!(scanner.get(&path).await.status(), 200);
        assert_eq!(scanner.get(&path).await.status(), 200, "a GET does not use the link");
        assert_eq!(scanner.get("/manage").await.status(), 303);
        let csrf = b.csrf_of(&path).await;
        assert_eq!(b.post_form(&path, &[("_csrf", &csrf)]).await.status(), 303);
        assert_eq!(b.get("/manage").await.status(), 200);
        let again = app.browser();
        let csrf = again.csrf_of("/login").await;
        assert_eq!(again.post_form(&path, &[("_csrf", &csrf)]).await.status(), 404, "once");
        assert_eq!(attempt("203.0.113.5", PASSWORD).await, 201, "the lock is gone");
    }

    async fn two_owners_removing_each_other_at_once_leave_one_owner(app: TestApp) {
        let a = app.organizer("a@example.org").await;
        let b = app.organizer("b@example.org").await;
        for trial in 0..8 {
            let tour = app.create_tour(&a, &format!("Tour {trial}")).await;
            let id = tour["id"].as_str().unwrap().to_owned();
            app.post_ok(&a, &format!("/api/v1/tours/{id}/members"), &serde_json::json!({"email": b.email, "role": "owner"}), 201).await;
            let remove = |who: &Organizer, whom: &str| {
                app.api.delete(app.url(&format!("/api/v1/tours/{id}/members/{whom}"))).bearer_auth(&who.token).send()
            };
            let (ra, rb) = futures_util::join!(remove(&a, &b.id), remove(&b, &a.id));
            let statuses = [ra.unwrap().status().as_u16(), rb.unwrap().status().as_u16()];
            let tid = id.clone();
            let owners = app.db(move |conn| roadshow::models::team::TourMember::count_owners(conn, &tid).unwrap()).await;
            assert_eq!(owners, 1, "trial {trial}: {statuses:?}");
            assert!(statuses.contains(&204) && statuses.contains(&409) || statuses.contains(&404), "{statuses:?}");
        }
    }
}

both_backends! {
    async fn next_after_sign_in_or_a_language_switch_never_leaves_the_site(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let mut locations = Vec::new();
        for next in ["/%5Cevil.example", "/%09/evil.example", "//evil.example", "/%0d%0a/evil.example", "https://evil.example", "/manage/venues"] {
            let res = app.api.get(app.url(&format!("/lang/en?next={next}"))).send().await.unwrap();
            assert_eq!(res.status(), 303, "{next}");
            locations.push(res.headers()["location"].to_str().unwrap().to_owned());
        }
        for next in ["/\\evil.example", "/\t/evil.example", "/\r\n/evil.example", "/manage/venues"] {
            let b = app.browser();
            let csrf = b.csrf_of("/login").await;
            let res = b.post_form("/login", &[("_csrf", &csrf), ("email", &hui.email), ("password", PASSWORD), ("next", next)]).await;
            assert_eq!(res.status(), 303, "{next:?}");
            locations.push(res.headers()["location"].to_str().unwrap().to_owned());
        }
        assert_eq!(locations.last().unwrap(), "/manage/venues");
        // Checked with the WHATWG URL parser browsers use (Node.js's), independent of ours.
        let script = format!(
            "const base = new URL({:?}); for (const l of {}) {{ const u = new URL(l, base); if (u.origin !== base.origin) {{ console.log('off-site: ' + l + ' -> ' + u.href); process.exit(1); }} }}",
            app.address,
            serde_json::to_string(&locations).unwrap()
        );
        match std::process::Command::new("node").arg("-e").arg(&script).output() {
            Ok(out) => assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout)),
            Err(e) => eprintln!("node is not installed ({e}): the redirects were checked by our parser only"),
        }
    }

    async fn a_public_form_posted_from_an_opaque_origin_is_refused(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        let s = app.open_stop(&hui, 50, None, 30).await;
        let post = |origin: Option<&'static str>, referer: Option<&'static str>| {
            let mut req = app.api.post(app.url(&format!("/stops/{}/register", s.stop_id))).form(&[("name", "X"), ("email", "x@example.org")]);
            if let Some(o) = origin { req = req.header("origin", o); }
            if let Some(r) = referer { req = req.header("referer", r); }
            req.send()
        };
        assert_eq!(post(Some("null"), Some("http://evil.example/x")).await.unwrap().status(), 403);
        assert_eq!(post(Some("null"), None).await.unwrap().status(), 403);
        assert_eq!(post(None, Some("http://evil.example/x")).await.unwrap().status(), 403);
        let sid = s.stop_id.clone();
        let n = app.db(move |conn| roadshow::models::registration::Registration::list(conn, &sid, &Default::default()).unwrap().len()).await;
        assert_eq!(n, 0, "nothing was registered");
    }
}

both_backends! {
    async fn one_sign_in_by_email_serves_speakers_and_volunteers_who_can_sign_out_again(app: TestApp) {
        let hui = app.organizer("hui@example.org").await;
        app.post_ok(&hui, "/api/v1/speakers", &serde_json::json!({"name": "Rongze Zhu", "email": "rongze@example.org"}), 201).await;
        // The login page leads to the one "sign in by e-mail" page, which serves a speaker.
        let b = app.browser();
        let (_, login) = b.page("/login").await;
        assert!(attr(&login, "a[href='/login/link']", "href").is_some());
        let csrf = b.csrf_of("/login/link").await;
        assert_eq!(b.post_form("/login/link", &[("_csrf", &csrf), ("email", "rongze@example.org")]).await.status(), 200);
        app.drain().await;
        let link = app.mails_to("rongze@example.org").last().unwrap().link("/speaker/enter/");
        let path = link.trim_start_matches(&app.address).to_owned();
        let csrf = b.csrf_of(&path).await;
        assert_eq!(b.post_form(&path, &[("_csrf", &csrf)]).await.status(), 303);
        // Signed in as a speaker: the header says so and offers to sign out.
        let (status, page) = b.page("/speaker").await;
        assert_eq!(status, 200);
        assert!(attr(&page, "header a[href='/speaker']", "href").is_some());
        let csrf = attr(&page, "header form[action='/logout'] input[name=_csrf]", "value").expect("a sign-out button");
        assert_eq!(b.post_form("/logout", &[("_csrf", &csrf)]).await.status(), 303);
        assert_ne!(b.get("/speaker").await.status(), 200, "signed out");
        // A public page for an anonymous visitor offers to sign in.
        let (_, home) = app.browser().page("/").await;
        assert!(attr(&home, "header a[href='/login']", "href").is_some());
    }
}
