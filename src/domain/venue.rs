use crate::domain::text_enum;

text_enum!(
    /// What kind of place it is: each has its typical caveats (see the 2012 report).
    VenueKind {
        CompanyOffice => "company_office",
        Cafe => "cafe",
        University => "university",
        SoftwarePark => "software_park",
        Coworking => "coworking",
        Other => "other",
    }
);

text_enum!(
    /// Who pays: `shared` is the split-the-bill scheme (the 2012 Shenzhen café).
    CostKind {
        Free => "free",
        Paid => "paid",
        Shared => "shared",
    }
);

/// The largest room we accept; more is a typo.
pub const MAX_CAPACITY: i64 = 100_000;

/// Who may change a venue of the shared library: its creator and site admins (a venue
/// nobody created, such as demo data, only site admins). Holding a stop there, keeping it as
/// a backup, cloning such a stop or switching to it grants nothing: any organizer can do
/// those with any venue, and an address changed by a stranger misleads other tours'
/// attendees. The others suggest a change to the creator, or make their own copy.
pub fn may_edit(is_admin: bool, created_by: Option<&str>, organizer_id: &str) -> bool {
    is_admin || created_by.is_some_and(|c| c == organizer_id)
}

/// One field of a venue as it was and as it is (values as text, for e-mails).
#[derive(Clone, Debug, PartialEq)]
pub struct FieldChange {
    pub field: &'static str,
    pub old: String,
    pub new: String,
}

/// The fields whose value differs between `old` and `new` (same fields, same order).
pub fn changes(old: &[(&'static str, String)], new: &[(&'static str, String)]) -> Vec<FieldChange> {
    old.iter()
        .zip(new)
        .filter(|((_, a), (_, b))| a != b)
        .map(|((field, a), (_, b))| FieldChange {
            field,
            old: a.clone(),
            new: b.clone(),
        })
        .collect()
}

/// Whether a change of a venue can move the registration target of a stop that uses it:
/// only a new capacity, for a stop held there (not a backup) that has no capacity of its own.
pub fn moves_target(capacity_changes: bool, as_backup: bool, own_capacity: bool) -> bool {
    capacity_changes && !as_backup && !own_capacity
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_creator_and_site_admins_edit_a_venue() {
        assert!(may_edit(false, Some("a"), "a"));
        assert!(!may_edit(false, Some("a"), "d"));
        assert!(!may_edit(false, None, "d"), "nobody's venue: admins only");
        assert!(may_edit(true, None, "x"));
        assert!(may_edit(true, Some("a"), "x"));
    }

    #[test]
    fn changes_lists_what_differs_in_order() {
        let old = [
            ("address", "1 Road".to_owned()),
            ("capacity", "20".to_owned()),
        ];
        let new = [
            ("address", "1 Road".to_owned()),
            ("capacity", "2".to_owned()),
        ];
        assert_eq!(
            changes(&old, &new),
            vec![FieldChange {
                field: "capacity",
                old: "20".into(),
                new: "2".into()
            }]
        );
        assert!(changes(&old, &old).is_empty());
    }

    #[test]
    fn only_a_new_capacity_of_the_room_itself_moves_a_target() {
        assert!(moves_target(true, false, false));
        assert!(!moves_target(false, false, false), "no new capacity");
        assert!(
            !moves_target(true, true, false),
            "a backup holds nobody yet"
        );
        assert!(
            !moves_target(true, false, true),
            "the stop's own capacity wins"
        );
    }
}
