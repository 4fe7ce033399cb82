//! Helpers of the instance suites (`event_instances*.rs`): events in
//! Europe/Berlin, the instance calls, and checks against the upstream
//! schemas.

#![allow(dead_code)] // Each suite uses a different subset.

use conclave_e2e::TestApp;
use conclave_e2e::schema::{Declared, OpenApiDoc};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::http::{Person, Reply, call, id};

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
    let reply = call(
        app,
        Method::POST,
        "/events",
        who.auth(),
        Some(&body.to_string()),
    )
    .await;
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

/// The schema problems of `body` against the upstream 200 answer of the
/// operation (missing required fields, wrong types, undeclared fields).
pub fn problems(method: &str, path: &str, body: &Value) -> Vec<String> {
    let doc = OpenApiDoc::load().unwrap_or_else(|e| panic!("{e}"));
    let Declared::Schema { schema, .. } = doc.declared(method, path, 200) else {
        panic!("{method} {path} declares no 200 schema");
    };
    let mut found = doc.validate(&schema, body).expect("schema compiles");
    found.extend(doc.undeclared(&schema, body));
    found.into_iter().map(|p| format!("{p:?}")).collect()
}

pub fn assert_conforms(method: &str, path: &str, body: &Value) {
    let found = problems(method, path, body);
    assert!(found.is_empty(), "{method} {path}: {found:?}\n{body}");
}

/// The upstream document's path of the listing.
pub const LIST: &str = "/events/{event_id}/instances";
/// The upstream document's path of one instance.
pub const ONE: &str = "/events/{event_id}/instances/{instance_id}";
