//! No route can skip the matrix: every route registered under `/manage`, `/desk` and
//! `/api/v1` (read from `web::routes` and `api::routes` in the source, scopes included) has a
//! row in `super::routes()`, or is named below as public with the reason.

use std::collections::BTreeSet;

// The matrix has a row for every route it tries; this test only reads them.

/// Routes under the guarded prefixes that anyone may call, by design.
const PUBLIC: &[(&str, &str, &str)] = &[
    (
        "GET",
        "/desk/enter/*",
        "a desk link's landing page: the link is the credential",
    ),
    ("POST", "/desk/enter/*", "uses a desk link"),
    (
        "POST",
        "/desk/link",
        "asks for fresh desk links; answers the same for every address",
    ),
    ("GET", "/desk/*/login", "the desk's sign-in page"),
    (
        "POST",
        "/desk/*/login",
        "asks for a desk link; answers the same for every address",
    ),
    ("GET", "/api/v1/openapi.json", "the API's description"),
    (
        "POST",
        "/api/v1/tokens",
        "signs in with a password for a token",
    ),
    (
        "POST",
        "/api/v1/stops/*/registrations",
        "anyone registers for a public stop",
    ),
    (
        "POST",
        "/api/v1/tasks/*/claims",
        "volunteers claim a slot (organizers assign with a token)",
    ),
    (
        "POST",
        "/api/v1/tours/*/proposals",
        "the call for proposals is public while open",
    ),
];

/// Routes that act on the caller's own account only (every signed-in organizer may, on
/// themselves): a password change or "sign out everywhere" would end the matrix's own
/// sessions, so `accounts.rs` tests them instead.
const OWN_ACCOUNT: &[(&str, &str)] = &[
    ("POST", "/manage/account/password"),
    ("POST", "/manage/account/sign-out-everywhere"),
];

/// `(method, path)` of every route a routes function in `file` registers, with its scopes.
fn registered(file: &str) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(file).unwrap();
    let code: String = text
        .split("#[cfg(test)]")
        .next()
        .unwrap_or("")
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let bytes = code.as_bytes();
    let string_after = |from: usize| -> Option<(String, usize)> {
        let start = code[from..].find('"')? + from + 1;
        let end = code[start..].find('"')? + start;
        Some((code[start..end].to_owned(), end + 1))
    };
    let mut out = Vec::new();
    // Open scopes: (prefix, the depth of the parenthesis the scope was opened in).
    let mut scopes: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'(' => depth += 1,
            b')' => {
                depth = depth.saturating_sub(1);
                while scopes.last().is_some_and(|(_, d)| depth < *d) {
                    scopes.pop();
                }
            }
            b'"' => {
                // Skip string literals whole (a path may hold parentheses one day).
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += 1;
                }
            }
            _ => {}
        }
        if code[i..].starts_with("web::scope(") {
            let (prefix, end) = string_after(i).unwrap();
            scopes.push((prefix, depth));
            depth += 1;
            i = end;
            continue;
        }
        if code[i..].starts_with(".route(") {
            let (path, end) = string_after(i).unwrap();
            let rest = &code[end..];
            let method = ["get", "post", "put", "patch", "delete", "head"]
                .into_iter()
                .filter_map(|m| rest.find(&format!("web::{m}()")).map(|at| (at, m)))
                .min()
                .map(|(_, m)| m.to_uppercase())
                .unwrap();
            let prefix: String = scopes.iter().map(|(p, _)| p.as_str()).collect();
            out.push((method, format!("{prefix}{path}")));
            depth += 1;
            i += ".route(".len();
            continue;
        }
        i += 1;
    }
    out
}

/// A path with every id segment (`{id}`, `<T>`, `<task_<S>>`) as `*`, without its query.
fn shape(path: &str) -> String {
    let path = path.split('?').next().unwrap_or(path);
    path.split('/')
        .map(|seg| {
            if seg.contains('{') || seg.contains('<') {
                "*"
            } else {
                seg
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[test]
fn every_guarded_route_has_a_row_in_the_matrix() {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut routes = registered(&format!("{root}/src/web/mod.rs"));
    routes.extend(registered(&format!("{root}/src/api/mod.rs")));
    assert!(
        routes.len() > 150,
        "the reader found {} routes",
        routes.len()
    );
    let rows: Vec<(String, String)> = super::routes()
        .iter()
        .map(|r| (r.method.to_owned(), shape(r.path)))
        .collect();
    let public: BTreeSet<(String, String)> = PUBLIC
        .iter()
        .map(|(m, p, _)| (m.to_string(), p.to_string()))
        .chain(
            OWN_ACCOUNT
                .iter()
                .map(|(m, p)| (m.to_string(), p.to_string())),
        )
        .collect();
    // A registered `{status}` stands for every row's `archived`, `published`, …
    let covers = |route: &(String, String), row: &(String, String)| {
        let (a, b): (Vec<&str>, Vec<&str>) =
            (route.1.split('/').collect(), row.1.split('/').collect());
        route.0 == row.0 && a.len() == b.len() && a.iter().zip(&b).all(|(x, y)| x == y || *x == "*")
    };
    let guarded = |p: &str| {
        p == "/manage"
            || p.starts_with("/manage/")
            || p.starts_with("/desk/")
            || p.starts_with("/api/v1/")
    };
    let missing: Vec<String> = routes
        .iter()
        .filter(|(_, p)| guarded(p))
        .map(|(m, p)| (m.clone(), shape(p)))
        .filter(|r| !rows.iter().any(|row| covers(r, row)) && !public.contains(r))
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    assert!(
        missing.is_empty(),
        "routes with no row in the authorization matrix (tests/api/authz/mod.rs `routes()`), \
         nor named public in tests/api/authz/coverage.rs:\n{}",
        missing.join("\n")
    );
    // And the reader reads what it should.
    assert!(
        routes.contains(&("GET".into(), "/manage/stops/{id}".into())),
        "{routes:?}"
    );
    assert!(routes.contains(&("POST".into(), "/api/v1/tours".into())));
}
