//! Database mapping of the SQL enum types.
//!
//! The Rust enums live in `conclave-domain`; this module implements diesel's
//! `ToSql`/`FromSql` for them against the generated `schema::sql_types`,
//! which the orphan rule allows because the SQL types are local to this crate.

pub use conclave_domain::exception::EventExceptionKind;
pub use conclave_domain::invite::{EmailInviteRole, EventInviteStatus, InviteRole};
pub use conclave_domain::job::{JobStatus, JobType, LogLevel};
pub use conclave_domain::streaming::StreamingKind;
pub use conclave_domain::tariff::TariffStatus;

use crate::schema::sql_types;

/// Implements text-label `ToSql`/`FromSql` for a domain enum and its SQL type,
/// and declares the local bind wrapper for it.
///
/// Diesel's blanket `AsExpression` impl makes a direct impl for a foreign enum
/// incoherent, so values are bound through a local newtype that derives
/// `AsExpression`: write `SqlTariffStatus(status)` in filters and put
/// `#[diesel(serialize_as = SqlTariffStatus)]` on insert and changeset fields.
macro_rules! pg_enum {
    ($($rust:ident => $sql:ty, $wrapper:ident);+ $(;)?) => {$(
        #[doc = concat!("Binds a [`", stringify!($rust), "`] as a query parameter.")]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, diesel::expression::AsExpression)]
        #[diesel(sql_type = $sql)]
        pub struct $wrapper(pub $rust);

        impl From<$rust> for $wrapper {
            fn from(value: $rust) -> Self {
                Self(value)
            }
        }

        impl diesel::serialize::ToSql<$sql, diesel::pg::Pg> for $wrapper {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, diesel::pg::Pg>,
            ) -> diesel::serialize::Result {
                diesel::serialize::ToSql::<$sql, diesel::pg::Pg>::to_sql(&self.0, out)
            }
        }

        impl diesel::serialize::ToSql<$sql, diesel::pg::Pg> for $rust {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, diesel::pg::Pg>,
            ) -> diesel::serialize::Result {
                use std::io::Write;
                out.write_all(self.as_str().as_bytes())?;
                Ok(diesel::serialize::IsNull::No)
            }
        }

        impl diesel::deserialize::FromSql<$sql, diesel::pg::Pg> for $rust {
            fn from_sql(bytes: diesel::pg::PgValue<'_>) -> diesel::deserialize::Result<Self> {
                let text = std::str::from_utf8(bytes.as_bytes())?;
                Ok(text.parse::<$rust>()?)
            }
        }

        // What `#[derive(FromSqlRow)]` would generate; needed so row structs
        // can hold the domain enum directly (allowed: the SQL type is local).
        impl diesel::deserialize::Queryable<$sql, diesel::pg::Pg> for $rust {
            type Row = Self;

            fn build(row: Self) -> diesel::deserialize::Result<Self> {
                Ok(row)
            }
        }
    )+};
}

pg_enum! {
    EmailInviteRole => sql_types::EmailInviteRole, SqlEmailInviteRole;
    EventExceptionKind => sql_types::EventExceptionKind, SqlEventExceptionKind;
    EventInviteStatus => sql_types::EventInviteStatus, SqlEventInviteStatus;
    InviteRole => sql_types::InviteRole, SqlInviteRole;
    JobStatus => sql_types::JobStatus, SqlJobStatus;
    JobType => sql_types::JobType, SqlJobType;
    LogLevel => sql_types::LogLevel, SqlLogLevel;
    StreamingKind => sql_types::StreamingKind, SqlStreamingKind;
    TariffStatus => sql_types::TariffStatus, SqlTariffStatus;
}
