//! The body of `PATCH /events/{id}` (api.md §7.8): every field optional;
//! `password`, `recurrence_pattern` and `training_participation_report`
//! tell absent (unchanged) from `null` (clear).

use conclave_domain::event::{EventTimesPatch, PatternPatch};
use conclave_domain::room::RoomPassword;
use conclave_domain::text::{Description, Title};
use conclave_domain::time::DateTimeTz;
use serde::{Deserialize, Deserializer};
use utoipa::ToSchema;

use super::TrainingParticipationReportParameterSet;
use crate::dto::streaming::StreamingTarget;

/// `PATCH /events/{id}`; absent fields stay unchanged.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct PatchEventBody {
    /// New title.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub title: Option<Title>,
    /// New description.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub description: Option<Description>,
    /// Absent = unchanged, `null` = clear, string = set.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub password: Option<Option<RoomPassword>>,
    /// New waiting room flag.
    #[serde(default)]
    pub waiting_room: Option<bool>,
    /// New end-to-end encryption flag.
    #[serde(default)]
    pub e2e_encryption: Option<bool>,
    /// New ad-hoc flag.
    #[serde(default)]
    pub is_adhoc: Option<bool>,
    /// Shape change.
    #[serde(default)]
    pub is_time_independent: Option<bool>,
    /// New all-day flag.
    #[serde(default)]
    pub is_all_day: Option<bool>,
    /// New start.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub starts_at: Option<DateTimeTz>,
    /// New end (of the first occurrence).
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub ends_at: Option<DateTimeTz>,
    /// Absent = unchanged, `null` or `[]` = clear, list = replace.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Vec<String>>)]
    pub recurrence_pattern: Option<Option<Vec<String>>>,
    /// Replaces all streaming targets.
    #[serde(default)]
    pub streaming_targets: Option<Vec<StreamingTarget>>,
    /// New meeting-details flag.
    #[serde(default)]
    pub show_meeting_details: Option<bool>,
    /// Create (`true`) or delete (`false`) the shared folder.
    #[serde(default)]
    pub has_shared_folder: Option<bool>,
    /// Absent = unchanged, `null` = delete, object = set.
    #[serde(default, deserialize_with = "double_option")]
    pub training_participation_report: Option<Option<TrainingParticipationReportParameterSet>>,
}

/// Tells a present `null` (`Some(None)`) from an absent field (`None`).
fn double_option<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

impl PatchEventBody {
    /// True when no field is present (answered 204, rules.md §4.1).
    pub fn is_empty(&self) -> bool {
        self.only_room_fields()
            && self.password.is_none()
            && self.waiting_room.is_none()
            && self.e2e_encryption.is_none()
    }

    /// True when nothing but `password`, `waiting_room` and
    /// `e2e_encryption` is present: the event row stays untouched
    /// (rules.md §4.1 step 6, §4.3).
    pub fn only_room_fields(&self) -> bool {
        self.title.is_none()
            && self.description.is_none()
            && self.is_adhoc.is_none()
            && self.is_time_independent.is_none()
            && self.is_all_day.is_none()
            && self.starts_at.is_none()
            && self.ends_at.is_none()
            && self.recurrence_pattern.is_none()
            && self.streaming_targets.is_none()
            && self.show_meeting_details.is_none()
            && self.has_shared_folder.is_none()
            && self.training_participation_report.is_none()
    }

    /// The time fields, for `apply_times_patch`.
    pub fn times(&self) -> EventTimesPatch {
        EventTimesPatch {
            is_time_independent: self.is_time_independent,
            is_all_day: self.is_all_day,
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            recurrence_pattern: match &self.recurrence_pattern {
                None => PatternPatch::Absent,
                Some(None) => PatternPatch::Clear,
                Some(Some(lines)) => PatternPatch::Set(lines.clone()),
            },
        }
    }
}
