//! Helpers of the event invitation suites (`event_invites*.rs`): creating
//! an event, calling the invite endpoints, reading rules, and checking
//! bodies against the upstream document.

#![allow(dead_code)] // Each suite uses a different subset.

use conclave_e2e::schema::{Declared, OpenApiDoc, problems_against as problems};
use conclave_e2e::{Person, Reply, TestApp, call, count, id, post_event};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// Alice's new time-independent event: (event id, room id).
pub async fn new_event(app: &TestApp, alice: &Person) -> (String, String) {
    let body = json!({"title": "Sync", "description": "", "is_time_independent": true});
    let reply = post_event(app, alice, &body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    (id(&reply.body, "id"), id(&reply.body["room"], "id"))
}

/// `method /events/{event}{suffix}` with an optional JSON body.
pub async fn req(
    app: &TestApp,
    who: &Person,
    method: Method,
    event: &str,
    suffix: &str,
    body: Option<Value>,
) -> Reply {
    let path = format!("/events/{event}{suffix}");
    let text = body.map(|b| b.to_string());
    call(app, method, &path, who.auth(), text.as_deref()).await
}

/// `POST /events/{event}/invites` with `body`.
pub async fn invite(app: &TestApp, who: &Person, event: &str, body: Value) -> Reply {
    req(app, who, Method::POST, event, "/invites", Some(body)).await
}

/// The caller's view of the event: (status, `invite_status`).
pub async fn view(app: &TestApp, who: &Person, event: &str) -> (StatusCode, Value) {
    let reply = req(app, who, Method::GET, event, "", None).await;
    (reply.status, reply.body["invite_status"].clone())
}

/// How many rules of `who` mention the event or its room.
pub async fn rules_on(app: &TestApp, who: &Person, event: &str, room: &str) -> i64 {
    let sql = format!(
        "SELECT count(*) AS n FROM casbin_rule WHERE v0 = 'user::{}' \
         AND (v1 LIKE '%' || $1 || '%' OR v1 LIKE '%{room}%')",
        who.id
    );
    count(app, &sql, event).await
}

/// The 201 body of `POST /events/{id}/invites` conforms to the document.
pub fn assert_post_conforms(body: &Value) {
    let doc = OpenApiDoc::load().unwrap_or_else(|e| panic!("{e}"));
    let Declared::Schema { schema, .. } = doc.declared("post", "/events/{event_id}/invites", 201)
    else {
        panic!("POST invites declares no 201 schema");
    };
    let found = problems(&doc, &schema, body);
    assert!(found.is_empty(), "{found:?}\n{body}");
    assert!(!problems(&doc, &schema, &json!([{"id": 1}])).is_empty());
}

/// Every list entry is an upstream `EventInvitee` (the document's 200
/// schema of the list is a slip, A-13).
pub fn assert_invitees_conform(list: &Value) {
    let doc = OpenApiDoc::load().unwrap_or_else(|e| panic!("{e}"));
    let schema = doc.component("EventInvitee").expect("EventInvitee");
    for entry in list.as_array().expect("array") {
        let found = problems(&doc, &schema, entry);
        assert!(found.is_empty(), "{found:?}\n{entry}");
    }
    let broken = json!({"profile": {"kind": "email"}, "status": "pending"});
    assert!(!problems(&doc, &schema, &broken).is_empty());
}

/// The emails of a list page, in order.
pub fn emails(list: &Value) -> Vec<&str> {
    list.as_array()
        .expect("array")
        .iter()
        .map(|e| e["profile"]["email"].as_str().expect("email"))
        .collect()
}
