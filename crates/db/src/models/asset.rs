//! `assets`: metadata of files kept in object storage under `assets/<id>`.

mod queries;

pub use queries::{AssetSort, RoomAssetEntry};

use chrono::{DateTime, Utc};
use conclave_domain::ids::{AssetId, RoomId, TenantId};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use uuid::Uuid;

use crate::schema::{assets, room_assets};
use crate::{DbConnection, DbError, Result};

/// A row of `assets`.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = assets, check_for_backend(diesel::pg::Pg))]
pub struct Asset {
    /// Primary key, chosen by the application (it names the storage object).
    #[diesel(deserialize_as = Uuid)]
    pub id: AssetId,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// Producing module, if any.
    pub namespace: Option<String>,
    /// Kind of file, such as `recording`.
    pub kind: String,
    /// File name shown to users.
    pub filename: String,
    /// Tenant.
    #[diesel(deserialize_as = Uuid)]
    pub tenant_id: TenantId,
    /// Size in bytes (never negative).
    pub size: i64,
}

/// Insert form of [`Asset`].
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = assets)]
pub struct NewAsset {
    /// The id, which also names the storage object.
    #[diesel(serialize_as = Uuid)]
    pub id: AssetId,
    /// Producing module.
    pub namespace: Option<String>,
    /// Kind of file.
    pub kind: String,
    /// File name.
    pub filename: String,
    /// Tenant.
    #[diesel(serialize_as = Uuid)]
    pub tenant_id: TenantId,
    /// Size in bytes; a negative size gives `CheckViolation`.
    pub size: i64,
}

impl NewAsset {
    /// Inserts the asset without linking it to a room.
    pub async fn insert(self, conn: &mut DbConnection) -> Result<Asset> {
        Ok(diesel::insert_into(assets::table)
            .values(self)
            .returning(Asset::as_select())
            .get_result(conn)
            .await?)
    }

    /// Inserts the asset and links it to `room`, in one transaction.
    pub async fn insert_for_room(self, conn: &mut DbConnection, room: RoomId) -> Result<Asset> {
        conn.transaction::<_, DbError, _>(async |conn| {
            let asset = self.insert(conn).await?;
            diesel::insert_into(room_assets::table)
                .values((
                    room_assets::room_id.eq(Uuid::from(room)),
                    room_assets::asset_id.eq(Uuid::from(asset.id)),
                ))
                .execute(conn)
                .await?;
            Ok(asset)
        })
        .await
    }
}

impl Asset {
    /// Looks an asset up by id.
    pub async fn get(conn: &mut DbConnection, id: AssetId) -> Result<Asset> {
        Ok(assets::table
            .find(Uuid::from(id))
            .select(Asset::as_select())
            .get_result(conn)
            .await?)
    }

    /// Looks an asset of `room` up; an asset of another room is `NotFound`.
    pub async fn get_for_room(conn: &mut DbConnection, room: RoomId, id: AssetId) -> Result<Asset> {
        Ok(assets::table
            .inner_join(room_assets::table)
            .filter(assets::id.eq(Uuid::from(id)))
            .filter(room_assets::room_id.eq(Uuid::from(room)))
            .select(Asset::as_select())
            .get_result(conn)
            .await?)
    }

    /// Sets the size (the storage sync job) and bumps `updated_at`.
    pub async fn update_size(conn: &mut DbConnection, id: AssetId, size: i64) -> Result<Asset> {
        Ok(diesel::update(assets::table.find(Uuid::from(id)))
            .set((
                assets::size.eq(size),
                assets::updated_at.eq(diesel::dsl::now),
            ))
            .returning(Asset::as_select())
            .get_result(conn)
            .await?)
    }

    /// Deletes the asset row; its room link cascades.
    pub async fn delete(conn: &mut DbConnection, id: AssetId) -> Result<()> {
        let deleted = diesel::delete(assets::table.find(Uuid::from(id)))
            .execute(conn)
            .await?;
        crate::models::expect_one(deleted)
    }

    /// Deletes an asset of `room`; an asset of another room is `NotFound`
    /// and stays.
    pub async fn delete_for_room(conn: &mut DbConnection, room: RoomId, id: AssetId) -> Result<()> {
        let linked = room_assets::table
            .filter(room_assets::room_id.eq(Uuid::from(room)))
            .select(room_assets::asset_id);
        let deleted = diesel::delete(
            assets::table
                .filter(assets::id.eq(Uuid::from(id)))
                .filter(assets::id.eq_any(linked)),
        )
        .execute(conn)
        .await?;
        crate::models::expect_one(deleted)
    }

    /// Deletes every asset of `room` (room and event deletion) and returns
    /// their ids, so the caller can delete the storage objects after commit.
    pub async fn delete_all_for_room(
        conn: &mut DbConnection,
        room: RoomId,
    ) -> Result<Vec<AssetId>> {
        let linked = room_assets::table
            .filter(room_assets::room_id.eq(Uuid::from(room)))
            .select(room_assets::asset_id);
        let ids: Vec<Uuid> = diesel::delete(assets::table.filter(assets::id.eq_any(linked)))
            .returning(assets::id)
            .get_results(conn)
            .await?;
        Ok(ids.into_iter().map(AssetId::from).collect())
    }
}
