//! The rules of roadshow, free of actix and diesel: parsing user input into domain values,
//! who may do what, and (in later modules) the attendance-ratio arithmetic.

pub mod access;
pub mod account;
pub mod agenda;
pub mod attendance;
pub mod content;
mod field;
pub mod ids;
pub mod material;
pub mod message;
pub mod proposal;
pub mod stop;
pub mod task;
pub mod text;
pub mod tour;
pub mod venue;
pub mod zones;

pub use field::FieldCode;

/// What is wrong with one field of the input: the domain's parsers answer with it, and the
/// HTTP layer (`crate::error`) gathers them into one answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// A translation key under `field_error.` (`required`, `too_long`, …).
    pub code: FieldCode,
    /// English text for the API.
    pub message: String,
}

/// An enum stored as text (with a CHECK in the migrations) and sent as snake_case JSON.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash,
            serde::Serialize, serde::Deserialize, utoipa::ToSchema,
            diesel::AsExpression, diesel::FromSqlRow,
        )]
        #[serde(rename_all = "snake_case")]
        // Stored as its text; how it is written and read is `crate::db::types`' (the domain
        // only names the column type).
        #[diesel(sql_type = diesel::sql_types::Text)]
        pub enum $name {
            $($variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            pub fn parse(text: &str) -> Option<$name> {
                match text {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }

            /// The list of accepted values, for error messages.
            pub fn choices() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use text_enum;
