//! `event_favorites`: events a user marked as favourite (rules.md §15).

use conclave_domain::ids::{EventId, UserId};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use crate::paging::{Page, PageRequest};
use crate::schema::event_favorites;
use crate::{DbConnection, Result};

/// A row of `event_favorites`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = event_favorites, check_for_backend(diesel::pg::Pg))]
pub struct EventFavorite {
    /// The user.
    #[diesel(deserialize_as = Uuid, serialize_as = Uuid)]
    pub user_id: UserId,
    /// The favourite event.
    #[diesel(deserialize_as = Uuid, serialize_as = Uuid)]
    pub event_id: EventId,
}

/// What [`EventFavorite::put`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FavoritePut {
    /// A new row was inserted (201).
    Created,
    /// The event already was a favourite (204).
    AlreadyExists,
}

impl EventFavorite {
    /// Marks the event as favourite of the user; idempotent.
    pub async fn put(conn: &mut DbConnection, user: UserId, event: EventId) -> Result<FavoritePut> {
        let inserted = diesel::insert_into(event_favorites::table)
            .values(EventFavorite {
                user_id: user,
                event_id: event,
            })
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
        Ok(if inserted == 1 {
            FavoritePut::Created
        } else {
            FavoritePut::AlreadyExists
        })
    }

    /// Removes the favourite, or `NotFound` when there was none.
    pub async fn delete(conn: &mut DbConnection, user: UserId, event: EventId) -> Result<()> {
        let deleted =
            diesel::delete(event_favorites::table.find((Uuid::from(user), Uuid::from(event))))
                .execute(conn)
                .await?;
        crate::models::expect_one(deleted)
    }

    /// Whether the user marked the event as favourite.
    pub async fn exists(conn: &mut DbConnection, user: UserId, event: EventId) -> Result<bool> {
        Ok(diesel::select(diesel::dsl::exists(
            event_favorites::table.find((Uuid::from(user), Uuid::from(event))),
        ))
        .get_result(conn)
        .await?)
    }

    /// Which of `events` the user marked as favourite.
    pub async fn list_for_user_among(
        conn: &mut DbConnection,
        user: UserId,
        events: &[EventId],
    ) -> Result<Vec<EventId>> {
        let ids: Vec<Uuid> = events.iter().copied().map(Uuid::from).collect();
        let found: Vec<Uuid> = event_favorites::table
            .filter(event_favorites::user_id.eq(Uuid::from(user)))
            .filter(event_favorites::event_id.eq_any(ids))
            .select(event_favorites::event_id)
            .load(conn)
            .await?;
        Ok(found.into_iter().map(EventId::from).collect())
    }

    /// One page of the user's favourite event ids, ordered by event id.
    pub async fn list_for_user(
        conn: &mut DbConnection,
        user: UserId,
        page: PageRequest,
    ) -> Result<Page<EventId>> {
        let user = Uuid::from(user);
        let found: Vec<Uuid> = event_favorites::table
            .filter(event_favorites::user_id.eq(user))
            .select(event_favorites::event_id)
            .order(event_favorites::event_id.asc())
            .offset(page.offset())
            .limit(page.limit())
            .load(conn)
            .await?;
        let total = event_favorites::table
            .filter(event_favorites::user_id.eq(user))
            .count()
            .get_result(conn)
            .await?;
        Ok(Page {
            items: found.into_iter().map(EventId::from).collect(),
            total,
        })
    }
}
