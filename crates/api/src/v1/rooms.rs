//! Rooms: `/v1/rooms`, `/v1/rooms/{id}`, its tariff and event (api.md §7.3).
//!
//! * this file: list, create, get and patch;
//! * [`delete`]: the room deleter (rules.md §10.2);
//! * [`event`]: `GET /rooms/{id}/tariff` and `GET /rooms/{id}/event`;
//! * [`call_in`]: the call-in feature check and SIP config creation;
//! * [`render`]: rows rendered with the public profiles they name.

pub mod call_in;
pub mod delete;
pub mod event;
pub mod render;

use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use conclave_db::authz::{accessible_room_ids, apply_change};
use conclave_db::models::room::{NewRoom, Room, UpdateRoom};
use conclave_db::models::tariff::Tariff;
use conclave_domain::access::{Subject, create_room};
use conclave_domain::ids::RoomId;
use conclave_domain::sip::SipPassword;
use diesel_async::AsyncConnection;

use crate::auth::AuthenticatedUser;
use crate::dto::room::{PatchRoomsRequestBody, PostRoomsRequestBody, RoomResource};
use crate::dto::user::PublicUserProfile;
use crate::error::ApiError;
use crate::pagination::{PageQuery, page_links};
use crate::state::AppState;

/// The rooms the caller may read (directly, or through roles and groups),
/// by room id descending, paged.
#[utoipa::path(
    tag = "rooms",
    operation_id = "accessible",
    params(
        ("per_page" = Option<i64>, Query, description = "Items per page, 1..=100 (default 30)"),
        ("page" = Option<i64>, Query, description = "The 1-based page (default 1)"),
    ),
    responses(
        (status = 200, body = Vec<RoomResource>, headers(("link" = String))),
        (status = 400), (status = 401),
    ),
)]
#[get("/rooms")]
pub async fn accessible_rooms(
    req: HttpRequest,
    state: web::Data<AppState>,
    me: AuthenticatedUser,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = query.request()?;
    let subjects = state
        .authz
        .subject_set(&Subject::User(me.user.id).to_string())
        .await
        .map_err(ApiError::internal)?;
    let mut conn = state.conn().await?;
    let ids = accessible_room_ids(&mut conn, &subjects, page).await?;
    let mut rooms = Room::list_by_ids(&mut conn, &ids.items).await?;
    // Keep the listing's order (room id descending).
    rooms.sort_by_key(|room| ids.items.iter().position(|id| *id == room.id));
    let resources = render::room_resources(&mut conn, &state.settings, &rooms).await?;
    Ok(HttpResponse::Ok()
        .insert_header((
            "link",
            page_links(&req, page.page, page.per_page, ids.total),
        ))
        .json(resources))
}

/// Creates a room owned by the caller; with `enable_sip` also its SIP
/// config (after the `core::call_in` feature check). Room, SIP config and
/// the creator's access rules are written in one transaction.
#[utoipa::path(
    tag = "rooms",
    operation_id = "new",
    request_body = PostRoomsRequestBody,
    responses(
        (status = 201, body = RoomResource),
        (status = 400), (status = 401),
        (status = 403, description = "`feature_disabled` / `feature_disabled_by_tariff` with `enable_sip`"),
    ),
)]
#[post("/rooms")]
pub async fn new_room(
    state: web::Data<AppState>,
    me: AuthenticatedUser,
    body: web::Json<PostRoomsRequestBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let mut conn = state.conn().await?;
    if body.enable_sip {
        let tariff = Tariff::get(&mut conn, me.user.tariff_id).await?;
        call_in::require_call_in(&state, &tariff)?;
    }
    let new = NewRoom {
        created_by: me.user.id,
        password: body.password.map(|p| p.into_inner()),
        waiting_room: body.waiting_room,
        tenant_id: me.tenant.id,
        e2e_encryption: body.e2e_encryption,
    };
    let (room, invalidation) = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let room = new.insert(conn).await?;
            if body.enable_sip {
                call_in::insert_sip_config(conn, room.id, SipPassword::generate(), false).await?;
            }
            let invalidation = apply_change(conn, &create_room(room.created_by, room.id)).await?;
            Ok((room, invalidation))
        })
        .await?;
    state.authz.invalidate(&invalidation);
    let creator = PublicUserProfile::of(&me.user, &state.settings);
    Ok(HttpResponse::Created().json(RoomResource::of(&room, creator)))
}

/// One room, with its creator's profile.
#[utoipa::path(
    tag = "rooms",
    operation_id = "get",
    params(("room_id" = uuid::Uuid, Path, description = "The room id")),
    responses(
        (status = 200, body = RoomResource),
        (status = 401), (status = 403), (status = 404),
    ),
)]
#[get("/rooms/{room_id}")]
pub async fn get_room(
    state: web::Data<AppState>,
    _me: AuthenticatedUser,
    path: web::Path<RoomId>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = state.conn().await?;
    let room = Room::get(&mut conn, path.into_inner()).await?;
    let resource = render::room_resource(&mut conn, &state.settings, &room).await?;
    Ok(HttpResponse::Ok().json(resource))
}

/// Changes the password (double option), waiting room or encryption flag.
/// The answer names the room's real creator.
#[utoipa::path(
    tag = "rooms",
    operation_id = "patch_room",
    params(("room_id" = uuid::Uuid, Path, description = "The room id")),
    request_body = PatchRoomsRequestBody,
    responses(
        (status = 200, body = RoomResource),
        (status = 400), (status = 401), (status = 403), (status = 404),
    ),
)]
#[patch("/rooms/{room_id}")]
pub async fn patch_room(
    state: web::Data<AppState>,
    _me: AuthenticatedUser,
    path: web::Path<RoomId>,
    body: web::Json<PatchRoomsRequestBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let changes = UpdateRoom {
        password: body.password.map(|p| p.map(|p| p.into_inner())),
        waiting_room: body.waiting_room,
        e2e_encryption: body.e2e_encryption,
    };
    let mut conn = state.conn().await?;
    let room = Room::update(&mut conn, path.into_inner(), changes).await?;
    let resource = render::room_resource(&mut conn, &state.settings, &room).await?;
    Ok(HttpResponse::Ok().json(resource))
}
