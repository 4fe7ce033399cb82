//! Role changes of invites (rules.md §7.6): only the role changes, and only
//! the event's creator may change it (403, checked in addition to the ACL).

use actix_web::{HttpResponse, patch, web};
use conclave_db::DbConnection;
use conclave_db::models::event::Event;
use conclave_db::models::event_email_invite::EventEmailInvite;
use conclave_db::models::event_invite::{EventInvite, UpdateEventInvite};
use conclave_domain::ids::{EventId, UserId};
use conclave_domain::invite::answer::may_change_invite_role;

use crate::auth::AuthenticatedUser;
use crate::dto::event::invite::{PatchEmailInviteBody, PatchInviteBody};
use crate::error::ApiError;
use crate::state::AppState;

/// The event, if `me` created it: 404 for an unknown event, 403 otherwise.
async fn event_of_creator(
    conn: &mut DbConnection,
    me: &AuthenticatedUser,
    id: EventId,
) -> Result<Event, ApiError> {
    let event = Event::get(conn, id).await?;
    if !may_change_invite_role(me.user.id, event.created_by) {
        return Err(ApiError::forbidden());
    }
    Ok(event)
}

/// Changes the role of a user invite; an absent role changes nothing.
#[utoipa::path(
    tag = "events",
    operation_id = "update_invite_to_event",
    params(
        ("event_id" = uuid::Uuid, Path, description = "The event id"),
        ("user_id" = uuid::Uuid, Path, description = "The invited user"),
    ),
    request_body = PatchInviteBody,
    responses(
        (status = 204, description = "The invite was updated"),
        (status = 400, description = "Bad JSON or role"),
        (status = 401),
        (status = 403, description = "Only the creator of an event can update its invites"),
        (status = 404, description = "No such event or invite"),
    ),
)]
#[patch("/events/{event_id}/invites/{user_id}")]
pub async fn update_invite_to_event(
    state: web::Data<AppState>,
    me: AuthenticatedUser,
    path: web::Path<(EventId, UserId)>,
    body: web::Json<PatchInviteBody>,
) -> Result<HttpResponse, ApiError> {
    let (id, invitee) = path.into_inner();
    let mut conn = state.conn().await?;
    let event = event_of_creator(&mut conn, &me, id).await?;
    let changes = UpdateEventInvite {
        status: None,
        role: body.into_inner().role,
    };
    EventInvite::update(&mut conn, event.id, invitee, changes).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Changes the role of an email invite; an absent or `null` role changes
/// nothing.
#[utoipa::path(
    tag = "events",
    operation_id = "update_email_invite_to_event",
    params(("event_id" = uuid::Uuid, Path, description = "The event id")),
    request_body = PatchEmailInviteBody,
    responses(
        (status = 204, description = "The invite was updated"),
        (status = 400, description = "Bad JSON, address or role"),
        (status = 401),
        (status = 403, description = "Only the creator of an event can update its invites"),
        (status = 404, description = "No such event or invite"),
    ),
)]
#[patch("/events/{event_id}/invites/email")]
pub async fn update_email_invite_to_event(
    state: web::Data<AppState>,
    me: AuthenticatedUser,
    path: web::Path<EventId>,
    body: web::Json<PatchEmailInviteBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let mut conn = state.conn().await?;
    let event = event_of_creator(&mut conn, &me, path.into_inner()).await?;
    let email = body.email.as_str();
    match body.role {
        Some(role) => EventEmailInvite::update_role(&mut conn, event.id, email, role).await?,
        None => EventEmailInvite::get(&mut conn, event.id, email).await?,
    };
    Ok(HttpResponse::NoContent().finish())
}
