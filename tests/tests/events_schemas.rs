//! Event answers match the schemas of the upstream document (no missing
//! required fields, no undeclared properties): `POST`, `GET` and `PATCH
//! /v1/events…` with every optional part present.

use conclave_api::config::CallInSettings;

use conclave_e2e::spawn_app_with;
use conclave_e2e::{assert_conforms, call, execute, id, login, post_event, problems};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn event_answers_match_the_upstream_schemas() {
    let app = spawn_app_with(|settings| {
        settings.call_in = Some(CallInSettings {
            tel: "+4930123456".into(),
            default_country_code: "DE".into(),
        });
    })
    .await;
    let alice = login(&app, "alice").await;
    let bob = login(&app, "bob").await;
    let body = json!({
        "title": "Teammeeting", "description": "weekly", "is_time_independent": false,
        "is_all_day": false,
        "starts_at": {"datetime": "2024-07-22T08:00:00Z", "timezone": "Europe/Berlin"},
        "ends_at": {"datetime": "2024-07-22T09:00:00Z", "timezone": "Europe/Berlin"},
        "recurrence_pattern": ["RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO"],
        "password": "secret123", "waiting_room": true,
        "streaming_targets": [{"name": "S", "kind": "custom",
            "streaming_endpoint": "https://i.example.com/", "streaming_key": "k",
            "public_url": "https://p.example.com/"}],
        "training_participation_report": {"initial_checkpoint_delay": {"after": 1, "within": 2},
            "checkpoint_interval": {"after": 3, "within": 4}}
    });
    let reply = post_event(&app, &alice, &body).await;
    assert_eq!(reply.status, StatusCode::CREATED);
    assert!(reply.body["room"]["call_in"].is_object());
    assert_conforms("post", "/events", 201, &reply.body);
    let eid = id(&reply.body, "id");

    let sql = format!(
        "INSERT INTO event_invites (id, event_id, invitee, created_by, created_at, status, role) \
         SELECT gen_random_uuid(), id, '{}', created_by, now(), 'accepted', 'user' \
         FROM events WHERE id::text = $1",
        bob.id
    );
    assert_eq!(execute(&app, &sql, &eid).await, 1);
    let sql = "INSERT INTO event_email_invites (event_id, email, created_by, created_at, role) \
               SELECT id, 'dave@example.org', created_by, now(), 'guest' FROM events \
               WHERE id::text = $1";
    assert_eq!(execute(&app, sql, &eid).await, 1);

    let path = format!("/events/{eid}?invitees_max=5");
    let reply = call(&app, Method::GET, &path, alice.auth(), None).await;
    assert_eq!(reply.body["invitees"].as_array().unwrap().len(), 2);
    assert_conforms("get", "/events/{event_id}", 200, &reply.body);
    // The check itself bites: `revision` is internal, `type` is required.
    let mut leaky = reply.body.clone();
    leaky["revision"] = json!(0);
    assert!(!problems("get", "/events/{event_id}", 200, &leaky).is_empty());
    let mut partial = reply.body.clone();
    partial.as_object_mut().unwrap().remove("type");
    assert!(!problems("get", "/events/{event_id}", 200, &partial).is_empty());
    let time_independent = json!({"is_time_independent": true, "title": "x"});
    let reply = call(
        &app,
        Method::PATCH,
        &path,
        alice.auth(),
        Some(&time_independent.to_string()),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_conforms("patch", "/events/{event_id}", 200, &reply.body);
}
