//! `invites`: room invite codes (guest links). The row id is the code.

use chrono::{DateTime, Utc};
use conclave_domain::ids::{InviteCodeId, RoomId, UserId};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use crate::paging::{Page, PageRequest};
use crate::schema::invites;
use crate::{DbConnection, Result};

/// A row of `invites` (without the legacy `id_serial`).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = invites, check_for_backend(diesel::pg::Pg))]
pub struct Invite {
    /// The invite code (primary key).
    #[diesel(deserialize_as = Uuid)]
    pub id: InviteCodeId,
    /// Creator.
    #[diesel(deserialize_as = Uuid)]
    pub created_by: UserId,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last editor.
    #[diesel(deserialize_as = Uuid)]
    pub updated_by: UserId,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// The room the code opens.
    #[diesel(deserialize_as = Uuid)]
    pub room: RoomId,
    /// `false` once the code was deleted (soft delete).
    pub active: bool,
    /// When the code stops working; `None` = never.
    pub expiration: Option<DateTime<Utc>>,
}

impl Invite {
    /// Whether the code is usable at `now`: active and not expired
    /// (rules.md §7.9).
    pub fn is_valid_at(&self, now: DateTime<Utc>) -> bool {
        self.active && self.expiration.is_none_or(|expiration| expiration > now)
    }
}

/// Insert form of an active [`Invite`]; `created_by` is also the first
/// `updated_by`.
#[derive(Debug, Clone)]
pub struct NewInvite {
    /// Creator.
    pub created_by: UserId,
    /// The room.
    pub room: RoomId,
    /// Optional expiry (not required to be in the future).
    pub expiration: Option<DateTime<Utc>>,
}

impl Invite {
    /// Looks a code up.
    pub async fn get(conn: &mut DbConnection, code: InviteCodeId) -> Result<Invite> {
        Ok(invites::table
            .find(Uuid::from(code))
            .select(Invite::as_select())
            .get_result(conn)
            .await?)
    }

    /// Looks a code up, `None` when unknown.
    pub async fn find(conn: &mut DbConnection, code: InviteCodeId) -> Result<Option<Invite>> {
        Ok(invites::table
            .find(Uuid::from(code))
            .select(Invite::as_select())
            .get_result(conn)
            .await
            .optional()?)
    }

    /// Looks a code up only if it is valid now (active, not expired).
    pub async fn find_valid(conn: &mut DbConnection, code: InviteCodeId) -> Result<Option<Invite>> {
        Ok(invites::table
            .find(Uuid::from(code))
            .filter(invites::active.eq(true))
            .filter(
                invites::expiration
                    .is_null()
                    .or(invites::expiration.gt(diesel::dsl::now)),
            )
            .select(Invite::as_select())
            .get_result(conn)
            .await
            .optional()?)
    }

    /// Looks a code of `room` up; a code of another room is `NotFound`.
    pub async fn get_for_room(
        conn: &mut DbConnection,
        room: RoomId,
        code: InviteCodeId,
    ) -> Result<Invite> {
        Ok(invites::table
            .find(Uuid::from(code))
            .filter(invites::room.eq(Uuid::from(room)))
            .select(Invite::as_select())
            .get_result(conn)
            .await?)
    }

    /// One page of a room's codes (inactive ones included), most recently
    /// updated first (api.md `GET /rooms/{id}/invites`).
    pub async fn list_for_room(
        conn: &mut DbConnection,
        room: RoomId,
        page: PageRequest,
    ) -> Result<Page<Invite>> {
        let filter = invites::room.eq(Uuid::from(room));
        let total = invites::table
            .filter(filter)
            .count()
            .get_result(conn)
            .await?;
        let items = invites::table
            .filter(filter)
            .order((invites::updated_at.desc(), invites::id))
            .offset(page.offset())
            .limit(page.limit())
            .select(Invite::as_select())
            .load(conn)
            .await?;
        Ok(Page { items, total })
    }

    /// Every code of a room (for policy removal when the room goes).
    pub async fn list_ids_for_room(
        conn: &mut DbConnection,
        room: RoomId,
    ) -> Result<Vec<InviteCodeId>> {
        let ids: Vec<Uuid> = invites::table
            .filter(invites::room.eq(Uuid::from(room)))
            .select(invites::id)
            .load(conn)
            .await?;
        Ok(ids.into_iter().map(InviteCodeId::from).collect())
    }

    /// The valid codes of a room, most recently updated first. The first one
    /// is the room's "first invite" (rules.md §7.9, R-22).
    pub async fn list_valid_for_room(conn: &mut DbConnection, room: RoomId) -> Result<Vec<Invite>> {
        Ok(invites::table
            .filter(invites::room.eq(Uuid::from(room)))
            .filter(invites::active.eq(true))
            .filter(
                invites::expiration
                    .is_null()
                    .or(invites::expiration.gt(diesel::dsl::now)),
            )
            .order((invites::updated_at.desc(), invites::id))
            .select(Invite::as_select())
            .load(conn)
            .await?)
    }

    /// The room's most recently updated valid code, if any.
    pub async fn find_first_valid_for_room(
        conn: &mut DbConnection,
        room: RoomId,
    ) -> Result<Option<Invite>> {
        Ok(invites::table
            .filter(invites::room.eq(Uuid::from(room)))
            .filter(invites::active.eq(true))
            .filter(
                invites::expiration
                    .is_null()
                    .or(invites::expiration.gt(diesel::dsl::now)),
            )
            .order((invites::updated_at.desc(), invites::id))
            .select(Invite::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// The room's "first invite": its most recently updated valid code, or a
    /// new active, non-expiring one created by `actor` if it has none.
    pub async fn get_first_valid_or_create(
        conn: &mut DbConnection,
        room: RoomId,
        actor: UserId,
    ) -> Result<Invite> {
        if let Some(first) = Self::find_first_valid_for_room(conn, room).await? {
            return Ok(first);
        }
        NewInvite {
            created_by: actor,
            room,
            expiration: None,
        }
        .insert(conn)
        .await
    }

    /// The codes that are inactive or expired at `before` (`invite_cleanup`).
    pub async fn list_invalid(
        conn: &mut DbConnection,
        before: DateTime<Utc>,
    ) -> Result<Vec<Invite>> {
        Ok(invites::table
            .filter(invites::active.eq(false).or(invites::expiration.le(before)))
            .order((invites::room, invites::id))
            .select(Invite::as_select())
            .load(conn)
            .await?)
    }

    /// Sets the expiry of a code of `room` (`None` clears it); `active` stays
    /// as it is, so a deleted code cannot be revived.
    pub async fn update_expiration(
        conn: &mut DbConnection,
        room: RoomId,
        code: InviteCodeId,
        expiration: Option<DateTime<Utc>>,
        actor: UserId,
    ) -> Result<Invite> {
        Ok(diesel::update(
            invites::table
                .find(Uuid::from(code))
                .filter(invites::room.eq(Uuid::from(room))),
        )
        .set((
            invites::expiration.eq(expiration),
            invites::updated_by.eq(Uuid::from(actor)),
            invites::updated_at.eq(diesel::dsl::now),
        ))
        .returning(Invite::as_select())
        .get_result(conn)
        .await?)
    }

    /// Soft-deletes a code of `room`: `active = false`; the row stays.
    pub async fn deactivate(
        conn: &mut DbConnection,
        room: RoomId,
        code: InviteCodeId,
        actor: UserId,
    ) -> Result<Invite> {
        Ok(diesel::update(
            invites::table
                .find(Uuid::from(code))
                .filter(invites::room.eq(Uuid::from(room))),
        )
        .set((
            invites::active.eq(false),
            invites::updated_by.eq(Uuid::from(actor)),
            invites::updated_at.eq(diesel::dsl::now),
        ))
        .returning(Invite::as_select())
        .get_result(conn)
        .await?)
    }
}

impl NewInvite {
    /// Inserts an active code with a fresh random id.
    pub async fn insert(self, conn: &mut DbConnection) -> Result<Invite> {
        let actor = Uuid::from(self.created_by);
        Ok(diesel::insert_into(invites::table)
            .values((
                invites::created_by.eq(actor),
                invites::updated_by.eq(actor),
                invites::room.eq(Uuid::from(self.room)),
                invites::active.eq(true),
                invites::expiration.eq(self.expiration),
            ))
            .returning(Invite::as_select())
            .get_result(conn)
            .await?)
    }
}
