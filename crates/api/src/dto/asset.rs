//! Asset wire types (api.md §6.3).

use chrono::{DateTime, Utc};
use conclave_db::models::asset::{Asset, RoomAssetEntry};
use conclave_domain::ids::{AssetId, EventId, RoomId};
use serde::Serialize;
use utoipa::ToSchema;

/// An asset's metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct AssetResource {
    /// The asset id.
    #[schema(value_type = uuid::Uuid)]
    pub id: AssetId,
    /// The file name.
    pub filename: String,
    /// The module namespace, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Upload time.
    pub created_at: DateTime<Utc>,
    /// The asset kind.
    pub kind: String,
    /// Size in bytes.
    pub size: i64,
}

impl From<&Asset> for AssetResource {
    fn from(asset: &Asset) -> Self {
        Self {
            id: asset.id,
            filename: asset.filename.clone(),
            namespace: asset.namespace.clone(),
            created_at: asset.created_at,
            kind: asset.kind.clone(),
            size: asset.size,
        }
    }
}

/// An asset of one of the caller's rooms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct UserAssetResource {
    /// The asset.
    #[serde(flatten)]
    pub asset: AssetResource,
    /// Its room.
    #[schema(value_type = uuid::Uuid)]
    pub room_id: RoomId,
    /// The event owning the room, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<uuid::Uuid>)]
    pub event_id: Option<EventId>,
}

impl From<&RoomAssetEntry> for UserAssetResource {
    fn from(entry: &RoomAssetEntry) -> Self {
        Self {
            asset: AssetResource::from(&entry.asset),
            room_id: entry.room_id,
            event_id: entry.event_id,
        }
    }
}

/// `GET /users/me/assets`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct GetUserAssetsResponseBody {
    /// The assets of the rooms the caller created.
    pub owned_assets: Vec<UserAssetResource>,
}
