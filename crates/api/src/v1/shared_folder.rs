//! Shared folders: /v1/events/{id}/shared_folder (api.md §7.11).
//!
//! The folder itself lives at an external provider behind
//! [`crate::shared_folder::SharedFolderProvider`]; this module keeps the
//! `event_shared_folders` row in step. Mail notifications do not exist in
//! Conclave, so `suppress_email_notification` is accepted and has no effect.

use actix_web::{HttpResponse, delete, get, put, web};
use conclave_db::models::event::Event;
use conclave_db::models::event_shared_folder::{
    EventSharedFolder, NewEventSharedFolder, SharedFolderInsert,
};
use conclave_domain::ids::EventId;
use serde::Deserialize;

use crate::auth::AuthenticatedUser;
use crate::dto::shared_folder::SharedFolder;
use crate::error::ApiError;
use crate::shared_folder::{
    CreatedFolder, FolderLocation, NOT_CONFIGURED, SharedFolderProvider, is_deletable,
};
use crate::state::AppState;

/// `?suppress_email_notification=` of `PUT`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct PutSharedFolderQuery {
    /// Accepted for compatibility; Conclave sends no mail.
    pub suppress_email_notification: Option<bool>,
}

/// The query of `DELETE`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct DeleteSharedFolderQuery {
    /// Remove the row even when the provider fails to delete the folder.
    pub force_delete_reference_if_shared_folder_deletion_fails: Option<bool>,
    /// Accepted for compatibility; Conclave sends no mail.
    pub suppress_email_notification: Option<bool>,
}

/// The configured provider, or 400 "No shared folder configured …".
fn provider(state: &AppState) -> Result<&dyn SharedFolderProvider, ApiError> {
    state
        .shared_folders
        .as_deref()
        .ok_or_else(|| ApiError::bad_request(NOT_CONFIGURED))
}

/// The event's shared folder: `read` for everyone with access, `read_write`
/// only for the creator.
#[utoipa::path(
    tag = "events",
    params(("event_id" = uuid::Uuid, Path, description = "The event id")),
    responses(
        (status = 200, body = SharedFolder),
        (status = 401), (status = 403),
        (status = 404, description = "Unknown event or no shared folder"),
    ),
)]
#[get("/events/{event_id}/shared_folder")]
pub async fn get_shared_folder_for_event(
    state: web::Data<AppState>,
    me: AuthenticatedUser,
    path: web::Path<EventId>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = state.conn().await?;
    let event = Event::get(&mut conn, path.into_inner()).await?;
    let row = EventSharedFolder::get(&mut conn, event.id).await?;
    let is_creator = event.created_by == me.user.id;
    Ok(HttpResponse::Ok().json(SharedFolder::of(&row, is_creator)))
}

/// Creates the event's shared folder unless it has one (A-15: 200 both when
/// created and when it already existed).
#[utoipa::path(
    tag = "events",
    params(
        ("event_id" = uuid::Uuid, Path, description = "The event id"),
        PutSharedFolderQuery,
    ),
    responses(
        (status = 200, body = SharedFolder, description = "Created, or already present"),
        (status = 400, description = "No shared folder configured for this server"),
        (status = 401), (status = 403), (status = 404),
        (status = 500, description = "The provider failed"),
    ),
)]
#[put("/events/{event_id}/shared_folder")]
pub async fn put_shared_folder_for_event(
    state: web::Data<AppState>,
    _me: AuthenticatedUser,
    path: web::Path<EventId>,
    _query: web::Query<PutSharedFolderQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = state.conn().await?;
    let event = Event::get(&mut conn, path.into_inner()).await?;
    // Idempotent (rules.md §16): an existing folder is returned unchanged,
    // even without a provider. Only the creator passes the ACL here.
    if let Some(row) = EventSharedFolder::find(&mut conn, event.id).await? {
        return Ok(HttpResponse::Ok().json(SharedFolder::of(&row, true)));
    }
    let provider = provider(&state)?;
    let created = provider
        .create(event.id)
        .await
        .map_err(ApiError::internal)?;
    let location = location_of_created(&created);
    let row = match new_row(event.id, created)
        .insert_if_absent(&mut conn)
        .await?
    {
        SharedFolderInsert::Inserted(row) => row,
        SharedFolderInsert::AlreadyExists(row) => {
            // A concurrent request won; drop the folder made for nothing.
            if let Err(err) = provider.delete(location).await {
                tracing::warn!(%err, "cannot remove a surplus shared folder");
            }
            row
        }
    };
    Ok(HttpResponse::Ok().json(SharedFolder::of(&row, true)))
}

/// Deletes the event's shared folder at the provider and its row; 204 also
/// when there was none.
#[utoipa::path(
    tag = "events",
    params(
        ("event_id" = uuid::Uuid, Path, description = "The event id"),
        DeleteSharedFolderQuery,
    ),
    responses(
        (status = 204, description = "Deleted, or there was none"),
        (status = 400, description = "No shared folder configured for this server"),
        (status = 401), (status = 403), (status = 404),
        (status = 500, description = "The provider failed and the deletion was not forced"),
    ),
)]
#[delete("/events/{event_id}/shared_folder")]
pub async fn delete_shared_folder_for_event(
    state: web::Data<AppState>,
    _me: AuthenticatedUser,
    path: web::Path<EventId>,
    query: web::Query<DeleteSharedFolderQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = state.conn().await?;
    let event = Event::get(&mut conn, path.into_inner()).await?;
    let Some(row) = EventSharedFolder::find(&mut conn, event.id).await? else {
        return Ok(HttpResponse::NoContent().finish());
    };
    let provider = provider(&state)?;
    let force = query
        .force_delete_reference_if_shared_folder_deletion_fails
        .unwrap_or(false);
    if let Err(err) = remove_at_provider(provider, &row).await {
        if !force {
            return Err(ApiError::internal(err));
        }
        tracing::warn!(%err, event = %event.id, "shared folder deletion failed; forced");
    }
    match EventSharedFolder::delete(&mut conn, event.id).await {
        // Deleted concurrently: the outcome is the same.
        Ok(()) | Err(conclave_db::DbError::NotFound) => {}
        Err(err) => return Err(err.into()),
    }
    Ok(HttpResponse::NoContent().finish())
}

/// Removes the folder at the provider, refusing root-like paths.
async fn remove_at_provider(
    provider: &dyn SharedFolderProvider,
    row: &EventSharedFolder,
) -> Result<(), String> {
    if !is_deletable(&row.path) {
        return Err(format!(
            "refusing to delete shared folder path {:?}",
            row.path
        ));
    }
    let location = FolderLocation {
        path: row.path.clone(),
        write_share_id: row.write_share_id.clone(),
        read_share_id: row.read_share_id.clone(),
    };
    provider.delete(location).await.map_err(|e| e.to_string())
}

fn location_of_created(created: &CreatedFolder) -> FolderLocation {
    FolderLocation {
        path: created.path.clone(),
        write_share_id: created.write.id.clone(),
        read_share_id: created.read.id.clone(),
    }
}

fn new_row(event_id: EventId, created: CreatedFolder) -> NewEventSharedFolder {
    NewEventSharedFolder {
        event_id,
        path: created.path,
        write_share_id: created.write.id,
        write_url: created.write.url,
        write_password: created.write.password,
        read_share_id: created.read.id,
        read_url: created.read.url,
        read_password: created.read.password,
    }
}
