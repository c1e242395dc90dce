//! A volunteer's e-mails: a task taken (the registration desk, which opens only once an
//! organizer says so; several with one form), the reminder the day before, and an
//! attendee's invitation to a task.

use super::parts::{
    Part, Rendered, StopMail, and_sign_in_again, compose, link_expiry, sign_in_again, with_contact,
};
use crate::i18n::Lang;

/// What the e-mail to a volunteer who took a task says about it.
#[derive(Clone, Copy)]
pub struct TaskClaim<'a> {
    pub task: &'a str,
    /// When, in the stop's zone and the volunteer's language.
    pub when: &'a str,
    /// Their sign-in link, and how long it works.
    pub link: &'a str,
    pub link_hours: i64,
    /// They may release the task until this many hours before it.
    pub release_hours: i64,
}

/// A volunteer took a task.
pub fn claim_confirmed(lang: Lang, name: &str, s: &StopMail, c: &TaskClaim) -> Rendered {
    let TaskClaim {
        task,
        when,
        link,
        link_hours,
        release_hours,
    } = *c;
    compose(
        lang,
        lang.tf(
            "email.claim.subject",
            &[("task", task), ("stop", &s.title())],
        ),
        Some(lang.tf("email.hello_name", &[("name", name)])),
        with_contact(
            and_sign_in_again(
                vec![
                    Part::Text(lang.tf(
                        "email.claim.lead",
                        &[("task", task), ("stop", &s.title()), ("when", when)],
                    )),
                    s.facts(lang),
                    Part::Link {
                        label: lang.t("email.volunteer.action").into_owned(),
                        url: link.to_owned(),
                    },
                    link_expiry(lang, link_hours),
                    Part::Text(lang.tf(
                        "email.claim.release",
                        &[("duration", &crate::format::hours(lang, release_hours))],
                    )),
                ],
                lang,
                link,
            ),
            s,
            lang,
        ),
    )
}

/// A volunteer took the registration desk: the slot is theirs, the desk opens once an
/// organizer of the stop gives them access (it shows people's data).
pub fn desk_task_claimed(lang: Lang, name: &str, s: &StopMail, c: &TaskClaim) -> Rendered {
    compose(
        lang,
        lang.tf(
            "email.claim.subject",
            &[("task", c.task), ("stop", &s.title())],
        ),
        Some(lang.tf("email.hello_name", &[("name", name)])),
        with_contact(
            vec![
                Part::Text(lang.tf(
                    "email.claim.lead",
                    &[("task", c.task), ("stop", &s.title()), ("when", c.when)],
                )),
                Part::Text(lang.t("people.email.desk_pending").into_owned()),
                s.facts(lang),
                Part::Link {
                    label: lang.t("email.volunteer.action").into_owned(),
                    url: c.link.to_owned(),
                },
                link_expiry(lang, c.link_hours),
                Part::Text(lang.tf(
                    "email.claim.release",
                    &[("duration", &crate::format::hours(lang, c.release_hours))],
                )),
            ]
            .into_iter()
            .chain(sign_in_again(lang, c.link))
            .collect(),
            s,
            lang,
        ),
    )
}

/// What the e-mail to a volunteer who took several tasks of one stop at once says.
#[derive(Clone, Copy)]
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

/// The day before: what, when, where.
pub fn volunteer_reminder(
    lang: Lang,
    name: &str,
    s: &StopMail,
    tasks: &str,
    link: &str,
) -> Rendered {
    compose(
        lang,
        lang.tf("email.volunteer_reminder.subject", &[("stop", &s.title())]),
        Some(lang.tf("email.hello_name", &[("name", name)])),
        with_contact(
            and_sign_in_again(
                vec![
                    Part::Text(lang.tf(
                        "email.volunteer_reminder.lead",
                        &[("stop", &s.title()), ("tasks", tasks)],
                    )),
                    s.facts(lang),
                    Part::Link {
                        label: lang.t("email.volunteer.action").into_owned(),
                        url: link.to_owned(),
                    },
                ],
                lang,
                link,
            ),
            s,
            lang,
        ),
    )
}

/// An attendee who would like to volunteer is invited to a task.
pub fn volunteer_invite(lang: Lang, name: &str, s: &StopMail, task: &str, link: &str) -> Rendered {
    compose(
        lang,
        lang.tf("email.volunteer_invite.subject", &[("stop", &s.title())]),
        Some(lang.tf("email.hello_name", &[("name", name)])),
        with_contact(
            and_sign_in_again(
                vec![
                    Part::Text(lang.tf(
                        "email.volunteer_invite.lead",
                        &[("stop", &s.title()), ("task", task)],
                    )),
                    Part::Link {
                        label: lang.t("email.volunteer_invite.action").into_owned(),
                        url: link.to_owned(),
                    },
                ],
                lang,
                link,
            ),
            s,
            lang,
        ),
    )
}
