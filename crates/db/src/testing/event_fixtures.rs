//! Ready-made events for tests: each gets a fresh room of its creator.

use chrono::{DateTime, Duration, Utc};

use crate::DbConnection;
use crate::models::event::{Event, NewEvent};
use crate::models::user::User;
use crate::testing::fixtures;

/// The insert form of a single one-hour event of `creator` in `room`,
/// starting at `starts_at` (time-independent when `None`).
pub fn new_event(
    creator: &User,
    room: conclave_domain::ids::RoomId,
    starts_at: Option<DateTime<Utc>>,
) -> NewEvent {
    let zone = starts_at.map(|_| "Europe/Berlin".to_owned());
    NewEvent {
        title: "Test Event".to_owned(),
        description: "A test event".to_owned(),
        room,
        created_by: creator.id,
        updated_by: creator.id,
        is_time_independent: starts_at.is_none(),
        is_all_day: starts_at.map(|_| false),
        starts_at,
        starts_at_tz: zone.clone(),
        ends_at: starts_at.map(|start| start + Duration::hours(1)),
        ends_at_tz: zone,
        duration_secs: None,
        is_recurring: starts_at.map(|_| false),
        recurrence_pattern: None,
        is_adhoc: false,
        tenant_id: creator.tenant_id,
        show_meeting_details: false,
    }
}

/// A time-independent event of `creator` with a fresh room.
pub async fn event(conn: &mut DbConnection, creator: &User) -> Event {
    event_at(conn, creator, None).await
}

/// An event of `creator` with a fresh room, starting at `starts_at`.
pub async fn event_at(
    conn: &mut DbConnection,
    creator: &User,
    starts_at: Option<DateTime<Utc>>,
) -> Event {
    let room = fixtures::room(conn, creator).await;
    new_event(creator, room.id, starts_at)
        .insert(conn)
        .await
        .expect("insert event")
}
