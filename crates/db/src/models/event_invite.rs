//! `event_invites`: invitations of registered users to events (rules.md §7).

use chrono::{DateTime, Utc};
use conclave_domain::ids::{EventId, EventInviteId, UserId};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use uuid::Uuid;

use crate::enums::{EventInviteStatus, InviteRole, SqlEventInviteStatus, SqlInviteRole};
use crate::paging::{Page, PageRequest};
use crate::schema::{event_favorites, event_invites};
use crate::{DbConnection, DbError, Result};

/// A row of `event_invites`.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = event_invites, check_for_backend(diesel::pg::Pg))]
pub struct EventInvite {
    /// Primary key.
    #[diesel(deserialize_as = Uuid)]
    pub id: EventInviteId,
    /// The event.
    #[diesel(deserialize_as = Uuid)]
    pub event_id: EventId,
    /// The invited user.
    #[diesel(deserialize_as = Uuid)]
    pub invitee: UserId,
    /// Who invited.
    #[diesel(deserialize_as = Uuid)]
    pub created_by: UserId,
    /// When.
    pub created_at: DateTime<Utc>,
    /// The invitee's answer.
    pub status: EventInviteStatus,
    /// The invitee's meeting role.
    pub role: InviteRole,
}

/// Insert form of [`EventInvite`].
#[derive(Debug, Clone, PartialEq, Eq, Insertable)]
#[diesel(table_name = event_invites)]
pub struct NewEventInvite {
    /// The event.
    #[diesel(serialize_as = Uuid)]
    pub event_id: EventId,
    /// The invited user.
    #[diesel(serialize_as = Uuid)]
    pub invitee: UserId,
    /// Who invited.
    #[diesel(serialize_as = Uuid)]
    pub created_by: UserId,
    /// Creation time; `None` = now (a migrated email invite keeps its own).
    pub created_at: Option<DateTime<Utc>>,
    /// Initial status (normally `pending`).
    #[diesel(serialize_as = SqlEventInviteStatus)]
    pub status: EventInviteStatus,
    /// Meeting role.
    #[diesel(serialize_as = SqlInviteRole)]
    pub role: InviteRole,
}

impl NewEventInvite {
    /// A pending invite created now.
    pub fn pending(
        event_id: EventId,
        invitee: UserId,
        created_by: UserId,
        role: InviteRole,
    ) -> Self {
        Self {
            event_id,
            invitee,
            created_by,
            created_at: None,
            status: EventInviteStatus::Pending,
            role,
        }
    }
}

/// Changes to an [`EventInvite`]; `None` leaves a column unchanged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, AsChangeset)]
#[diesel(table_name = event_invites)]
pub struct UpdateEventInvite {
    /// New status.
    #[diesel(serialize_as = SqlEventInviteStatus)]
    pub status: Option<EventInviteStatus>,
    /// New role.
    #[diesel(serialize_as = SqlInviteRole)]
    pub role: Option<InviteRole>,
}

/// What an `insert_if_absent` of an invite did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InviteInsert<T> {
    /// The row was inserted (201).
    Inserted(T),
    /// The key already existed; nothing changed (204, rules.md §7.3).
    AlreadyExists,
}

/// `event_invites` rows of one event and invitee.
#[diesel::dsl::auto_type]
fn of(event_id: Uuid, invitee: Uuid) -> _ {
    event_invites::table
        .filter(event_invites::event_id.eq(event_id))
        .filter(event_invites::invitee.eq(invitee))
}

impl EventInvite {
    /// Looks an invite up by id.
    pub async fn get(conn: &mut DbConnection, id: EventInviteId) -> Result<EventInvite> {
        Ok(event_invites::table
            .find(Uuid::from(id))
            .select(EventInvite::as_select())
            .get_result(conn)
            .await?)
    }

    /// The invite of `invitee` to the event, if any.
    pub async fn find_for(
        conn: &mut DbConnection,
        event_id: EventId,
        invitee: UserId,
    ) -> Result<Option<EventInvite>> {
        Ok(of(event_id.into(), invitee.into())
            .select(EventInvite::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// The invite of `invitee` to the event, or `NotFound`.
    pub async fn get_for(
        conn: &mut DbConnection,
        event_id: EventId,
        invitee: UserId,
    ) -> Result<EventInvite> {
        EventInvite::find_for(conn, event_id, invitee)
            .await?
            .ok_or(DbError::NotFound)
    }

    /// One page of the event's invites, optionally of one status, ordered by
    /// `created_at`, `created_by`, `invitee`, all descending (rules.md §7.11).
    pub async fn list_for_event(
        conn: &mut DbConnection,
        event_id: EventId,
        status: Option<EventInviteStatus>,
        page: PageRequest,
    ) -> Result<Page<EventInvite>> {
        let mut query = event_invites::table
            .filter(event_invites::event_id.eq(Uuid::from(event_id)))
            .select(EventInvite::as_select())
            .order((
                event_invites::created_at.desc(),
                event_invites::created_by.desc(),
                event_invites::invitee.desc(),
            ))
            .offset(page.offset())
            .limit(page.limit())
            .into_boxed();
        if let Some(status) = status {
            query = query.filter(event_invites::status.eq(SqlEventInviteStatus(status)));
        }
        let items = query.load(conn).await?;
        let total = EventInvite::count_for_event(conn, event_id, status).await?;
        Ok(Page { items, total })
    }

    /// The number of the event's invites, optionally of one status.
    pub async fn count_for_event(
        conn: &mut DbConnection,
        event_id: EventId,
        status: Option<EventInviteStatus>,
    ) -> Result<i64> {
        let mut query = event_invites::table
            .filter(event_invites::event_id.eq(Uuid::from(event_id)))
            .count()
            .into_boxed();
        if let Some(status) = status {
            query = query.filter(event_invites::status.eq(SqlEventInviteStatus(status)));
        }
        Ok(query.get_result(conn).await?)
    }

    /// The number of the user's pending invites (`GET /users/me/pending_invites`).
    pub async fn count_pending_for_user(conn: &mut DbConnection, user: UserId) -> Result<i64> {
        Ok(event_invites::table
            .filter(event_invites::invitee.eq(Uuid::from(user)))
            .filter(event_invites::status.eq(SqlEventInviteStatus(EventInviteStatus::Pending)))
            .count()
            .get_result(conn)
            .await?)
    }

    /// Changes status and/or role of `invitee`'s invite, or `NotFound`.
    pub async fn update(
        conn: &mut DbConnection,
        event_id: EventId,
        invitee: UserId,
        changes: UpdateEventInvite,
    ) -> Result<EventInvite> {
        if changes == UpdateEventInvite::default() {
            return EventInvite::get_for(conn, event_id, invitee).await;
        }
        Ok(diesel::update(of(event_id.into(), invitee.into()))
            .set(changes)
            .returning(EventInvite::as_select())
            .get_result(conn)
            .await?)
    }

    /// Deletes `invitee`'s invite and returns it, or `NotFound`.
    pub async fn delete(
        conn: &mut DbConnection,
        event_id: EventId,
        invitee: UserId,
    ) -> Result<EventInvite> {
        Ok(diesel::delete(of(event_id.into(), invitee.into()))
            .returning(EventInvite::as_select())
            .get_result(conn)
            .await?)
    }

    /// Removal by user id (rules.md §7.7): deletes the invite and the
    /// **invitee's** favourite of the event in one transaction.
    pub async fn uninvite(
        conn: &mut DbConnection,
        event_id: EventId,
        invitee: UserId,
    ) -> Result<EventInvite> {
        conn.transaction::<_, DbError, _>(async |conn| {
            let removed = EventInvite::delete(conn, event_id, invitee).await?;
            diesel::delete(
                event_favorites::table.find((Uuid::from(invitee), Uuid::from(event_id))),
            )
            .execute(conn)
            .await?;
            Ok(removed)
        })
        .await
    }

    /// Deletes every invite addressed to the user (user cleanup, R-25).
    pub async fn delete_all_for_invitee(conn: &mut DbConnection, user: UserId) -> Result<usize> {
        Ok(
            diesel::delete(
                event_invites::table.filter(event_invites::invitee.eq(Uuid::from(user))),
            )
            .execute(conn)
            .await?,
        )
    }
}

impl NewEventInvite {
    /// Inserts the invite; a second one for the same (event, invitee) is a
    /// `UniqueViolation`.
    pub async fn insert(self, conn: &mut DbConnection) -> Result<EventInvite> {
        Ok(diesel::insert_into(event_invites::table)
            .values(self)
            .returning(EventInvite::as_select())
            .get_result(conn)
            .await?)
    }

    /// Inserts the invite unless the invitee already has one for the event;
    /// an existing row keeps its status (rules.md §7.3).
    pub async fn insert_if_absent(
        self,
        conn: &mut DbConnection,
    ) -> Result<InviteInsert<EventInvite>> {
        let inserted = diesel::insert_into(event_invites::table)
            .values(self)
            .on_conflict((event_invites::event_id, event_invites::invitee))
            .do_nothing()
            .returning(EventInvite::as_select())
            .get_result(conn)
            .await
            .optional()?;
        Ok(inserted.map_or(InviteInsert::AlreadyExists, InviteInsert::Inserted))
    }
}
