//! Instances of recurring events and their ids.
//!
//! An instance is identified by its event and the **original** UTC start the
//! rule generated (rules.md §5.1); an exception never changes the id. Ids are
//! written as `YYYYMMDDTHHMMSSZ` and read in three forms.

mod id;
mod listing;

pub use id::{CombinedInstanceId, InstanceId, InvalidInstanceId};
pub use listing::{InstanceQuery, list_instances};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::UserId;
use crate::time::{DateTimeTz, Tz};

/// The series values every instance starts from (rules.md §5.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InstanceTemplate {
    /// `starts_at_tz` of the series.
    pub starts_at_tz: Tz,
    /// `ends_at_tz` of the series.
    pub ends_at_tz: Tz,
    /// `duration_secs` of the series.
    pub duration_secs: i64,
    /// `is_all_day` of the series.
    pub is_all_day: bool,
}

/// `status` of an instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstanceStatus {
    /// Takes place (no exception, or a `modified` one).
    Ok,
    /// Cancelled by a `cancelled` exception.
    Cancelled,
}

/// Who last changed an instance: an exception's `created_by`/`created_at`,
/// which the API shows as `updated_by`/`updated_at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExceptionStamp {
    /// The exception's creator.
    pub by: UserId,
    /// The exception's creation time.
    pub at: DateTime<Utc>,
}

/// One occurrence as the API shows it, with its exception applied.
///
/// Fields the series provides unchanged (room, invitees, …) are not here;
/// `title` and `description` are `Some` only when an exception overrides them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instance {
    /// The original start.
    pub id: InstanceId,
    /// Effective start.
    pub starts_at: DateTimeTz,
    /// Effective end.
    pub ends_at: DateTimeTz,
    /// Effective all-day flag (R-15: the exception's value when set).
    pub is_all_day: bool,
    /// `ok` or `cancelled`.
    pub status: InstanceStatus,
    /// Title override from an exception.
    pub title: Option<String>,
    /// Description override from an exception.
    pub description: Option<String>,
    /// Set when an exception applies.
    pub updated: Option<ExceptionStamp>,
}

impl Instance {
    /// The occurrence starting at `start` without any exception: the start in
    /// `starts_at_tz`, the end `duration_secs` later in `ends_at_tz`.
    pub fn plain(template: &InstanceTemplate, start: DateTime<Utc>) -> Self {
        let starts_at = DateTimeTz::new(start, template.starts_at_tz);
        let ends_at = starts_at
            .plus_secs(template.duration_secs)
            .with_zone(template.ends_at_tz);
        Self {
            id: InstanceId::new(start),
            starts_at,
            ends_at,
            is_all_day: template.is_all_day,
            status: InstanceStatus::Ok,
            title: None,
            description: None,
            updated: None,
        }
    }

    /// The single instance of a single (non-recurring) time-dependent event
    /// (api.md A-12): its id is the event's start, its times the event's own.
    pub fn single(starts_at: DateTimeTz, ends_at: DateTimeTz, is_all_day: bool) -> Self {
        Self {
            id: InstanceId::new(starts_at.instant()),
            starts_at,
            ends_at,
            is_all_day,
            status: InstanceStatus::Ok,
            title: None,
            description: None,
            updated: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_instance_uses_series_zones_and_duration() {
        let template = InstanceTemplate {
            starts_at_tz: Tz::Europe__Berlin,
            ends_at_tz: Tz::America__New_York,
            duration_secs: 5400,
            is_all_day: false,
        };
        let start: DateTime<Utc> = "2024-07-29T08:00:00Z".parse().expect("instant");
        let i = Instance::plain(&template, start);
        assert_eq!(i.id.to_string(), "20240729T080000Z");
        assert_eq!(i.starts_at, DateTimeTz::new(start, Tz::Europe__Berlin));
        let end: DateTime<Utc> = "2024-07-29T09:30:00Z".parse().expect("instant");
        assert_eq!(i.ends_at, DateTimeTz::new(end, Tz::America__New_York));
        assert_eq!(i.status, InstanceStatus::Ok);
        assert_eq!(
            serde_json::to_value(InstanceStatus::Cancelled).ok(),
            Some("cancelled".into())
        );
    }

    #[test]
    fn a12_single_event_has_one_instance_at_its_start() {
        let s: DateTime<Utc> = "2024-07-29T08:00:00Z".parse().expect("instant");
        let e: DateTime<Utc> = "2024-07-29T09:00:00Z".parse().expect("instant");
        let i = Instance::single(
            DateTimeTz::new(s, Tz::UTC),
            DateTimeTz::new(e, Tz::UTC),
            false,
        );
        assert_eq!(i.id.instant(), s);
        assert_eq!(i.ends_at.instant(), e);
    }
}
