//! Helpers shared by the room SIP, streaming-target and start suites:
//! logging users in, seeding rooms with their owner's grants, and calling
//! the API with any kind of credentials.
#![allow(dead_code)] // each suite uses a different subset

use chrono::{DateTime, Utc};
use conclave_db::models::invite::NewInvite;
use conclave_db::models::user::User;
use conclave_db::testing::fixtures;
use conclave_domain::access::grants::room_read;
use conclave_domain::access::subject::Subject;
use conclave_domain::access::{self, AccessChange};
use conclave_domain::ids::{RoomId, UserId};
use conclave_e2e::{TestApp, rows};
use diesel_async::RunQueryDsl;
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use uuid::Uuid;

/// The credentials of a request.
#[derive(Debug, Clone, Copy)]
pub enum Auth<'a> {
    /// No `Authorization` header.
    None,
    /// `Bearer <token>`.
    Bearer(&'a str),
    /// `InviteCode <uuid>`.
    InviteCode(Uuid),
}

/// A response: status, JSON body (`Null` when empty or not JSON), headers.
pub struct Reply {
    /// Status.
    pub status: StatusCode,
    /// Body.
    pub body: Value,
    /// Headers.
    pub headers: HeaderMap,
}

impl Reply {
    /// The error `code` of the body, if any.
    pub fn code(&self) -> Option<&str> {
        self.body["code"].as_str()
    }

    /// `(status, code)`, for compact assertions on errors.
    pub fn error(&self) -> (u16, Option<&str>) {
        (self.status.as_u16(), self.code())
    }
}

/// Logs `sub` in and returns the access token and the user id.
pub async fn login(app: &TestApp, sub: &str) -> (String, UserId) {
    let token = app.issuer.sign(&app.issuer.claims(sub));
    assert_eq!(
        app.login(&token).await.status(),
        StatusCode::OK,
        "login {sub}"
    );
    let mut conn = app.db.connect().await;
    let id = rows::user_id_by_sub(&mut conn, sub)
        .await
        .expect("user row");
    (token, id)
}

/// Calls `/v1{path}` with a raw JSON `body`.
pub async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    auth: Auth<'_>,
    body: Option<&str>,
) -> Reply {
    let authorization = match auth {
        Auth::None => None,
        Auth::Bearer(token) => Some(format!("Bearer {token}")),
        Auth::InviteCode(code) => Some(format!("InviteCode {code}")),
    };
    let response = app.send(method, path, authorization, body).await;
    Reply {
        status: response.status,
        body: response.body,
        headers: response.headers,
    }
}

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
) -> Uuid {
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
    invite.id.into()
}

/// Soft-deletes an invite code.
pub async fn deactivate_code(app: &TestApp, room: RoomId, code: Uuid, actor: UserId) {
    let mut conn = app.db.connect().await;
    conclave_db::models::invite::Invite::deactivate(&mut conn, room, code.into(), actor)
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
