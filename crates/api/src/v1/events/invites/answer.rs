//! The invitee's own answer (rules.md §7.3): accept (`PATCH`) or decline
//! (`DELETE`) `/events/{id}/invite`. There is no state machine: any status
//! is overwritten, the row stays, and declining removes no access.

use actix_web::{HttpResponse, delete, patch, web};
use conclave_db::models::event::Event;
use conclave_db::models::event_invite::{EventInvite, UpdateEventInvite};
use conclave_domain::ids::EventId;
use conclave_domain::invite::answer::InviteAnswer;

use crate::auth::AuthenticatedUser;
use crate::error::ApiError;
use crate::state::AppState;

/// Stores `answer` on the caller's own invite; 404 without one.
async fn answer(
    state: &AppState,
    me: &AuthenticatedUser,
    id: EventId,
    answer: InviteAnswer,
) -> Result<HttpResponse, ApiError> {
    let mut conn = state.conn().await?;
    let event = Event::get(&mut conn, id).await?;
    let changes = UpdateEventInvite {
        status: Some(answer.status()),
        role: None,
    };
    EventInvite::update(&mut conn, event.id, me.user.id, changes).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Accepts the caller's invitation.
#[utoipa::path(
    tag = "events",
    operation_id = "accept_event_invite",
    params(("event_id" = uuid::Uuid, Path, description = "The event id")),
    responses(
        (status = 204, description = "Invitation was accepted"),
        (status = 401), (status = 403),
        (status = 404, description = "No such event, or the caller has no invite"),
    ),
)]
#[patch("/events/{event_id}/invite")]
pub async fn accept_event_invite(
    state: web::Data<AppState>,
    me: AuthenticatedUser,
    path: web::Path<EventId>,
) -> Result<HttpResponse, ApiError> {
    answer(&state, &me, path.into_inner(), InviteAnswer::Accept).await
}

/// Declines the caller's invitation; the row and all access stay.
#[utoipa::path(
    tag = "events",
    operation_id = "decline_event_invite",
    params(("event_id" = uuid::Uuid, Path, description = "The event id")),
    responses(
        (status = 204, description = "Invitation was declined"),
        (status = 401), (status = 403),
        (status = 404, description = "No such event, or the caller has no invite"),
    ),
)]
#[delete("/events/{event_id}/invite")]
pub async fn decline_event_invite(
    state: web::Data<AppState>,
    me: AuthenticatedUser,
    path: web::Path<EventId>,
) -> Result<HttpResponse, ApiError> {
    answer(&state, &me, path.into_inner(), InviteAnswer::Decline).await
}
