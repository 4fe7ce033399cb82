//! Streaming targets of a room: `/v1/rooms/{id}/streaming_targets…`
//! (api.md §7.6, rules.md §14).
//!
//! The stream key is secret: only the room's creator, who may edit the
//! room, sees it in the read answers; invitees and other readers get the
//! target without it.

use actix_web::http::header::LINK;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use conclave_db::models::room::Room;
use conclave_db::models::room_streaming_target::{
    MAX_TARGETS_PER_ROOM, NewRoomStreamingTarget, RoomStreamingTarget as TargetRow,
    UpdateRoomStreamingTarget,
};
use conclave_domain::ids::{RoomId, StreamingTargetId};
use serde::Deserialize;

use crate::auth::AuthenticatedUser;
use crate::dto::streaming::{
    PatchRoomStreamingTargetRequestBody, RoomStreamingTarget, RoomStreamingTargetResource,
    StreamingTarget,
};
use crate::error::ApiError;
use crate::pagination::{PageQuery, page_links};
use crate::state::AppState;

/// `?suppress_email_notification=` of the writing operations. Accepted for
/// compatibility; Conclave sends no mails from here yet.
#[derive(Debug, Clone, Copy, Default, Deserialize, utoipa::IntoParams)]
pub struct NotificationQuery {
    /// Do not send update mails to the event's invitees.
    pub suppress_email_notification: Option<bool>,
}

/// Whether `me` may see stream keys of `room`: its creator (api.md §6.3).
fn may_edit(room: &Room, me: &AuthenticatedUser) -> bool {
    room.created_by == me.user.id
}

/// One page of the room's targets, ordered by id (A-2: real paging).
#[utoipa::path(
    tag = "streaming_targets",
    params(("room_id" = uuid::Uuid, Path, description = "The room id"), PageQueryParams),
    responses(
        (status = 200, body = Vec<RoomStreamingTargetResource>, headers(("link" = String))),
        (status = 400), (status = 401), (status = 403), (status = 404),
    ),
)]
#[get("/rooms/{room_id}/streaming_targets")]
pub async fn get_streaming_targets(
    state: web::Data<AppState>,
    me: AuthenticatedUser,
    req: HttpRequest,
    path: web::Path<RoomId>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = query.request()?;
    let mut conn = state.conn().await?;
    let room = Room::get(&mut conn, path.into_inner()).await?;
    // At most MAX_TARGETS_PER_ROOM rows exist (creation is capped), so
    // ordering and slicing here is bounded work.
    let mut all = TargetRow::list_all_for_room(&mut conn, room.id).await?;
    all.sort_by_key(|t| uuid::Uuid::from(t.id));
    let total = i64::try_from(all.len()).unwrap_or(i64::MAX);
    let with_key = may_edit(&room, &me);
    let items: Vec<_> = all
        .iter()
        .skip(usize::try_from(page.offset()).unwrap_or(usize::MAX))
        .take(usize::try_from(page.limit()).unwrap_or(0))
        .map(|t| RoomStreamingTargetResource::of(t, with_key))
        .collect();
    Ok(HttpResponse::Ok()
        .insert_header((LINK, page_links(&req, page.page, page.per_page, total)))
        .json(items))
}

/// Adds a target to the room.
#[utoipa::path(
    tag = "streaming_targets",
    params(("room_id" = uuid::Uuid, Path, description = "The room id"), NotificationQuery),
    request_body = StreamingTarget,
    responses(
        (status = 200, body = RoomStreamingTarget),
        (status = 400), (status = 401), (status = 403), (status = 404),
    ),
)]
#[post("/rooms/{room_id}/streaming_targets")]
pub async fn post_streaming_target(
    state: web::Data<AppState>,
    _me: AuthenticatedUser,
    path: web::Path<RoomId>,
    _query: web::Query<NotificationQuery>,
    body: web::Json<StreamingTarget>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let mut conn = state.conn().await?;
    let room = Room::get(&mut conn, path.into_inner()).await?;
    let existing = TargetRow::list_all_for_room(&mut conn, room.id).await?;
    if i64::try_from(existing.len()).unwrap_or(i64::MAX) >= MAX_TARGETS_PER_ROOM {
        return Err(ApiError::bad_request(format!(
            "A room can have at most {MAX_TARGETS_PER_ROOM} streaming targets"
        )));
    }
    let row = NewRoomStreamingTarget {
        room_id: room.id,
        name: body.name,
        kind: body.kind,
        streaming_endpoint: body.streaming_endpoint.into(),
        streaming_key: body.streaming_key,
        public_url: body.public_url.into(),
    }
    .insert(&mut conn)
    .await?;
    Ok(HttpResponse::Ok().json(RoomStreamingTarget::from(&row)))
}

/// One target of the room.
#[utoipa::path(
    tag = "streaming_targets",
    params(
        ("room_id" = uuid::Uuid, Path, description = "The room id"),
        ("streaming_target_id" = uuid::Uuid, Path, description = "The target id"),
    ),
    responses(
        (status = 200, body = RoomStreamingTargetResource),
        (status = 401), (status = 403), (status = 404),
    ),
)]
#[get("/rooms/{room_id}/streaming_targets/{streaming_target_id}")]
pub async fn get_streaming_target(
    state: web::Data<AppState>,
    me: AuthenticatedUser,
    path: web::Path<(RoomId, StreamingTargetId)>,
) -> Result<HttpResponse, ApiError> {
    let (room, target) = path.into_inner();
    let mut conn = state.conn().await?;
    let room = Room::get(&mut conn, room).await?;
    let row = TargetRow::get_for_room(&mut conn, room.id, target).await?;
    Ok(HttpResponse::Ok().json(RoomStreamingTargetResource::of(&row, may_edit(&room, &me))))
}

/// Changes a target. `kind` must be present to change the endpoint, key or
/// public URL; a body with neither `name` nor `kind` is 400.
#[utoipa::path(
    tag = "streaming_targets",
    params(
        ("room_id" = uuid::Uuid, Path, description = "The room id"),
        ("streaming_target_id" = uuid::Uuid, Path, description = "The target id"),
        NotificationQuery,
    ),
    request_body = PatchRoomStreamingTargetRequestBody,
    responses(
        (status = 200, body = RoomStreamingTarget),
        (status = 400), (status = 401), (status = 403), (status = 404),
    ),
)]
#[patch("/rooms/{room_id}/streaming_targets/{streaming_target_id}")]
pub async fn patch_streaming_target(
    state: web::Data<AppState>,
    _me: AuthenticatedUser,
    path: web::Path<(RoomId, StreamingTargetId)>,
    _query: web::Query<NotificationQuery>,
    body: web::Json<PatchRoomStreamingTargetRequestBody>,
) -> Result<HttpResponse, ApiError> {
    let (room, target) = path.into_inner();
    let body = body.into_inner();
    if body.name.is_none() && body.kind.is_none() {
        return Err(ApiError::bad_request(
            "At least one of name and kind must be given",
        ));
    }
    let changes = match body.kind {
        Some(kind) => UpdateRoomStreamingTarget {
            name: body.name,
            kind: Some(kind),
            streaming_endpoint: body.streaming_endpoint.map(Into::into),
            streaming_key: body.streaming_key,
            public_url: body.public_url.map(Into::into),
        },
        None => UpdateRoomStreamingTarget {
            name: body.name,
            ..UpdateRoomStreamingTarget::default()
        },
    };
    let mut conn = state.conn().await?;
    let room = Room::get(&mut conn, room).await?;
    let row = TargetRow::update(&mut conn, room.id, target, changes).await?;
    Ok(HttpResponse::Ok().json(RoomStreamingTarget::from(&row)))
}

/// Removes a target.
#[utoipa::path(
    tag = "streaming_targets",
    params(
        ("room_id" = uuid::Uuid, Path, description = "The room id"),
        ("streaming_target_id" = uuid::Uuid, Path, description = "The target id"),
        NotificationQuery,
    ),
    responses((status = 204), (status = 401), (status = 403), (status = 404)),
)]
#[delete("/rooms/{room_id}/streaming_targets/{streaming_target_id}")]
pub async fn delete_streaming_target(
    state: web::Data<AppState>,
    _me: AuthenticatedUser,
    path: web::Path<(RoomId, StreamingTargetId)>,
    _query: web::Query<NotificationQuery>,
) -> Result<HttpResponse, ApiError> {
    let (room, target) = path.into_inner();
    let mut conn = state.conn().await?;
    TargetRow::delete(&mut conn, room, target).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The page parameters of the list, for the OpenAPI document.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQueryParams {
    /// Items per page, 1..=100 (default 30).
    pub per_page: Option<i64>,
    /// 1-based page (default 1).
    pub page: Option<i64>,
}
