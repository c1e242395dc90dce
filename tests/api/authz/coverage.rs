//! No route can skip the matrix: every route the app registers is in `routes()` or listed
//! as public with its reason.

use super::public::PUBLIC_ROUTES;
use super::routes::routes;

/// Every route the app registers (read from where routes are registered: `src/startup.rs`,
/// `src/web/mod.rs`, `src/api/mod.rs`), as (method, path with `{}` for parameters).
fn registered_routes() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for file in ["src/startup.rs", "src/web/mod.rs", "src/api/mod.rs"] {
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
