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
use conclave_db::models::event::{DeleteEventOutcome, Event};
use conclave_db::models::event_shared_folder::EventSharedFolder;
use conclave_db::models::invite::Invite;
use conclave_domain::access::delete_event;
use conclave_domain::ids::EventId;
use diesel_async::AsyncConnection;
use serde::Deserialize;

use super::folder;
use crate::auth::AuthenticatedUser;
use crate::error::ApiError;
use crate::state::AppState;

/// Query flags of `DELETE /events/{id}`. There is no mail port yet, so
/// `suppress_email_notification` changes nothing.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeleteEventQuery {
    /// Delete the event even if the shared folder cannot be removed.
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
    query: web::Query<DeleteEventQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let force = query
        .force_delete_reference_if_external_services_fail
        .unwrap_or(false);
    let mut conn = state.conn().await?;
    // Events of disabled creators are 404 for users (rules.md §6.1).
    Event::get(&mut conn, id).await?;
    // The external folder goes first (§10.1 step 3); the transaction then
    // aborts if the row changed meanwhile (step 4).
    let seen = EventSharedFolder::find(&mut conn, id).await?;
    if let Some(row) = &seen {
        folder::remove_at_provider(&state, row, force).await?;
    }
    let invalidation = conn
        .transaction::<_, ApiError, _>(async |conn| delete_rows(conn, id, seen.as_ref()).await)
        .await?;
    state.authz.invalidate(&invalidation);
    Ok(HttpResponse::NoContent().finish())
}

/// The database deletes and the rule removal, in one transaction.
async fn delete_rows(
    conn: &mut DbConnection,
    id: EventId,
    seen: Option<&EventSharedFolder>,
) -> Result<Invalidation, ApiError> {
    let room = Event::get(conn, id).await?.room;
    let codes = Invite::list_ids_for_room(conn, room).await?;
    let deleted = match Event::delete_cascade_if_folder_unchanged(conn, id, seen).await? {
        DeleteEventOutcome::Deleted(deleted) => deleted,
        DeleteEventOutcome::SharedFolderChanged => {
            return Err(ApiError::conflict()
                .with_message("The shared folder of the event changed meanwhile; please retry"));
        }
    };
    if !deleted.assets.is_empty() {
        // There is no asset storage adapter yet, so only the rows exist.
        tracing::info!(event = %id, assets = deleted.assets.len(), "deleted event assets");
    }
    let change = delete_event(id, deleted.room, &codes, &deleted.module_resources);
    Ok(apply_change(conn, &change).await?)
}
