//! Typed identifiers for every table's primary key.
//!
//! Each id is a newtype, so a room id can never be passed where an event id is
//! expected. The database crate maps them to and from their column types at the
//! boundary (`From<Uuid>` / `Into<Uuid>`).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! uuid_id {
    ($($(#[$meta:meta])* $name:ident;)+) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// Wraps an existing UUID.
            pub const fn from_uuid(id: Uuid) -> Self { Self(id) }
            /// A fresh random (v4) id.
            pub fn generate() -> Self { Self(Uuid::new_v4()) }
            /// The all-zero id, useful in tests and examples.
            pub const fn nil() -> Self { Self(Uuid::nil()) }
            /// The inner UUID.
            pub const fn into_uuid(self) -> Uuid { self.0 }
        }

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self { Self(id) }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Uuid { id.0 }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> { Uuid::parse_str(s).map(Self) }
        }
    )+};
}

macro_rules! serial_id {
    ($($(#[$meta:meta])* $name:ident($inner:ty);)+) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name($inner);

        impl $name {
            /// Wraps a raw serial value.
            pub const fn new(id: $inner) -> Self { Self(id) }
            /// The raw serial value.
            pub const fn get(self) -> $inner { self.0 }
        }

        impl From<$inner> for $name {
            fn from(id: $inner) -> Self { Self(id) }
        }

        impl From<$name> for $inner {
            fn from(id: $name) -> $inner { id.0 }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )+};
}

uuid_id! {
    /// `users.id`.
    UserId;
    /// `tenants.id`.
    TenantId;
    /// `tariffs.id`.
    TariffId;
    /// `groups.id`.
    GroupId;
    /// `rooms.id`.
    RoomId;
    /// `events.id`.
    EventId;
    /// `event_exceptions.id`.
    EventExceptionId;
    /// `event_invites.id`.
    EventInviteId;
    /// `invites.id`: a room invite code.
    InviteCodeId;
    /// `assets.id`.
    AssetId;
    /// `room_streaming_targets.id`.
    StreamingTargetId;
    /// `module_resources.id`.
    ModuleResourceId;
}

serial_id! {
    /// `sip_configs.id` (never exposed by the API).
    SipConfigId(i64);
    /// `jobs.id`.
    JobId(i64);
    /// `job_executions.id`.
    JobExecutionId(i64);
    /// `job_execution_logs.id`.
    JobExecutionLogId(i64);
    /// `casbin_rule.id`.
    CasbinRuleId(i32);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_ids_round_trip_through_text_and_json() {
        let id = RoomId::generate();
        assert_eq!(id.to_string().parse::<RoomId>().unwrap(), id);
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{id}\""));
        assert_eq!(serde_json::from_str::<RoomId>(&json).unwrap(), id);
        assert!("not-a-uuid".parse::<RoomId>().is_err());
    }

    #[test]
    fn serial_ids_are_transparent() {
        assert_eq!(serde_json::to_string(&JobId::new(7)).unwrap(), "7");
        assert_eq!(i64::from(JobId::new(7)), 7);
    }
}
