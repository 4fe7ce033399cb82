//! Building an [`EventResource`] from the stored rows (api.md §6.2,
//! rules.md §6.4): the rows are loaded per event for single-event answers
//! (GET, POST, PATCH) or per page for the listing, then [`assemble`]d.

use conclave_db::DbConnection;
use conclave_db::models::event::Event;
use conclave_db::models::event_favorite::EventFavorite;
use conclave_db::models::event_invite::EventInvite;
use conclave_db::models::event_shared_folder::EventSharedFolder;
use conclave_db::models::event_training_report::EventTrainingReport;
use conclave_db::models::room::Room;
use conclave_db::models::room_streaming_target::RoomStreamingTarget as TargetRow;
use conclave_domain::event::{EventTimeColumns, EventTimes};
use conclave_domain::ids::UserId;
use conclave_domain::time::DateTimeTz;
use serde_json::Value;

use super::invitees;
use crate::dto::event::{
    EventResource, EventRoomInfo, EventType, TrainingParticipationReportParameterSet,
};
use crate::dto::room::CallInInfo;
use crate::dto::shared_folder::SharedFolder;
use crate::dto::streaming::RoomStreamingTarget;
use crate::dto::user::PublicUserProfile;
use crate::error::ApiError;
use crate::state::AppState;
use crate::v1::rooms::call_in::call_in_info;
use crate::v1::rooms::render::Profiles;

/// The time columns of `event`, for the domain mapping.
pub fn time_columns(event: &Event) -> EventTimeColumns {
    EventTimeColumns {
        is_time_independent: event.is_time_independent,
        is_all_day: event.is_all_day,
        starts_at: event.starts_at,
        starts_at_tz: event.starts_at_tz.clone(),
        ends_at: event.ends_at,
        ends_at_tz: event.ends_at_tz.clone(),
        duration_secs: event.duration_secs,
        is_recurring: event.is_recurring,
        recurrence_pattern: event.recurrence_pattern.clone(),
    }
}

/// The validated times of a stored event. A row that fits no shape is
/// logged as a data-integrity error and answered 500, never a panic.
pub fn event_times(event: &Event) -> Result<EventTimes, ApiError> {
    EventTimes::from_columns(&time_columns(event)).map_err(|e| {
        tracing::error!(event = %event.id, error = %e, "event data integrity");
        ApiError::internal(e)
    })
}

/// The wire time fields: `is_all_day`, `starts_at` and `ends_at` (the first
/// occurrence's end for a series, rules.md §2.5).
type WireTimes = (Option<bool>, Option<DateTimeTz>, Option<DateTimeTz>);

fn wire_times(times: &EventTimes) -> WireTimes {
    match times.first_occurrence() {
        None => (None, None, None),
        Some(first) => (
            Some(first.is_all_day),
            Some(first.starts_at),
            Some(first.ends_at),
        ),
    }
}

/// What an [`EventResource`] shows besides the event and room rows, loaded
/// one event at a time ([`event_resource`]) or for a whole listing page.
pub struct EventParts {
    /// The creator's public profile.
    pub created_by: PublicUserProfile,
    /// The last editor's public profile.
    pub updated_by: PublicUserProfile,
    /// The rendered invitees.
    pub invitees: Vec<Value>,
    /// Whether more invitees exist than rendered.
    pub invitees_truncated: bool,
    /// The viewer's invite status label.
    pub invite_status: &'static str,
    /// Whether the viewer marked the event as favourite.
    pub is_favorite: bool,
    /// The shared folder row, if any.
    pub shared_folder: Option<EventSharedFolder>,
    /// The room's call-in data, if shown.
    pub call_in: Option<CallInInfo>,
    /// The room's streaming targets.
    pub streaming_targets: Vec<RoomStreamingTarget>,
    /// The training participation report parameters, if any.
    pub training: Option<TrainingParticipationReportParameterSet>,
}

/// Renders `event` (with its `room`) as `viewer` sees it, with at most
/// `invitees_max` invitees; `None` right after creation, where the list is
/// empty and not truncated.
pub async fn event_resource(
    conn: &mut DbConnection,
    state: &AppState,
    event: &Event,
    room: &Room,
    viewer: UserId,
    invitees_max: Option<u32>,
) -> Result<EventResource, ApiError> {
    let (invitees, invitees_truncated) = match invitees_max {
        None => (Vec::new(), false),
        Some(max) => invitees::load(conn, &state.settings, event.id, max).await?,
    };
    let profiles =
        Profiles::load(conn, &state.settings, [event.created_by, event.updated_by]).await?;
    let invite_status = EventInvite::find_for(conn, event.id, viewer)
        .await?
        .map_or("accepted", |invite| invite.status.as_str());
    let streaming_targets = TargetRow::list_all_for_room(conn, room.id)
        .await?
        .iter()
        .map(RoomStreamingTarget::from)
        .collect();
    let parts = EventParts {
        created_by: profiles.get(event.created_by)?,
        updated_by: profiles.get(event.updated_by)?,
        invitees,
        invitees_truncated,
        invite_status,
        is_favorite: EventFavorite::exists(conn, viewer, event.id).await?,
        shared_folder: EventSharedFolder::find(conn, event.id).await?,
        call_in: call_in_info(conn, state, room).await?,
        streaming_targets,
        training: EventTrainingReport::find(conn, event.id)
            .await?
            .map(|row| TrainingParticipationReportParameterSet::of(&row)),
    };
    assemble(event, room, viewer, parts)
}

/// Builds the resource of `event` from its rows, without any I/O.
pub fn assemble(
    event: &Event,
    room: &Room,
    viewer: UserId,
    parts: EventParts,
) -> Result<EventResource, ApiError> {
    let times = event_times(event)?;
    let (is_all_day, starts_at, ends_at) = wire_times(&times);
    let is_creator = event.created_by == viewer;
    Ok(EventResource {
        id: event.id,
        created_by: parts.created_by,
        created_at: event.created_at,
        updated_by: parts.updated_by,
        updated_at: event.updated_at,
        title: event.title.clone(),
        description: event.description.clone(),
        room: EventRoomInfo {
            id: room.id,
            password: room.password.clone(),
            waiting_room: room.waiting_room,
            e2e_encryption: room.e2e_encryption,
            call_in: parts.call_in,
        },
        invitees_truncated: parts.invitees_truncated,
        invitees: parts.invitees,
        is_time_independent: event.is_time_independent,
        is_all_day,
        starts_at,
        ends_at,
        recurrence_pattern: pattern_lines(event.recurrence_pattern.as_deref()),
        is_adhoc: event.is_adhoc,
        kind: if times.is_recurring() {
            EventType::Recurring
        } else {
            EventType::Single
        },
        invite_status: parts.invite_status.to_owned(),
        is_favorite: parts.is_favorite,
        can_edit: is_creator,
        shared_folder: parts
            .shared_folder
            .map(|row| SharedFolder::of(&row, is_creator)),
        streaming_targets: parts.streaming_targets,
        show_meeting_details: event.show_meeting_details,
        training_participation_report: parts.training,
    })
}

/// The stored pattern split back into its lines (rules.md §2.1).
fn pattern_lines(stored: Option<&str>) -> Vec<String> {
    stored
        .map(|text| text.split('\n').map(str::to_owned).collect())
        .unwrap_or_default()
}
