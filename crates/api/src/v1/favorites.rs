//! Favourites and pending invites: /v1/users/me/event_favorites/{id}, /v1/users/me/pending_invites (api.md §7.2).
//!
//! The ACL answers first: the favourite path is granted per event to its
//! creator and invitees (event read, rules.md §11.4), so unknown or foreign
//! event ids get 403 before these handlers run.

use actix_web::{HttpResponse, delete, get, put, web};
use conclave_db::models::event::Event;
use conclave_db::models::event_favorite::{EventFavorite, FavoritePut};
use conclave_db::models::event_invite::EventInvite;
use conclave_domain::ids::EventId;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::AuthenticatedUser;
use crate::error::ApiError;
use crate::state::AppState;

/// The body of `GET /users/me/pending_invites`
/// (`GetEventInvitesPendingResponseBody`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct GetEventInvitesPendingResponseBody {
    /// The caller's user invites with status `pending` (email invites are
    /// not counted).
    #[schema(minimum = 0)]
    pub total_pending_invites: i32,
}

/// Marks an event as the caller's favourite.
#[utoipa::path(
    tag = "events",
    params(("event_id" = uuid::Uuid, Path, description = "The event id")),
    responses(
        (status = 201, description = "The event became a favourite"),
        (status = 204, description = "The event already was a favourite"),
        (status = 401), (status = 403),
        (status = 404, description = "Unknown event or its creator is disabled"),
    ),
)]
#[put("/users/me/event_favorites/{event_id}")]
pub async fn add_event_to_favorites(
    state: web::Data<AppState>,
    me: AuthenticatedUser,
    path: web::Path<EventId>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = state.conn().await?;
    // Events of disabled creators are hidden (rules.md §15): NotFound.
    let event = Event::get(&mut conn, path.into_inner()).await?;
    Ok(
        match EventFavorite::put(&mut conn, me.user.id, event.id).await? {
            FavoritePut::Created => HttpResponse::Created().finish(),
            FavoritePut::AlreadyExists => HttpResponse::NoContent().finish(),
        },
    )
}

/// Removes an event from the caller's favourites.
#[utoipa::path(
    tag = "events",
    params(("event_id" = uuid::Uuid, Path, description = "The event id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 401), (status = 403),
        (status = 404, description = "The event was no favourite"),
    ),
)]
#[delete("/users/me/event_favorites/{event_id}")]
pub async fn remove_event_from_favorites(
    state: web::Data<AppState>,
    me: AuthenticatedUser,
    path: web::Path<EventId>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = state.conn().await?;
    EventFavorite::delete(&mut conn, me.user.id, path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The number of the caller's pending event invitations (R-24: upstream
/// never routes this; Conclave does).
#[utoipa::path(
    tag = "events",
    responses(
        (status = 200, body = GetEventInvitesPendingResponseBody),
        (status = 401),
    ),
)]
#[get("/users/me/pending_invites")]
pub async fn get_event_invites_pending(
    state: web::Data<AppState>,
    me: AuthenticatedUser,
) -> Result<HttpResponse, ApiError> {
    let mut conn = state.conn().await?;
    let count = EventInvite::count_pending_for_user(&mut conn, me.user.id).await?;
    // The document declares int32; saturate rather than wrap.
    let total_pending_invites = i32::try_from(count).unwrap_or(i32::MAX);
    Ok(HttpResponse::Ok().json(GetEventInvitesPendingResponseBody {
        total_pending_invites,
    }))
}
