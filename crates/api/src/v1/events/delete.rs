//! `DELETE /events/{id}`: the event deleter (rules.md §10.1).
//!
//! One transaction deletes the event with its room and everything they own
//! (`Event::delete_cascade`) and removes every rule the event created
//! all subjects' rules on the event, its favourite path and its
//! room (`/sip` included), the rules of the room's invite-code subjects and
//! of the deleted module resources.

use actix_web::{HttpResponse, delete, web};
use conclave_db::DbConnection;
use conclave_db::authz::{Invalidation, apply_change};
use conclave_db::models::event::Event;
use conclave_db::models::invite::Invite;
use conclave_domain::access::delete_event;
use conclave_domain::ids::EventId;
use diesel_async::AsyncConnection;
use serde::Deserialize;

use crate::auth::AuthenticatedUser;
use crate::error::ApiError;
use crate::state::AppState;

/// Query flags of `DELETE /events/{id}`, accepted for compatibility: no
/// external service or mail port is wired in yet.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeleteEventQuery {
    /// Delete the event even if external services fail.
    pub force_delete_reference_if_external_services_fail: Option<bool>,
    /// Suppress cancellation mails.
    pub suppress_email_notification: Option<bool>,
}

/// Deletes an event, its room and what they own, with every access rule
/// the event created.
#[utoipa::path(
    tag = "events",
    operation_id = "delete_event",
    params(("event_id" = uuid::Uuid, Path, description = "The event id"), DeleteEventQuery),
    responses(
        (status = 204, description = "The event was deleted"),
        (status = 401), (status = 403), (status = 404),
    ),
)]
#[delete("/events/{event_id}")]
pub async fn delete_event_handler(
    state: web::Data<AppState>,
    _me: AuthenticatedUser,
    path: web::Path<EventId>,
    _query: web::Query<DeleteEventQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let mut conn = state.conn().await?;
    let invalidation = conn
        .transaction::<_, ApiError, _>(async |conn| delete_rows(conn, id).await)
        .await?;
    state.authz.invalidate(&invalidation);
    Ok(HttpResponse::NoContent().finish())
}

/// The database deletes and the rule removal, in one transaction.
async fn delete_rows(conn: &mut DbConnection, id: EventId) -> Result<Invalidation, ApiError> {
    // Events of disabled creators are 404 for users (rules.md §6.1).
    let event = Event::get(conn, id).await?;
    let codes = Invite::list_ids_for_room(conn, event.room).await?;
    let deleted = Event::delete_cascade(conn, id).await?;
    if !deleted.assets.is_empty() {
        // There is no asset storage adapter yet, so only the rows exist.
        tracing::info!(event = %id, assets = deleted.assets.len(), "deleted event assets");
    }
    let change = delete_event(id, deleted.room, &codes, &deleted.module_resources);
    Ok(apply_change(conn, &change).await?)
}
