//! `GET /rooms/{id}/tariff` and `GET /rooms/{id}/event`: what participants
//! and invite-code guests may read about a room (rules.md §8.5, §19).

use actix_web::{HttpResponse, get, web};
use conclave_db::DbConnection;
use conclave_db::models::event::Event;
use conclave_db::models::invite::Invite;
use conclave_db::models::room::Room;
use conclave_db::models::room_streaming_target::RoomStreamingTarget;
use conclave_db::models::tariff::Tariff;
use conclave_domain::ids::RoomId;

use super::call_in::call_in_info;
use crate::auth::Identity;
use crate::dto::room::{EventInfo, MeetingDetails, StreamingLink};
use crate::dto::tariff::TariffResource;
use crate::error::ApiError;
use crate::state::AppState;

/// The room's tariff: its creator's current tariff; 404 when the creator
/// is disabled (rules.md §8.5).
#[utoipa::path(
    tag = "rooms",
    operation_id = "get_room_tariff",
    params(("room_id" = uuid::Uuid, Path, description = "The room id")),
    responses(
        (status = 200, body = TariffResource),
        (status = 401), (status = 403), (status = 404),
    ),
)]
#[get("/rooms/{room_id}/tariff")]
pub async fn get_room_tariff(
    state: web::Data<AppState>,
    _caller: Identity,
    path: web::Path<RoomId>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = state.conn().await?;
    let tariff = Tariff::get_for_room(&mut conn, path.into_inner()).await?;
    let resource = TariffResource::build(&tariff, &state.modules, &state.global_disabled_features)?;
    Ok(HttpResponse::Ok().json(resource))
}

/// The room's event info; `meeting_details` only when the event shows them.
/// 404 when the room has no event.
#[utoipa::path(
    tag = "rooms",
    operation_id = "get_room_event",
    params(("room_id" = uuid::Uuid, Path, description = "The room id")),
    responses(
        (status = 200, body = EventInfo),
        (status = 401), (status = 403), (status = 404),
    ),
)]
#[get("/rooms/{room_id}/event")]
pub async fn get_room_event(
    state: web::Data<AppState>,
    _caller: Identity,
    path: web::Path<RoomId>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = state.conn().await?;
    let room = Room::get(&mut conn, path.into_inner()).await?;
    let event = Event::find_by_room(&mut conn, room.id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let meeting_details = if event.show_meeting_details {
        Some(meeting_details(&mut conn, &state, &room).await?)
    } else {
        None
    };
    Ok(HttpResponse::Ok().json(EventInfo {
        id: event.id,
        room_id: room.id,
        title: event.title,
        is_adhoc: event.is_adhoc,
        e2e_encryption: room.e2e_encryption,
        meeting_details,
    }))
}

/// The meeting details of rules.md §19: the most recently updated valid
/// invite code, call-in data and, unless end-to-end encrypted, the
/// public streaming links.
pub async fn meeting_details(
    conn: &mut DbConnection,
    state: &AppState,
    room: &Room,
) -> Result<MeetingDetails, ApiError> {
    let invite_code_id = Invite::find_first_valid_for_room(conn, room.id)
        .await?
        .map(|invite| invite.id);
    let call_in = call_in_info(conn, state, room).await?;
    let streaming_links = if room.e2e_encryption {
        Vec::new()
    } else {
        RoomStreamingTarget::list_all_for_room(conn, room.id)
            .await?
            .into_iter()
            .map(|target| StreamingLink {
                name: target.name,
                url: target.public_url,
            })
            .collect()
    };
    Ok(MeetingDetails {
        invite_code_id,
        call_in,
        streaming_links,
    })
}
