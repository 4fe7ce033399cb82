//! `POST /events`: the shape check and the date and recurrence checks.

use super::{EventError, EventTimes, InvalidEvent, RecurringTimes, ShapeError, SingleTimes};
use crate::recurrence::{RecurrencePattern, Series};
use crate::time::DateTimeTz;

/// The time-related fields of a `POST /events` body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewEventTimes {
    /// `is_time_independent`.
    pub is_time_independent: bool,
    /// `is_all_day`.
    pub is_all_day: Option<bool>,
    /// `starts_at`.
    pub starts_at: Option<DateTimeTz>,
    /// `ends_at`.
    pub ends_at: Option<DateTimeTz>,
    /// `recurrence_pattern` (absent = empty).
    pub recurrence_pattern: Vec<String>,
}

/// Validates the times of a new event (rules.md §1, §2.2, §2.5, §2.6).
///
/// Order: the recurrence list limits (a body deserialization error
/// upstream, 400 `invalid_json`), then the shape (400 `bad_request`), then
/// the date and recurrence checks (422 `invalid_event`).
pub fn validate_new_event(input: &NewEventTimes) -> Result<EventTimes, EventError> {
    let pattern = match RecurrencePattern::parse(&input.recurrence_pattern) {
        Err(e) if e.is_shape_error() => return Err(EventError::InvalidJson(e)),
        other => other,
    };
    if input.is_time_independent {
        let has_times = input.is_all_day.is_some()
            || input.starts_at.is_some()
            || input.ends_at.is_some()
            || !input.recurrence_pattern.is_empty();
        if has_times {
            return Err(ShapeError::TimeIndependentWithTimes.into());
        }
        return Ok(EventTimes::TimeIndependent);
    }
    let (Some(is_all_day), Some(starts_at), Some(ends_at)) =
        (input.is_all_day, input.starts_at, input.ends_at)
    else {
        return Err(ShapeError::TimeDependentMissingTimes.into());
    };
    let first = SingleTimes {
        is_all_day,
        starts_at,
        ends_at,
    };
    check_dates(is_all_day, &starts_at, &ends_at)?;
    Ok(build_times(first, pattern?)?)
}

/// The date rules shared by events and exceptions: the end is not before the
/// start, and all-day times are 00:00:00 **UTC** (rules.md §2.5, §2.6).
pub fn check_dates(
    is_all_day: bool,
    starts_at: &DateTimeTz,
    ends_at: &DateTimeTz,
) -> Result<(), InvalidEvent> {
    if ends_at.instant() < starts_at.instant() {
        return Err(InvalidEvent::EndsBeforeStarts);
    }
    if is_all_day && !(starts_at.is_utc_midnight() && ends_at.is_utc_midnight()) {
        return Err(InvalidEvent::AllDayNotMidnight);
    }
    Ok(())
}

/// Builds the time-dependent shape from first-occurrence times that passed
/// [`check_dates`] and an optional pattern: a single event without one, a
/// series with one. For a series this validates the pattern against the
/// start, computes `duration_secs` and the stored `ends_at`.
pub fn build_times(
    first: SingleTimes,
    pattern: Option<RecurrencePattern>,
) -> Result<EventTimes, InvalidEvent> {
    let Some(pattern) = pattern else {
        return Ok(EventTimes::Single(first));
    };
    let duration = (first.ends_at.instant() - first.starts_at.instant()).num_seconds();
    if i32::try_from(duration).is_err() {
        return Err(InvalidEvent::DurationTooLong);
    }
    let series =
        Series::validated(first.starts_at, duration, pattern).map_err(InvalidEvent::Recurrence)?;
    let stored_ends_at = series.stored_ends_at();
    Ok(EventTimes::Recurring(Box::new(RecurringTimes {
        is_all_day: first.is_all_day,
        starts_at: first.starts_at,
        first_ends_at: first.ends_at,
        series,
        stored_ends_at,
    })))
}
