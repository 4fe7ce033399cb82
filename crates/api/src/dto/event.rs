//! Event wire types (api.md §6.2): the event resource and its parts; the
//! request bodies live in [`body`].

pub mod body;
pub mod instance;
pub mod invite;
pub mod patch;

use crate::dto::shared_folder::SharedFolder;
use chrono::{DateTime, Utc};
use conclave_db::models::event_training_report::EventTrainingReport;
use conclave_domain::ids::{EventId, RoomId};
use conclave_domain::time::DateTimeTz;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::dto::room::CallInInfo;
use crate::dto::streaming::RoomStreamingTarget;
use crate::dto::user::PublicUserProfile;

/// The room part of an event resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct EventRoomInfo {
    /// The room id.
    #[schema(value_type = uuid::Uuid)]
    pub id: RoomId,
    /// The guest password, shown to every reader; omitted when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// Waiting room flag.
    pub waiting_room: bool,
    /// End-to-end encryption flag.
    pub e2e_encryption: bool,
    /// Call-in data, only under the call-in conditions (rules.md §6.4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_in: Option<CallInInfo>,
}

/// A time range in seconds (rules.md §17).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TimeRange {
    /// Seconds before the range starts.
    pub after: u64,
    /// Length of the range in seconds.
    pub within: u64,
}

/// Training participation report parameters (rules.md §17).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrainingParticipationReportParameterSet {
    /// Delay of the first checkpoint.
    pub initial_checkpoint_delay: TimeRange,
    /// Interval between further checkpoints.
    pub checkpoint_interval: TimeRange,
}

/// Stored bigint → API u64: negative values read as 0.
fn to_u64(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

/// API u64 → stored bigint, saturating at the bigint maximum.
fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

impl TrainingParticipationReportParameterSet {
    /// Reads a stored row.
    pub fn of(row: &EventTrainingReport) -> Self {
        Self {
            initial_checkpoint_delay: TimeRange {
                after: to_u64(row.initial_checkpoint_delay_after),
                within: to_u64(row.initial_checkpoint_delay_within),
            },
            checkpoint_interval: TimeRange {
                after: to_u64(row.checkpoint_interval_after),
                within: to_u64(row.checkpoint_interval_within),
            },
        }
    }

    /// The row to store for `event`.
    pub fn to_row(self, event_id: EventId) -> EventTrainingReport {
        EventTrainingReport {
            event_id,
            initial_checkpoint_delay_after: to_i64(self.initial_checkpoint_delay.after),
            initial_checkpoint_delay_within: to_i64(self.initial_checkpoint_delay.within),
            checkpoint_interval_after: to_i64(self.checkpoint_interval.after),
            checkpoint_interval_within: to_i64(self.checkpoint_interval.within),
        }
    }
}

/// `single` or `recurring` (rules.md §6.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventType {
    /// A single or time-independent event.
    Single,
    /// A series.
    Recurring,
}

/// An event as clients see it (api.md §6.2). Optional parts are omitted
/// when empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct EventResource {
    /// The event id.
    #[schema(value_type = uuid::Uuid)]
    pub id: EventId,
    /// The creator.
    pub created_by: PublicUserProfile,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// The last user who changed the event.
    pub updated_by: PublicUserProfile,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// The event's room.
    pub room: EventRoomInfo,
    /// True when more invitees exist than are listed.
    pub invitees_truncated: bool,
    /// Invitees, capped by `invitees_max`.
    #[schema(value_type = Vec<Object>)]
    pub invitees: Vec<serde_json::Value>,
    /// Time-independent flag.
    pub is_time_independent: bool,
    /// All-day flag; omitted for time-independent events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_all_day: Option<bool>,
    /// Start (of the first occurrence for a series).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub starts_at: Option<DateTimeTz>,
    /// End (of the first occurrence for a series).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub ends_at: Option<DateTimeTz>,
    /// Recurrence lines; omitted when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recurrence_pattern: Vec<String>,
    /// Instant meeting flag.
    pub is_adhoc: bool,
    /// `single` or `recurring`.
    #[serde(rename = "type")]
    pub kind: EventType,
    /// The caller's invite status (`accepted` without an invite).
    pub invite_status: String,
    /// Whether the caller marked the event as favourite.
    pub is_favorite: bool,
    /// Whether the caller created the event.
    pub can_edit: bool,
    /// The shared folder; omitted when there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_folder: Option<SharedFolder>,
    /// Streaming targets with keys; omitted when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub streaming_targets: Vec<RoomStreamingTarget>,
    /// Whether participants see the meeting details.
    pub show_meeting_details: bool,
    /// Training report parameters; omitted when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub training_participation_report: Option<TrainingParticipationReportParameterSet>,
}
