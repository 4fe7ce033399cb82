//! Instance PATCH: defaults, validation and the exception row to write.

use chrono::{DateTime, Utc};

use super::{EventException, EventExceptionKind};
use crate::event::{InvalidEvent, check_dates};
use crate::instance::{Instance, InstanceStatus, InstanceTemplate};
use crate::time::{DateTimeTz, Tz};

/// The body of `PATCH /events/{id}/instances/{instance_id}`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InstancePatch {
    /// New title.
    pub title: Option<String>,
    /// New description.
    pub description: Option<String>,
    /// New all-day flag.
    pub is_all_day: Option<bool>,
    /// New start.
    pub starts_at: Option<DateTimeTz>,
    /// New end.
    pub ends_at: Option<DateTimeTz>,
    /// `ok` (un-cancel / modify) or `cancelled`.
    pub status: Option<InstanceStatus>,
}

impl InstancePatch {
    /// An empty body answers 204 and changes nothing.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// The exception values to insert or update.
///
/// Only fields present in the patch are `Some`; on update the others stay as
/// they are (no field can be reset to NULL), on insert they are NULL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExceptionWrite {
    /// The resulting kind.
    pub kind: EventExceptionKind,
    /// `exception_date_tz` for a new row: the series' `starts_at_tz`.
    pub exception_date_tz: Tz,
    /// Title to write.
    pub title: Option<String>,
    /// Description to write.
    pub description: Option<String>,
    /// All-day flag to write.
    pub is_all_day: Option<bool>,
    /// Start to write.
    pub starts_at: Option<DateTimeTz>,
    /// End to write.
    pub ends_at: Option<DateTimeTz>,
}

/// Validates an instance patch and returns what to write (rules.md §5.6).
///
/// The caller has already checked that `instance_start` is an occurrence of
/// the series (404 otherwise) and that the patch is not empty (204).
///
/// Defaults for the date checks come from **that instance** (R-16):
/// * `is_all_day` = patch → existing exception → series;
/// * `starts_at` = patch → existing exception → the instance's own start;
/// * `ends_at` = patch → existing exception → the instance's own end.
pub fn resolve_instance_patch(
    template: &InstanceTemplate,
    instance_start: DateTime<Utc>,
    existing: Option<&EventException>,
    patch: &InstancePatch,
) -> Result<ExceptionWrite, InvalidEvent> {
    let own = Instance::plain(template, instance_start);
    let is_all_day = patch
        .is_all_day
        .or(existing.and_then(|e| e.is_all_day))
        .unwrap_or(template.is_all_day);
    let starts_at = patch
        .starts_at
        .or(existing.and_then(|e| e.starts_at))
        .unwrap_or(own.starts_at);
    let ends_at = patch
        .ends_at
        .or(existing.and_then(|e| e.ends_at))
        .unwrap_or(own.ends_at);
    check_dates(is_all_day, &starts_at, &ends_at)?;
    let kind = match (patch.status, existing) {
        (Some(InstanceStatus::Cancelled), _) => EventExceptionKind::Cancelled,
        (Some(InstanceStatus::Ok), _) | (None, None) => EventExceptionKind::Modified,
        (None, Some(e)) => e.kind,
    };
    Ok(ExceptionWrite {
        kind,
        exception_date_tz: template.starts_at_tz,
        title: patch.title.clone(),
        description: patch.description.clone(),
        is_all_day: patch.is_all_day,
        starts_at: patch.starts_at,
        ends_at: patch.ends_at,
    })
}
