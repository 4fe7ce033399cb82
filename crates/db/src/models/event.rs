//! `events`: calendar events, each with its own room (rules.md §1).
//!
//! Every lookup that serves users filters out events whose creator is
//! disabled (rules.md §6.1); the `*_unfiltered` variants exist for the
//! maintenance jobs that must see them.

mod delete;
mod list;
mod maintenance;

use chrono::{DateTime, Utc};
use conclave_domain::ids::{EventId, RoomId, TenantId, UserId};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use crate::models::room::Room;
use crate::schema::{events, rooms, users};
use crate::{DbConnection, DbError, Result};

pub use delete::{DeleteEventOutcome, DeletedEvent};
pub use list::{EventCursor, EventListEntry, EventListFilter, EventListQuery, MAX_EVENT_PAGE};

/// A row of `events`.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = events, check_for_backend(diesel::pg::Pg))]
pub struct Event {
    /// Primary key.
    #[diesel(deserialize_as = Uuid)]
    pub id: EventId,
    /// Serial number (unique), only used for display and ordering by age.
    pub id_serial: i64,
    /// Title (≤ 255 characters).
    pub title: String,
    /// Description (≤ 4096 characters).
    pub description: String,
    /// The event's own room (1:1, `events_room_key`).
    #[diesel(deserialize_as = Uuid)]
    pub room: RoomId,
    /// The creator.
    #[diesel(deserialize_as = Uuid)]
    pub created_by: UserId,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// The last user who changed the event row.
    #[diesel(deserialize_as = Uuid)]
    pub updated_by: UserId,
    /// Last change of the event row.
    pub updated_at: DateTime<Utc>,
    /// True for events without a time.
    pub is_time_independent: bool,
    /// All-day flag; `None` for time-independent events.
    pub is_all_day: Option<bool>,
    /// Start instant (the first occurrence for a series).
    pub starts_at: Option<DateTime<Utc>>,
    /// IANA zone of `starts_at`.
    pub starts_at_tz: Option<String>,
    /// End instant (for a series, the stored end of rules.md §2.5).
    pub ends_at: Option<DateTime<Utc>>,
    /// IANA zone of `ends_at`.
    pub ends_at_tz: Option<String>,
    /// Length of one occurrence of a series, in seconds.
    pub duration_secs: Option<i32>,
    /// True for a series, false for a single event, `None` when time-independent.
    pub is_recurring: Option<bool>,
    /// The recurrence lines joined with `\n`.
    pub recurrence_pattern: Option<String>,
    /// Instant meeting flag.
    pub is_adhoc: bool,
    /// The creator's tenant.
    #[diesel(deserialize_as = Uuid)]
    pub tenant_id: TenantId,
    /// Bumped by every event-row update (rules.md §4.4).
    pub revision: i32,
    /// Whether participants see the meeting details.
    pub show_meeting_details: bool,
}

/// Insert form of [`Event`]; `revision` starts at 0 and the timestamps at now.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = events)]
pub struct NewEvent {
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// The event's room.
    #[diesel(serialize_as = Uuid)]
    pub room: RoomId,
    /// The creator.
    #[diesel(serialize_as = Uuid)]
    pub created_by: UserId,
    /// Same as `created_by` on creation.
    #[diesel(serialize_as = Uuid)]
    pub updated_by: UserId,
    /// Time-independent flag.
    pub is_time_independent: bool,
    /// All-day flag.
    pub is_all_day: Option<bool>,
    /// Start instant.
    pub starts_at: Option<DateTime<Utc>>,
    /// Zone of the start.
    pub starts_at_tz: Option<String>,
    /// End instant.
    pub ends_at: Option<DateTime<Utc>>,
    /// Zone of the end.
    pub ends_at_tz: Option<String>,
    /// Occurrence length of a series.
    pub duration_secs: Option<i32>,
    /// Series flag.
    pub is_recurring: Option<bool>,
    /// Recurrence lines joined with `\n`.
    pub recurrence_pattern: Option<String>,
    /// Instant meeting flag.
    pub is_adhoc: bool,
    /// The creator's tenant.
    #[diesel(serialize_as = Uuid)]
    pub tenant_id: TenantId,
    /// Whether participants see the meeting details.
    pub show_meeting_details: bool,
}

/// Changes to an [`Event`]. `None` leaves a column unchanged; for nullable
/// columns `Some(None)` clears it. `updated_by` is always written, together
/// with `updated_at = now()` and `revision = revision + 1`.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = events)]
pub struct UpdateEvent {
    /// The acting user.
    #[diesel(serialize_as = Uuid)]
    pub updated_by: UserId,
    /// New title.
    pub title: Option<String>,
    /// New description.
    pub description: Option<String>,
    /// New shape flag.
    pub is_time_independent: Option<bool>,
    /// New all-day flag.
    pub is_all_day: Option<Option<bool>>,
    /// New start.
    pub starts_at: Option<Option<DateTime<Utc>>>,
    /// New start zone.
    pub starts_at_tz: Option<Option<String>>,
    /// New end.
    pub ends_at: Option<Option<DateTime<Utc>>>,
    /// New end zone.
    pub ends_at_tz: Option<Option<String>>,
    /// New occurrence length.
    pub duration_secs: Option<Option<i32>>,
    /// New series flag.
    pub is_recurring: Option<Option<bool>>,
    /// New recurrence lines.
    pub recurrence_pattern: Option<Option<String>>,
    /// New ad-hoc flag.
    pub is_adhoc: Option<bool>,
    /// New meeting-details flag.
    pub show_meeting_details: Option<bool>,
}

impl UpdateEvent {
    /// A change set that only records who touched the event (and so bumps
    /// the revision), to be filled with the fields that change.
    pub fn by(user: UserId) -> Self {
        Self {
            updated_by: user,
            title: None,
            description: None,
            is_time_independent: None,
            is_all_day: None,
            starts_at: None,
            starts_at_tz: None,
            ends_at: None,
            ends_at_tz: None,
            duration_secs: None,
            is_recurring: None,
            recurrence_pattern: None,
            is_adhoc: None,
            show_meeting_details: None,
        }
    }
}

/// What [`Event::update_if_revision`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevisionUpdate {
    /// The row had the expected revision and was updated.
    Updated(Box<Event>),
    /// The row exists but was changed meanwhile; nothing was written.
    Stale {
        /// The revision the row has now.
        current_revision: i32,
    },
    /// No such event.
    NotFound,
}

/// `events.created_by` is an active user (rules.md §6.1).
#[diesel::dsl::auto_type]
pub(crate) fn creator_is_active() -> _ {
    events::created_by.eq_any(
        users::table
            .filter(users::disabled_since.is_null())
            .select(users::id),
    )
}

impl Event {
    /// Looks an event up by id; events of disabled creators are `NotFound`.
    pub async fn get(conn: &mut DbConnection, id: EventId) -> Result<Event> {
        Event::find(conn, id).await?.ok_or(DbError::NotFound)
    }

    /// Looks an event up by id, `None` when it does not exist or its creator
    /// is disabled.
    pub async fn find(conn: &mut DbConnection, id: EventId) -> Result<Option<Event>> {
        Ok(events::table
            .find(Uuid::from(id))
            .filter(creator_is_active())
            .select(Event::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// Looks an event up together with its room; events of disabled
    /// creators are `NotFound`.
    pub async fn get_with_room(conn: &mut DbConnection, id: EventId) -> Result<(Event, Room)> {
        Ok(events::table
            .inner_join(rooms::table)
            .filter(events::id.eq(Uuid::from(id)))
            .filter(creator_is_active())
            .select((Event::as_select(), Room::as_select()))
            .get_result(conn)
            .await?)
    }

    /// Like [`Event::get_with_room`], and locks both rows (`FOR UPDATE`)
    /// until the transaction ends, so writers of one event (its PATCH, the
    /// PATCH of an instance, the room's settings) run one after the other.
    pub async fn lock_with_room(conn: &mut DbConnection, id: EventId) -> Result<(Event, Room)> {
        Ok(events::table
            .inner_join(rooms::table)
            .filter(events::id.eq(Uuid::from(id)))
            .filter(creator_is_active())
            .select((Event::as_select(), Room::as_select()))
            .for_update()
            .get_result(conn)
            .await?)
    }

    /// Looks an event up by id whatever the state of its creator.
    pub async fn get_unfiltered(conn: &mut DbConnection, id: EventId) -> Result<Event> {
        Ok(events::table
            .find(Uuid::from(id))
            .select(Event::as_select())
            .get_result(conn)
            .await?)
    }

    /// The event of a room, if any, whatever the state of its creator (the
    /// room deleter refuses rooms that an event references).
    pub async fn find_by_room(conn: &mut DbConnection, room: RoomId) -> Result<Option<Event>> {
        Ok(events::table
            .filter(events::room.eq(Uuid::from(room)))
            .select(Event::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// Events by id (active creators only), in no particular order; ids that
    /// do not resolve are left out.
    pub async fn list_by_ids(conn: &mut DbConnection, ids: &[EventId]) -> Result<Vec<Event>> {
        let ids: Vec<Uuid> = ids.iter().copied().map(Uuid::from).collect();
        Ok(events::table
            .filter(events::id.eq_any(ids))
            .filter(creator_is_active())
            .select(Event::as_select())
            .load(conn)
            .await?)
    }

    /// Applies `changes`, sets `updated_at = now()` and bumps `revision`, all
    /// in one UPDATE.
    pub async fn update(
        conn: &mut DbConnection,
        id: EventId,
        changes: UpdateEvent,
    ) -> Result<Event> {
        Ok(diesel::update(events::table.find(Uuid::from(id)))
            .set((
                changes,
                events::updated_at.eq(diesel::dsl::now),
                events::revision.eq(events::revision + 1),
            ))
            .returning(Event::as_select())
            .get_result(conn)
            .await?)
    }

    /// Like [`Event::update`], but only if the row still has
    /// `expected_revision` (optimistic concurrency).
    pub async fn update_if_revision(
        conn: &mut DbConnection,
        id: EventId,
        expected_revision: i32,
        changes: UpdateEvent,
    ) -> Result<RevisionUpdate> {
        let updated = diesel::update(
            events::table
                .find(Uuid::from(id))
                .filter(events::revision.eq(expected_revision)),
        )
        .set((
            changes,
            events::updated_at.eq(diesel::dsl::now),
            events::revision.eq(events::revision + 1),
        ))
        .returning(Event::as_select())
        .get_result(conn)
        .await
        .optional()?;
        if let Some(event) = updated {
            return Ok(RevisionUpdate::Updated(Box::new(event)));
        }
        let current: Option<i32> = events::table
            .find(Uuid::from(id))
            .select(events::revision)
            .first(conn)
            .await
            .optional()?;
        Ok(match current {
            Some(current_revision) => RevisionUpdate::Stale { current_revision },
            None => RevisionUpdate::NotFound,
        })
    }
}

impl NewEvent {
    /// Inserts the event. A second event for the same room is a
    /// `UniqueViolation` on `events_room_key`.
    pub async fn insert(self, conn: &mut DbConnection) -> Result<Event> {
        Ok(diesel::insert_into(events::table)
            .values(self)
            .returning(Event::as_select())
            .get_result(conn)
            .await?)
    }
}
