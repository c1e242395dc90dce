use crate::domain::text_enum;
use crate::domain::{FieldCode, FieldError};

text_enum!(
    /// Only published tours are seen by the public; archived ones stay readable by their team.
    TourStatus {
        Draft => "draft",
        Published => "published",
        Archived => "archived",
    }
);

/// The show rate assumed before a tour has data of its own (the 2012 organizers' rule of thumb).
pub const DEFAULT_PRIOR_SHOW_RATE: f64 = 0.5;

/// A slug typed by an organizer: lower-case ASCII letters, digits and single hyphens.
pub fn slug(value: &str) -> Result<String, FieldError> {
    let v = value.trim().to_lowercase();
    let ok = !v.is_empty()
        && v.len() <= 80
        && v.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !v.starts_with('-')
        && !v.ends_with('-')
        && !v.contains("--");
    if ok {
        Ok(v)
    } else {
        Err(FieldError {
            code: FieldCode::InvalidSlug,
            message: "may contain only a-z, 0-9 and single hyphens (at most 80)".into(),
        })
    }
}

/// A slug made from a tour's name; names with no ASCII letters (say, 中国行) get a short
/// random one, which organizers can change.
pub fn slug_from_name(name: &str) -> String {
    let mut out = String::new();
    for c in name.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= 60 {
            break;
        }
    }
    let trimmed = out.trim_end_matches('-').to_owned();
    if trimmed.is_empty() {
        format!("tour-{}", &uuid::Uuid::new_v4().simple().to_string()[..8])
    } else {
        trimmed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_made_from_names() {
        assert_eq!(
            slug_from_name("OpenStack China Tour 2012!"),
            "openstack-china-tour-2012"
        );
        assert!(slug_from_name("中国行").starts_with("tour-"));
        assert_eq!(slug_from_name("OpenStack 中国行"), "openstack");
    }

    #[test]
    fn typed_slugs_are_checked() {
        assert_eq!(slug(" Osct-2012 ").unwrap(), "osct-2012");
        for bad in ["", "-a", "a-", "a--b", "a b", "北京", "a/b"] {
            assert!(slug(bad).is_err(), "{bad}");
        }
    }
}
