//! `PATCH /events/{id}`: shape conversions and the time fields (rules.md §3, §4.2).

use super::{EventError, EventTimes, FieldError, SingleTimes, build_times, check_dates};
use crate::recurrence::RecurrencePattern;
use crate::time::DateTimeTz;

/// `recurrence_pattern` in a PATCH: absent leaves the recurrence as it
/// is; `null` or `[]` clears it; a non-empty list replaces it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum PatternPatch {
    /// Field not in the body.
    #[default]
    Absent,
    /// `null` or `[]`.
    Clear,
    /// A list of rules (an empty list behaves like [`PatternPatch::Clear`]).
    Set(Vec<String>),
}

/// The time-related fields of a `PATCH /events/{id}` body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventTimesPatch {
    /// `is_time_independent`.
    pub is_time_independent: Option<bool>,
    /// `is_all_day`.
    pub is_all_day: Option<bool>,
    /// `starts_at`.
    pub starts_at: Option<DateTimeTz>,
    /// `ends_at`.
    pub ends_at: Option<DateTimeTz>,
    /// `recurrence_pattern`.
    pub recurrence_pattern: PatternPatch,
}

/// The outcome of [`apply_times_patch`].
#[derive(Debug, Clone, PartialEq)]
pub struct PatchedTimes {
    /// The event's times after the patch.
    pub times: EventTimes,
    /// True when the time columns must be rewritten; false when no date or
    /// recurrence field was present and they stay untouched.
    pub rewrite_columns: bool,
}

/// Applies the time fields of a PATCH to the stored times (rules.md §4.2
/// steps 4–5). Exceptions are decided separately with
/// [`crate::exception::surviving_exceptions`].
///
/// * Target time-independent (the patch says so, or the event is and the
///   patch does not say otherwise): `is_all_day`, `starts_at` and `ends_at`
///   must be absent (422 `ignored_value` entries); a pattern is ignored.
/// * Time-independent → time-dependent: all three must be present, else one
///   `value_required` entry per **missing** field.
/// * Time-dependent: absent fields keep their stored values, `ends_at`
///   meaning the first occurrence's end, and the pattern follows R-9.
pub fn apply_times_patch(
    current: &EventTimes,
    patch: &EventTimesPatch,
) -> Result<PatchedTimes, EventError> {
    if let PatternPatch::Set(lines) = &patch.recurrence_pattern {
        // The list limits are a body deserialization error, checked first.
        if let Err(e) = RecurrencePattern::parse(lines).map(|_| ())
            && e.is_shape_error()
        {
            return Err(EventError::InvalidJson(e));
        }
    }
    let target_ti = patch
        .is_time_independent
        .unwrap_or(current.is_time_independent());
    if target_ti {
        return to_time_independent(current, patch);
    }
    let (first, stored_pattern) = match current {
        EventTimes::TimeIndependent => (required_times(patch)?, None),
        EventTimes::Single(single) => (*single, None),
        EventTimes::Recurring(r) => (
            SingleTimes {
                is_all_day: r.is_all_day,
                starts_at: r.starts_at,
                ends_at: r.first_ends_at,
            },
            Some(r.series.pattern().clone()),
        ),
    };
    let touches_times = patch.is_all_day.is_some()
        || patch.starts_at.is_some()
        || patch.ends_at.is_some()
        || patch.recurrence_pattern != PatternPatch::Absent;
    if !current.is_time_independent() && !touches_times {
        return Ok(PatchedTimes {
            times: current.clone(),
            rewrite_columns: false,
        });
    }
    let first = SingleTimes {
        is_all_day: patch.is_all_day.unwrap_or(first.is_all_day),
        starts_at: patch.starts_at.unwrap_or(first.starts_at),
        ends_at: patch.ends_at.unwrap_or(first.ends_at),
    };
    let pattern = match &patch.recurrence_pattern {
        // A conversion from time-independent takes the pattern only from the patch.
        PatternPatch::Absent => stored_pattern,
        PatternPatch::Clear => None,
        PatternPatch::Set(lines) => RecurrencePattern::parse(lines)?,
    };
    check_dates(first.is_all_day, &first.starts_at, &first.ends_at)?;
    Ok(PatchedTimes {
        times: build_times(first, pattern)?,
        rewrite_columns: true,
    })
}

fn to_time_independent(
    current: &EventTimes,
    patch: &EventTimesPatch,
) -> Result<PatchedTimes, EventError> {
    let present = [
        ("is_all_day", patch.is_all_day.is_some()),
        ("starts_at", patch.starts_at.is_some()),
        ("ends_at", patch.ends_at.is_some()),
    ];
    let errors: Vec<FieldError> = present
        .into_iter()
        .filter(|(_, is_present)| *is_present)
        .map(|(field, _)| FieldError::ignored(field))
        .collect();
    if !errors.is_empty() {
        return Err(EventError::ValidationFailed(errors));
    }
    Ok(PatchedTimes {
        times: EventTimes::TimeIndependent,
        rewrite_columns: !current.is_time_independent(),
    })
}

/// The three fields a conversion to time-dependent needs.
fn required_times(patch: &EventTimesPatch) -> Result<SingleTimes, EventError> {
    match (patch.is_all_day, patch.starts_at, patch.ends_at) {
        (Some(is_all_day), Some(starts_at), Some(ends_at)) => Ok(SingleTimes {
            is_all_day,
            starts_at,
            ends_at,
        }),
        _ => {
            let missing = [
                ("is_all_day", patch.is_all_day.is_none()),
                ("starts_at", patch.starts_at.is_none()),
                ("ends_at", patch.ends_at.is_none()),
            ];
            Err(EventError::ValidationFailed(
                missing
                    .into_iter()
                    .filter(|(_, is_missing)| *is_missing)
                    .map(|(field, _)| FieldError::required(field))
                    .collect(),
            ))
        }
    }
}
