//! Instance ids (`YYYYMMDDTHHMMSSZ`) and combined ids (`<event uuid>_<instance id>`).

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDateTime, Timelike, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::ids::EventId;

/// The text is not an instance id in any accepted form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid instance id {0:?}")]
pub struct InvalidInstanceId(pub String);

/// An instance id: the original UTC start of an occurrence, whole seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InstanceId(DateTime<Utc>);

impl InstanceId {
    /// The id of the occurrence starting at `start`.
    pub const fn new(start: DateTime<Utc>) -> Self {
        Self(start)
    }

    /// The original start.
    pub const fn instant(self) -> DateTime<Utc> {
        self.0
    }
}

impl fmt::Display for InstanceId {
    /// Always the compact UTC form, e.g. `20240729T080000Z`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y%m%dT%H%M%SZ"))
    }
}

impl FromStr for InstanceId {
    type Err = InvalidInstanceId;

    /// Accepts the three forms of R-12: `20240729T080000Z`,
    /// `20240729T100000+0200` and RFC 3339 (`2024-07-29T08:00:00+00:00`).
    /// Fractional seconds are refused: no occurrence has them.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || InvalidInstanceId(s.to_owned());
        let parsed = if let Some(compact) = s.strip_suffix('Z').filter(|c| c.len() == 15) {
            NaiveDateTime::parse_from_str(compact, "%Y%m%dT%H%M%S")
                .map(|n| n.and_utc())
                .ok()
        } else if s.len() == 20 && s.as_bytes().get(8) == Some(&b'T') {
            DateTime::<FixedOffset>::parse_from_str(s, "%Y%m%dT%H%M%S%z")
                .map(|d| d.with_timezone(&Utc))
                .ok()
        } else {
            DateTime::parse_from_rfc3339(s)
                .map(|d| d.with_timezone(&Utc))
                .ok()
        };
        let instant = parsed.ok_or_else(err)?;
        if instant.nanosecond() != 0 {
            return Err(err());
        }
        Ok(Self(instant))
    }
}

impl Serialize for InstanceId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for InstanceId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// The `id` field of instances and exceptions: `<event uuid>_<instance id>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CombinedInstanceId {
    /// The series.
    pub event_id: EventId,
    /// The occurrence.
    pub instance_id: InstanceId,
}

impl fmt::Display for CombinedInstanceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}_{}", self.event_id, self.instance_id)
    }
}

impl FromStr for CombinedInstanceId {
    type Err = InvalidInstanceId;

    /// Reads what [`fmt::Display`] writes; the part after the underscore
    /// accepts the same three forms as [`InstanceId`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || InvalidInstanceId(s.to_owned());
        let (event, instance) = s.split_once('_').ok_or_else(err)?;
        Ok(Self {
            event_id: event.parse().map_err(|_| err())?,
            instance_id: instance.parse().map_err(|_| err())?,
        })
    }
}

impl Serialize for CombinedInstanceId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().expect("instant")
    }

    #[test]
    fn r12_instance_ids_accept_three_forms_and_write_compact_utc() {
        let check = |input: &str, expect: Option<&str>| {
            let got = input.parse::<InstanceId>().ok().map(|id| id.instant());
            assert_eq!(got, expect.map(utc), "{input}");
            if let Ok(id) = input.parse::<InstanceId>() {
                assert_eq!(id.to_string().parse::<InstanceId>(), Ok(id));
            }
        };
        check("20240729T080000Z", Some("2024-07-29T08:00:00Z"));
        check("19700101T010000+0100", Some("1970-01-01T00:00:00Z"));
        check("20240729T100000+0200", Some("2024-07-29T08:00:00Z"));
        check("2024-07-20T15:23:42+00:00", Some("2024-07-20T15:23:42Z"));
        check("2024-07-20T17:23:42+02:00", Some("2024-07-20T15:23:42Z"));
        check("2024-07-20T15:23:42Z", Some("2024-07-20T15:23:42Z"));
        check("2024-07-20T15:23:42.5Z", None);
        check("20240729T080000", None);
        check("20241329T080000Z", None);
        check("20240729T0800Z", None);
        check("", None);
        check("now", None);
        let id = InstanceId::new(utc("2024-07-29T08:00:00Z"));
        assert_eq!(id.to_string(), "20240729T080000Z");
        assert_eq!(
            serde_json::to_value(id).ok(),
            Some("20240729T080000Z".into())
        );
    }

    #[test]
    fn r12_combined_ids_round_trip() {
        let event_id: EventId = "00000000-0000-0000-0000-004433221100"
            .parse()
            .expect("uuid");
        let id = CombinedInstanceId {
            event_id,
            instance_id: InstanceId::new(utc("2024-07-29T08:00:00Z")),
        };
        let text = id.to_string();
        assert_eq!(
            text,
            "00000000-0000-0000-0000-004433221100_20240729T080000Z"
        );
        assert_eq!(text.parse::<CombinedInstanceId>(), Ok(id));
        let rfc = "00000000-0000-0000-0000-004433221100_2024-07-29T08:00:00+00:00";
        assert_eq!(rfc.parse::<CombinedInstanceId>(), Ok(id));
        assert!("no-underscore".parse::<CombinedInstanceId>().is_err());
        assert!(
            "nope_20240729T080000Z"
                .parse::<CombinedInstanceId>()
                .is_err()
        );
    }
}
