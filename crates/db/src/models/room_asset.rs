//! `room_assets`: links an asset to the room it belongs to.

use conclave_domain::ids::{AssetId, RoomId};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use crate::schema::room_assets;
use crate::{DbConnection, Result};

/// A row of `room_assets`. An asset belongs to at most one room
/// (`asset_id` is unique); the link goes when the asset is deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = room_assets, check_for_backend(diesel::pg::Pg))]
pub struct RoomAsset {
    /// The room.
    #[diesel(deserialize_as = Uuid, serialize_as = Uuid)]
    pub room_id: RoomId,
    /// The asset.
    #[diesel(deserialize_as = Uuid, serialize_as = Uuid)]
    pub asset_id: AssetId,
}

impl RoomAsset {
    /// Inserts the link; linking an asset twice gives `UniqueViolation`.
    pub async fn insert(self, conn: &mut DbConnection) -> Result<RoomAsset> {
        Ok(diesel::insert_into(room_assets::table)
            .values(self)
            .returning(RoomAsset::as_select())
            .get_result(conn)
            .await?)
    }

    /// The room an asset belongs to, if any.
    pub async fn find_room_of(conn: &mut DbConnection, asset: AssetId) -> Result<Option<RoomId>> {
        let room: Option<Uuid> = room_assets::table
            .filter(room_assets::asset_id.eq(Uuid::from(asset)))
            .select(room_assets::room_id)
            .first(conn)
            .await
            .optional()?;
        Ok(room.map(RoomId::from))
    }

    /// The ids of a room's assets.
    pub async fn list_asset_ids(conn: &mut DbConnection, room: RoomId) -> Result<Vec<AssetId>> {
        let ids: Vec<Uuid> = room_assets::table
            .filter(room_assets::room_id.eq(Uuid::from(room)))
            .select(room_assets::asset_id)
            .load(conn)
            .await?;
        Ok(ids.into_iter().map(AssetId::from).collect())
    }
}
