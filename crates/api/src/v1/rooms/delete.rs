//! `DELETE /rooms/{id}`: the room deleter (rules.md §10.2).
//!
//! A room that an event uses is refused with 409: the event has to be
//! deleted instead. Otherwise one transaction deletes the room's module
//! resources, SIP config, assets and the room (invite codes and streaming
//! targets cascade), and removes every rule the room created: all subjects'
//! rules on `/rooms/{id}` and below (Conclave's `/sip` included), the rules
//! of the room's invite-code subjects and of its module resources. Nothing
//! in `casbin_rule` mentions the room afterwards.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, delete, web};
use conclave_db::DbConnection;
use conclave_db::authz::{Invalidation, apply_change};
use conclave_db::models::asset::Asset;
use conclave_db::models::event::Event;
use conclave_db::models::invite::Invite;
use conclave_db::models::module_resource::ModuleResource;
use conclave_db::models::room::Room;
use conclave_db::models::sip_config::SipConfig;
use conclave_domain::access::delete_room;
use conclave_domain::ids::{AssetId, RoomId};
use diesel_async::AsyncConnection;
use serde::Deserialize;

use crate::auth::AuthenticatedUser;
use crate::error::ApiError;
use crate::state::AppState;

/// Query flags of `DELETE /rooms/{id}`; accepted for compatibility. Room
/// deletion sends no mail, and no external service is involved yet.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeleteRoomQuery {
    /// Delete the room even if external services fail.
    pub force_delete_reference_if_external_services_fail: Option<bool>,
    /// Suppress email notifications (room deletion sends none).
    pub suppress_email_notification: Option<bool>,
}

/// Deletes a room that no event uses, with everything it owns and every
/// access rule it created.
#[utoipa::path(
    tag = "rooms",
    operation_id = "delete",
    params(("room_id" = uuid::Uuid, Path, description = "The room id"), DeleteRoomQuery),
    responses(
        (status = 204, description = "The room was deleted"),
        (status = 401), (status = 403), (status = 404),
        (status = 409, description = "An event uses the room; delete the event instead"),
    ),
)]
#[delete("/rooms/{room_id}")]
pub async fn delete_room_handler(
    state: web::Data<AppState>,
    _me: AuthenticatedUser,
    path: web::Path<RoomId>,
    _query: web::Query<DeleteRoomQuery>,
) -> Result<HttpResponse, ApiError> {
    let room = path.into_inner();
    let mut conn = state.conn().await?;
    let (invalidation, assets) = conn
        .transaction::<_, ApiError, _>(async |conn| delete_rows(conn, room).await)
        .await?;
    state.authz.invalidate(&invalidation);
    if !assets.is_empty() {
        // There is no asset storage adapter yet, so only the rows exist.
        tracing::info!(%room, assets = assets.len(), "deleted room assets");
    }
    Ok(HttpResponse::NoContent().finish())
}

/// The deletes and the rule removal, in foreign-key order. A concurrently
/// created event that references the room makes the final delete fail with
/// a foreign-key violation, which is answered 409 as well.
async fn delete_rows(
    conn: &mut DbConnection,
    room: RoomId,
) -> Result<(Invalidation, Vec<AssetId>), ApiError> {
    Room::get(conn, room).await?;
    if Event::find_by_room(conn, room).await?.is_some() {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "conflict",
            format!("Unable to delete room with id {room} due to conflicting event"),
        ));
    }
    let codes = Invite::list_ids_for_room(conn, room).await?;
    let module_resources = ModuleResource::delete_all_for_room(conn, room).await?;
    if SipConfig::find_for_room(conn, room).await?.is_some() {
        SipConfig::delete_for_room(conn, room).await?;
    }
    let assets = Asset::delete_all_for_room(conn, room).await?;
    Room::delete(conn, room).await?;
    let invalidation = apply_change(conn, &delete_room(room, &codes, &module_resources)).await?;
    Ok((invalidation, assets))
}
