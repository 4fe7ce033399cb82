//! Asset listings and the storage usage behind the `max_storage` quota.

use conclave_domain::ids::{RoomId, UserId};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use super::Asset;
use crate::paging::{Page, PageRequest};
use crate::schema::{assets, room_assets, rooms};
use crate::{DbConnection, Result};

/// An asset together with the room it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomAssetEntry {
    /// The asset.
    pub asset: Asset,
    /// Its room.
    pub room_id: RoomId,
}

impl Asset {
    /// One page of a room's assets, newest first.
    pub async fn list_for_room(
        conn: &mut DbConnection,
        room: RoomId,
        page: PageRequest,
    ) -> Result<Page<Asset>> {
        let filter = room_assets::room_id.eq(Uuid::from(room));
        let total = assets::table
            .inner_join(room_assets::table)
            .filter(filter)
            .count()
            .get_result(conn)
            .await?;
        let items = assets::table
            .inner_join(room_assets::table)
            .filter(filter)
            .order((assets::created_at.desc(), assets::id))
            .offset(page.offset())
            .limit(page.limit())
            .select(Asset::as_select())
            .load(conn)
            .await?;
        Ok(Page { items, total })
    }

    /// One page of the assets in rooms that `owner` created
    /// (`GET /users/me/assets`), newest first.
    pub async fn list_for_rooms_created_by(
        conn: &mut DbConnection,
        owner: UserId,
        page: PageRequest,
    ) -> Result<Page<RoomAssetEntry>> {
        let filter = rooms::created_by.eq(Uuid::from(owner));
        let total = assets::table
            .inner_join(room_assets::table.inner_join(rooms::table))
            .filter(filter)
            .count()
            .get_result(conn)
            .await?;
        let rows: Vec<(Asset, Uuid)> = assets::table
            .inner_join(room_assets::table.inner_join(rooms::table))
            .filter(filter)
            .order((assets::created_at.desc(), assets::id))
            .offset(page.offset())
            .limit(page.limit())
            .select((Asset::as_select(), room_assets::room_id))
            .load(conn)
            .await?;
        let items = rows
            .into_iter()
            .map(|(asset, room)| RoomAssetEntry {
                asset,
                room_id: RoomId::from(room),
            })
            .collect();
        Ok(Page { items, total })
    }

    /// Total size in bytes of the assets in rooms that `owner` created: the
    /// usage counted against the `max_storage` quota (rules.md §8.2).
    pub async fn sum_size_for_rooms_created_by(
        conn: &mut DbConnection,
        owner: UserId,
    ) -> Result<i64> {
        // SUM(bigint) is numeric in PostgreSQL; cast back so diesel reads an
        // i64 without the bigdecimal feature. Sizes are non-negative bigints,
        // so only an absurd total could overflow the cast (an error, not a panic).
        Ok(assets::table
            .inner_join(room_assets::table.inner_join(rooms::table))
            .filter(rooms::created_by.eq(Uuid::from(owner)))
            .select(sql::<BigInt>("COALESCE(SUM(assets.size), 0)::int8"))
            .get_result(conn)
            .await?)
    }

    /// One page of all assets, oldest first (storage sync job).
    pub async fn list(conn: &mut DbConnection, page: PageRequest) -> Result<Page<Asset>> {
        let total = assets::table.count().get_result(conn).await?;
        let items = assets::table
            .order((assets::created_at, assets::id))
            .offset(page.offset())
            .limit(page.limit())
            .select(Asset::as_select())
            .load(conn)
            .await?;
        Ok(Page { items, total })
    }
}
