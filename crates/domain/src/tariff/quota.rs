//! Quotas (`tariffs.quotas`, schema.md §9.1) and where they bite (rules.md §8.2).
//!
//! Stored quotas are read **leniently**: unknown keys are kept (and ignored
//! by every check), as upstream does. Quotas written by Conclave's admin
//! tooling go through [`StrictQuotas`]: only the three known keys.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};

/// A known quota key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum QuotaKey {
    /// `max_storage`: bytes of assets over the rooms a user created.
    MaxStorage,
    /// `room_time_limit_secs`: the longest room session.
    RoomTimeLimitSecs,
    /// `room_participant_limit`: the most participants in a room.
    RoomParticipantLimit,
}

impl QuotaKey {
    /// Every key.
    pub const ALL: [QuotaKey; 3] = [
        QuotaKey::MaxStorage,
        QuotaKey::RoomTimeLimitSecs,
        QuotaKey::RoomParticipantLimit,
    ];

    /// The JSON key.
    pub const fn as_str(self) -> &'static str {
        match self {
            QuotaKey::MaxStorage => "max_storage",
            QuotaKey::RoomTimeLimitSecs => "room_time_limit_secs",
            QuotaKey::RoomParticipantLimit => "room_participant_limit",
        }
    }

    /// The key named by `s`, if known.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A tariff's quotas as read from the database: the known ones typed, the
/// rest kept verbatim so that writing the value back loses nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(from = "BTreeMap<String, u64>", into = "BTreeMap<String, u64>")]
pub struct Quotas {
    /// Bytes; `None` = unlimited.
    pub max_storage: Option<u64>,
    /// Seconds; `None` = unlimited.
    pub room_time_limit_secs: Option<u64>,
    /// Participants; `None` = unlimited.
    pub room_participant_limit: Option<u64>,
    /// Unknown keys, accepted and ignored at this version.
    pub other: BTreeMap<String, u64>,
}

impl Quotas {
    /// The value of a known key.
    pub fn get(&self, key: QuotaKey) -> Option<u64> {
        match key {
            QuotaKey::MaxStorage => self.max_storage,
            QuotaKey::RoomTimeLimitSecs => self.room_time_limit_secs,
            QuotaKey::RoomParticipantLimit => self.room_participant_limit,
        }
    }

    /// Sets (or with `None` removes) a known key.
    pub fn set(&mut self, key: QuotaKey, value: Option<u64>) {
        match key {
            QuotaKey::MaxStorage => self.max_storage = value,
            QuotaKey::RoomTimeLimitSecs => self.room_time_limit_secs = value,
            QuotaKey::RoomParticipantLimit => self.room_participant_limit = value,
        }
    }
}

impl From<BTreeMap<String, u64>> for Quotas {
    fn from(mut map: BTreeMap<String, u64>) -> Self {
        let mut quotas = Quotas::default();
        for key in QuotaKey::ALL {
            quotas.set(key, map.remove(key.as_str()));
        }
        quotas.other = map;
        quotas
    }
}

impl From<Quotas> for BTreeMap<String, u64> {
    fn from(quotas: Quotas) -> Self {
        let mut map = quotas.other.clone();
        for key in QuotaKey::ALL {
            if let Some(value) = quotas.get(key) {
                map.insert(key.as_str().to_owned(), value);
            }
        }
        map
    }
}

/// A quota that Conclave refuses to write (rules.md §8.6).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuotaError {
    /// Only `max_storage`, `room_time_limit_secs` and `room_participant_limit` exist.
    #[error("unknown quota {0:?}")]
    UnknownKey(String),
    /// Values are unsigned integers.
    #[error("quota value {0:?} is not an unsigned integer")]
    NotUnsigned(String),
}

/// Quotas that may be written: only known keys (unsigned by construction).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "BTreeMap<String, u64>", into = "BTreeMap<String, u64>")]
pub struct StrictQuotas(Quotas);

impl StrictQuotas {
    /// The validated quotas.
    pub fn quotas(&self) -> &Quotas {
        &self.0
    }
}

impl TryFrom<Quotas> for StrictQuotas {
    type Error = QuotaError;

    fn try_from(quotas: Quotas) -> Result<Self, Self::Error> {
        match quotas.other.keys().next() {
            Some(key) => Err(QuotaError::UnknownKey(key.clone())),
            None => Ok(Self(quotas)),
        }
    }
}

impl TryFrom<BTreeMap<String, u64>> for StrictQuotas {
    type Error = QuotaError;

    fn try_from(map: BTreeMap<String, u64>) -> Result<Self, Self::Error> {
        Quotas::from(map).try_into()
    }
}

impl From<StrictQuotas> for BTreeMap<String, u64> {
    fn from(quotas: StrictQuotas) -> Self {
        quotas.0.into()
    }
}

/// Parses one `key=value` quota setting from the admin CLI strictly.
pub fn parse_quota_setting(key: &str, value: &str) -> Result<(QuotaKey, u64), QuotaError> {
    let key = QuotaKey::parse(key).ok_or_else(|| QuotaError::UnknownKey(key.to_owned()))?;
    // `u64::from_str` accepts a leading `+`; an unsigned integer is digits only.
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(QuotaError::NotUnsigned(value.to_owned()));
    }
    let number = value
        .parse()
        .map_err(|_| QuotaError::NotUnsigned(value.to_owned()))?;
    Ok((key, number))
}

/// An upload would exceed `max_storage` (400 `bad_request`, "Asset storage exceeded").
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("Asset storage exceeded")]
pub struct StorageExceeded;

/// The storage check: refuse when `used + new_size > max_storage`;
/// `used + new_size == max_storage` is allowed, and no quota means no limit.
/// `used` is the sum of asset sizes over the rooms the room creator created.
pub fn check_storage(
    max_storage: Option<u64>,
    used: u64,
    new_size: u64,
) -> Result<(), StorageExceeded> {
    match max_storage {
        None => Ok(()),
        Some(max) => match used.checked_add(new_size) {
            Some(total) if total <= max => Ok(()),
            _ => Err(StorageExceeded),
        },
    }
}

/// The participant limit (signaling, recorded for completeness): a moderator
/// joins regardless of the limit when no other moderator is present (and
/// then counts); everyone else is refused once `participants >= limit`.
pub fn may_join(
    limit: Option<u64>,
    participants: u64,
    joiner_is_moderator: bool,
    other_moderator_present: bool,
) -> bool {
    if joiner_is_moderator && !other_moderator_present {
        return true;
    }
    limit.is_none_or(|limit| participants < limit)
}

/// When a session that starts at `started` closes under `room_time_limit_secs`;
/// `None` when there is no limit (or it lies beyond the representable range).
pub fn session_closes_at(started: DateTime<Utc>, limit_secs: Option<u64>) -> Option<DateTime<Utc>> {
    let secs = i64::try_from(limit_secs?).ok()?;
    started.checked_add_signed(TimeDelta::try_seconds(secs)?)
}
