//! `room_streaming_targets`: livestream destinations of a room.

use conclave_domain::ids::{RoomId, StreamingTargetId};
use conclave_domain::streaming::StreamingKind;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use uuid::Uuid;

use crate::enums::SqlStreamingKind;
use crate::paging::{Page, PageRequest};
use crate::schema::room_streaming_targets as targets;
use crate::{DbConnection, DbError, Result};

/// The most targets [`RoomStreamingTarget::replace_for_room`] and
/// [`RoomStreamingTarget::list_all_for_room`] handle, to bound their work.
pub const MAX_TARGETS_PER_ROOM: i64 = 1000;

/// A row of `room_streaming_targets`.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = targets, check_for_backend(diesel::pg::Pg))]
pub struct RoomStreamingTarget {
    /// Primary key.
    #[diesel(deserialize_as = Uuid)]
    pub id: StreamingTargetId,
    /// The room.
    #[diesel(deserialize_as = Uuid)]
    pub room_id: RoomId,
    /// Display name.
    pub name: String,
    /// Kind (only `custom`).
    pub kind: StreamingKind,
    /// Ingest endpoint URL.
    pub streaming_endpoint: String,
    /// Stream key.
    pub streaming_key: String,
    /// Public viewing URL.
    pub public_url: String,
}

/// Insert form of [`RoomStreamingTarget`].
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = targets)]
pub struct NewRoomStreamingTarget {
    /// The room.
    #[diesel(serialize_as = Uuid)]
    pub room_id: RoomId,
    /// Display name.
    pub name: String,
    /// Kind.
    #[diesel(serialize_as = SqlStreamingKind)]
    pub kind: StreamingKind,
    /// Ingest endpoint URL.
    pub streaming_endpoint: String,
    /// Stream key.
    pub streaming_key: String,
    /// Public viewing URL.
    pub public_url: String,
}

/// Changes to a [`RoomStreamingTarget`]; `None` leaves a column unchanged.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = targets)]
pub struct UpdateRoomStreamingTarget {
    /// New name.
    pub name: Option<String>,
    /// New kind.
    #[diesel(serialize_as = SqlStreamingKind)]
    pub kind: Option<StreamingKind>,
    /// New endpoint.
    pub streaming_endpoint: Option<String>,
    /// New key.
    pub streaming_key: Option<String>,
    /// New public URL.
    pub public_url: Option<String>,
}

impl UpdateRoomStreamingTarget {
    fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.kind.is_none()
            && self.streaming_endpoint.is_none()
            && self.streaming_key.is_none()
            && self.public_url.is_none()
    }
}

impl RoomStreamingTarget {
    /// A target of `room`; a target of another room is `NotFound`.
    pub async fn get_for_room(
        conn: &mut DbConnection,
        room: RoomId,
        id: StreamingTargetId,
    ) -> Result<RoomStreamingTarget> {
        Ok(targets::table
            .find(Uuid::from(id))
            .filter(targets::room_id.eq(Uuid::from(room)))
            .select(RoomStreamingTarget::as_select())
            .get_result(conn)
            .await?)
    }

    /// One page of a room's targets, ordered by name.
    pub async fn list_for_room(
        conn: &mut DbConnection,
        room: RoomId,
        page: PageRequest,
    ) -> Result<Page<RoomStreamingTarget>> {
        let filter = targets::room_id.eq(Uuid::from(room));
        let total = targets::table
            .filter(filter)
            .count()
            .get_result(conn)
            .await?;
        let items = targets::table
            .filter(filter)
            .order((targets::name, targets::id))
            .offset(page.offset())
            .limit(page.limit())
            .select(RoomStreamingTarget::as_select())
            .load(conn)
            .await?;
        Ok(Page { items, total })
    }

    /// A room's targets (at most [`MAX_TARGETS_PER_ROOM`]), ordered by name.
    pub async fn list_all_for_room(
        conn: &mut DbConnection,
        room: RoomId,
    ) -> Result<Vec<RoomStreamingTarget>> {
        Ok(targets::table
            .filter(targets::room_id.eq(Uuid::from(room)))
            .order((targets::name, targets::id))
            .limit(MAX_TARGETS_PER_ROOM)
            .select(RoomStreamingTarget::as_select())
            .load(conn)
            .await?)
    }

    /// Applies `changes` to a target of `room`.
    pub async fn update(
        conn: &mut DbConnection,
        room: RoomId,
        id: StreamingTargetId,
        changes: UpdateRoomStreamingTarget,
    ) -> Result<RoomStreamingTarget> {
        if changes.is_empty() {
            return Self::get_for_room(conn, room, id).await;
        }
        Ok(diesel::update(
            targets::table
                .find(Uuid::from(id))
                .filter(targets::room_id.eq(Uuid::from(room))),
        )
        .set(changes)
        .returning(RoomStreamingTarget::as_select())
        .get_result(conn)
        .await?)
    }

    /// Deletes a target of `room`.
    pub async fn delete(
        conn: &mut DbConnection,
        room: RoomId,
        id: StreamingTargetId,
    ) -> Result<()> {
        let deleted = diesel::delete(
            targets::table
                .find(Uuid::from(id))
                .filter(targets::room_id.eq(Uuid::from(room))),
        )
        .execute(conn)
        .await?;
        crate::models::expect_one(deleted)
    }

    /// Replaces all targets of `room` with `new` in one transaction
    /// (`PATCH /events/{id}` with `streaming_targets`). The `room_id` of each
    /// entry is overwritten with `room`.
    pub async fn replace_for_room(
        conn: &mut DbConnection,
        room: RoomId,
        new: Vec<NewRoomStreamingTarget>,
    ) -> Result<Vec<RoomStreamingTarget>> {
        if new.len() as i64 > MAX_TARGETS_PER_ROOM {
            return Err(DbError::Other(format!(
                "at most {MAX_TARGETS_PER_ROOM} streaming targets per room"
            )));
        }
        let rows: Vec<NewRoomStreamingTarget> = new
            .into_iter()
            .map(|target| NewRoomStreamingTarget {
                room_id: room,
                ..target
            })
            .collect();
        conn.transaction::<_, DbError, _>(async |conn| {
            diesel::delete(targets::table.filter(targets::room_id.eq(Uuid::from(room))))
                .execute(conn)
                .await?;
            if rows.is_empty() {
                return Ok(Vec::new());
            }
            Ok(diesel::insert_into(targets::table)
                .values(rows)
                .returning(RoomStreamingTarget::as_select())
                .get_results(conn)
                .await?)
        })
        .await
    }
}

impl NewRoomStreamingTarget {
    /// Inserts the target.
    pub async fn insert(self, conn: &mut DbConnection) -> Result<RoomStreamingTarget> {
        Ok(diesel::insert_into(targets::table)
            .values(self)
            .returning(RoomStreamingTarget::as_select())
            .get_result(conn)
            .await?)
    }
}
