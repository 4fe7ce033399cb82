//! Mapping [`EventTimes`] to and from the time columns of the `events` row.

use chrono::{DateTime, Utc};

use super::{EventTimes, RecurringTimes, SingleTimes};
use crate::recurrence::{RecurrencePattern, Series};
use crate::time::DateTimeTz;

/// The time columns of an `events` row (schema.md), as stored.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EventTimeColumns {
    /// `is_time_independent`.
    pub is_time_independent: bool,
    /// `is_all_day`.
    pub is_all_day: Option<bool>,
    /// `starts_at`.
    pub starts_at: Option<DateTime<Utc>>,
    /// `starts_at_tz`.
    pub starts_at_tz: Option<String>,
    /// `ends_at`: the event's end, or for a series the stored end.
    pub ends_at: Option<DateTime<Utc>>,
    /// `ends_at_tz`.
    pub ends_at_tz: Option<String>,
    /// `duration_secs` (series only).
    pub duration_secs: Option<i32>,
    /// `is_recurring` (NULL for time-independent events).
    pub is_recurring: Option<bool>,
    /// `recurrence_pattern`: the lines joined with `\n`.
    pub recurrence_pattern: Option<String>,
}

/// A stored row whose time columns match none of the three shapes.
/// The service logs it and answers 500 without panicking.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("inconsistent event time columns: {0}")]
pub struct DataIntegrityError(pub String);

impl EventTimes {
    /// The columns to store (rules.md §1 table).
    pub fn to_columns(&self) -> EventTimeColumns {
        match self {
            Self::TimeIndependent => EventTimeColumns {
                is_time_independent: true,
                ..EventTimeColumns::default()
            },
            Self::Single(s) => EventTimeColumns {
                is_all_day: Some(s.is_all_day),
                starts_at: Some(s.starts_at.instant()),
                starts_at_tz: Some(s.starts_at.zone_name().to_owned()),
                ends_at: Some(s.ends_at.instant()),
                ends_at_tz: Some(s.ends_at.zone_name().to_owned()),
                is_recurring: Some(false),
                ..EventTimeColumns::default()
            },
            Self::Recurring(r) => EventTimeColumns {
                is_all_day: Some(r.is_all_day),
                starts_at: Some(r.starts_at.instant()),
                starts_at_tz: Some(r.starts_at.zone_name().to_owned()),
                ends_at: Some(r.stored_ends_at),
                ends_at_tz: Some(r.first_ends_at.zone_name().to_owned()),
                duration_secs: i32::try_from(r.series.duration_secs()).ok(),
                is_recurring: Some(true),
                recurrence_pattern: Some(r.series.pattern().to_stored()),
                ..EventTimeColumns::default()
            },
        }
    }

    /// Reads stored columns back. A row that fits no shape, or has an
    /// unknown zone or an unparseable pattern, is a [`DataIntegrityError`].
    /// The stored `ends_at` of a series is taken as it is, not recomputed.
    pub fn from_columns(c: &EventTimeColumns) -> Result<Self, DataIntegrityError> {
        let bad = |what: &str| DataIntegrityError(what.to_owned());
        if c.is_time_independent {
            return Ok(Self::TimeIndependent);
        }
        let (Some(is_all_day), Some(start), Some(start_tz), Some(end), Some(end_tz)) = (
            c.is_all_day,
            c.starts_at,
            c.starts_at_tz.as_deref(),
            c.ends_at,
            c.ends_at_tz.as_deref(),
        ) else {
            return Err(bad("time-dependent event without all time columns"));
        };
        let starts_at = DateTimeTz::from_parts(start, start_tz).map_err(|e| bad(&e.to_string()))?;
        let ends_zone = DateTimeTz::from_parts(end, end_tz).map_err(|e| bad(&e.to_string()))?;
        if c.is_recurring != Some(true) {
            return Ok(Self::Single(SingleTimes {
                is_all_day,
                starts_at,
                ends_at: ends_zone,
            }));
        }
        let (Some(duration), Some(text)) = (c.duration_secs, c.recurrence_pattern.as_deref())
        else {
            return Err(bad("recurring event without duration or pattern"));
        };
        let pattern = RecurrencePattern::from_stored(text)
            .map_err(|e| bad(&format!("stored pattern: {e:?}")))?
            .ok_or_else(|| bad("recurring event with an empty pattern"))?;
        let series = Series::new(starts_at, i64::from(duration), pattern)
            .map_err(|e| bad(&format!("stored pattern: {e:?}")))?;
        Ok(Self::Recurring(Box::new(RecurringTimes {
            is_all_day,
            starts_at,
            first_ends_at: starts_at
                .plus_secs(i64::from(duration))
                .with_zone(ends_zone.zone()),
            series,
            stored_ends_at: end,
        })))
    }
}
