//! Event shapes and validation.
//!
//! An event has exactly one of three shapes (rules.md §1), modelled by
//! [`EventTimes`] so that no other combination of time columns can be built
//! . [`validate_new_event`] checks a `POST /events` body,
//! [`apply_times_patch`] a `PATCH /events/{id}`, and
//! [`EventTimes::to_columns`] / [`EventTimes::from_columns`] map to and from
//! the `events` row.

mod columns;
mod create;
mod error;
mod instances;
mod patch;

pub use columns::{DataIntegrityError, EventTimeColumns};
pub use create::{NewEventTimes, build_times, check_dates, validate_new_event};
pub use error::{EventError, FieldError, InvalidEvent, ShapeError, ValidationCode};
pub use patch::{EventTimesPatch, PatchedTimes, PatternPatch, apply_times_patch};

use chrono::{DateTime, Utc};

use crate::instance::InstanceTemplate;
use crate::recurrence::Series;
use crate::time::DateTimeTz;

/// The validated times of an event, one variant per shape (rules.md §1).
#[derive(Debug, Clone, PartialEq)]
pub enum EventTimes {
    /// No times at all.
    TimeIndependent,
    /// A single time-dependent event.
    Single(SingleTimes),
    /// A recurring series (boxed: it carries the parsed rule set).
    Recurring(Box<RecurringTimes>),
}

/// Times of a single event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SingleTimes {
    /// All-day flag.
    pub is_all_day: bool,
    /// Start.
    pub starts_at: DateTimeTz,
    /// End (never before the start).
    pub ends_at: DateTimeTz,
}

/// Times of a recurring series.
#[derive(Debug, Clone, PartialEq)]
pub struct RecurringTimes {
    /// All-day flag.
    pub is_all_day: bool,
    /// Start of the first occurrence (DTSTART) and `starts_at_tz`.
    pub starts_at: DateTimeTz,
    /// End of the first occurrence, in `ends_at_tz`; what the API shows as
    /// `ends_at` (rules.md §2.5).
    pub first_ends_at: DateTimeTz,
    /// The series (pattern, zone and duration).
    pub series: Series,
    /// The stored `events.ends_at`: end of the last occurrence or the
    /// unbounded sentinel.
    pub stored_ends_at: DateTime<Utc>,
}

impl RecurringTimes {
    /// The values instances are built from.
    pub fn instance_template(&self) -> InstanceTemplate {
        InstanceTemplate {
            starts_at_tz: self.starts_at.zone(),
            ends_at_tz: self.first_ends_at.zone(),
            duration_secs: self.series.duration_secs(),
            is_all_day: self.is_all_day,
        }
    }
}

impl EventTimes {
    /// True for the time-independent shape.
    pub fn is_time_independent(&self) -> bool {
        matches!(self, Self::TimeIndependent)
    }

    /// True for a recurring series.
    pub fn is_recurring(&self) -> bool {
        matches!(self, Self::Recurring(_))
    }

    /// `is_all_day`, `starts_at` and the first occurrence's end, the values a
    /// PATCH starts from (rules.md §4.2 step 5); `None` when time-independent.
    pub fn first_occurrence(&self) -> Option<SingleTimes> {
        match self {
            Self::TimeIndependent => None,
            Self::Single(single) => Some(*single),
            Self::Recurring(r) => Some(SingleTimes {
                is_all_day: r.is_all_day,
                starts_at: r.starts_at,
                ends_at: r.first_ends_at,
            }),
        }
    }

    /// True when going from `self` to `other` moves the time grid of the
    /// series: the shape, `starts_at`, `starts_at_tz`, the pattern or
    /// `is_all_day` changed. A change of `ends_at` alone does not count.
    pub fn grid_changed(&self, other: &EventTimes) -> bool {
        match (self, other) {
            (Self::TimeIndependent, Self::TimeIndependent) => false,
            (Self::Single(a), Self::Single(b)) => {
                a.starts_at != b.starts_at || a.is_all_day != b.is_all_day
            }
            (Self::Recurring(a), Self::Recurring(b)) => {
                a.starts_at != b.starts_at
                    || a.is_all_day != b.is_all_day
                    || a.series.pattern() != b.series.pattern()
            }
            _ => true,
        }
    }
}

#[cfg(test)]
mod tests;
