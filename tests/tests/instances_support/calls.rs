//! Helpers of the instance suites (`event_instances*.rs`): events in
//! Europe/Berlin and the instance calls.

#![allow(dead_code)] // Each suite uses a different subset.

use conclave_e2e::{Person, Reply, TestApp, call, id, post_event};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// A zoned time in Europe/Berlin.
pub fn berlin(datetime: &str) -> Value {
    json!({"datetime": datetime, "timezone": "Europe/Berlin"})
}

/// A one-hour event in Europe/Berlin; `pattern` empty = single event.
pub fn event_body(start: &str, end: &str, pattern: &[&str]) -> Value {
    let mut body = json!({
        "title": "Daily", "description": "standup", "is_time_independent": false,
        "is_all_day": false, "starts_at": berlin(start), "ends_at": berlin(end),
    });
    if !pattern.is_empty() {
        body["recurrence_pattern"] = json!(pattern);
    }
    body
}

/// `POST /events`, asserting 201; returns the event id.
pub async fn create(app: &TestApp, who: &Person, body: &Value) -> String {
    let reply = post_event(app, who, body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    id(&reply.body, "id")
}

/// `GET /v1{path}`.
pub async fn get(app: &TestApp, who: &Person, path: &str) -> Reply {
    call(app, Method::GET, path, who.auth(), None).await
}

/// `GET /events/{event}/instances{query}`, asserting 200.
pub async fn list(app: &TestApp, who: &Person, event: &str, query: &str) -> Reply {
    let reply = get(app, who, &format!("/events/{event}/instances{query}")).await;
    assert_eq!(reply.status, StatusCode::OK, "{query}: {}", reply.body);
    reply
}

/// `PATCH /events/{event}/instances/{instance}` with `body`.
pub async fn patch_instance(
    app: &TestApp,
    who: &Person,
    event: &str,
    instance: &str,
    body: &Value,
) -> Reply {
    let path = format!("/events/{event}/instances/{instance}");
    call(
        app,
        Method::PATCH,
        &path,
        who.auth(),
        Some(&body.to_string()),
    )
    .await
}

/// `instance_id`s of a listing.
pub fn instance_ids(body: &Value) -> Vec<String> {
    body.as_array()
        .expect("array")
        .iter()
        .map(|i| id(i, "instance_id"))
        .collect()
}

/// `(starts_at, ends_at)` UTC texts of a listing.
pub fn times(body: &Value) -> Vec<(String, String)> {
    body.as_array()
        .expect("array")
        .iter()
        .map(|i| {
            (
                id(&i["starts_at"], "datetime"),
                id(&i["ends_at"], "datetime"),
            )
        })
        .collect()
}

/// The upstream document's path of the listing.
pub const LIST: &str = "/events/{event_id}/instances";
/// The upstream document's path of one instance.
pub const ONE: &str = "/events/{event_id}/instances/{instance_id}";
