//! `rooms`: video rooms, each owned by the user who created it.

use chrono::{DateTime, Utc};
use conclave_domain::ids::{RoomId, TenantId, UserId};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use crate::paging::{Page, PageRequest};
use crate::schema::rooms;
use crate::{DbConnection, Result};

/// A row of `rooms` (without the legacy `id_serial`).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = rooms, check_for_backend(diesel::pg::Pg))]
pub struct Room {
    /// Primary key.
    #[diesel(deserialize_as = Uuid)]
    pub id: RoomId,
    /// The owner.
    #[diesel(deserialize_as = Uuid)]
    pub created_by: UserId,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Password guests must give when joining through an invite code.
    pub password: Option<String>,
    /// Whether the session starts with the waiting room enabled.
    pub waiting_room: bool,
    /// Tenant.
    #[diesel(deserialize_as = Uuid)]
    pub tenant_id: TenantId,
    /// Whether the room is end-to-end encrypted.
    pub e2e_encryption: bool,
}

/// Insert form of [`Room`].
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = rooms)]
pub struct NewRoom {
    /// The owner.
    #[diesel(serialize_as = Uuid)]
    pub created_by: UserId,
    /// Guest password.
    pub password: Option<String>,
    /// Waiting room flag.
    pub waiting_room: bool,
    /// Tenant (the owner's).
    #[diesel(serialize_as = Uuid)]
    pub tenant_id: TenantId,
    /// End-to-end encryption flag.
    pub e2e_encryption: bool,
}

/// Changes to a [`Room`]: `None` leaves a column unchanged; `password:
/// Some(None)` clears the password.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = rooms)]
pub struct UpdateRoom {
    /// New guest password.
    pub password: Option<Option<String>>,
    /// New waiting room flag.
    pub waiting_room: Option<bool>,
    /// New end-to-end encryption flag.
    pub e2e_encryption: Option<bool>,
}

impl UpdateRoom {
    fn is_empty(&self) -> bool {
        self.password.is_none() && self.waiting_room.is_none() && self.e2e_encryption.is_none()
    }
}

impl Room {
    /// Looks a room up by id.
    pub async fn get(conn: &mut DbConnection, id: RoomId) -> Result<Room> {
        Ok(rooms::table
            .find(Uuid::from(id))
            .select(Room::as_select())
            .get_result(conn)
            .await?)
    }

    /// Looks a room up by id, `None` when missing.
    pub async fn find(conn: &mut DbConnection, id: RoomId) -> Result<Option<Room>> {
        Ok(rooms::table
            .find(Uuid::from(id))
            .select(Room::as_select())
            .get_result(conn)
            .await
            .optional()?)
    }

    /// The rooms with these ids, newest first (unknown ids skipped).
    pub async fn list_by_ids(conn: &mut DbConnection, ids: &[RoomId]) -> Result<Vec<Room>> {
        let ids: Vec<Uuid> = ids.iter().copied().map(Uuid::from).collect();
        Ok(rooms::table
            .filter(rooms::id.eq_any(ids))
            .order((rooms::created_at.desc(), rooms::id))
            .select(Room::as_select())
            .load(conn)
            .await?)
    }

    /// One page of the rooms a user created, newest first.
    pub async fn list_created_by(
        conn: &mut DbConnection,
        owner: UserId,
        page: PageRequest,
    ) -> Result<Page<Room>> {
        let filter = rooms::created_by.eq(Uuid::from(owner));
        let total = rooms::table.filter(filter).count().get_result(conn).await?;
        let items = rooms::table
            .filter(filter)
            .order((rooms::created_at.desc(), rooms::id))
            .offset(page.offset())
            .limit(page.limit())
            .select(Room::as_select())
            .load(conn)
            .await?;
        Ok(Page { items, total })
    }

    /// One page of all rooms, oldest first (for jobs and rebuilding policies).
    pub async fn list(conn: &mut DbConnection, page: PageRequest) -> Result<Page<Room>> {
        let total = rooms::table.count().get_result(conn).await?;
        let items = rooms::table
            .order((rooms::created_at, rooms::id))
            .offset(page.offset())
            .limit(page.limit())
            .select(Room::as_select())
            .load(conn)
            .await?;
        Ok(Page { items, total })
    }

    /// Applies `changes`; an empty changeset just returns the row.
    pub async fn update(conn: &mut DbConnection, id: RoomId, changes: UpdateRoom) -> Result<Room> {
        if changes.is_empty() {
            return Self::get(conn, id).await;
        }
        Ok(diesel::update(rooms::table.find(Uuid::from(id)))
            .set(changes)
            .returning(Room::as_select())
            .get_result(conn)
            .await?)
    }

    /// Deletes the room row. Invite codes, streaming targets and the SIP
    /// config cascade; an event, module resources or room assets still
    /// referring to it give `ForeignKeyViolation` (schema.md §4).
    pub async fn delete(conn: &mut DbConnection, id: RoomId) -> Result<()> {
        let deleted = diesel::delete(rooms::table.find(Uuid::from(id)))
            .execute(conn)
            .await?;
        crate::models::expect_one(deleted)
    }
}

impl NewRoom {
    /// Inserts the room.
    pub async fn insert(self, conn: &mut DbConnection) -> Result<Room> {
        Ok(diesel::insert_into(rooms::table)
            .values(self)
            .returning(Room::as_select())
            .get_result(conn)
            .await?)
    }
}
