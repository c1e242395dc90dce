//! The authorization matrix: every organizer route — the pages and forms under /manage, the
//! check-in desk, and the JSON API calls that need an organizer — tried by every kind of
//! caller. Callers without the right get 401 / a redirect to sign in (anonymous), 403 or 404
//! (everyone else), never a page with someone's personal data, and their forms and calls
//! change nothing (the database is compared before and after). Callers with the right (the
//! tour's owner — the positive control of every route —, a stop's local co-organizer and
//! desk helpers within their reach, a site admin for the admin-only pages) succeed.
//!
//! Besides the roles, the life of a credential: a member removed from the team, and
//! whole-tour organizers whose cookie and token outlived a sign-out (and revocation), a
//! password reset, or their expiry, are refused everywhere as if they were nobody.
//!
//! The pieces: who calls and who may (`roles`), the route table (`routes`), the world the
//! routes run in (`world`, with the objects a route consumes made `fresh` and the database's
//! `snapshot`), sending and judging (`checks`), and the tests that no route skips the table
//! (`coverage`, with the routes that are `public`).

mod checks;
pub(crate) mod coverage;
mod fresh;
mod public;
mod roles;
mod routes;
mod snapshot;
mod world;

use std::collections::HashMap;

use checks::{Caller, check_leaks, excerpt, request_text, send};
use fresh::make_fresh;
use roles::{Access, ROLES, Role};
use routes::{Route, routes};
use snapshot::{changes, snapshot};
use world::{World, build_world};

use crate::both_backends;

/// Refused callers try this many routes between two snapshots (a change is reported with
/// the routes of its group: set it to 1 to find the one).
const GROUP: usize = 10;

fn vars_of(w: &World, route: &Route, c: &Caller) -> HashMap<String, String> {
    let stop = route.stop.var();
    let mut vars = w.vars.clone();
    vars.insert("caller".into(), c.slug());
    vars.insert("S".into(), stop.into());
    vars.insert("S_id".into(), w.var(stop).to_owned());
    let token = match &c.manage_token {
        Some(t) => format!("\"{t}\""),
        None => "null".into(),
    };
    vars.insert("my_manage_token".into(), token);
    vars
}

fn label(route: &Route) -> String {
    let stop = format!("<{}>", route.stop.var());
    format!("{} {}", route.method, route.path.replace("<S_id>", &stop))
}

both_backends! {
    async fn every_organizer_route_refuses_whoever_has_no_right_to_it(app: TestApp) {
        let (w, callers) = build_world(&app).await;
        let routes = routes();
        // The site admin is the positive control of the admin-only routes.
        let callers_of = |route: &Route| -> Vec<&Caller> {
            callers
                .iter()
                .filter(|c| c.role != Role::SiteAdmin || matches!(route.access, Access::SiteAdmins))
                .collect()
        };
        // A route that undoes the one before it is a group of its own.
        let mut groups: Vec<Vec<&Route>> = Vec::new();
        for route in &routes {
            match groups.last_mut() {
                Some(g) if g.len() < GROUP && !route.fence && !g[0].fence => g.push(route),
                _ => groups.push(vec![route]),
            }
        }
        let mut failures: Vec<String> = Vec::new();
        let (mut checks, mut admin_checks) = (0usize, 0usize);
        for group in groups {
            // Those without the right go first, all at once; the callers of a route share one
            // fresh object, made before the snapshot so that it sees only what they change.
            let mut attempts: Vec<(&Route, &Caller, HashMap<String, String>)> = Vec::new();
            for route in &group {
                let shared = match route.fresh {
                    Some(f) => make_fresh(&app, &w, f).await,
                    None => Vec::new(),
                };
                for c in callers_of(route).into_iter().filter(|c| !route.access.allows(c.role)) {
                    let mut vars = vars_of(&w, route, c);
                    vars.extend(shared.iter().cloned());
                    attempts.push((route, c, vars));
                }
            }
            let before = if group.iter().any(|r| r.method != "GET") { Some(snapshot(&app).await) } else { None };
            let outcomes = futures_util::future::join_all(attempts.iter().map(|(r, c, vars)| send(&app, c, r, vars))).await;
            for ((route, c, vars), o) in attempts.iter().zip(outcomes) {
                checks += 1;
                let label = label(route);
                if !o.refused_as(c.role, route.path.starts_with("/api/"), route.public) {
                    failures.push(format!("{label} as {:?}: expected a refusal, got {} {} {}", c.role, o.status, o.location, excerpt(&o.body)));
                }
                check_leaks(&mut failures, &label, c.role, false, &request_text(route, vars), &o);
            }
            if let Some(before) = before {
                let changed = changes(&before, &snapshot(&app).await);
                if !changed.is_empty() {
                    let tried: Vec<String> = group.iter().filter(|r| r.method != "GET").map(|r| label(r)).collect();
                    failures.push(format!("a refused caller changed {changed:?}, by one of: {tried:?}"));
                }
            }
            // Then those with the right, route by route, each with their own fresh object;
            // one after the other when they change something (the owner last).
            for route in &group {
                let mut allowed = Vec::new();
                for c in callers_of(route).into_iter().filter(|c| route.access.allows(c.role)) {
                    let mut vars = vars_of(&w, route, c);
                    if let Some(f) = route.fresh {
                        vars.extend(make_fresh(&app, &w, f).await);
                    }
                    allowed.push((c, vars));
                }
                let outcomes = if route.method == "GET" {
                    futures_util::future::join_all(allowed.iter().map(|(c, vars)| send(&app, c, route, vars))).await
                } else {
                    let mut list = Vec::new();
                    for (c, vars) in &allowed {
                        list.push(send(&app, c, route, vars).await);
                    }
                    list
                };
                for ((c, vars), o) in allowed.iter().zip(outcomes) {
                    if c.role == Role::SiteAdmin {
                        admin_checks += 1;
                    } else {
                        checks += 1;
                    }
                    let label = label(route);
                    if !o.succeeded() {
                        failures.push(format!("{label} as {:?}: expected success, got {} {} {}", c.role, o.status, o.location, excerpt(&o.body)));
                    }
                    check_leaks(&mut failures, &label, c.role, true, &request_text(route, vars), &o);
                }
            }
        }

        // The planted data is where the matrix looked for it: the owner sees it.
        let owner = callers.iter().find(|c| c.role == Role::Owner).unwrap();
        let (a, b) = (w.var("A"), w.var("B"));
        for (path, marker) in [
            (format!("/manage/stops/{a}/registrations"), "Alpha Leakname"),
            (format!("/manage/stops/{b}/registrations"), "bravo.leak@secret.example"),
            (format!("/manage/stops/{a}/tasks"), "Avol Leakname"),
            (format!("/manage/stops/{b}/tasks"), "bvol.leak@secret.example"),
            (format!("/manage/stops/{b}"), "bhelper.leak@secret.example"),
            (format!("/manage/tours/{}/proposals", w.var("T")), "Pending Proposername"),
            (format!("/manage/speakers/{}", w.var("speaker")), "speaker.leak@secret.example"),
            (format!("/manage/speakers/{}", w.var("speaker_B")), "bspeaker.leak@secret.example"),
        ] {
            let res = owner.browser.get(&path).await;
            assert_eq!(res.status(), 200, "{path}");
            assert!(res.text().await.unwrap().contains(marker), "{marker} is planted on {path}");
        }

        let roles = ROLES.len() - 1;
        eprintln!("authz matrix: {} routes x {roles} roles = {checks} checks (and {admin_checks} as a site admin)", routes.len());
        assert_eq!(checks, routes.len() * roles);
        assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    }
}
