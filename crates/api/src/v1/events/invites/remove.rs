//! Uninviting (rules.md §7.7). Removing a registered invitee deletes the
//! invite, the **invitee's** favourite and every rule of the invitee
//! on the event and its room, in one transaction; the remover keeps
//! everything. Removing an external address deletes only its email invite;
//! a room code created for it stays active.

use actix_web::{HttpResponse, delete, web};
use chrono::Utc;
use conclave_db::DbConnection;
use conclave_db::authz::{Invalidation, apply_change};
use conclave_db::models::event::Event;
use conclave_db::models::event_email_invite::EventEmailInvite;
use conclave_db::models::event_invite::EventInvite;
use conclave_db::models::user::User;
use conclave_domain::ids::{EventId, UserId};
use conclave_domain::invite::answer::{plan_uninvite, should_send_uninvite_mail};
use diesel_async::AsyncConnection;

use crate::auth::AuthenticatedUser;
use crate::dto::event::invite::{DeleteEmailInviteBody, NotificationQuery};
use crate::error::ApiError;
use crate::state::AppState;

/// Uninvites a registered user.
#[utoipa::path(
    tag = "events",
    operation_id = "delete_invite_to_event",
    params(
        ("event_id" = uuid::Uuid, Path, description = "The event id"),
        ("user_id" = uuid::Uuid, Path, description = "The invited user"),
        NotificationQuery,
    ),
    responses(
        (status = 204, description = "The user was uninvited"),
        (status = 401), (status = 403),
        (status = 404, description = "No such event or invite"),
    ),
)]
#[delete("/events/{event_id}/invites/{user_id}")]
pub async fn delete_invite_to_event(
    state: web::Data<AppState>,
    _me: AuthenticatedUser,
    path: web::Path<(EventId, UserId)>,
    query: web::Query<NotificationQuery>,
) -> Result<HttpResponse, ApiError> {
    let (id, invitee) = path.into_inner();
    let mut conn = state.conn().await?;
    let event = Event::get(&mut conn, id).await?;
    let invalidation = conn
        .transaction::<_, ApiError, _>(async |conn| uninvite_user(conn, &event, invitee).await)
        .await?;
    state.authz.invalidate(&invalidation);
    log_uninvite_mail(&event, query.suppressed(), Some(invitee));
    Ok(HttpResponse::NoContent().finish())
}

/// Uninvites by address: the invite of an active user of the tenant with
/// that address, else the email invite.
#[utoipa::path(
    tag = "events",
    operation_id = "delete_email_invite_to_event",
    params(("event_id" = uuid::Uuid, Path, description = "The event id"), NotificationQuery),
    request_body = DeleteEmailInviteBody,
    responses(
        (status = 204, description = "The invite was deleted"),
        (status = 400, description = "Bad JSON or address"),
        (status = 401), (status = 403),
        (status = 404, description = "No such event or invite"),
    ),
)]
#[delete("/events/{event_id}/invites/email")]
pub async fn delete_email_invite_to_event(
    state: web::Data<AppState>,
    me: AuthenticatedUser,
    path: web::Path<EventId>,
    query: web::Query<NotificationQuery>,
    body: web::Json<DeleteEmailInviteBody>,
) -> Result<HttpResponse, ApiError> {
    let email = body.into_inner().email;
    let mut conn = state.conn().await?;
    let event = Event::get(&mut conn, path.into_inner()).await?;
    let user = User::find_active_by_email(&mut conn, me.tenant.id, email.as_str()).await?;
    let invalidation = conn
        .transaction::<_, ApiError, _>(async |conn| match &user {
            Some(user) => uninvite_user(conn, &event, user.id).await,
            None => {
                EventEmailInvite::delete(conn, event.id, email.as_str()).await?;
                Ok(Invalidation::default())
            }
        })
        .await?;
    state.authz.invalidate(&invalidation);
    log_uninvite_mail(&event, query.suppressed(), user.map(|u| u.id));
    Ok(HttpResponse::NoContent().finish())
}

/// Deletes the invite (none → 404) and the invitee's favourite, and revokes
/// the invitee's rules on the event and its room.
async fn uninvite_user(
    conn: &mut DbConnection,
    event: &Event,
    invitee: UserId,
) -> Result<Invalidation, ApiError> {
    let plan = plan_uninvite(event.id, event.room, invitee);
    let (event_id, invitee) = plan.invite;
    // `uninvite` deletes exactly `plan.favorite`: the invitee's row.
    EventInvite::uninvite(conn, event_id, invitee).await?;
    Ok(apply_change(conn, &plan.access).await?)
}

/// Conclave has no mail provider; the uninvite mail decision is logged
/// (with the user id, never an address).
fn log_uninvite_mail(event: &Event, suppressed: bool, user: Option<UserId>) {
    if should_send_uninvite_mail(suppressed, event.ends_at, Utc::now()) {
        tracing::info!(event = %event.id, user = ?user, "uninvite mail not sent: no mail provider");
    }
}
