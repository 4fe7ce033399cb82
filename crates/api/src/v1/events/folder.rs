//! The shared folder as part of event creation, change and deletion
//! (rules.md §16, §10.1 step 3), through the provider port of
//! [`crate::shared_folder`]. Without a provider these operations answer
//! 400 "No shared folder configured for this server".

use conclave_db::DbConnection;
use conclave_db::models::event_shared_folder::{
    EventSharedFolder, NewEventSharedFolder, SharedFolderInsert,
};
use conclave_domain::ids::EventId;

use crate::error::ApiError;
use crate::shared_folder::{FolderLocation, NOT_CONFIGURED, SharedFolderProvider, is_deletable};
use crate::state::AppState;

/// The configured provider, or the 400 of rules.md §16.
pub fn provider(state: &AppState) -> Result<&dyn SharedFolderProvider, ApiError> {
    state
        .shared_folders
        .as_deref()
        .ok_or_else(|| ApiError::bad_request(NOT_CONFIGURED))
}

/// Creates the event's folder at the provider and stores its row, unless
/// the event has one already (idempotent). Provider errors are 500.
pub async fn ensure_folder(
    conn: &mut DbConnection,
    state: &AppState,
    event: EventId,
) -> Result<(), ApiError> {
    if EventSharedFolder::find(conn, event).await?.is_some() {
        return Ok(());
    }
    let provider = provider(state)?;
    let created = provider.create(event).await.map_err(ApiError::internal)?;
    let location = FolderLocation {
        path: created.path.clone(),
        write_share_id: created.write.id.clone(),
        read_share_id: created.read.id.clone(),
    };
    let row = NewEventSharedFolder {
        event_id: event,
        path: created.path,
        write_share_id: created.write.id,
        write_url: created.write.url,
        write_password: created.write.password,
        read_share_id: created.read.id,
        read_url: created.read.url,
        read_password: created.read.password,
    };
    if let SharedFolderInsert::AlreadyExists(_) = row.insert_if_absent(conn).await? {
        // A concurrent request won; drop the folder made for nothing.
        if let Err(err) = provider.delete(location).await {
            tracing::warn!(%err, %event, "cannot remove a surplus shared folder");
        }
    }
    Ok(())
}

/// Removes `row`'s folder at the provider (not the row). Root-like paths
/// are refused. With `force`, failures (and a missing provider) are only
/// logged (rules.md §16 "Deletion").
pub async fn remove_at_provider(
    state: &AppState,
    row: &EventSharedFolder,
    force: bool,
) -> Result<(), ApiError> {
    let result = match provider(state) {
        Err(no_provider) if !force => return Err(no_provider),
        Err(_) => Err("no shared folder provider configured".to_owned()),
        Ok(_) if !is_deletable(&row.path) => Err(format!(
            "refusing to delete shared folder path {:?}",
            row.path
        )),
        Ok(provider) => provider
            .delete(FolderLocation {
                path: row.path.clone(),
                write_share_id: row.write_share_id.clone(),
                read_share_id: row.read_share_id.clone(),
            })
            .await
            .map_err(|e| e.to_string()),
    };
    match result {
        Ok(()) => Ok(()),
        Err(err) if force => {
            tracing::warn!(%err, event = %row.event_id, "shared folder deletion failed; forced");
            Ok(())
        }
        Err(err) => Err(ApiError::internal(err)),
    }
}

/// Removes the event's folder, at the provider and its row, if it has one
/// (`PATCH` with `has_shared_folder: false`).
pub async fn remove_folder(
    conn: &mut DbConnection,
    state: &AppState,
    event: EventId,
) -> Result<(), ApiError> {
    if let Some(row) = EventSharedFolder::find(conn, event).await? {
        remove_at_provider(state, &row, false).await?;
        EventSharedFolder::delete(conn, event).await?;
    }
    Ok(())
}
