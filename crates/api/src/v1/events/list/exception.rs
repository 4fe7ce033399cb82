//! The exception items of `GET /events` (rules.md §5.7, api.md §6.2): every
//! exception of a listed series, right after it, not filtered by time.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use conclave_db::DbConnection;
use conclave_db::models::event_exception::EventException;
use conclave_domain::ids::EventId;
use conclave_domain::instance::{CombinedInstanceId, InstanceId, InstanceStatus};
use conclave_domain::time::DateTimeTz;
use serde::Serialize;
use utoipa::ToSchema;

use crate::dto::event::EventResource;
use crate::dto::user::PublicUserProfile;
use crate::error::ApiError;
use crate::v1::rooms::render::Profiles;

/// One exception of a series as a list item. Overrides are omitted when NULL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct EventExceptionResource {
    /// `<series id>_<instance id>`.
    pub id: String,
    /// The series.
    #[schema(value_type = uuid::Uuid)]
    pub recurring_event_id: EventId,
    /// The original UTC start, `YYYYMMDDTHHMMSSZ`.
    pub instance_id: String,
    /// The exception's creator.
    pub created_by: PublicUserProfile,
    /// The exception's creation time.
    pub created_at: DateTime<Utc>,
    /// Same as `created_by`: exceptions keep no editor.
    pub updated_by: PublicUserProfile,
    /// Same as `created_at`.
    pub updated_at: DateTime<Utc>,
    /// Overridden title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Overridden description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Overridden all-day flag.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_all_day: Option<bool>,
    /// Overridden start.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub starts_at: Option<DateTimeTz>,
    /// Overridden end.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub ends_at: Option<DateTimeTz>,
    /// The occurrence's original start in the series zone.
    #[schema(value_type = Object)]
    pub original_starts_at: DateTimeTz,
    /// Always `exception`.
    #[serde(rename = "type")]
    pub kind: ExceptionType,
    /// `ok` or `cancelled`.
    #[schema(value_type = String)]
    pub status: InstanceStatus,
    /// Inherited from the series.
    pub can_edit: bool,
}

/// The `type` tag of exception items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExceptionType {
    /// An exception of a series.
    Exception,
}

/// A `GET /events` list item, told apart by `type` (api.md §6.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(untagged)]
pub enum EventOrException {
    /// An event.
    Event(Box<EventResource>),
    /// An exception of the series listed before it.
    Exception(Box<EventExceptionResource>),
}

/// The exceptions of `series`, grouped by series, in original-start order.
pub async fn load(
    conn: &mut DbConnection,
    series: &[EventId],
) -> Result<HashMap<EventId, Vec<EventException>>, ApiError> {
    let mut grouped: HashMap<EventId, Vec<EventException>> = HashMap::new();
    if series.is_empty() {
        return Ok(grouped);
    }
    for row in EventException::list_for_events(conn, series).await? {
        grouped.entry(row.event_id).or_default().push(row);
    }
    Ok(grouped)
}

/// Renders `row` as an item after `series`; `profiles` holds its creator.
pub fn render(
    profiles: &Profiles,
    series: &EventResource,
    row: &EventException,
) -> Result<EventExceptionResource, ApiError> {
    let profile = profiles.get(row.created_by)?;
    let instance_id = InstanceId::new(row.exception_date);
    let zoned = |at: Option<DateTime<Utc>>, zone: Option<&str>| {
        at.map(|at| zone_time(at, zone.unwrap_or(&row.exception_date_tz)))
            .transpose()
    };
    Ok(EventExceptionResource {
        id: CombinedInstanceId {
            event_id: row.event_id,
            instance_id,
        }
        .to_string(),
        recurring_event_id: row.event_id,
        instance_id: instance_id.to_string(),
        created_by: profile.clone(),
        created_at: row.created_at,
        updated_by: profile,
        updated_at: row.created_at,
        title: row.title.clone(),
        description: row.description.clone(),
        is_all_day: row.is_all_day,
        starts_at: zoned(row.starts_at, row.starts_at_tz.as_deref())?,
        ends_at: zoned(row.ends_at, row.ends_at_tz.as_deref())?,
        original_starts_at: zone_time(row.exception_date, &row.exception_date_tz)?,
        kind: ExceptionType::Exception,
        status: row.kind.status(),
        can_edit: series.can_edit,
    })
}

/// A stored instant with its stored zone; an unknown zone is a data error.
fn zone_time(at: DateTime<Utc>, zone: &str) -> Result<DateTimeTz, ApiError> {
    DateTimeTz::from_parts(at, zone).map_err(ApiError::internal)
}
