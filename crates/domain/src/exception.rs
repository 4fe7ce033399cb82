//! Per-occurrence exceptions of recurring events.
//!
//! * [`merge_exceptions`] applies exceptions to generated occurrences by key
//!   (`exception_date`), so row order never matters and the
//!   exception's `is_all_day` is shown when set.
//! * [`surviving_exceptions`] decides which exceptions a series change keeps
//!
//! * [`resolve_instance_patch`] validates an instance PATCH against that
//!   instance's own times.

mod patch;
mod survive;

pub use patch::{ExceptionWrite, InstancePatch, resolve_instance_patch};
pub use survive::{ExceptionPlan, surviving_exceptions};

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::ids::{EventExceptionId, UserId};
use crate::instance::{ExceptionStamp, Instance, InstanceStatus, InstanceTemplate};
use crate::time::{DateTimeTz, Tz};

crate::sql_label_enum! {
    /// `event_exception_kind`.
    pub enum EventExceptionKind {
        /// The occurrence is changed.
        Modified = "modified",
        /// The occurrence is cancelled.
        Cancelled = "cancelled",
    }
}

impl EventExceptionKind {
    /// The instance `status` this kind shows as.
    pub const fn status(self) -> InstanceStatus {
        match self {
            Self::Modified => InstanceStatus::Ok,
            Self::Cancelled => InstanceStatus::Cancelled,
        }
    }
}

/// An `event_exceptions` row in domain terms (rules.md §5.5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventException {
    /// Row id.
    pub id: EventExceptionId,
    /// Original UTC start of the occurrence (equals the instance id).
    pub exception_date: DateTime<Utc>,
    /// The series' `starts_at_tz` when the exception was written.
    pub exception_date_tz: Tz,
    /// `modified` or `cancelled`.
    pub kind: EventExceptionKind,
    /// Title override.
    pub title: Option<String>,
    /// Description override.
    pub description: Option<String>,
    /// All-day override.
    pub is_all_day: Option<bool>,
    /// Start override.
    pub starts_at: Option<DateTimeTz>,
    /// End override.
    pub ends_at: Option<DateTimeTz>,
    /// Creator, shown as `updated_by`.
    pub created_by: UserId,
    /// Creation time, shown as `updated_at`.
    pub created_at: DateTime<Utc>,
}

impl EventException {
    /// Applies this exception to an instance (rules.md §5.4): each override
    /// replaces its field individually, `is_all_day` included.
    pub fn apply_to(&self, instance: &mut Instance) {
        instance.updated = Some(ExceptionStamp {
            by: self.created_by,
            at: self.created_at,
        });
        instance.status = self.kind.status();
        if let Some(title) = &self.title {
            instance.title = Some(title.clone());
        }
        if let Some(description) = &self.description {
            instance.description = Some(description.clone());
        }
        if let Some(starts_at) = self.starts_at {
            instance.starts_at = starts_at;
        }
        if let Some(ends_at) = self.ends_at {
            instance.ends_at = ends_at;
        }
        if let Some(is_all_day) = self.is_all_day {
            instance.is_all_day = is_all_day;
        }
    }
}

/// Exceptions keyed by `exception_date`.
///
/// Two rows can share a date when their `exception_date_tz` differs (the
/// unique key includes the zone). The one in the series zone wins, then the
/// newest, then the highest id, so the choice never depends on row order.
#[derive(Debug, Clone, Default)]
pub struct ExceptionIndex<'a> {
    by_date: HashMap<DateTime<Utc>, &'a EventException>,
}

impl<'a> ExceptionIndex<'a> {
    /// Indexes `exceptions` for a series expanded in `series_zone`.
    pub fn new(exceptions: &'a [EventException], series_zone: Tz) -> Self {
        let rank = |e: &EventException| (e.exception_date_tz == series_zone, e.created_at, e.id);
        let mut by_date: HashMap<DateTime<Utc>, &'a EventException> =
            HashMap::with_capacity(exceptions.len());
        for exception in exceptions {
            by_date
                .entry(exception.exception_date)
                .and_modify(|kept| {
                    if rank(exception) > rank(kept) {
                        *kept = exception;
                    }
                })
                .or_insert(exception);
        }
        Self { by_date }
    }

    /// The exception for the occurrence starting at `start`, if any.
    pub fn get(&self, start: DateTime<Utc>) -> Option<&'a EventException> {
        self.by_date.get(&start).copied()
    }

    /// All indexed exceptions (one per date), in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = &'a EventException> + '_ {
        self.by_date.values().copied()
    }

    /// The instance for `start` with its exception applied.
    pub fn instance(&self, template: &InstanceTemplate, start: DateTime<Utc>) -> Instance {
        let mut instance = Instance::plain(template, start);
        if let Some(exception) = self.get(start) {
            exception.apply_to(&mut instance);
        }
        instance
    }
}

/// Builds the instances for the given occurrence starts and applies the
/// matching exceptions by key. The result follows the order of `occurrences`;
/// the order of `exceptions` is irrelevant.
pub fn merge_exceptions(
    template: &InstanceTemplate,
    occurrences: impl IntoIterator<Item = DateTime<Utc>>,
    exceptions: &[EventException],
) -> Vec<Instance> {
    let index = ExceptionIndex::new(exceptions, template.starts_at_tz);
    occurrences
        .into_iter()
        .map(|start| index.instance(template, start))
        .collect()
}

#[cfg(test)]
mod tests;
