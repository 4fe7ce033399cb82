//! Request bodies of the event endpoints (api.md §7.8).

use conclave_domain::event::NewEventTimes;
use conclave_domain::room::RoomPassword;
use conclave_domain::text::{Description, Title};
use conclave_domain::time::DateTimeTz;
use serde::Deserialize;
use utoipa::ToSchema;

use super::TrainingParticipationReportParameterSet;
use crate::dto::streaming::StreamingTarget;

/// The body of `POST /events`. Byte limits and zone names are checked while
/// deserializing (400 `invalid_json`); the shape and dates afterwards by
/// `conclave_domain::event::validate_new_event`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PostEventsBody {
    /// Title, at most 255 bytes.
    #[schema(value_type = String)]
    pub title: Title,
    /// Description, at most 4096 bytes.
    #[schema(value_type = String)]
    pub description: Description,
    /// Room password, 1..=255 bytes.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub password: Option<RoomPassword>,
    /// Waiting room flag.
    #[serde(default)]
    pub waiting_room: bool,
    /// End-to-end encryption flag.
    #[serde(default)]
    pub e2e_encryption: bool,
    /// Time-independent flag.
    pub is_time_independent: bool,
    /// All-day flag (time-dependent events only).
    #[serde(default)]
    pub is_all_day: Option<bool>,
    /// Start of the (first) occurrence.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub starts_at: Option<DateTimeTz>,
    /// End of the (first) occurrence.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub ends_at: Option<DateTimeTz>,
    /// Recurrence lines, at most 4 of at most 1024 bytes.
    #[serde(default)]
    pub recurrence_pattern: Vec<String>,
    /// Instant meeting flag.
    #[serde(default)]
    pub is_adhoc: bool,
    /// Streaming targets of the room.
    #[serde(default)]
    pub streaming_targets: Vec<StreamingTarget>,
    /// Create a shared folder.
    #[serde(default)]
    pub has_shared_folder: bool,
    /// Whether participants see the meeting details.
    #[serde(default)]
    pub show_meeting_details: bool,
    /// Training report parameters.
    #[serde(default)]
    pub training_participation_report: Option<TrainingParticipationReportParameterSet>,
}

impl PostEventsBody {
    /// The time fields, for `validate_new_event`.
    pub fn times(&self) -> NewEventTimes {
        NewEventTimes {
            is_time_independent: self.is_time_independent,
            is_all_day: self.is_all_day,
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            recurrence_pattern: self.recurrence_pattern.clone(),
        }
    }
}
