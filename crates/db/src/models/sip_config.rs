//! `sip_configs`: dial-in credentials, at most one per room.

use conclave_domain::ids::{RoomId, SipConfigId};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use uuid::Uuid;

use crate::models::room::Room;
use crate::schema::{rooms, sip_configs};
use crate::{DbConnection, DbError, Result};

/// The unique constraint on `sip_configs.sip_id`.
const SIP_ID_CONSTRAINT: &str = "sip_configs_sip_id_key";
/// The unique constraint on `sip_configs.room`.
const ROOM_CONSTRAINT: &str = "sip_configs_room_key";

/// A row of `sip_configs`.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = sip_configs, check_for_backend(diesel::pg::Pg))]
pub struct SipConfig {
    /// Primary key (never exposed by the API).
    #[diesel(deserialize_as = i64)]
    pub id: SipConfigId,
    /// The room.
    #[diesel(deserialize_as = Uuid)]
    pub room: RoomId,
    /// The 10-digit call-in id.
    pub sip_id: String,
    /// The 10-digit call-in PIN.
    pub password: String,
    /// Whether call-in participants wait in the lobby.
    pub enable_lobby: bool,
}

/// Insert form of [`SipConfig`]. The caller generates `sip_id` and `password`.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = sip_configs)]
pub struct NewSipConfig {
    /// The room.
    #[diesel(serialize_as = Uuid)]
    pub room: RoomId,
    /// The call-in id.
    pub sip_id: String,
    /// The PIN.
    pub password: String,
    /// Lobby flag.
    pub enable_lobby: bool,
}

/// Changes to a [`SipConfig`]; `None` leaves a column unchanged.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = sip_configs)]
pub struct UpdateSipConfig {
    /// New PIN.
    pub password: Option<String>,
    /// New lobby flag.
    pub enable_lobby: Option<bool>,
}

/// The outcome of [`NewSipConfig::insert`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SipConfigInsert {
    /// The row was inserted.
    Inserted(SipConfig),
    /// Another room already uses this `sip_id`; generate a new one and retry
    /// (rules.md §13 allows three attempts).
    SipIdTaken,
    /// The room already has a SIP config.
    RoomHasConfig,
}

impl SipConfig {
    /// The SIP config of a room, `None` when it has none.
    pub async fn find_for_room(conn: &mut DbConnection, room: RoomId) -> Result<Option<SipConfig>> {
        Ok(sip_configs::table
            .filter(sip_configs::room.eq(Uuid::from(room)))
            .select(SipConfig::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// The SIP config of a room, or `NotFound`.
    pub async fn get_for_room(conn: &mut DbConnection, room: RoomId) -> Result<SipConfig> {
        Self::find_for_room(conn, room)
            .await?
            .ok_or(DbError::NotFound)
    }

    /// The config with this call-in id and its room (call-in start).
    pub async fn find_by_sip_id_with_room(
        conn: &mut DbConnection,
        sip_id: &str,
    ) -> Result<Option<(SipConfig, Room)>> {
        Ok(sip_configs::table
            .inner_join(rooms::table)
            .filter(sip_configs::sip_id.eq(sip_id))
            .select((SipConfig::as_select(), Room::as_select()))
            .first(conn)
            .await
            .optional()?)
    }

    /// Applies `changes` to the room's config; `None` when the room has none.
    pub async fn update_for_room(
        conn: &mut DbConnection,
        room: RoomId,
        changes: UpdateSipConfig,
    ) -> Result<Option<SipConfig>> {
        if changes.password.is_none() && changes.enable_lobby.is_none() {
            return Self::find_for_room(conn, room).await;
        }
        Ok(
            diesel::update(sip_configs::table.filter(sip_configs::room.eq(Uuid::from(room))))
                .set(changes)
                .returning(SipConfig::as_select())
                .get_result(conn)
                .await
                .optional()?,
        )
    }

    /// Deletes the room's config; `NotFound` when it has none.
    pub async fn delete_for_room(conn: &mut DbConnection, room: RoomId) -> Result<()> {
        let deleted =
            diesel::delete(sip_configs::table.filter(sip_configs::room.eq(Uuid::from(room))))
                .execute(conn)
                .await?;
        crate::models::expect_one(deleted)
    }
}

impl NewSipConfig {
    /// Inserts the config, reporting a taken `sip_id` or an existing config
    /// of the room as outcomes rather than errors.
    ///
    /// The statement runs in its own (nested) transaction, so a conflict
    /// leaves an enclosing transaction usable for the retry.
    pub async fn insert(self, conn: &mut DbConnection) -> Result<SipConfigInsert> {
        let inserted = conn
            .transaction::<_, DbError, _>(async |conn| {
                Ok(diesel::insert_into(sip_configs::table)
                    .values(self)
                    .returning(SipConfig::as_select())
                    .get_result(conn)
                    .await?)
            })
            .await;
        match inserted {
            Ok(row) => Ok(SipConfigInsert::Inserted(row)),
            Err(DbError::UniqueViolation { constraint }) => match constraint.as_deref() {
                Some(SIP_ID_CONSTRAINT) => Ok(SipConfigInsert::SipIdTaken),
                Some(ROOM_CONSTRAINT) => Ok(SipConfigInsert::RoomHasConfig),
                _ => Err(DbError::UniqueViolation { constraint }),
            },
            Err(other) => Err(other),
        }
    }

    /// Inserts the config, or replaces `password` and `enable_lobby` of the
    /// room's existing one (keeping its `sip_id`). A `sip_id` used by another
    /// room gives `UniqueViolation`.
    pub async fn upsert(self, conn: &mut DbConnection) -> Result<SipConfig> {
        let password = self.password.clone();
        let enable_lobby = self.enable_lobby;
        Ok(diesel::insert_into(sip_configs::table)
            .values(self)
            .on_conflict(sip_configs::room)
            .do_update()
            .set((
                sip_configs::password.eq(password),
                sip_configs::enable_lobby.eq(enable_lobby),
            ))
            .returning(SipConfig::as_select())
            .get_result(conn)
            .await?)
    }
}
