//! Messages about the shared venue library: a venue a tour uses was changed by its creator,
//! and a tour that uses someone else's venue suggests a change to it.

use chrono::NaiveDateTime;

use super::parts::{Part, Rendered, compose};
use crate::domain::venue::FieldChange;
use crate::i18n::Lang;

/// A stop of the recipient's tour that a venue change touches.
#[derive(Clone, Debug)]
pub struct AffectedStop {
    pub tour: String,
    pub city: String,
    pub starts_at: NaiveDateTime,
    pub tz: chrono_tz::Tz,
    /// The venue is one of the stop's backups, not its place.
    pub as_backup: bool,
    /// The stop's capacity is its own (an override): a new venue capacity does not move it.
    pub own_capacity: bool,
    /// The registration target before and after, when the change moves it.
    pub target: Option<(i64, i64)>,
}

/// A field's label and a value as people read it.
fn label(lang: Lang, field: &str) -> String {
    let key = match field {
        "contact" => "field.venue_contact".to_owned(),
        other => format!("field.{other}"),
    };
    lang.t(&key).into_owned()
}

fn value(lang: Lang, field: &str, v: &str) -> String {
    match (field, v) {
        (_, "") => "—".to_owned(),
        ("kind", k) => lang.t(&format!("venue_kind.{k}")).into_owned(),
        ("cost", c) => lang.t(&format!("venue_cost.{c}")).into_owned(),
        ("weekday_only" | "id_check_required", "true") => lang.t("venue.yes").into_owned(),
        ("weekday_only" | "id_check_required", _) => lang.t("venue.no").into_owned(),
        (_, v) => v.to_owned(),
    }
}

/// The changes as "label: old → new" lines.
pub fn change_lines(lang: Lang, changes: &[FieldChange]) -> Part {
    Part::Facts(
        changes
            .iter()
            .map(|c| {
                (
                    label(lang, c.field),
                    format!(
                        "{} → {}",
                        value(lang, c.field, &c.old),
                        value(lang, c.field, &c.new)
                    ),
                )
            })
            .collect(),
    )
}

/// To the team of a tour with stops still to come at (or backed up by) a venue its creator
/// or a site admin just changed.
pub fn venue_changed(
    lang: Lang,
    venue: &str,
    editor: &str,
    changes: &[FieldChange],
    stops: &[AffectedStop],
    link: &str,
) -> Rendered {
    let mut parts = vec![
        Part::Text(lang.tf(
            "email.venue_changed.lead",
            &[("venue", venue), ("editor", editor)],
        )),
        change_lines(lang, changes),
        Part::Text(lang.t("email.venue_changed.stops").into_owned()),
    ];
    let lines: Vec<String> = stops
        .iter()
        .map(|s| {
            let when = crate::format::date(lang, s.starts_at, s.tz);
            let mut line = format!("• {} · {} · {when}", s.tour, s.city);
            if s.as_backup {
                line.push_str(&format!(" ({})", lang.t("email.venue_changed.backup")));
            } else if let Some((old, new)) = s.target {
                line.push_str(&format!(
                    "\n  {}",
                    lang.tf(
                        "email.venue_changed.target",
                        &[("old", &old.to_string()), ("new", &new.to_string())]
                    )
                ));
            } else if s.own_capacity && changes.iter().any(|c| c.field == "capacity") {
                line.push_str(&format!(
                    "\n  {}",
                    lang.t("email.venue_changed.own_capacity")
                ));
            }
            line
        })
        .collect();
    parts.push(Part::Text(lines.join("\n")));
    parts.push(Part::Text(
        lang.t("email.venue_changed.not_right").into_owned(),
    ));
    parts.push(Part::Link {
        label: lang.t("email.venue_changed.action").into_owned(),
        url: link.to_owned(),
    });
    compose(
        lang,
        lang.tf("email.venue_changed.subject", &[("venue", venue)]),
        Some(lang.t("email.hello").into_owned()),
        parts,
    )
}

/// To a venue's creator (or the site admins, for a venue nobody created): an organizer who
/// uses it suggests a change. Replies go to the suggester.
pub fn venue_suggestion(
    lang: Lang,
    venue: &str,
    suggester: &str,
    changes: &[FieldChange],
    message: &str,
    to_admins: bool,
    link: &str,
) -> Rendered {
    let mut parts = vec![Part::Text(lang.tf(
        if to_admins {
            "email.venue_suggestion.lead_admins"
        } else {
            "email.venue_suggestion.lead"
        },
        &[("venue", venue), ("suggester", suggester)],
    ))];
    if !changes.is_empty() {
        parts.push(change_lines(lang, changes));
    }
    if !message.trim().is_empty() {
        parts.push(Part::Text(
            lang.tf("email.venue_suggestion.message", &[("message", message)]),
        ));
    }
    parts.push(Part::Text(
        lang.t("email.venue_suggestion.reply").into_owned(),
    ));
    parts.push(Part::Link {
        label: lang.t("email.venue_suggestion.action").into_owned(),
        url: link.to_owned(),
    });
    compose(
        lang,
        lang.tf("email.venue_suggestion.subject", &[("venue", venue)]),
        Some(lang.t("email.hello").into_owned()),
        parts,
    )
}
