//! Asset listings and the storage usage behind the `max_storage` quota.

use conclave_domain::ids::{EventId, RoomId, UserId};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use super::Asset;
use crate::paging::{Page, PageRequest};
use crate::schema::{assets, events, room_assets, rooms};
use crate::{DbConnection, Result};

/// An asset together with the room it belongs to and that room's event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomAssetEntry {
    /// The asset.
    pub asset: Asset,
    /// Its room.
    pub room_id: RoomId,
    /// The event that owns the room, if any.
    pub event_id: Option<EventId>,
}

/// The sort keys of `GET /users/me/assets`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AssetSort {
    /// By file name.
    Filename,
    /// By size.
    Size,
    /// By namespace.
    Namespace,
    /// By kind.
    Kind,
    /// By creation time (the default).
    #[default]
    CreatedAt,
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
    /// (`GET /users/me/assets`), ordered by `sort` and then by id, so pages
    /// are deterministic even between equal keys.
    pub async fn list_for_rooms_created_by(
        conn: &mut DbConnection,
        owner: UserId,
        sort: AssetSort,
        descending: bool,
        page: PageRequest,
    ) -> Result<Page<RoomAssetEntry>> {
        let filter = rooms::created_by.eq(Uuid::from(owner));
        let total = assets::table
            .inner_join(room_assets::table.inner_join(rooms::table))
            .filter(filter)
            .count()
            .get_result(conn)
            .await?;
        let mut query =
            assets::table
                .inner_join(room_assets::table.inner_join(
                    rooms::table.left_join(events::table.on(events::room.eq(rooms::id))),
                ))
                .filter(filter)
                .select((
                    Asset::as_select(),
                    room_assets::room_id,
                    events::id.nullable(),
                ))
                .into_boxed();
        query = match (sort, descending) {
            (AssetSort::Filename, false) => query.order(assets::filename.asc()),
            (AssetSort::Filename, true) => query.order(assets::filename.desc()),
            (AssetSort::Size, false) => query.order(assets::size.asc()),
            (AssetSort::Size, true) => query.order(assets::size.desc()),
            (AssetSort::Namespace, false) => query.order(assets::namespace.asc()),
            (AssetSort::Namespace, true) => query.order(assets::namespace.desc()),
            (AssetSort::Kind, false) => query.order(assets::kind.asc()),
            (AssetSort::Kind, true) => query.order(assets::kind.desc()),
            (AssetSort::CreatedAt, false) => query.order(assets::created_at.asc()),
            (AssetSort::CreatedAt, true) => query.order(assets::created_at.desc()),
        };
        let rows: Vec<(Asset, Uuid, Option<Uuid>)> = query
            .then_order_by(assets::id)
            .offset(page.offset())
            .limit(page.limit())
            .load(conn)
            .await?;
        let items = rows
            .into_iter()
            .map(|(asset, room, event)| RoomAssetEntry {
                asset,
                room_id: RoomId::from(room),
                event_id: event.map(EventId::from),
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
