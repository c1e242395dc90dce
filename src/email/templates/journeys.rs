//! Messages of the speakers' and volunteers' journeys that are not in `mod.rs`: several
//! tasks taken with one form.

use super::{Part, Rendered, StopMail, compose, link_expiry, sign_in_again, with_contact};
use crate::i18n::Lang;

/// What the e-mail to a volunteer who took several tasks of one stop at once says.
pub struct TasksTaken<'a> {
    /// Each task's title and when it is (in the stop's zone and the volunteer's language).
    pub tasks: &'a [(String, String)],
    /// One of them is the registration desk (which opens only once an organizer says so).
    pub desk: bool,
    /// Their sign-in link, and how long it works.
    pub link: &'a str,
    pub link_hours: i64,
    /// They may release a task until this many hours before it.
    pub release_hours: i64,
}

/// A volunteer took several tasks of a stop with one form: one e-mail for them all.
pub fn tasks_claimed(lang: Lang, name: &str, s: &StopMail, t: &TasksTaken) -> Rendered {
    let lines: Vec<String> = t
        .tasks
        .iter()
        .map(|(title, when)| format!("• {title} ({when})"))
        .collect();
    let mut parts = vec![
        Part::Text(lang.tf("journeys.email.tasks_lead", &[("stop", &s.title())])),
        Part::Text(lines.join("\n")),
    ];
    if t.desk {
        parts.push(Part::Text(lang.t("people.email.desk_pending").into_owned()));
    }
    parts.extend([
        s.facts(lang),
        Part::Link {
            label: lang.t("email.volunteer.action").into_owned(),
            url: t.link.to_owned(),
        },
        link_expiry(lang, t.link_hours),
        Part::Text(lang.tf(
            "email.claim.release",
            &[("duration", &crate::format::hours(lang, t.release_hours))],
        )),
    ]);
    parts.extend(sign_in_again(lang, t.link));
    compose(
        lang,
        lang.tf("journeys.email.tasks_subject", &[("stop", &s.title())]),
        Some(lang.tf("email.hello_name", &[("name", name)])),
        with_contact(parts, s, lang),
    )
}

/// Examples for the template preview (`/manage/emails`).
pub fn samples(lang: Lang, base_url: &str) -> Vec<(&'static str, Rendered)> {
    let tasks = [
        (
            lang.t("task_kind.photos").into_owned(),
            "13:00–17:30".to_owned(),
        ),
        (
            lang.t("task_kind.setup").into_owned(),
            "12:00–13:00".to_owned(),
        ),
    ];
    vec![(
        "tasks_claimed",
        tasks_claimed(
            lang,
            "Shake Chen",
            &super::sample_stop(lang),
            &TasksTaken {
                tasks: &tasks,
                desk: false,
                link: &format!("{base_url}/example-link"),
                link_hours: 24,
                release_hours: 24,
            },
        ),
    )]
}
