//! The domain's enums as column types: stored as their text (with a CHECK in the
//! migrations), read back strictly. A text no variant has (a corrupt row, a value renamed in
//! one place only) is an error of the query that read it, never silently the first variant.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;

/// `ToSql`/`FromSql<Text>` for each enum, on every backend (each is a `text_enum!`).
macro_rules! text_columns {
    ($($ty:path),+ $(,)?) => {$(
        impl<DB: Backend> ToSql<Text, DB> for $ty
        where
            str: ToSql<Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                self.as_str().to_sql(out)
            }
        }

        impl<DB: Backend> FromSql<Text, DB> for $ty
        where
            String: FromSql<Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                let text = String::from_sql(bytes)?;
                <$ty>::parse(&text).ok_or_else(|| {
                    format!("{:?} is no {}", text, stringify!($ty)).into()
                })
            }
        }
    )+};
}

text_columns!(
    crate::domain::access::TeamRole,
    crate::domain::agenda::ItemKind,
    crate::domain::attendance::RegistrationStatus,
    crate::domain::attendance::Signal,
    crate::domain::message::Segment,
    crate::domain::stop::StopStatus,
    crate::domain::task::TaskKind,
    crate::domain::tour::TourStatus,
    crate::domain::venue::CostKind,
    crate::domain::venue::VenueKind,
    crate::models::material::MaterialKind,
    crate::models::material::MaterialStatus,
    crate::models::outbox::OutboxStatus,
);
