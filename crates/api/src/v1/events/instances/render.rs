//! Building [`EventInstance`]s (rules.md §5.4): the series resource supplies
//! everything an occurrence shares with it, the domain [`Instance`] the
//! times, status and overrides.

use conclave_db::DbConnection;
use conclave_db::models::event::Event;
use conclave_db::models::event_exception::EventException as ExceptionRow;
use conclave_db::models::room::Room;
use conclave_domain::exception::EventException;
use conclave_domain::ids::{EventId, UserId};
use conclave_domain::instance::{CombinedInstanceId, Instance};

use crate::dto::event::EventResource;
use crate::dto::event::instance::{EventInstance, InstanceType};
use crate::error::ApiError;
use crate::state::AppState;
use crate::v1::events::render::event_resource;
use crate::v1::rooms::render::Profiles;

/// Every exception of `event` in domain terms (matched by key later, so
/// the row order does not matter, R-14).
pub async fn load_exceptions(
    conn: &mut DbConnection,
    event: EventId,
) -> Result<Vec<EventException>, ApiError> {
    ExceptionRow::list_for_event(conn, event)
        .await?
        .iter()
        .map(ExceptionRow::to_domain)
        .collect::<Result<_, _>>()
        // A bad stored zone is a 500.
        .map_err(ApiError::internal)
}

/// Renders `instances` of `event` as `viewer` sees them, each with at most
/// `invitees_max` invitees. The series is rendered once and every
/// exception creator's profile is loaded with one query.
pub async fn render_instances(
    conn: &mut DbConnection,
    state: &AppState,
    (event, room): (&Event, &Room),
    viewer: UserId,
    invitees_max: u32,
    instances: &[Instance],
) -> Result<Vec<EventInstance>, ApiError> {
    let series = event_resource(conn, state, event, room, viewer, Some(invitees_max)).await?;
    let editors = instances.iter().filter_map(|i| i.updated.map(|u| u.by));
    let profiles = Profiles::load(conn, &state.settings, editors).await?;
    instances
        .iter()
        .map(|instance| one(&series, &profiles, instance))
        .collect()
}

/// One instance on top of its series' resource.
fn one(
    series: &EventResource,
    profiles: &Profiles,
    instance: &Instance,
) -> Result<EventInstance, ApiError> {
    let (updated_by, updated_at) = match instance.updated {
        Some(stamp) => (profiles.get(stamp.by)?, stamp.at),
        None => (series.updated_by.clone(), series.updated_at),
    };
    Ok(EventInstance {
        id: CombinedInstanceId {
            event_id: series.id,
            instance_id: instance.id,
        }
        .to_string(),
        recurring_event_id: series.id,
        instance_id: instance.id.to_string(),
        created_by: series.created_by.clone(),
        created_at: series.created_at,
        updated_by,
        updated_at,
        title: instance
            .title
            .clone()
            .unwrap_or_else(|| series.title.clone()),
        description: instance
            .description
            .clone()
            .unwrap_or_else(|| series.description.clone()),
        room: series.room.clone(),
        invitees_truncated: series.invitees_truncated,
        invitees: series.invitees.clone(),
        is_all_day: instance.is_all_day,
        starts_at: instance.starts_at,
        ends_at: instance.ends_at,
        kind: InstanceType::Instance,
        status: instance.status,
        invite_status: series.invite_status.clone(),
        is_favorite: series.is_favorite,
        can_edit: series.can_edit,
        shared_folder: series.shared_folder.clone(),
        training_participation_report: series.training_participation_report,
    })
}
