//! Time zones and time values: `DateTimeTz` and IANA zone handling.
//!
//! Every instant is held in UTC; the zone travels next to it and only matters
//! for display and for recurrence expansion (rules.md §0, §2.3). Comparisons,
//! window edges and stored columns are therefore always UTC.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDateTime, SubsecRound, TimeDelta, TimeZone, Timelike, Utc};
pub use chrono_tz::Tz;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The text is not a known IANA time zone name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown time zone {0:?}")]
pub struct UnknownTimeZone(pub String);

/// Parses an IANA zone name such as `Europe/Berlin` (case-sensitive, as the
/// zone database spells it). Unknown names are an error (rules.md §2.6).
pub fn parse_zone(name: &str) -> Result<Tz, UnknownTimeZone> {
    Tz::from_str(name).map_err(|_| UnknownTimeZone(name.to_owned()))
}

/// The end of an unbounded series as stored in `events.ends_at`.
pub fn unbounded_series_end() -> DateTime<Utc> {
    // 9999-12-31T23:59:59Z is inside chrono's and PostgreSQL's ranges, and
    // later than any real occurrence.
    Utc.with_ymd_and_hms(9999, 12, 31, 23, 59, 59)
        .single()
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// An instant together with the IANA zone it was given in.
///
/// Stored as `x_at` (timestamptz) plus `x_at_tz` (varchar). On the wire it is
/// `{"datetime": "<RFC 3339 UTC>", "timezone": "<IANA zone>"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateTimeTz {
    instant: DateTime<Utc>,
    zone: Tz,
}

impl DateTimeTz {
    /// Pairs a UTC instant with a zone.
    pub const fn new(instant: DateTime<Utc>, zone: Tz) -> Self {
        Self { instant, zone }
    }

    /// Builds a value from stored columns: an instant and a zone name.
    pub fn from_parts(instant: DateTime<Utc>, zone: &str) -> Result<Self, UnknownTimeZone> {
        Ok(Self::new(instant, parse_zone(zone)?))
    }

    /// Interprets a local wall-clock time in `zone`. A nonexistent local time
    /// (spring forward) is `None`; an ambiguous one (fall back) takes the
    /// earlier instant.
    pub fn from_local(local: NaiveDateTime, zone: Tz) -> Option<Self> {
        let instant = zone.from_local_datetime(&local).earliest()?;
        Some(Self::new(instant.with_timezone(&Utc), zone))
    }

    /// The UTC instant.
    pub const fn instant(&self) -> DateTime<Utc> {
        self.instant
    }

    /// The zone.
    pub const fn zone(&self) -> Tz {
        self.zone
    }

    /// The zone's IANA name, as stored in `x_at_tz`.
    pub fn zone_name(&self) -> &'static str {
        self.zone.name()
    }

    /// The instant as wall-clock time in its zone.
    pub fn local(&self) -> DateTime<Tz> {
        self.instant.with_timezone(&self.zone)
    }

    /// The same zone, a different instant.
    pub const fn with_instant(&self, instant: DateTime<Utc>) -> Self {
        Self::new(instant, self.zone)
    }

    /// The same instant, a different zone.
    pub const fn with_zone(&self, zone: Tz) -> Self {
        Self::new(self.instant, zone)
    }

    /// The instant moved by `secs` seconds (saturating at chrono's range).
    pub fn plus_secs(&self, secs: i64) -> Self {
        let moved = TimeDelta::try_seconds(secs)
            .and_then(|d| self.instant.checked_add_signed(d))
            .unwrap_or(if secs < 0 {
                DateTime::<Utc>::MIN_UTC
            } else {
                DateTime::<Utc>::MAX_UTC
            });
        self.with_instant(moved)
    }

    /// True when the **UTC** clock reads 00:00:00 (the all-day rule of
    /// rules.md §2.6 checks UTC, not local time).
    pub fn is_utc_midnight(&self) -> bool {
        let t = self.instant.time();
        t.hour() == 0 && t.minute() == 0 && t.second() == 0 && t.nanosecond() == 0
    }
}

impl fmt::Display for DateTimeTz {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.instant.to_rfc3339(), self.zone.name())
    }
}

/// The wire form of [`DateTimeTz`].
#[derive(Serialize, Deserialize)]
struct Wire {
    datetime: DateTime<Utc>,
    timezone: String,
}

impl Serialize for DateTimeTz {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Wire {
            datetime: self.instant,
            timezone: self.zone.name().to_owned(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for DateTimeTz {
    /// Reads the wire form, dropping fractions of a second: calendar times
    /// have second precision (RFC 5545 DATE-TIME), and so do instance ids,
    /// so an occurrence starting at `08:00:00.250` could never be addressed
    /// by the id `…T080000Z` that listings write for it.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let wire = Wire::deserialize(d)?;
        DateTimeTz::from_parts(wire.datetime.trunc_subsecs(0), &wire.timezone)
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().expect("test instant")
    }

    #[test]
    fn zone_names_must_be_iana() {
        let check = |name: &str, ok: bool| assert_eq!(parse_zone(name).is_ok(), ok, "{name}");
        check("Europe/Berlin", true);
        check("Australia/Lord_Howe", true);
        check("UTC", true);
        check("europe/berlin", false);
        check("Mars/Olympus_Mons", false);
        check("", false);
    }

    #[test]
    fn wire_format_round_trips_and_rejects_unknown_zone() {
        let v = DateTimeTz::new(utc("2024-07-22T08:00:00Z"), Tz::Europe__Berlin);
        let json = serde_json::to_value(v).expect("serialize");
        assert_eq!(
            json,
            serde_json::json!({"datetime": "2024-07-22T08:00:00Z", "timezone": "Europe/Berlin"})
        );
        let back: DateTimeTz = serde_json::from_value(json).expect("deserialize");
        assert_eq!(back, v);
        let bad = serde_json::json!({"datetime": "2024-07-22T08:00:00Z", "timezone": "Nowhere"});
        assert!(serde_json::from_value::<DateTimeTz>(bad).is_err());
    }

    #[test]
    fn fractions_of_a_second_are_dropped_on_input() {
        let check = |wire: &str, want: &str| {
            let json = serde_json::json!({"datetime": wire, "timezone": "Europe/Berlin"});
            let read: DateTimeTz = serde_json::from_value(json).expect("deserialize");
            assert_eq!(read.instant(), utc(want), "{wire}");
        };
        check("2026-03-25T08:00:00.250Z", "2026-03-25T08:00:00Z");
        check("2026-03-25T08:00:00.999999999Z", "2026-03-25T08:00:00Z");
        check("2026-03-25T09:00:00.5+01:00", "2026-03-25T08:00:00Z");
        check("2026-03-25T08:00:00Z", "2026-03-25T08:00:00Z");
    }

    #[test]
    fn utc_midnight_is_checked_in_utc_not_local_time() {
        let check = |s: &str, zone: Tz, expect: bool| {
            assert_eq!(
                DateTimeTz::new(utc(s), zone).is_utc_midnight(),
                expect,
                "{s}"
            );
        };
        check("2024-07-22T00:00:00Z", Tz::Europe__Berlin, true);
        // Local midnight in Berlin is 22:00 UTC and does not count.
        check("2024-07-21T22:00:00Z", Tz::Europe__Berlin, false);
        check("2024-07-22T00:00:01Z", Tz::UTC, false);
    }

    #[test]
    fn local_conversion_and_sentinel() {
        let local = "2024-03-31T02:30:00"
            .parse::<NaiveDateTime>()
            .expect("naive");
        assert!(DateTimeTz::from_local(local, Tz::Europe__Berlin).is_none());
        let v = DateTimeTz::new(utc("2024-07-22T08:00:00Z"), Tz::Europe__Berlin);
        assert_eq!(v.local().format("%H:%M").to_string(), "10:00");
        assert_eq!(v.plus_secs(3600).instant(), utc("2024-07-22T09:00:00Z"));
        assert_eq!(
            unbounded_series_end().to_rfc3339(),
            "9999-12-31T23:59:59+00:00"
        );
    }
}
