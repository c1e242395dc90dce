//! Every kind of e-mail with sample data, for the organizers' preview (`/manage/emails`),
//! rendered by the same `Mail::render` as the real ones. `Samples::mail` matches on the
//! kind, so a kind cannot be added without its sample.

use super::mail::{Mail, Ticket};
use super::templates::parts::{Rendered, StopMail};
use super::templates::speakers::Decision;
use super::templates::venues::AffectedStop;
use super::templates::volunteers::{TaskClaim, TasksTaken};
use crate::domain::venue::FieldChange;
use crate::i18n::Lang;
use crate::models::outbox::MailKind;

/// The message of `kind` with sample data, in `lang`; links point under `base_url`.
pub fn render(kind: MailKind, lang: Lang, base_url: &str) -> Rendered {
    Samples::new(lang, base_url).mail(kind).render(lang)
}

/// The sample data the messages borrow (a `Mail` holds references).
struct Samples {
    lang: Lang,
    link: String,
    desk_login: String,
    stop: StopMail,
    speaker_page: String,
    confirmed: String,
    desk_task: String,
    photos: String,
    /// What a materials request asks for (the organizers' three).
    materials: Vec<String>,
    tasks: Vec<(String, String)>,
    accepted_at: Vec<String>,
    unconfirmed: Vec<String>,
    changes: Vec<FieldChange>,
    affected: Vec<AffectedStop>,
}

impl Samples {
    fn new(lang: Lang, base_url: &str) -> Self {
        Samples {
            lang,
            link: format!("{base_url}/example-link"),
            desk_login: format!("{base_url}/desk/example/login"),
            stop: sample_stop(lang),
            speaker_page: lang.t("email.sign_in.speaker_page").into_owned(),
            confirmed: lang.t("registration_status.confirmed").into_owned(),
            desk_task: lang.t("task_kind.registration_desk").into_owned(),
            photos: lang.t("task_kind.photos").into_owned(),
            materials: ["report", "photos", "video"]
                .iter()
                .map(|k| lang.t(&format!("material_kind.{k}")).into_owned())
                .collect(),
            tasks: vec![
                (
                    lang.t("task_kind.photos").into_owned(),
                    "13:00–17:30".to_owned(),
                ),
                (
                    lang.t("task_kind.setup").into_owned(),
                    "12:00–13:00".to_owned(),
                ),
            ],
            accepted_at: vec!["北京".into(), "深圳".into()],
            unconfirmed: vec![
                "14:30 (Asia/Shanghai) OpenStack Block Storage: Cinder (Rongze Zhu)".into(),
            ],
            changes: vec![
                FieldChange {
                    field: "address",
                    old: "1 Alpha Road".into(),
                    new: "3 Beta Street".into(),
                },
                FieldChange {
                    field: "capacity",
                    old: "80".into(),
                    new: "60".into(),
                },
            ],
            affected: vec![AffectedStop {
                tour: "OpenStack China Tour".into(),
                city: "Beijing".into(),
                starts_at: crate::db::now(),
                tz: chrono_tz::Asia::Shanghai,
                as_backup: false,
                own_capacity: false,
                target: Some((160, 120)),
            }],
        }
    }

    fn ticket(&self) -> Ticket<'_> {
        Ticket {
            name: "Yejia Xu",
            stop: &self.stop,
            code: "7KQ4MX",
            qr_data: "https://roadshow.example/desk",
            manage_url: &self.link,
        }
    }

    /// The organizer's words in a cancellation or a move.
    fn message(&self) -> &'static str {
        match self.lang {
            Lang::En => "The building is closed for repairs that weekend. We are sorry.",
            Lang::ZhCn => "那个周末大楼停电检修，非常抱歉。",
        }
    }

    fn mail(&self, kind: MailKind) -> Mail<'_> {
        let link = self.link.as_str();
        let stop = &self.stop;
        match kind {
            MailKind::MaterialRequest => Mail::MaterialRequest {
                name: "Rongze Zhu",
                stop,
                what: &self.materials,
                reminder: false,
                link,
            },
            MailKind::ClaimConfirmed => Mail::ClaimConfirmed {
                name: "Shake Chen",
                stop,
                claim: TaskClaim {
                    task: &self.desk_task,
                    when: "Sun 16 Sep 2012, 13:00–14:00 (Asia/Shanghai)",
                    link,
                    link_hours: 24,
                    release_hours: 24,
                },
                desk: false,
            },
            MailKind::TasksClaimed => Mail::TasksClaimed {
                name: "Shake Chen",
                stop,
                tasks: TasksTaken {
                    tasks: &self.tasks,
                    desk: false,
                    link,
                    link_hours: 24,
                    release_hours: 24,
                },
            },
            MailKind::VolunteerReminder => Mail::VolunteerReminder {
                name: "Shake Chen",
                stop,
                tasks: &self.photos,
                link,
            },
            MailKind::VolunteerInvite => Mail::VolunteerInvite {
                name: "Shake Chen",
                stop,
                task: &self.photos,
                link,
            },
            MailKind::ProposalConfirm => Mail::ProposalConfirm {
                name: "Rongze Zhu",
                tour: "OpenStack China Tour",
                title: "Cinder in production",
                link,
                hours: 48,
            },
            MailKind::ProposalDecided => Mail::ProposalDecided {
                name: "Rongze Zhu",
                tour: "OpenStack China Tour 2012",
                title: "OpenStack Block Storage: Cinder",
                decision: Decision {
                    accepted: true,
                    stops: &self.accepted_at,
                    message: "See you there!",
                },
                link,
            },
            MailKind::TalkInvitation => Mail::TalkInvitation {
                name: "Rongze Zhu",
                by: "Hui Cheng",
                tour: Some("OpenStack China Tour"),
                title: "Cinder in production",
                link,
                hours: 24,
            },
            MailKind::SlotChanged => Mail::SlotChanged {
                name: "Rongze Zhu",
                stop,
                title: "OpenStack Block Storage: Cinder",
                change: "moved",
                when: "Sun 16 Sep 2012, 14:30–15:10 (Asia/Shanghai)",
                link,
            },
            MailKind::UnconfirmedSlots => Mail::UnconfirmedSlots {
                stop,
                lines: &self.unconfirmed,
                link,
            },
            MailKind::OrganizerInvite => Mail::OrganizerInvite {
                inviter: "Hui Cheng",
                tour: Some("OpenStack China Tour 2012"),
                link,
            },
            MailKind::OrganizerSignIn => Mail::OrganizerSignIn { link, minutes: 30 },
            MailKind::PasswordReset => Mail::PasswordReset { link, hours: 24 },
            MailKind::SignInLink => Mail::SignInLink {
                name: "Rongze Zhu",
                what: &self.speaker_page,
                link,
                hours: 24,
            },
            MailKind::Bulk => Mail::Bulk {
                // The organizer's own words, written for this reader's language.
                subject: match self.lang {
                    Lang::En => "Slides from Beijing".into(),
                    Lang::ZhCn => "北京站的讲义".into(),
                },
                body: match self.lang {
                    Lang::En => {
                        "Hello Yejia,\n\nthank you for coming! The slides are **online**.".into()
                    }
                    Lang::ZhCn => "业佳，你好：\n\n感谢你的参与！讲义已经**上线**。".into(),
                },
                tour: "OpenStack China Tour 2012",
                test: None,
            },
            MailKind::RegistrationConfirmed => Mail::RegistrationConfirmed(self.ticket()),
            MailKind::RegistrationWaitlisted => Mail::RegistrationWaitlisted {
                name: "Yejia Xu",
                stop,
                position: 3,
                manage_url: link,
            },
            MailKind::RegistrationPromoted => Mail::RegistrationPromoted(self.ticket()),
            MailKind::RegistrationCancelled => Mail::RegistrationCancelled {
                name: "Yejia Xu",
                stop,
                stop_url: link,
            },
            MailKind::RegistrationAgain => Mail::RegistrationAgain {
                name: "Yejia Xu",
                stop,
                status: &self.confirmed,
                manage_url: link,
            },
            MailKind::RegistrationNewLink => Mail::RegistrationNewLink {
                name: "Yejia Xu",
                stop,
                manage_url: link,
            },
            MailKind::RegistrationLink => Mail::RegistrationLink {
                name: "Yejia Xu",
                stop,
                status: &self.confirmed,
                manage_url: link,
            },
            MailKind::Reminder => Mail::Reminder(self.ticket()),
            MailKind::StillComing => Mail::StillComing {
                name: "Yejia Xu",
                stop,
                yes_url: link,
                no_url: link,
            },
            MailKind::VenueSwitch => Mail::VenueSwitch {
                name: "Yejia Xu",
                stop,
                old_venue: "3W Coffee",
                reason: "blackout in the building",
                manage_url: Some(link),
            },
            MailKind::StopCancelled => Mail::StopCancelled {
                name: "Yejia Xu",
                stop,
                message: self.message(),
                stop_url: link,
                manage_url: Some(link),
            },
            MailKind::StopMoved => Mail::StopMoved {
                name: "Yejia Xu",
                stop,
                old_when: match self.lang {
                    Lang::En => "Sat 15 Sep 2012, 13:30–17:30 (Asia/Shanghai)",
                    Lang::ZhCn => "2012年9月15日 周六 13:30–17:30（Asia/Shanghai）",
                },
                message: self.message(),
                stop_url: link,
                manage_url: Some(link),
            },
            MailKind::VenueChanged => Mail::VenueChanged {
                venue: "3W Café",
                editor: "Hui Cheng",
                changes: &self.changes,
                stops: &self.affected,
                link,
            },
            MailKind::VenueSuggestion => Mail::VenueSuggestion {
                venue: "3W Café",
                suggester: "Dave <dave@example.org>",
                changes: &self.changes,
                message: "The café moved across the street.",
                to_admins: false,
                link,
            },
            MailKind::DeskAccess => Mail::DeskAccess {
                name: "Shake Chen",
                stop,
                link,
                valid_for: chrono::Duration::hours(72),
                until: match self.lang {
                    Lang::En => "Sun 16 Sep 2012, 17:30 (Asia/Shanghai)",
                    Lang::ZhCn => "2012年9月16日 周日 17:30（Asia/Shanghai）",
                },
                fresh_link_page: &self.desk_login,
            },
        }
    }
}

fn sample_stop(lang: Lang) -> StopMail {
    StopMail {
        tour: "OpenStack China Tour 2012".into(),
        city: "北京".into(),
        when: match lang {
            Lang::En => "Sun 16 Sep 2012, 13:30–17:30 (Asia/Shanghai)".into(),
            Lang::ZhCn => "2012年9月16日 周日 13:30–17:30（Asia/Shanghai）".into(),
        },
        venue: "盛大创新院 Shanda Innovations".into(),
        address: "北京市海淀区".into(),
        directions: "3F, take the lift on the left".into(),
        contact: Some("cosug@example.org".into()),
        id_check: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_sample_of_its_own() {
        let samples = Samples::new(Lang::En, "https://roadshow.example");
        for &kind in MailKind::ALL {
            assert_eq!(samples.mail(kind).kind(), kind);
        }
    }

    #[test]
    fn every_template_renders_in_both_languages_with_its_link() {
        for lang in Lang::ALL {
            for &kind in MailKind::ALL {
                let r = render(kind, lang, "https://roadshow.example");
                assert!(!r.subject.is_empty(), "{kind}");
                assert!(
                    !r.text.contains("??") && !r.html.contains("??") && !r.subject.contains("??"),
                    "{kind} {lang:?} misses a string"
                );
                if kind != MailKind::Bulk {
                    assert!(
                        r.text.contains("https://roadshow.example/example-link"),
                        "{kind}"
                    );
                    assert!(
                        r.html
                            .contains("href=\"https://roadshow.example/example-link\""),
                        "{kind}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_desk_task_has_its_own_template() {
        let s = Samples::new(Lang::En, "https://roadshow.example");
        let claim = |desk| {
            let Mail::ClaimConfirmed { claim, .. } = s.mail(MailKind::ClaimConfirmed) else {
                unreachable!()
            };
            Mail::ClaimConfirmed {
                name: "Shake Chen",
                stop: &s.stop,
                claim,
                desk,
            }
            .render(Lang::En)
        };
        let pending = Lang::En.t("people.email.desk_pending");
        assert!(claim(true).text.contains(&*pending));
        assert!(!claim(false).text.contains(&*pending));
    }
}
