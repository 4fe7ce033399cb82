//! Which exceptions survive a change of the series.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use super::EventException;
use crate::event::EventTimes;
use crate::ids::EventExceptionId;
use crate::time::Tz;

/// What to do with a series' exceptions after its times changed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExceptionPlan {
    /// Exceptions to delete.
    pub delete: Vec<EventExceptionId>,
    /// Exceptions to keep.
    pub keep: Vec<EventExceptionId>,
    /// When set, every kept exception gets this `exception_date_tz` (the new
    /// `starts_at_tz`).
    pub rewrite_tz: Option<Tz>,
}

/// Decides the fate of `exceptions` when the event's times go from `old` to
/// `new`.
///
/// * The time grid did not change (see [`EventTimes::grid_changed`]; a new
///   `ends_at` alone does not count): everything is kept as it is.
/// * The grid changed and the event is still recurring: exceptions whose
///   `exception_date` is an occurrence of the new series are kept and get the
///   new zone; the others are deleted.
/// * The event is no longer recurring: all are deleted.
pub fn surviving_exceptions(
    old: &EventTimes,
    new: &EventTimes,
    exceptions: &[EventException],
) -> ExceptionPlan {
    let ids = |pred: &dyn Fn(&EventException) -> bool| -> Vec<EventExceptionId> {
        exceptions
            .iter()
            .filter(|e| pred(e))
            .map(|e| e.id)
            .collect()
    };
    if !old.grid_changed(new) {
        return ExceptionPlan {
            keep: ids(&|_| true),
            ..ExceptionPlan::default()
        };
    }
    let EventTimes::Recurring(recurring) = new else {
        return ExceptionPlan {
            delete: ids(&|_| true),
            ..ExceptionPlan::default()
        };
    };
    let on_grid = occurrences_among(
        recurring.series.occurrences(),
        exceptions.iter().map(|e| e.exception_date),
    );
    ExceptionPlan {
        delete: ids(&|e| !on_grid.contains(&e.exception_date)),
        keep: ids(&|e| on_grid.contains(&e.exception_date)),
        rewrite_tz: Some(recurring.series.zone()),
    }
}

/// The subset of `wanted` that `occurrences` (increasing) contains, found in
/// one pass that stops after the latest wanted instant.
fn occurrences_among(
    occurrences: impl Iterator<Item = DateTime<Utc>>,
    wanted: impl Iterator<Item = DateTime<Utc>>,
) -> BTreeSet<DateTime<Utc>> {
    let wanted: BTreeSet<_> = wanted.collect();
    let Some(&latest) = wanted.last() else {
        return BTreeSet::new();
    };
    occurrences
        .take_while(|o| *o <= latest)
        .filter(|o| wanted.contains(o))
        .collect()
}
