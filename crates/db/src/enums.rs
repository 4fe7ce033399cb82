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

/// Implements text-label `ToSql`/`FromSql` for a domain enum and its SQL type.
macro_rules! pg_enum {
    ($($rust:ty => $sql:ty),+ $(,)?) => {$(
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
    )+};
}

pg_enum! {
    EmailInviteRole => sql_types::EmailInviteRole,
    EventExceptionKind => sql_types::EventExceptionKind,
    EventInviteStatus => sql_types::EventInviteStatus,
    InviteRole => sql_types::InviteRole,
    JobStatus => sql_types::JobStatus,
    JobType => sql_types::JobType,
    LogLevel => sql_types::LogLevel,
    StreamingKind => sql_types::StreamingKind,
    TariffStatus => sql_types::TariffStatus,
}
