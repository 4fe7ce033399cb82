//! Shared folder wire types (api.md §6.2).

use conclave_db::models::event_shared_folder::EventSharedFolder;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How to reach a folder share (`SharedFolderAccess`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SharedFolderAccess {
    /// Public URL of the share.
    pub url: String,
    /// Password of the share.
    pub password: String,
}

/// An event's shared folder (`SharedFolder`): read access for everyone who
/// sees the event, read-write access only for its creator (rules.md §16).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SharedFolder {
    /// The read-only share.
    pub read: SharedFolderAccess,
    /// The read-write share; omitted unless the caller created the event.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub read_write: Option<SharedFolderAccess>,
}

impl SharedFolder {
    /// The wire form of `row`; `with_write` adds the read-write share (only
    /// for the event's creator).
    pub fn of(row: &EventSharedFolder, with_write: bool) -> Self {
        Self {
            read: SharedFolderAccess {
                url: row.read_url.clone(),
                password: row.read_password.clone(),
            },
            read_write: with_write.then(|| SharedFolderAccess {
                url: row.write_url.clone(),
                password: row.write_password.clone(),
            }),
        }
    }
}
