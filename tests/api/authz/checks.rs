//! Sending a route's request as one caller, and judging the answer: a refusal of the right
//! kind, a success, and no planted personal data the caller may not see.

use std::collections::HashMap;

use serde_json::Value;

use super::roles::{MARKERS, Role};
use super::routes::{Body, Route};
use crate::helpers::*;

/// One caller: a browser (cookies, CSRF token) and, for organizers, an API token.
pub(super) struct Caller {
    pub(super) role: Role,
    pub(super) browser: Browser,
    pub(super) token: Option<String>,
    pub(super) csrf: String,
    pub(super) manage_token: Option<String>,
}

impl Caller {
    pub(super) fn slug(&self) -> String {
        format!("{:?}", self.role).to_lowercase()
    }
}

pub(super) struct Outcome {
    pub(super) status: u16,
    pub(super) location: String,
    pub(super) body: String,
}

impl Outcome {
    fn to_sign_in(&self) -> bool {
        self.status == 303
            && ["/login", "/speaker/login", "/volunteer/login"]
                .iter()
                .any(|p| self.location.starts_with(p))
    }

    pub(super) fn succeeded(&self) -> bool {
        (200..400).contains(&self.status) && !self.to_sign_in()
    }

    /// The refusal docs/design.md#how-refusals-look asks for: anonymous callers are asked to sign in (401 from the
    /// API, a redirect to the sign-in page from pages); signed-in organizers get 403 or 404;
    /// attendees, speakers and volunteers are organizers to nobody: 401 from the API (403 for
    /// a manage token that is not theirs), sign in or 403/404 on pages.
    pub(super) fn refused_as(&self, role: Role, is_api: bool, public: bool) -> bool {
        // Refused by the CSRF check would prove nothing about authorization.
        if self.body.contains("did not come from roadshow") {
            return false;
        }
        match role {
            // A dead credential is no credential: treated as nobody.
            Role::Anonymous | Role::SignedOut | Role::AfterReset | Role::Expired if is_api => {
                self.status == 401
            }
            Role::Anonymous | Role::SignedOut | Role::AfterReset | Role::Expired if public => {
                self.status == 404
            }
            Role::Anonymous | Role::SignedOut | Role::AfterReset | Role::Expired => {
                self.status == 303 && self.location.starts_with("/login?next=")
            }
            Role::OtherOrganizer
            | Role::LocalOrganizer
            | Role::Owner
            | Role::SiteAdmin
            | Role::RemovedOrganizer => matches!(self.status, 403 | 404),
            _ if is_api => matches!(self.status, 401 | 403),
            _ => matches!(self.status, 403 | 404) || self.to_sign_in(),
        }
    }
}

fn subst(template: &str, vars: &HashMap<String, String>) -> String {
    let mut out = template.to_owned();
    // Twice: a placeholder may name another (`<task_<S>>`).
    for _ in 0..2 {
        for (k, v) in vars {
            out = out.replace(&format!("<{k}>"), v);
        }
    }
    assert!(!out.contains('<'), "a placeholder is left in {out}");
    out
}

pub(super) async fn send(
    app: &TestApp,
    c: &Caller,
    route: &Route,
    vars: &HashMap<String, String>,
) -> Outcome {
    // A refusal may come before the server has read an upload, and the connection then
    // closes under the client's feet: that attempt is made again, on a fresh connection.
    // (Refused requests change nothing, and the tables are compared afterwards anyway.)
    let mut attempt = 0;
    let res = loop {
        attempt += 1;
        match request(app, c, route, vars).send().await {
            // 408: the server gave up waiting for the request on a busy machine; a client
            // sends it again (RFC 9110, 15.5.9).
            Ok(res) if res.status() == 408 && attempt < 3 => {
                eprintln!("{} {}: 408; trying again", route.method, route.path)
            }
            Ok(res) => break res,
            Err(e) if attempt < 3 => {
                eprintln!("{} {}: {e}; trying again", route.method, route.path)
            }
            Err(e) => panic!("{} {}: {e:?}", route.method, route.path),
        }
    };
    outcome(res).await
}

fn request(
    app: &TestApp,
    c: &Caller,
    route: &Route,
    vars: &HashMap<String, String>,
) -> reqwest::RequestBuilder {
    let path = subst(route.path, vars);
    let is_api = path.starts_with("/api/");
    let method = reqwest::Method::from_bytes(route.method.as_bytes()).unwrap();
    let req = match (&c.token, is_api) {
        (Some(token), true) => app.api.request(method, app.url(&path)).bearer_auth(token),
        _ => c.browser.client.request(method, app.url(&path)),
    };
    match route.body {
        Body::None => req,
        Body::Form(fields) => {
            let mut pairs: Vec<(String, String)> = vec![("_csrf".into(), c.csrf.clone())];
            pairs.extend(fields.iter().map(|(k, v)| (k.to_string(), subst(v, vars))));
            req.form(&pairs)
        }
        Body::Multipart(fields, file) => {
            let mut f = reqwest::multipart::Form::new();
            if !is_api {
                f = f.text("_csrf", c.csrf.clone());
            }
            for (k, v) in fields {
                f = f.text(k.to_string(), subst(v, vars));
            }
            if file {
                f = f.part(
                    "file",
                    reqwest::multipart::Part::bytes(b"%PDF-1.4\n%%EOF\n".to_vec())
                        .file_name("matrix.pdf"),
                );
            }
            req.multipart(f)
        }
        Body::Json(template) => {
            let body: Value = serde_json::from_str(&subst(template, vars))
                .unwrap_or_else(|e| panic!("{template}: {e}"));
            req.json(&body)
        }
    }
}

async fn outcome(res: reqwest::Response) -> Outcome {
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let body = res.text().await.unwrap_or_default();
    Outcome {
        status,
        location,
        body,
    }
}

/// The bits of a marker check: which of the planted personal data a response must not show.
pub(super) fn check_leaks(
    failures: &mut Vec<String>,
    label: &str,
    role: Role,
    allowed: bool,
    request: &str,
    o: &Outcome,
) {
    for (marker, visible_to) in MARKERS {
        let may_see = allowed
            && (matches!(role, Role::Owner | Role::SiteAdmin) || visible_to.contains(&role));
        // A value the caller sent themselves may come back (a search box, an address typed in).
        if may_see || request.contains(marker) {
            continue;
        }
        if o.body.contains(marker) {
            failures.push(format!(
                "{label} as {role:?}: the answer ({}) shows {marker}",
                o.status
            ));
        }
    }
}

pub(super) fn excerpt(body: &str) -> String {
    let text: String = body.chars().filter(|c| !c.is_control()).take(300).collect();
    text
}

/// What the caller sent, to tell a value coming back from a leak.
pub(super) fn request_text(route: &Route, vars: &HashMap<String, String>) -> String {
    let body = match route.body {
        Body::None => String::new(),
        Body::Json(t) => t.to_owned(),
        Body::Form(fields) | Body::Multipart(fields, _) => {
            fields.iter().map(|(k, v)| format!("{k}={v}&")).collect()
        }
    };
    format!("{} {}", subst(route.path, vars), subst(&body, vars))
}
