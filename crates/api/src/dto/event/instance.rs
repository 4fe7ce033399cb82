//! Wire types of event instances (api.md §7.9): the `EventInstance`
//! resource, the instance PATCH body and the query strings.

use chrono::{DateTime, Utc};
use conclave_domain::exception::InstancePatch;
use conclave_domain::ids::EventId;
use conclave_domain::instance::InstanceStatus;
use conclave_domain::text::{Description, Title};
use conclave_domain::time::DateTimeTz;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{EventRoomInfo, TrainingParticipationReportParameterSet};
use crate::dto::shared_folder::SharedFolder;
use crate::dto::user::PublicUserProfile;

/// One occurrence of an event with its exception applied (api.md §6.2).
/// It carries no `streaming_targets`, `is_adhoc`, `recurrence_pattern` or
/// `is_time_independent`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct EventInstance {
    /// `<event uuid>_<instance id>`.
    pub id: String,
    /// The series (or the single event, api.md A-12).
    #[schema(value_type = uuid::Uuid)]
    pub recurring_event_id: EventId,
    /// The original UTC start, `YYYYMMDDTHHMMSSZ`.
    pub instance_id: String,
    /// The series' creator.
    pub created_by: PublicUserProfile,
    /// The series' creation time.
    pub created_at: DateTime<Utc>,
    /// The exception's creator when one applies, else the series' editor.
    pub updated_by: PublicUserProfile,
    /// The exception's creation time when one applies, else the series'.
    pub updated_at: DateTime<Utc>,
    /// Title (the exception's when overridden).
    pub title: String,
    /// Description (the exception's when overridden).
    pub description: String,
    /// The series' room.
    pub room: EventRoomInfo,
    /// True when more invitees exist than are listed.
    pub invitees_truncated: bool,
    /// Invitees of the series, capped by `invitees_max`.
    #[schema(value_type = Vec<Object>)]
    pub invitees: Vec<serde_json::Value>,
    /// Effective all-day flag (R-15).
    pub is_all_day: bool,
    /// Effective start.
    #[schema(value_type = Object)]
    pub starts_at: DateTimeTz,
    /// Effective end.
    #[schema(value_type = Object)]
    pub ends_at: DateTimeTz,
    /// Always `instance`.
    #[serde(rename = "type")]
    pub kind: InstanceType,
    /// `ok` or `cancelled`.
    #[schema(value_type = String)]
    pub status: InstanceStatus,
    /// The caller's invite status of the series.
    pub invite_status: String,
    /// Whether the caller marked the series as favourite.
    pub is_favorite: bool,
    /// Whether the caller created the series.
    pub can_edit: bool,
    /// The series' shared folder; omitted when there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_folder: Option<SharedFolder>,
    /// The series' training report parameters; omitted when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub training_participation_report: Option<TrainingParticipationReportParameterSet>,
}

/// The `type` tag of instances.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InstanceType {
    /// An occurrence.
    Instance,
}

/// `PATCH /events/{id}/instances/{instance_id}`: every field optional; an
/// empty body changes nothing (204).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct PatchEventInstanceBody {
    /// New title of this occurrence.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub title: Option<Title>,
    /// New description of this occurrence.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub description: Option<Description>,
    /// New all-day flag of this occurrence.
    #[serde(default)]
    pub is_all_day: Option<bool>,
    /// New start; defaults to this occurrence's own (R-16).
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub starts_at: Option<DateTimeTz>,
    /// New end; defaults to this occurrence's own (R-16).
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub ends_at: Option<DateTimeTz>,
    /// `ok` (modify, un-cancel) or `cancelled`.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub status: Option<InstanceStatus>,
}

impl PatchEventInstanceBody {
    /// The body in domain terms.
    pub fn to_patch(&self) -> InstancePatch {
        InstancePatch {
            title: self.title.as_ref().map(|t| t.as_str().to_owned()),
            description: self.description.as_ref().map(|d| d.as_str().to_owned()),
            is_all_day: self.is_all_day,
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            status: self.status,
        }
    }
}

/// Query of `GET /events/{id}/instances`. A malformed time or number is a
/// query error (400 `bad_request`).
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InstancesParams {
    /// Invitees per instance (default 0).
    pub invitees_max: Option<u32>,
    /// Only instances ending at or after (RFC 3339).
    #[param(value_type = Option<String>)]
    pub time_min: Option<DateTime<Utc>>,
    /// Only instances starting at or before (RFC 3339).
    #[param(value_type = Option<String>)]
    pub time_max: Option<DateTime<Utc>>,
    /// Page size, clamped to 1..=100 (default 30).
    pub per_page: Option<i64>,
    /// Opaque cursor of the previous page.
    pub after: Option<String>,
}

/// Query of the single-instance operations.
#[derive(Debug, Clone, Copy, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InstanceParams {
    /// Invitees to list (default 0).
    pub invitees_max: Option<u32>,
    /// Accepted for compatibility; Conclave sends no mail. On PATCH it also
    /// skips the invite-code get-or-create (rules.md §5.6).
    pub suppress_email_notification: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(json: &str) -> Result<PatchEventInstanceBody, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn patch_body_reads_present_fields_only() {
        let empty = body("{}").expect("empty body");
        assert!(empty.to_patch().is_empty());
        let nulls = body(r#"{"title": null, "status": null}"#).expect("nulls");
        assert!(nulls.to_patch().is_empty());
        let cancel = body(r#"{"status": "cancelled"}"#).expect("cancel");
        assert_eq!(cancel.to_patch().status, Some(InstanceStatus::Cancelled));
        let moved = body(
            r#"{"title": "T", "starts_at": {"datetime": "2026-03-25T08:00:00Z", "timezone": "Europe/Berlin"}}"#,
        )
        .expect("moved");
        let patch = moved.to_patch();
        assert_eq!(patch.title.as_deref(), Some("T"));
        assert_eq!(
            patch.starts_at.map(|s| s.zone_name()),
            Some("Europe/Berlin")
        );
        assert!(patch.ends_at.is_none());
    }

    #[test]
    fn patch_body_refuses_bad_values() {
        for bad in [
            r#"{"status": "maybe"}"#,
            r#"{"is_all_day": "yes"}"#,
            r#"{"starts_at": {"datetime": "x", "timezone": "Europe/Berlin"}}"#,
            r#"{"starts_at": {"datetime": "2026-03-25T08:00:00Z", "timezone": "Mars/Base"}}"#,
        ] {
            assert!(body(bad).is_err(), "{bad}");
        }
        let long = format!(r#"{{"title": "{}"}}"#, "x".repeat(Title::MAX_BYTES + 1));
        assert!(body(&long).is_err());
    }

    #[test]
    fn instance_serializes_type_and_status() {
        assert_eq!(
            serde_json::to_value(InstanceType::Instance).ok(),
            Some("instance".into())
        );
    }
}
