//! The domain's enums as column types: stored as their text (with a CHECK in the
//! migrations), read back strictly. A text no variant has (a corrupt row, a value renamed in
//! one place only) is an error of the query that read it, never silently the first variant.

/// `ToSql`/`FromSql<Text>` for each enum, on every backend (each is a `text_enum!`). The
/// models' own enums (a material's kind, an outbox message's status) call it where they are.
macro_rules! text_columns {
    ($($ty:path),+ $(,)?) => {$(
        impl<DB> diesel::serialize::ToSql<diesel::sql_types::Text, DB> for $ty
        where
            DB: diesel::backend::Backend,
            str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, DB>,
            ) -> diesel::serialize::Result {
                self.as_str().to_sql(out)
            }
        }

        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $ty
        where
            DB: diesel::backend::Backend,
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                let text = String::from_sql(bytes)?;
                <$ty>::parse(&text).ok_or_else(|| {
                    format!("{:?} is no {}", text, stringify!($ty)).into()
                })
            }
        }
    )+};
}
pub(crate) use text_columns;

text_columns!(
    crate::domain::access::TeamRole,
    crate::domain::agenda::ItemKind,
    crate::domain::attendance::RegistrationStatus,
    crate::domain::attendance::Signal,
    crate::domain::attendance::StillComing,
    crate::domain::message::Segment,
    crate::domain::proposal::ProposalStatus,
    crate::domain::stop::StopStatus,
    crate::domain::task::ClaimStatus,
    crate::domain::task::TaskKind,
    crate::domain::tour::TourStatus,
    crate::domain::venue::CostKind,
    crate::domain::venue::VenueKind,
);

/// The ids: written and read as their text. Reading does not check the UUID's spelling: the
/// app wrote it.
macro_rules! id_columns {
    ($($ty:ident),+ $(,)?) => {$(
        impl<DB> diesel::serialize::ToSql<diesel::sql_types::Text, DB> for crate::domain::ids::$ty
        where
            DB: diesel::backend::Backend,
            str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, DB>,
            ) -> diesel::serialize::Result {
                self.as_str().to_sql(out)
            }
        }

        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for crate::domain::ids::$ty
        where
            DB: diesel::backend::Backend,
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                String::from_sql(bytes).map(Self::from)
            }
        }
    )+};
}

id_columns!(
    OrganizerId,
    ApiTokenId,
    SessionId,
    TourId,
    VenueId,
    StopId,
    SupporterId,
    MessageId,
    RegistrationId,
    VenueSwitchId,
    SpeakerId,
    TalkId,
    ProposalId,
    AgendaItemId,
    MaterialId,
    TaskId,
    VolunteerId,
    ClaimId,
);
