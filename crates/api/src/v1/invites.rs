//! Room invite codes: `/v1/rooms/{id}/invites…` (api.md §7.4, rules.md §7.9)
//! and, in [`verify`], the public `POST /v1/invite/verify`.
//!
//! A code's guest-read rules exist exactly while the code is valid (active
//! and not expired): creating a valid code grants them, in the same
//! transaction; a change of the expiration grants or revokes them to match;
//! the soft delete revokes them.

pub mod verify;

use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use chrono::Utc;
use conclave_db::DbConnection;
use conclave_db::authz::{Invalidation, apply_change};
use conclave_db::models::invite::{Invite, NewInvite};
use conclave_db::models::room::Room;
use conclave_domain::access::{create_invite_code, delete_invite_code};
use conclave_domain::ids::{InviteCodeId, RoomId};
use conclave_domain::invite::code::is_valid;
use diesel_async::AsyncConnection;

use crate::auth::AuthenticatedUser;
use crate::dto::invite::{InviteResource, PostInviteRequestBody, PutInviteRequestBody};
use crate::error::ApiError;
use crate::pagination::{PageQuery, page_links};
use crate::state::AppState;
use crate::v1::rooms::render::Profiles;

/// The room's codes, inactive ones included, most recently updated first.
#[utoipa::path(
    tag = "invites",
    operation_id = "get_invites",
    params(
        ("room_id" = uuid::Uuid, Path, description = "The room id"),
        ("per_page" = Option<i64>, Query, description = "Items per page, 1..=100 (default 30)"),
        ("page" = Option<i64>, Query, description = "The 1-based page (default 1)"),
    ),
    responses(
        (status = 200, body = Vec<InviteResource>, headers(("link" = String))),
        (status = 400), (status = 401), (status = 403), (status = 404),
    ),
)]
#[get("/rooms/{room_id}/invites")]
pub async fn get_invites(
    req: HttpRequest,
    state: web::Data<AppState>,
    _me: AuthenticatedUser,
    path: web::Path<RoomId>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = query.request()?;
    let mut conn = state.conn().await?;
    let room = Room::get(&mut conn, path.into_inner()).await?;
    let invites = Invite::list_for_room(&mut conn, room.id, page).await?;
    let resources = render(&mut conn, &state, &invites.items).await?;
    Ok(HttpResponse::Ok()
        .insert_header((
            "link",
            page_links(&req, page.page, page.per_page, invites.total),
        ))
        .json(resources))
}

/// Creates an active code; a past expiration is accepted (the code is then
/// born expired and gets no rules).
#[utoipa::path(
    tag = "invites",
    operation_id = "add_invite",
    params(("room_id" = uuid::Uuid, Path, description = "The room id")),
    request_body = PostInviteRequestBody,
    responses(
        (status = 200, body = InviteResource),
        (status = 400), (status = 401), (status = 403), (status = 404),
    ),
)]
#[post("/rooms/{room_id}/invites")]
pub async fn add_invite(
    state: web::Data<AppState>,
    me: AuthenticatedUser,
    path: web::Path<RoomId>,
    body: web::Json<PostInviteRequestBody>,
) -> Result<HttpResponse, ApiError> {
    let new = NewInvite {
        created_by: me.user.id,
        room: path.into_inner(),
        expiration: body.into_inner().expiration,
    };
    let mut conn = state.conn().await?;
    let (invite, invalidation) = conn
        .transaction::<_, ApiError, _>(async |conn| {
            Room::get(conn, new.room).await?;
            let invite = new.insert(conn).await?;
            let invalidation = sync_rules(conn, &invite).await?;
            Ok((invite, invalidation))
        })
        .await?;
    state.authz.invalidate(&invalidation);
    Ok(HttpResponse::Ok().json(render_one(&mut conn, &state, &invite).await?))
}

/// One code of the room; a code of another room is 404.
#[utoipa::path(
    tag = "invites",
    operation_id = "get_invite",
    params(
        ("room_id" = uuid::Uuid, Path, description = "The room id"),
        ("invite_code" = uuid::Uuid, Path, description = "The invite code"),
    ),
    responses(
        (status = 200, body = InviteResource),
        (status = 401), (status = 403), (status = 404),
    ),
)]
#[get("/rooms/{room_id}/invites/{invite_code}")]
pub async fn get_invite(
    state: web::Data<AppState>,
    _me: AuthenticatedUser,
    path: web::Path<(RoomId, InviteCodeId)>,
) -> Result<HttpResponse, ApiError> {
    let (room, code) = path.into_inner();
    let mut conn = state.conn().await?;
    let invite = Invite::get_for_room(&mut conn, room, code).await?;
    Ok(HttpResponse::Ok().json(render_one(&mut conn, &state, &invite).await?))
}

/// Sets or clears the expiration. `active` stays as it is, so a deleted
/// code cannot be revived; the code's rules follow its new validity.
#[utoipa::path(
    tag = "invites",
    operation_id = "update_invite",
    params(
        ("room_id" = uuid::Uuid, Path, description = "The room id"),
        ("invite_code" = uuid::Uuid, Path, description = "The invite code"),
    ),
    request_body = PutInviteRequestBody,
    responses(
        (status = 200, body = InviteResource),
        (status = 400), (status = 401), (status = 403), (status = 404),
    ),
)]
#[put("/rooms/{room_id}/invites/{invite_code}")]
pub async fn update_invite(
    state: web::Data<AppState>,
    me: AuthenticatedUser,
    path: web::Path<(RoomId, InviteCodeId)>,
    body: web::Json<PutInviteRequestBody>,
) -> Result<HttpResponse, ApiError> {
    let (room, code) = path.into_inner();
    let expiration = body.into_inner().expiration;
    let mut conn = state.conn().await?;
    let (invite, invalidation) = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let invite =
                Invite::update_expiration(conn, room, code, expiration, me.user.id).await?;
            let invalidation = sync_rules(conn, &invite).await?;
            Ok((invite, invalidation))
        })
        .await?;
    state.authz.invalidate(&invalidation);
    Ok(HttpResponse::Ok().json(render_one(&mut conn, &state, &invite).await?))
}

/// Revokes a code: a soft delete (`active = false`; the row stays) and the
/// removal of its rules, in one transaction.
#[utoipa::path(
    tag = "invites",
    operation_id = "delete_invite",
    params(
        ("room_id" = uuid::Uuid, Path, description = "The room id"),
        ("invite_code" = uuid::Uuid, Path, description = "The invite code"),
    ),
    responses(
        (status = 204, description = "The code was revoked"),
        (status = 401), (status = 403), (status = 404),
    ),
)]
#[delete("/rooms/{room_id}/invites/{invite_code}")]
pub async fn delete_invite(
    state: web::Data<AppState>,
    me: AuthenticatedUser,
    path: web::Path<(RoomId, InviteCodeId)>,
) -> Result<HttpResponse, ApiError> {
    let (room, code) = path.into_inner();
    let mut conn = state.conn().await?;
    let invalidation = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let invite = Invite::deactivate(conn, room, code, me.user.id).await?;
            sync_rules(conn, &invite).await
        })
        .await?;
    state.authz.invalidate(&invalidation);
    Ok(HttpResponse::NoContent().finish())
}

/// Grants the code's guest-read rules if it is valid now, else removes them
/// (both are idempotent).
async fn sync_rules(conn: &mut DbConnection, invite: &Invite) -> Result<Invalidation, ApiError> {
    let change = if is_valid(invite.active, invite.expiration, Utc::now()) {
        create_invite_code(invite.id, invite.room)
    } else {
        delete_invite_code(invite.id, invite.room)
    };
    Ok(apply_change(conn, &change).await?)
}

async fn render(
    conn: &mut DbConnection,
    state: &AppState,
    invites: &[Invite],
) -> Result<Vec<InviteResource>, ApiError> {
    let users = invites.iter().flat_map(|i| [i.created_by, i.updated_by]);
    let profiles = Profiles::load(conn, &state.settings, users).await?;
    invites
        .iter()
        .map(|invite| {
            Ok(InviteResource::of(
                invite,
                profiles.get(invite.created_by)?,
                profiles.get(invite.updated_by)?,
            ))
        })
        .collect()
}

async fn render_one(
    conn: &mut DbConnection,
    state: &AppState,
    invite: &Invite,
) -> Result<InviteResource, ApiError> {
    let mut rendered = render(conn, state, std::slice::from_ref(invite)).await?;
    rendered
        .pop()
        .ok_or_else(|| ApiError::internal("rendering an invite produced nothing"))
}
