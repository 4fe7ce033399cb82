//! Errors of event validation, as plain domain values (no HTTP).

use crate::recurrence::RecurrenceError;

/// A wrong shape in `POST /events` (400 `bad_request`, rules.md §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ShapeError {
    /// `is_time_independent: true` with time or recurrence fields.
    #[error(
        "time independent events must not have is_all_day, starts_at, ends_at or recurrence_pattern set"
    )]
    TimeIndependentWithTimes,
    /// `is_time_independent: false` without all of the time fields. The text
    /// mentions title and description although they are checked elsewhere;
    /// clients may match it, so it is kept.
    #[error(
        "time dependent events must have title, description, is_all_day, starts_at and ends_at set"
    )]
    TimeDependentMissingTimes,
}

/// A date or recurrence error (422 `invalid_event`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidEvent {
    /// `ends_at` is earlier than `starts_at`.
    #[error("ends_at must not be before starts_at")]
    EndsBeforeStarts,
    /// An all-day event whose start or end is not 00:00:00 UTC.
    #[error("is_all_day requires starts_at/ends_at to be set at the start of the day")]
    AllDayNotMidnight,
    /// The first occurrence lasts longer than `duration_secs` (i32) can hold.
    #[error("the event duration is too long")]
    DurationTooLong,
    /// A recurrence error (other than a list-shape limit).
    #[error("{0}")]
    Recurrence(RecurrenceError),
}

/// Entry codes inside a 422 `validation_failed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValidationCode {
    /// A field the request must contain is missing.
    ValueRequired,
    /// A field the request must not contain is present.
    IgnoredValue,
    /// A field has an invalid value.
    InvalidValue,
}

impl ValidationCode {
    /// The wire string.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::ValueRequired => "value_required",
            Self::IgnoredValue => "ignored_value",
            Self::InvalidValue => "invalid_value",
        }
    }
}

/// One entry of a 422 `validation_failed`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The body field.
    pub field: &'static str,
    /// What is wrong with it.
    pub code: ValidationCode,
    /// Optional human-readable text.
    pub message: Option<&'static str>,
}

impl FieldError {
    /// A `value_required` entry.
    pub const fn required(field: &'static str) -> Self {
        Self {
            field,
            code: ValidationCode::ValueRequired,
            message: Some("Value is required in this request"),
        }
    }

    /// An `ignored_value` entry (rules.md §3).
    pub const fn ignored(field: &'static str) -> Self {
        Self {
            field,
            code: ValidationCode::IgnoredValue,
            message: Some("Value would be ignored in this request"),
        }
    }
}

/// Every way event validation can fail.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EventError {
    /// 400 `bad_request` with the shape message.
    #[error(transparent)]
    BadRequest(#[from] ShapeError),
    /// 400 `invalid_json`: the recurrence list broke the 4 × 1024 limits,
    /// which upstream rejects while deserializing the body.
    #[error("{0}")]
    InvalidJson(RecurrenceError),
    /// 422 `invalid_event`.
    #[error(transparent)]
    InvalidEvent(#[from] InvalidEvent),
    /// 422 `validation_failed` with one entry per field.
    #[error("Some provided values are invalid")]
    ValidationFailed(Vec<FieldError>),
}

impl EventError {
    /// The API error `code` string.
    pub const fn code(&self) -> &'static str {
        match self {
            Self::BadRequest(_) => "bad_request",
            Self::InvalidJson(_) => "invalid_json",
            Self::InvalidEvent(_) => "invalid_event",
            Self::ValidationFailed(_) => "validation_failed",
        }
    }

    /// The API error message.
    pub fn message(&self) -> String {
        self.to_string()
    }
}

impl From<RecurrenceError> for EventError {
    fn from(e: RecurrenceError) -> Self {
        if e.is_shape_error() {
            Self::InvalidJson(e)
        } else {
            Self::InvalidEvent(InvalidEvent::Recurrence(e))
        }
    }
}
