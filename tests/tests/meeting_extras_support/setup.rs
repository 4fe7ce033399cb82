//! Shared setup of the favourites, pending-invite and shared-folder suites:
//! events written straight to the database with the
//! access rules the event endpoints would write (so these suites do not
//! depend on `POST /events`).

#![allow(dead_code)] // Each suite uses a different subset.

use conclave_db::models::event_invite::NewEventInvite;
use conclave_db::models::user::User;
use conclave_db::testing::{event_fixtures, fixtures};
use conclave_domain::access::{create_event, invite_user};
use conclave_domain::ids::{EventId, RoomId, UserId};
use conclave_domain::invite::{EventInviteStatus, InviteRole};
use conclave_e2e::{Person, TestApp};

/// An event and its room.
#[derive(Debug, Clone, Copy)]
pub struct Meeting {
    /// The event.
    pub event: EventId,
    /// Its room.
    pub room: RoomId,
}

/// A time-independent event of `creator` in a fresh room, with the
/// creator's access rules.
pub async fn meeting(app: &TestApp, creator: &Person) -> Meeting {
    let mut conn = app.db.connect().await;
    let user = User::get(&mut conn, creator.id).await.expect("creator");
    let room = fixtures::room(&mut conn, &user).await;
    let event = event_fixtures::new_event(&user, room.id, None)
        .insert(&mut conn)
        .await
        .expect("insert event");
    app.state
        .authz
        .apply(&create_event(creator.id, event.id, room.id))
        .await
        .expect("creator rules");
    Meeting {
        event: event.id,
        room: room.id,
    }
}

/// Invites `invitee` to `meeting` with `status`, with the invitee's rules.
pub async fn invite(
    app: &TestApp,
    meeting: Meeting,
    creator: &Person,
    invitee: &Person,
    status: EventInviteStatus,
) {
    let mut conn = app.db.connect().await;
    NewEventInvite {
        status,
        ..NewEventInvite::pending(meeting.event, invitee.id, creator.id, InviteRole::User)
    }
    .insert(&mut conn)
    .await
    .expect("insert invite");
    app.state
        .authz
        .apply(&invite_user(invitee.id, meeting.event, meeting.room))
        .await
        .expect("invitee rules");
}

/// Disables the user (their events disappear, rules.md §6.1).
pub async fn disable(app: &TestApp, user: UserId) {
    let mut conn = app.db.connect().await;
    User::disable(&mut conn, user, chrono::Utc::now())
        .await
        .expect("disable user");
}
