//! No route can skip the matrix, checked twice, from two sources with different blind spots.
//!
//! `every_registered_route_is_in_the_matrix_or_listed_as_public` reads the source that
//! registers routes, pages and API alike: it alone sees the pages, and an API route that
//! `api/openapi.rs` forgot to name. But it reads text: a route registered in a shape it does
//! not parse is invisible to it.
//!
//! `every_api_operation_is_in_the_matrix_or_listed_as_public` reads the document the running
//! app serves, built by utoipa from the handlers' `#[utoipa::path]`, whatever the
//! registration looks like; and the document says which operations ask for a token, so an
//! operation listed public that asks for one, and a matrix row of an operation the API does
//! not have, fail here too.

use serde_json::Value;

use super::public::PUBLIC_ROUTES;
use super::routes::routes;
use crate::helpers::*;

/// Every route the app registers (read from where routes are registered: `src/startup.rs`,
/// `src/web/routes.rs`, `src/api/mod.rs`), as (method, path with `{}` for parameters).
pub(crate) fn registered_routes() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for file in ["src/startup.rs", "src/web/routes.rs", "src/api/mod.rs"] {
        let text = std::fs::read_to_string(file).unwrap();
        let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        // Routes after a scope belong to it (each file has at most one scope, at its end).
        let mut prefix = String::new();
        let mut rest = text.as_str();
        loop {
            let next_route = rest.find(".route(");
            let next_scope = rest.find("web::scope(\"");
            match (next_route, next_scope) {
                (Some(r), Some(s)) if s < r => {
                    let after = &rest[s + "web::scope(\"".len()..];
                    let end = after.find('"').unwrap();
                    prefix = after[..end].to_owned();
                    rest = &after[end..];
                }
                (Some(r), _) => {
                    let after = rest[r + ".route(".len()..].trim_start();
                    let after = after
                        .strip_prefix('"')
                        .expect("a route's path is a literal");
                    let end = after.find('"').unwrap();
                    let path = format!("{prefix}{}", &after[..end]);
                    let tail = after[end + 1..].trim_start_matches([',', ' ']);
                    let method = tail
                        .strip_prefix("web::")
                        .and_then(|t| t.split_once("()"))
                        .map(|(m, _)| m.to_ascii_uppercase())
                        .unwrap_or_else(|| panic!("{file}: no method for {path}"));
                    out.push((method, normalize(&path)));
                    rest = &after[end..];
                }
                (None, _) => break,
            }
        }
    }
    out
}

/// `{id}` and `<S_id>` alike become `{}`; a query string goes.
fn normalize(path: &str) -> String {
    let path = path.split('?').next().unwrap();
    let mut out = String::new();
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '{' | '<' => {
                if depth == 0 {
                    out.push_str("{}");
                }
                depth += 1;
            }
            '}' | '>' => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    if out.len() > 1 {
        out.trim_end_matches('/').to_owned()
    } else {
        out
    }
}

/// Whether a registered route pattern (`{}` for parameters) covers a concrete path of the
/// matrix: segment by segment, a parameter stands for any text.
fn covers(pattern: &str, path: &str) -> bool {
    let (p, q): (Vec<&str>, Vec<&str>) = (pattern.split('/').collect(), path.split('/').collect());
    p.len() == q.len()
        && p.iter().zip(&q).all(|(p, q)| match p.split_once("{}") {
            Some((before, after)) => {
                q.starts_with(before) && q.ends_with(after) && q.len() >= before.len() + after.len()
            }
            None => p == q,
        })
}

/// A new route cannot skip the matrix: each one the app registers is either in `routes()`
/// or listed as public with a reason (and nothing listed is stale).
#[test]
fn every_registered_route_is_in_the_matrix_or_listed_as_public() {
    let registered = registered_routes();
    assert!(
        registered.len() > 150,
        "found only {} routes",
        registered.len()
    );
    let in_matrix: Vec<(String, String)> = routes()
        .iter()
        .map(|r| (r.method.to_owned(), normalize(r.path)))
        .collect();
    let matrix_has =
        |(m, p): &(String, String)| in_matrix.iter().any(|(mm, pp)| mm == m && covers(p, pp));
    let public: std::collections::HashSet<(String, String)> = PUBLIC_ROUTES
        .iter()
        .map(|(m, p, _)| (m.to_string(), p.to_string()))
        .collect();
    let missing: Vec<String> = registered
        .iter()
        .filter(|r| !matrix_has(r) && !public.contains(*r))
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    assert!(
        missing.is_empty(),
        "routes neither in the authorization matrix (tests/api/authz/routes/) nor in \
         PUBLIC_ROUTES:\n{}",
        missing.join("\n")
    );
    let stale: Vec<String> = public
        .iter()
        .filter(|r| !registered.contains(r))
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    assert!(
        stale.is_empty(),
        "PUBLIC_ROUTES lists routes the app does not have: {stale:?}"
    );
    let both: Vec<String> = public
        .iter()
        .filter(|r| matrix_has(r))
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    assert!(both.is_empty(), "public and in the matrix: {both:?}");
}

/// Where the app serves its OpenAPI document (`api::routes`); not an operation of its own.
const OPENAPI: &str = "/api/v1/openapi.json";

/// The operations of an OpenAPI document: (method, path with `{}` for parameters, whether it
/// asks for a token).
fn operations(doc: &Value) -> Vec<(String, String, bool)> {
    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    // An operation without requirements of its own has the document's.
    let default = doc.get("security");
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("the document has paths") {
        for (method, operation) in item.as_object().expect("a path item is an object") {
            // A path item also holds `parameters`, `summary`, …: not operations.
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            // No requirement, or an empty one among them (`{}`: the token is optional), lets
            // anyone call it.
            let needs_token = operation
                .get("security")
                .or(default)
                .and_then(Value::as_array)
                .is_some_and(|all| {
                    !all.is_empty()
                        && all
                            .iter()
                            .all(|r| r.as_object().is_some_and(|r| !r.is_empty()))
                });
            out.push((method.to_ascii_uppercase(), normalize(path), needs_token));
        }
    }
    out
}

/// The API half again, from the OpenAPI document the app serves: an operation that asks for
/// a token has a row in `routes()`; one that does not has a row or is listed as public with a
/// reason (cancelling a registration has a row: anyone may with the manage token, an
/// organizer only for their stops); nothing listed public asks for a token; and no API row
/// of the matrix names an operation the document lacks.
#[actix_web::test]
async fn every_api_operation_is_in_the_matrix_or_listed_as_public() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let res = app.api.get(app.url(OPENAPI)).send().await.unwrap();
    assert_eq!(res.status(), 200, "{OPENAPI}");
    let doc: Value = res.json().await.unwrap();
    let operations = operations(&doc);
    assert!(
        operations.len() > 50,
        "found only {} operations",
        operations.len()
    );
    assert!(
        operations.iter().filter(|(_, _, token)| *token).count() > 40,
        "the document marks few operations as asking for a token: is `security` read right?"
    );
    let in_matrix: Vec<(String, String)> = routes()
        .iter()
        .filter(|r| r.path.starts_with("/api/"))
        .map(|r| (r.method.to_owned(), normalize(r.path)))
        .collect();
    let matrix_has = |m: &str, p: &str| in_matrix.iter().any(|(mm, pp)| mm == m && covers(p, pp));
    let public: Vec<(&str, &str)> = PUBLIC_ROUTES
        .iter()
        .filter(|(_, p, _)| p.starts_with("/api/"))
        .map(|(m, p, _)| (*m, *p))
        .collect();
    let is_public = |m: &str, p: &str| public.contains(&(m, p));

    let missing: Vec<String> = operations
        .iter()
        .filter(|(m, p, token)| !matrix_has(m, p) && (*token || !is_public(m, p)))
        .map(|(m, p, token)| {
            let why = if *token {
                "asks for a token"
            } else {
                "asks for none"
            };
            format!("{m} {p} ({why})")
        })
        .collect();
    assert!(
        missing.is_empty(),
        "API operations of {OPENAPI} without a row in the authorization matrix \
         (tests/api/authz/routes/), and not listed in PUBLIC_ROUTES when they ask for no \
         token:\n{}",
        missing.join("\n")
    );
    let wrongly_public: Vec<String> = public
        .iter()
        .filter(|(_, p)| *p != OPENAPI)
        .filter(|(m, p)| {
            !operations
                .iter()
                .any(|(om, op, token)| om == m && op == p && !token)
        })
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    assert!(
        wrongly_public.is_empty(),
        "PUBLIC_ROUTES lists API routes that {OPENAPI} has not, or says ask for a token: \
         {wrongly_public:?}"
    );
    let stale: Vec<String> = in_matrix
        .iter()
        .filter(|(m, pp)| !operations.iter().any(|(om, p, _)| om == m && covers(p, pp)))
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    assert!(
        stale.is_empty(),
        "rows of the authorization matrix name API operations {OPENAPI} has not: {stale:?}"
    );
}
