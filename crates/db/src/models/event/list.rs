//! The keyset-paged event listing of `GET /events` (rules.md §6).

mod related;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use conclave_domain::ids::{EventId, TenantId, UserId};
use diesel::dsl;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Nullable};
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use super::{Event, creator_is_active};
use crate::enums::{EventInviteStatus, SqlEventInviteStatus};
use crate::models::room::Room;
use crate::schema::{event_favorites, event_invites, events, rooms};
use crate::{DbConnection, Result};

/// The largest page [`Event::list_for_user`] returns.
pub const MAX_EVENT_PAGE: i64 = 100;

/// The filters of `GET /events` (rules.md §6.2); the default filters nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventListFilter {
    /// Only events that end at or after this instant (overlap, see §6.2).
    pub time_min: Option<DateTime<Utc>>,
    /// Only events that start at or before this instant (overlap, see §6.2).
    pub time_max: Option<DateTime<Utc>>,
    /// Only events created at or before this instant.
    pub created_before: Option<DateTime<Utc>>,
    /// Only events created at or after this instant.
    pub created_after: Option<DateTime<Utc>>,
    /// Only (non-)ad-hoc events.
    pub adhoc: Option<bool>,
    /// Only (non-)time-independent events.
    pub time_independent: Option<bool>,
    /// Only the user's favourites.
    pub favorites: bool,
    /// Only events where the user's invite has one of these statuses; the
    /// user's own events (no invite row) count as `accepted`. Empty = no filter.
    pub invite_status: Vec<EventInviteStatus>,
}

/// The position after the last event of a page (rules.md §6.3, R-17).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventCursor {
    /// The event's id.
    pub id: EventId,
    /// The event's creation time.
    pub created_at: DateTime<Utc>,
    /// The event's start; `None` for a time-independent event.
    pub starts_at: Option<DateTime<Utc>>,
}

impl From<&Event> for EventCursor {
    fn from(event: &Event) -> Self {
        Self {
            id: event.id,
            created_at: event.created_at,
            starts_at: event.starts_at,
        }
    }
}

/// One `GET /events` request.
#[derive(Debug, Clone)]
pub struct EventListQuery {
    /// The reading user.
    pub user: UserId,
    /// The reading user's tenant.
    pub tenant: TenantId,
    /// The filters.
    pub filter: EventListFilter,
    /// Continue after this position.
    pub after: Option<EventCursor>,
    /// Page size, clamped to 1..=[`MAX_EVENT_PAGE`].
    pub limit: i64,
}

/// One listed event with the reader's relation to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventListEntry {
    /// The event row.
    pub event: Event,
    /// The event's room.
    pub room: Room,
    /// The reader's own invite status, `None` without an invite row.
    pub invite_status: Option<EventInviteStatus>,
    /// Whether the reader marked the event as favourite.
    pub is_favorite: bool,
    /// The event's position when the page was chosen: the next page
    /// continues after the last entry's `key`, not after its re-read row,
    /// which a concurrent PATCH may already have moved.
    pub key: EventCursor,
}

impl EventListEntry {
    /// The status shown to the reader: `accepted` without an invite row (§6.4).
    pub fn effective_invite_status(&self) -> EventInviteStatus {
        self.invite_status.unwrap_or(EventInviteStatus::Accepted)
    }
}

type Condition = Box<dyn BoxableExpression<Source, Pg, SqlType = Nullable<Bool>>>;
type InviteOn =
    dsl::And<dsl::Eq<event_invites::event_id, events::id>, dsl::Eq<event_invites::invitee, Uuid>>;
type FavoriteOn = dsl::And<
    dsl::Eq<event_favorites::event_id, events::id>,
    dsl::Eq<event_favorites::user_id, Uuid>,
>;
/// The FROM clause that chooses a page: events with the reader's invite
/// and favourite rows.
type Source = dsl::LeftJoinQuerySource<
    dsl::LeftJoinQuerySource<events::table, event_invites::table, InviteOn>,
    event_favorites::table,
    FavoriteOn,
>;

/// The time filters of §6.2; rows with NULL times never match (the
/// comparisons yield NULL).
fn time_condition(min: Option<DateTime<Utc>>, max: Option<DateTime<Utc>>) -> Option<Condition> {
    match (min, max) {
        (Some(min), Some(max)) => Some(Box::new(
            events::starts_at
                .between(min, max)
                .or(events::ends_at.between(min, max))
                .or(events::starts_at.le(min).and(events::ends_at.ge(min)))
                .or(events::starts_at.le(max).and(events::ends_at.ge(max))),
        )),
        (Some(min), None) => Some(Box::new(events::ends_at.ge(min))),
        (None, Some(max)) => Some(Box::new(events::starts_at.le(max))),
        (None, None) => None,
    }
}

/// The keyset condition of R-17, matching the order
/// `starts_at NULLS FIRST, created_at, id` exactly.
fn after_condition(cursor: &EventCursor) -> Condition {
    let id = Uuid::from(cursor.id);
    let later_created = events::created_at
        .gt(cursor.created_at)
        .or(events::created_at
            .eq(cursor.created_at)
            .and(events::id.gt(id)));
    match cursor.starts_at {
        None => Box::new(
            events::starts_at
                .is_null()
                .and(later_created)
                .or(events::starts_at.is_not_null())
                .nullable(),
        ),
        Some(start) => Box::new(
            events::starts_at
                .gt(start)
                .or(events::starts_at.eq(start).and(later_created)),
        ),
    }
}

/// The invite-status filter of §6.2: own events (no invite row) match
/// exactly when `accepted` is asked for.
fn status_condition(statuses: &[EventInviteStatus]) -> Option<Condition> {
    if statuses.is_empty() {
        return None;
    }
    let wanted: Vec<SqlEventInviteStatus> = statuses.iter().copied().map(Into::into).collect();
    let matches = event_invites::status.eq_any(wanted);
    Some(if statuses.contains(&EventInviteStatus::Accepted) {
        Box::new(matches.or(event_invites::id.is_null()).nullable())
    } else {
        Box::new(matches.nullable())
    })
}

impl Event {
    /// One page of the events visible to `query.user` (§6.1) that match the
    /// filters, ordered by start (time-independent first), creation time, id.
    ///
    /// Two steps: the page's ids first, then their rows. Choosing ids sorts
    /// only narrow keys, which fit in memory, where sorting whole event
    /// rows of a large tenant spilled to disk (see docs/benchmarks.md).
    pub async fn list_for_user(
        conn: &mut DbConnection,
        query: &EventListQuery,
    ) -> Result<Vec<EventListEntry>> {
        let keys = Event::page_keys(conn, query).await?;
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<Uuid> = keys.iter().map(|key| Uuid::from(key.id)).collect();
        let rows: Vec<(Event, Room, Option<EventInviteStatus>, Option<Uuid>)> =
            source(Uuid::from(query.user))
                .inner_join(rooms::table)
                .filter(events::id.eq_any(ids))
                .select((
                    Event::as_select(),
                    Room::as_select(),
                    event_invites::status.nullable(),
                    event_favorites::user_id.nullable(),
                ))
                .load(conn)
                .await?;
        let mut by_id: HashMap<EventId, _> = rows
            .into_iter()
            .map(|(event, room, status, favorite)| (event.id, (event, room, status, favorite)))
            .collect();
        // Page order is the order the keys were chosen in; an event deleted
        // in between is simply missing.
        Ok(keys
            .into_iter()
            .filter_map(|key| {
                let (event, room, invite_status, favorite) = by_id.remove(&key.id)?;
                Some(EventListEntry {
                    event,
                    room,
                    invite_status,
                    is_favorite: favorite.is_some(),
                    key,
                })
            })
            .collect())
    }

    /// The keys of one page, in page order.
    async fn page_keys(
        conn: &mut DbConnection,
        query: &EventListQuery,
    ) -> Result<Vec<EventCursor>> {
        let user = Uuid::from(query.user);
        let filter = &query.filter;
        let mut select = source(user)
            .filter(events::tenant_id.eq(Uuid::from(query.tenant)))
            .filter(creator_is_active())
            .filter(
                events::created_by
                    .eq(user)
                    .or(event_invites::id.is_not_null()),
            )
            .select((events::id, events::created_at, events::starts_at))
            .order(page_order())
            .limit(query.limit.clamp(1, MAX_EVENT_PAGE))
            .into_boxed();
        let conditions = [
            time_condition(filter.time_min, filter.time_max),
            status_condition(&filter.invite_status),
            query.after.as_ref().map(after_condition),
        ];
        for condition in conditions.into_iter().flatten() {
            select = select.filter(condition);
        }
        if let Some(before) = filter.created_before {
            select = select.filter(events::created_at.le(before));
        }
        if let Some(after) = filter.created_after {
            select = select.filter(events::created_at.ge(after));
        }
        if let Some(adhoc) = filter.adhoc {
            select = select.filter(events::is_adhoc.eq(adhoc));
        }
        if let Some(time_independent) = filter.time_independent {
            select = select.filter(events::is_time_independent.eq(time_independent));
        }
        if filter.favorites {
            select = select.filter(event_favorites::user_id.is_not_null());
        }
        let keys: Vec<(Uuid, DateTime<Utc>, Option<DateTime<Utc>>)> = select.load(conn).await?;
        Ok(keys
            .into_iter()
            .map(|(id, created_at, starts_at)| EventCursor {
                id: id.into(),
                created_at,
                starts_at,
            })
            .collect())
    }
}

/// Events with the reader's invite and favourite rows.
#[diesel::dsl::auto_type]
fn source(user: Uuid) -> _ {
    events::table
        .left_join(
            event_invites::table.on(event_invites::event_id
                .eq(events::id)
                .and(event_invites::invitee.eq(user))),
        )
        .left_join(
            event_favorites::table.on(event_favorites::event_id
                .eq(events::id)
                .and(event_favorites::user_id.eq(user))),
        )
}

/// The page order of §6.3: start (time-independent first), creation, id.
#[diesel::dsl::auto_type]
fn page_order() -> _ {
    (
        events::starts_at.asc().nulls_first(),
        events::created_at.asc(),
        events::id.asc(),
    )
}
