//! The ids of roadshow's records, one type each, so a tour's id cannot be handed where a
//! stop's is asked for. Each is a UUID kept as its text (the columns are text on both
//! backends); `crate::db::types` writes and reads them, `crate::http::path_id` parses them
//! from a path, and they deref to `&str` for the queries not yet written against them.

/// An id type: what it names (for "not found" answers), how it is parsed and made.
pub trait Id: Sized {
    /// What the id names, in the words of a 404 ("stop", "tour", …).
    const WHAT: &'static str;

    /// The id as it arrives from outside (a path, a form): a UUID in any of its spellings,
    /// kept in its canonical lower-case form; anything else cannot name a record.
    fn parse(raw: &str) -> Option<Self>;
}

macro_rules! id_type {
    ($($(#[$meta:meta])* $name:ident => $what:literal),+ $(,)?) => {$(
        $(#[$meta])*
        #[derive(
            Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize, utoipa::ToSchema,
            diesel::AsExpression, diesel::FromSqlRow,
        )]
        #[serde(transparent)]
        #[schema(value_type = String, format = Uuid)]
        #[diesel(sql_type = diesel::sql_types::Text)]
        pub struct $name(String);

        impl $name {
            /// A fresh id for a new record.
            pub fn new() -> Self {
                $name(uuid::Uuid::new_v4().to_string())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl Id for $name {
            const WHAT: &'static str = $what;

            fn parse(raw: &str) -> Option<Self> {
                uuid::Uuid::parse_str(raw).ok().map(|u| $name(u.to_string()))
            }
        }

        /// From text the app itself wrote (a row not yet typed, a test's fixture); input from
        /// outside goes through `Id::parse`.
        impl From<String> for $name {
            fn from(text: String) -> Self {
                $name(text)
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                $name(text.to_owned())
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    )+};
}

id_type!(
    OrganizerId => "organizer",
    ApiTokenId => "API token",
    SessionId => "session",
    TourId => "tour",
    VenueId => "venue",
    StopId => "stop",
    SupporterId => "supporter",
    MessageId => "message",
    RegistrationId => "registration",
    VenueSwitchId => "venue switch",
    SpeakerId => "speaker",
    TalkId => "talk",
    ProposalId => "proposal",
    AgendaItemId => "agenda item",
    MaterialId => "material",
    TaskId => "task",
    VolunteerId => "volunteer",
    ClaimId => "claim",
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_keeps_the_canonical_spelling_and_refuses_the_rest() {
        let id = StopId::parse("6F9619FF-8B86-D011-B42D-00C04FC964FF").unwrap();
        assert_eq!(id.as_str(), "6f9619ff-8b86-d011-b42d-00c04fc964ff");
        assert!(StopId::parse("stop-1").is_none());
        assert!(StopId::parse("").is_none());
        assert_eq!(StopId::WHAT, "stop");
    }

    #[test]
    fn fresh_ids_differ_and_read_back() {
        let (a, b) = (TourId::new(), TourId::new());
        assert_ne!(a, b);
        assert_eq!(TourId::parse(&a).as_ref(), Some(&a));
    }

    #[test]
    fn json_is_the_plain_text() {
        let id = VenueId::from("6f9619ff-8b86-d011-b42d-00c04fc964ff");
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, "\"6f9619ff-8b86-d011-b42d-00c04fc964ff\"");
        assert_eq!(serde_json::from_str::<VenueId>(&json).unwrap(), id);
    }
}
