//! Builders shared by the room SIP, streaming-target and start suites:
//! rooms seeded with their owner's grants, invite codes and tariff tweaks.
#![allow(dead_code)] // each suite uses a different subset

use chrono::{DateTime, Utc};
use conclave_db::models::invite::NewInvite;
use conclave_db::models::user::User;
use conclave_db::testing::fixtures;
use conclave_domain::access::grants::room_read;
use conclave_domain::access::subject::Subject;
use conclave_domain::access::{self, AccessChange};
use conclave_domain::ids::{InviteCodeId, RoomId, UserId};
use conclave_e2e::TestApp;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

/// Room settings for [`room`].
#[derive(Debug, Clone, Default)]
pub struct RoomSpec {
    /// Guest password.
    pub password: Option<String>,
    /// End-to-end encryption.
    pub e2e: bool,
    /// Waiting room.
    pub waiting_room: bool,
}

/// Inserts a room of `owner` and grants the owner room read + write, as
/// `POST /rooms` does.
pub async fn room(app: &TestApp, owner: UserId, spec: RoomSpec) -> RoomId {
    let mut conn = app.db.connect().await;
    let user = User::get(&mut conn, owner).await.unwrap();
    let mut new = fixtures::new_room(&user);
    new.password = spec.password;
    new.e2e_encryption = spec.e2e;
    new.waiting_room = spec.waiting_room;
    let room = new.insert(&mut conn).await.unwrap();
    app.state
        .authz
        .apply(&access::create_room(owner, room.id))
        .await
        .unwrap();
    room.id
}

/// Gives `user` room read on `room` (what an event invitee holds).
pub async fn grant_room_read(app: &TestApp, user: UserId, room: RoomId) {
    let change = AccessChange {
        grants: room_read(&Subject::User(user), room),
        ..AccessChange::default()
    };
    app.state.authz.apply(&change).await.unwrap();
}

/// Inserts an invite code of `room` with guest read, optionally expired or
/// deactivated afterwards.
pub async fn invite_code(
    app: &TestApp,
    room: RoomId,
    creator: UserId,
    expiration: Option<DateTime<Utc>>,
) -> InviteCodeId {
    let mut conn = app.db.connect().await;
    let invite = NewInvite {
        created_by: creator,
        room,
        expiration,
    }
    .insert(&mut conn)
    .await
    .unwrap();
    app.state
        .authz
        .apply(&access::create_invite_code(invite.id, room))
        .await
        .unwrap();
    invite.id
}

/// Soft-deletes an invite code.
pub async fn deactivate_code(app: &TestApp, room: RoomId, code: InviteCodeId, actor: UserId) {
    let mut conn = app.db.connect().await;
    conclave_db::models::invite::Invite::deactivate(&mut conn, room, code, actor)
        .await
        .unwrap();
}

/// Disables `core::call_in` in every tariff (the tests' own database).
pub async fn disable_call_in_by_tariff(app: &TestApp) {
    let mut conn = app.db.connect().await;
    diesel::sql_query("UPDATE tariffs SET disabled_features = ARRAY['core::call_in']")
        .execute(&mut conn)
        .await
        .unwrap();
}

/// A room id nobody has.
pub fn unknown_room() -> Uuid {
    Uuid::new_v4()
}
