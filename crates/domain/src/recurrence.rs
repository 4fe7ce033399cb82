//! Recurrence patterns (RFC 5545 RRULE/EXDATE/RDATE/EXRULE): parsing, validation and expansion.
//!
//! The flow is always the same (rules.md §2, R-2, R-4):
//!
//! 1. [`RecurrencePattern::parse`] checks the submitted lines: the list and
//!    byte limits, the allowed line kinds and their syntax.
//! 2. [`Series::new`] builds the one rule set used everywhere: DTSTART is the
//!    series start as wall-clock time in its zone, followed by every line.
//! 3. [`Series`] expands occurrences in that zone (wall-clock time is kept
//!    across DST), finds the last occurrence of a bounded series and computes
//!    the stored `ends_at`.
//!
//! Every iteration is capped ([`MAX_ITERATIONS`]), because the underlying
//! iterator is unbounded and patterns are user input.

mod pattern;
mod series;
mod window;

pub use pattern::{LineKind, RecurrencePattern};
pub use series::{Occurrences, Series};
pub use window::{Occurrence, TimeWindow};

/// Most entries in a pattern (rules.md §2.1).
pub const MAX_RULES: usize = 4;
/// Most bytes in one entry (rules.md §2.1).
pub const MAX_RULE_BYTES: usize = 1024;
/// Most bytes of the joined pattern, the width of `events.recurrence_pattern`.
pub const MAX_PATTERN_BYTES: usize = 4094;
/// Most occurrences iterated for one computation (rules.md §2.4).
pub const MAX_ITERATIONS: usize = 36_525;
/// A rule with `COUNT` below this bounds the series (rules.md §2.4).
pub const BOUNDED_COUNT: u32 = 1000;
/// A rule whose `UNTIL` is at most this many days after the start bounds the series.
pub const BOUNDED_UNTIL_DAYS: i64 = 36_525;
/// Occurrences starting more than this many years after *now* are not listed.
pub const LISTING_HORIZON_YEARS: i32 = 40;

/// Why a recurrence pattern was refused.
///
/// [`RecurrenceError::is_shape_error`] tells the two groups apart: shape
/// errors are deserialization failures in the API (400 `invalid_json`), the
/// rest are 422 `invalid_event` with [`RecurrenceError::message`] as message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecurrenceError {
    /// More than [`MAX_RULES`] entries.
    #[error("recurrence_pattern must not have more than 4 entries (got {count})")]
    TooManyRules {
        /// Number of entries submitted.
        count: usize,
    },
    /// An entry longer than [`MAX_RULE_BYTES`].
    #[error("recurrence rule {index} is longer than 1024 bytes")]
    RuleTooLong {
        /// Zero-based position of the entry.
        index: usize,
    },
    /// The joined pattern exceeds [`MAX_PATTERN_BYTES`].
    #[error("recurrence_pattern is too long")]
    TooLong,
    /// The set does not parse, or a line is not allowed; `reason` is for logs.
    #[error("Invalid recurrence pattern")]
    Invalid {
        /// What was wrong, for logs only.
        reason: String,
    },
    /// A `DTSTART` line in the pattern.
    #[error("Invalid recurrence pattern")]
    StartLine,
    /// A rule with HOURLY, MINUTELY or SECONDLY frequency.
    #[error("Frequencies below 'DAILY' are not supported")]
    SubDaily,
    /// A bounded pattern yields no dates at all.
    #[error("recurrence_pattern does not yield any dates")]
    NoDates,
}

impl RecurrenceError {
    /// The message the API shows; equal to the `Display` text.
    pub fn message(&self) -> String {
        self.to_string()
    }

    /// True for the list-shape limits, which the API reports as a body
    /// deserialization error (400 `invalid_json`) rather than 422.
    pub fn is_shape_error(&self) -> bool {
        matches!(self, Self::TooManyRules { .. } | Self::RuleTooLong { .. })
    }

    pub(crate) fn invalid(reason: impl ToString) -> Self {
        Self::Invalid {
            reason: reason.to_string(),
        }
    }
}

#[cfg(test)]
mod tests;
