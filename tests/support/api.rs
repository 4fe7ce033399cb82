//! Shorthands for the API calls many suites make to set a test up
//! (creating rooms, invite codes and events), asserting that they succeed.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::{Person, Reply, TestApp, call};

/// `POST /rooms` with `body`; asserts 201 and returns the room resource.
pub async fn create_room(app: &TestApp, who: &Person, body: Value) -> Value {
    let reply = call(
        app,
        Method::POST,
        "/rooms",
        who.auth(),
        Some(&body.to_string()),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.body
}

/// `POST /rooms/{room}/invites` with `body`; asserts 200 and returns the code.
pub async fn create_invite(app: &TestApp, who: &Person, room: &str, body: Value) -> Value {
    let path = format!("/rooms/{room}/invites");
    let reply = call(
        app,
        Method::POST,
        &path,
        who.auth(),
        Some(&body.to_string()),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.body
}

/// `POST /events` with `body`, whatever the answer.
pub async fn post_event(app: &TestApp, who: &Person, body: &Value) -> Reply {
    call(
        app,
        Method::POST,
        "/events",
        who.auth(),
        Some(&body.to_string()),
    )
    .await
}

/// `POST /events` with `body`; asserts 201 and returns the event resource.
pub async fn create_event(app: &TestApp, who: &Person, body: &Value) -> Value {
    let reply = post_event(app, who, body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.body
}

/// A zoned time `{datetime, timezone: Europe/Berlin}` as the event
/// bodies take it.
pub fn berlin(datetime: &str) -> Value {
    json!({"datetime": datetime, "timezone": "Europe/Berlin"})
}
