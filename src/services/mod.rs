//! Use cases: one function each, one transaction each, called by both `api` and `web`.

pub mod access;
pub mod accounts;
pub mod agenda;
pub mod bulk;
pub mod caller;
pub mod collection;
pub mod content;
pub mod context;
pub mod dashboards;
pub mod desk;
pub mod health;
pub mod intake;
pub mod invitations;
pub mod lifecycle;
pub mod magic_links;
pub mod materials;
pub mod outbox;
pub mod preview;
pub mod public;
pub mod registrations;
pub mod report;
pub mod schedule;
pub mod sessions;
pub mod sign_in;
pub mod speakers;
pub mod stop_context;
pub mod stops;
pub mod team;
pub mod tours;
pub mod venue_switch;
pub mod venues;
pub mod volunteers;

use crate::config::Settings;
use crate::email::Links;

/// What use cases need besides a connection: where links point, and the rules' settings.
#[derive(Clone, Debug)]
pub struct Env {
    pub links: Links,
    /// w in r = (A + w·p0) / (N + w).
    pub prior_weight: f64,
    pub magic_link_hours: i64,
    /// Reminders go this many hours before a stop (largest first).
    pub reminder_hours: Vec<i64>,
    /// "Still coming?" goes this many days before a stop (0: never).
    pub still_coming_days: i64,
    /// Volunteers may release a task until this many hours before it.
    pub release_hours: i64,
    /// Reminders for missing materials, in days after the stop ended.
    pub material_reminder_days: Vec<i64>,
    /// Derives each registration's one manage link (from the app's secret key).
    pub manage_links: registrations::ManageLinkKey,
    /// The languages organizers may give their texts in besides the original.
    pub content_languages: Vec<String>,
}

impl Env {
    /// `secret`: the app's secret key (the one that signs sessions).
    pub fn new(links: Links, settings: &Settings, secret: &[u8]) -> Self {
        let mut reminder_hours = settings.schedule.reminder_hours.clone();
        reminder_hours.sort_unstable_by(|a, b| b.cmp(a));
        reminder_hours.dedup();
        Env {
            links,
            prior_weight: settings.rules.show_rate_prior_weight,
            magic_link_hours: settings.rules.magic_link_hours,
            reminder_hours,
            still_coming_days: settings.schedule.still_coming_days,
            release_hours: settings.rules.volunteer_release_hours,
            material_reminder_days: {
                let mut d = settings.schedule.material_reminder_days.clone();
                d.sort_unstable();
                d.dedup();
                d
            },
            manage_links: registrations::ManageLinkKey::new(secret),
            // Checked when the settings are read; a bad list here is a test's own settings.
            content_languages: crate::domain::content::languages(&settings.rules.content_languages)
                .unwrap_or_else(|_| {
                    crate::domain::content::DEFAULT_LANGUAGES
                        .map(str::to_owned)
                        .to_vec()
                }),
        }
    }
}
