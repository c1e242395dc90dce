//! A stop with its venue and tour, as the use cases about it load it, and its plan (capacity,
//! expected show rate, registration target) right now.

use crate::db::DbConnection;
use crate::domain::attendance::{self, History};
use crate::domain::content::Subject;
use crate::email::Attachment;
use crate::email::StopMail;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::models::counters::Counters;
use crate::models::stop::Stop;
use crate::models::tour::Tour;
use crate::models::venue::Venue;
pub use crate::read::stop::{Plan, StopContext};
use crate::services::Env;

pub fn plan(
    conn: &mut DbConnection,
    env: &Env,
    stop: &Stop,
    venue: &Venue,
    tour: &Tour,
) -> Result<Plan, AppError> {
    let capacity = stop.capacity_override.unwrap_or(venue.capacity);
    let history: History = if stop.show_rate_override.is_some() {
        History::default()
    } else {
        Counters::history(conn, &tour.id, stop.starts_at)?
    };
    let show_rate = attendance::expected_show_rate(
        stop.show_rate_override,
        history,
        tour.prior_show_rate,
        env.prior_weight,
    );
    Ok(Plan {
        capacity,
        show_rate,
        target: attendance::registration_target(capacity, show_rate),
    })
}

// What e-mails about the stop carry: its details in words, its calendar file, the desk's QR.
impl StopContext {
    pub fn mail(&self, lang: Lang) -> StopMail {
        let shown = |subject, id: &str, field, original: &str| {
            self.texts
                .shown(lang.code(), subject, id, field, original)
                .to_owned()
        };
        StopMail {
            tour: shown(Subject::Tour, &self.tour.id, "name", &self.tour.name),
            city: shown(Subject::Stop, &self.stop.id, "city", &self.stop.city),
            when: crate::format::time_range(
                lang,
                self.stop.starts_at,
                self.stop.ends_at,
                self.stop.tz(),
            ),
            venue: shown(Subject::Venue, &self.venue.id, "name", &self.venue.name),
            address: self.venue.address.clone(),
            directions: shown(
                Subject::Venue,
                &self.venue.id,
                "directions",
                &self.venue.directions,
            ),
            contact: self.tour.contact_email.clone(),
            id_check: self.venue.id_check_required,
        }
    }

    pub fn ics(&self, env: &Env) -> Attachment {
        self.calendar(env, crate::calendar::Method::Publish)
    }

    /// The stop's calendar file as a copy to keep, an update or a cancellation.
    pub fn calendar(&self, env: &Env, method: crate::calendar::Method) -> Attachment {
        Attachment {
            filename: "roadshow.ics".into(),
            content_type: format!("text/calendar; charset=utf-8; method={}", method.as_str()),
            content: crate::calendar::stop_ics_as(
                method,
                &self.tour.name,
                self.tour.contact_email.as_deref(),
                &self.stop,
                &self.venue,
                &env.links.url(&format!("/stops/{}", self.stop.id)),
            ),
        }
    }

    /// What the desk scans: opens the desk page with the code filled in.
    pub fn qr_data(&self, env: &Env, code: &str) -> String {
        env.links
            .url(&format!("/desk/{}?code={code}", self.stop.id))
    }
}
