//! Shared setup of the favourites, pending-invite and shared-folder suites:
//! logged-in people, and events written straight to the database with the
//! access rules the event endpoints would write (so these suites do not
//! depend on `POST /events`).

#![allow(dead_code)] // Each suite uses a different subset.

use conclave_db::models::event_invite::NewEventInvite;
use conclave_db::models::user::User;
use conclave_db::testing::{event_fixtures, fixtures};
use conclave_domain::access::{create_event, invite_user};
use conclave_domain::ids::{EventId, RoomId, UserId};
use conclave_domain::invite::{EventInviteStatus, InviteRole};
use conclave_e2e::schema::{Declared, OpenApiDoc};
use conclave_e2e::{TestApp, rows};
use reqwest::{Method, StatusCode};
use serde_json::Value;

/// A logged-in user: access token and id.
#[derive(Debug, Clone)]
pub struct Person {
    /// Bearer token.
    pub token: String,
    /// The user's id.
    pub id: UserId,
}

/// An event and its room.
#[derive(Debug, Clone, Copy)]
pub struct Meeting {
    /// The event.
    pub event: EventId,
    /// Its room.
    pub room: RoomId,
}

/// Logs `sub` in and returns the person.
pub async fn person(app: &TestApp, sub: &str) -> Person {
    let token = app.issuer.token(sub);
    assert_eq!(
        app.login(&token).await.status(),
        StatusCode::OK,
        "login {sub}"
    );
    let mut conn = app.db.connect().await;
    let id = rows::user_id_by_sub(&mut conn, sub)
        .await
        .expect("user row");
    Person { token, id }
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

/// Sends a request to `/v1{path}`; returns the status and the JSON body
/// (`Null` when the body is empty or not JSON).
pub async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
) -> (StatusCode, Value) {
    let authorization = token.map(|token| format!("Bearer {token}"));
    let response = app.send(method, path, authorization, None).await;
    (response.status, response.body)
}

/// `(status, code)` of an answer, for compact assertions.
pub fn answer(result: &(StatusCode, Value)) -> (u16, Option<&str>) {
    (result.0.as_u16(), result.1["code"].as_str())
}

/// Asserts that `body` matches the schema the upstream document declares
/// for `status` of the operation (`doc_path` with upstream's `{param}`
/// names), with no undeclared properties.
pub fn assert_conforms(method: &str, doc_path: &str, status: u16, body: &Value) {
    let doc = OpenApiDoc::load().unwrap_or_else(|e| panic!("{e}"));
    let Declared::Schema { schema, .. } = doc.declared(method, doc_path, status) else {
        panic!("{method} {doc_path} declares no schema for {status}");
    };
    let mut problems = doc.validate(&schema, body).expect("schema compiles");
    problems.extend(doc.undeclared(&schema, body));
    assert!(
        problems.is_empty(),
        "{method} {doc_path} {status}: {problems:?}"
    );
}
