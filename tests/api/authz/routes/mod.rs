//! The route table: every organizer route of `web::routes` (/manage, /desk) and
//! `api::routes` (/api/v1), with who may use it, what it sends and what it needs made first.
//! The rows run in the order `routes()` lists them: a row may undo the one before it
//! (`after_previous`), and stop B's agenda is published only by the stop rows, after the tour
//! rows looked up its speaker. So the table is cut where it already was, the tour's rows and
//! one stop's, not into pages, desk and API, which would reorder them.

mod stop;
mod tour;

use super::fresh::Fresh;
use super::roles::{Access, At};

#[derive(Clone, Copy, Debug)]
pub(super) enum Body {
    None,
    /// A url-encoded form; the caller's CSRF token is added.
    Form(&'static [(&'static str, &'static str)]),
    /// Multipart: text fields (and the caller's CSRF token for pages), with a small PDF when
    /// the flag is set.
    Multipart(&'static [(&'static str, &'static str)], bool),
    Json(&'static str),
}

pub(super) struct Route {
    pub(super) method: &'static str,
    /// `<name>` placeholders are replaced by the ids of the planted objects; `<S_id>` is the
    /// route's stop and `<S>` its letter (`<task_<S>>` is the planted task of that stop).
    pub(super) path: &'static str,
    pub(super) body: Body,
    pub(super) access: Access,
    pub(super) fresh: Option<Fresh>,
    pub(super) stop: At,
    /// Tried by refused callers only after the routes before it ran (it undoes one of them).
    pub(super) fence: bool,
    /// Also a public address: anonymous visitors are told "not found" like everyone else.
    pub(super) public: bool,
}

fn get(path: &'static str, access: Access) -> Route {
    Route {
        method: "GET",
        path,
        body: Body::None,
        access,
        fresh: None,
        stop: At::A,
        fence: false,
        public: false,
    }
}

fn form(
    path: &'static str,
    fields: &'static [(&'static str, &'static str)],
    access: Access,
) -> Route {
    Route {
        method: "POST",
        path,
        body: Body::Form(fields),
        access,
        fresh: None,
        stop: At::A,
        fence: false,
        public: false,
    }
}

fn api(method: &'static str, path: &'static str, body: &'static str, access: Access) -> Route {
    Route {
        method,
        path,
        body: if method == "GET" || method == "DELETE" {
            Body::None
        } else {
            Body::Json(body)
        },
        access,
        fresh: None,
        stop: At::A,
        fence: false,
        public: false,
    }
}

impl Route {
    fn also_public(mut self) -> Route {
        self.public = true;
        self
    }

    fn after_previous(mut self) -> Route {
        self.fence = true;
        self
    }

    fn fresh(mut self, f: Fresh) -> Route {
        self.fresh = Some(f);
        self
    }

    fn multipart(mut self, fields: &'static [(&'static str, &'static str)], file: bool) -> Route {
        self.body = Body::Multipart(fields, file);
        self
    }
}

const NO_FIELDS: &[(&str, &str)] = &[];

/// Every organizer route, in the order the matrix tries them: the tour's rows, each stop's
/// rows at stop A and at stop B, then the rows across the two stops. Public routes
/// (registering, the call for proposals, claiming a task, the attendee's, speaker's and
/// volunteer's own pages) are not organizer routes and are left out.
pub(super) fn routes() -> Vec<Route> {
    let mut r = tour::rows();
    for at in [At::A, At::B] {
        r.extend(
            stop::rows(at)
                .into_iter()
                .map(|route| Route { stop: at, ..route }),
        );
    }
    r.extend(stop::cross().into_iter().map(|route| Route {
        stop: At::B,
        ..route
    }));
    r
}
