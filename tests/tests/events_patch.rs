//! `PATCH /v1/events/{id}` end to end (rules.md §4.2): absent fields stay
//! unchanged, room-only patches leave the event row alone, exceptions
//! survive unless the time grid moves them away, shape conversions
//! (rules.md §3, R-8) and the documented errors.

use conclave_e2e::{
    Person, Reply, berlin, call, count, create_event, event_revision, execute, id, login,
    post_event, rules_mentioning,
};
use conclave_e2e::{TestApp, spawn_app};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// `PATCH /events/{id}` with `body`.
async fn patch(app: &TestApp, who: &Person, event: &str, body: &Value) -> Reply {
    let path = format!("/events/{event}");
    call(
        app,
        Method::PATCH,
        &path,
        who.auth(),
        Some(&body.to_string()),
    )
    .await
}

/// `PATCH`, asserting 200; returns the resource.
async fn patch_ok(app: &TestApp, who: &Person, event: &str, body: &Value) -> Value {
    let reply = patch(app, who, event, body).await;
    assert_eq!(reply.status, StatusCode::OK, "{body}: {}", reply.body);
    reply.body
}

fn weekly_series() -> Value {
    json!({
        "title": "Teammeeting", "description": "weekly", "is_time_independent": false,
        "is_all_day": false, "starts_at": berlin("2024-07-22T08:00:00Z"),
        "ends_at": berlin("2024-07-22T09:00:00Z"),
        "recurrence_pattern": ["RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO"],
        "password": "secret123",
        "training_participation_report": {"initial_checkpoint_delay": {"after": 1, "within": 2},
            "checkpoint_interval": {"after": 3, "within": 4}}
    })
}

/// Adds a `modified` exception for the occurrence starting at `date`.
async fn add_exception(app: &TestApp, event: &str, date: &str) {
    let sql = format!(
        "INSERT INTO event_exceptions (id, event_id, exception_date, exception_date_tz, \
         created_by, created_at, kind, title) SELECT gen_random_uuid(), id, '{date}', \
         'Europe/Berlin', created_by, now(), 'modified'::event_exception_kind, 'Moved' \
         FROM events WHERE id::text = $1"
    );
    assert_eq!(execute(app, &sql, event).await, 1);
}

async fn exceptions(app: &TestApp, event: &str) -> i64 {
    let sql = "SELECT count(*) AS n FROM event_exceptions WHERE event_id::text = $1";
    count(app, sql, event).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn absent_fields_stay_and_room_only_patches_keep_the_revision() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let event = create_event(&app, &alice, &weekly_series()).await;
    let eid = id(&event, "id");
    let rid = id(&event["room"], "id");

    // A title-only patch keeps the series and bumps the revision.
    let patched = patch_ok(&app, &alice, &eid, &json!({"title": "Renamed"})).await;
    assert_eq!(patched["title"], "Renamed");
    for same in [
        "description",
        "starts_at",
        "ends_at",
        "recurrence_pattern",
        "type",
        "room",
    ] {
        assert_eq!(patched[same], event[same], "{same}");
    }
    assert_eq!(
        patched["training_participation_report"],
        event["training_participation_report"]
    );
    assert_eq!(event_revision(&app, &eid).await, 1);
    // Every patch ensures a valid room invite code with its guest rules.
    let code = count(
        &app,
        "SELECT count(*) AS n FROM invites WHERE room::text = $1",
        &rid,
    )
    .await;
    assert_eq!(code, 1);
    let sql = "SELECT count(*) AS n FROM casbin_rule WHERE v0 LIKE 'invite::%' AND v1 LIKE '%' || $1 || '%'";
    assert!(count(&app, sql, &rid).await > 0);

    // Room-only: the room changes, the event row does not (rules.md §4.1).
    let body = json!({"password": null, "waiting_room": true, "e2e_encryption": true});
    let patched = patch_ok(&app, &alice, &eid, &body).await;
    assert!(
        !patched["room"]
            .as_object()
            .unwrap()
            .contains_key("password")
    );
    assert_eq!(patched["room"]["waiting_room"], true);
    assert_eq!(patched["room"]["e2e_encryption"], true);
    assert_eq!(patched["title"], "Renamed");
    assert_eq!(event_revision(&app, &eid).await, 1);

    // An empty body answers 204 and changes nothing.
    let reply = patch(&app, &alice, &eid, &json!({})).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    assert_eq!(event_revision(&app, &eid).await, 1);

    // Satellites: targets replaced, training parameters cleared by null.
    let targets = json!([{"name": "S", "kind": "custom", "streaming_endpoint": "https://i.example.com",
        "streaming_key": "k", "public_url": "https://p.example.com/"}]);
    let body = json!({"streaming_targets": targets, "training_participation_report": null});
    let patched = patch_ok(&app, &alice, &eid, &body).await;
    assert_eq!(patched["streaming_targets"].as_array().unwrap().len(), 1);
    assert!(
        !patched
            .as_object()
            .unwrap()
            .contains_key("training_participation_report")
    );
    assert_eq!(event_revision(&app, &eid).await, 2);
    let body = json!({"streaming_targets": [], "training_participation_report": weekly_series()["training_participation_report"]});
    let patched = patch_ok(&app, &alice, &eid, &body).await;
    assert!(
        !patched
            .as_object()
            .unwrap()
            .contains_key("streaming_targets")
    );
    assert_eq!(
        patched["training_participation_report"]["checkpoint_interval"]["within"],
        4
    );
    assert!(rules_mentioning(&app, &eid).await > 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clearing_the_recurrence_makes_a_single_event() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    for clear in [json!([]), Value::Null] {
        let event = create_event(&app, &alice, &weekly_series()).await;
        let eid = id(&event, "id");
        add_exception(&app, &eid, "2024-07-29T08:00:00Z").await;
        let patched = patch_ok(&app, &alice, &eid, &json!({"recurrence_pattern": clear})).await;
        assert_eq!(patched["type"], "single");
        assert!(
            !patched
                .as_object()
                .unwrap()
                .contains_key("recurrence_pattern")
        );
        assert_eq!(patched["starts_at"], event["starts_at"]);
        assert_eq!(patched["ends_at"], event["ends_at"]);
        let sql = "SELECT count(*) AS n FROM events WHERE id::text = $1 AND is_recurring = false \
                   AND duration_secs IS NULL AND recurrence_pattern IS NULL \
                   AND ends_at = '2024-07-22T09:00:00Z'";
        assert_eq!(count(&app, sql, &eid).await, 1);
        // No series, no exceptions.
        assert_eq!(exceptions(&app, &eid).await, 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exceptions_survive_unless_the_grid_moves() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let event = create_event(&app, &alice, &weekly_series()).await;
    let eid = id(&event, "id");
    add_exception(&app, &eid, "2024-07-29T08:00:00Z").await;
    // Title, duration and a pattern that still has the occurrence: kept.
    let bodies = [
        json!({"title": "x", "show_meeting_details": true}),
        json!({"ends_at": berlin("2024-07-22T10:00:00Z")}),
        json!({"recurrence_pattern": ["FREQ=DAILY"]}),
    ];
    for body in bodies {
        patch_ok(&app, &alice, &eid, &body).await;
        assert_eq!(exceptions(&app, &eid).await, 1, "{body}");
    }
    // Moving the start moves every occurrence: the exception goes.
    let body = json!({"starts_at": berlin("2024-07-22T07:00:00Z")});
    let patched = patch_ok(&app, &alice, &eid, &body).await;
    assert_eq!(patched["starts_at"], berlin("2024-07-22T07:00:00Z"));
    assert_eq!(patched["ends_at"], berlin("2024-07-22T10:00:00Z"));
    assert_eq!(exceptions(&app, &eid).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shape_conversions_and_their_422s() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let body = json!({"title": "t", "description": "", "is_time_independent": true});
    let event = create_event(&app, &alice, &body).await;
    let eid = id(&event, "id");

    let reply = patch(
        &app,
        &alice,
        &eid,
        &json!({"starts_at": berlin("2024-07-22T08:00:00Z")}),
    )
    .await;
    assert_eq!(
        reply.error(),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("validation_failed"))
    );
    assert_eq!(
        reply.body["validation_errors"],
        json!([{"field": "starts_at", "code": "ignored_value",
                "message": "Value would be ignored in this request"}])
    );
    let body = json!({"is_time_independent": false, "is_all_day": false});
    let reply = patch(&app, &alice, &eid, &body).await;
    assert_eq!(
        reply.error(),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("validation_failed"))
    );
    let fields: Vec<&str> = reply.body["validation_errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert_eq!(e["code"], "value_required");
            e["field"].as_str().unwrap()
        })
        .collect();
    assert_eq!(fields, ["starts_at", "ends_at"]);
    assert_eq!(
        event_revision(&app, &eid).await,
        0,
        "failed patches write nothing"
    );

    let body = json!({"is_time_independent": false, "is_all_day": false,
        "starts_at": berlin("2024-07-22T08:00:00Z"), "ends_at": berlin("2024-07-22T09:00:00Z"),
        "recurrence_pattern": ["FREQ=DAILY;COUNT=3"]});
    let patched = patch_ok(&app, &alice, &eid, &body).await;
    assert_eq!(patched["is_time_independent"], false);
    assert_eq!(patched["type"], "recurring");
    // Back to time-independent: times and pattern are cleared.
    let patched = patch_ok(&app, &alice, &eid, &json!({"is_time_independent": true})).await;
    for absent in ["starts_at", "ends_at", "is_all_day", "recurrence_pattern"] {
        assert!(
            !patched.as_object().unwrap().contains_key(absent),
            "{absent}"
        );
    }
    let sql = "SELECT count(*) AS n FROM events WHERE id::text = $1 AND starts_at IS NULL \
               AND is_recurring IS NULL AND recurrence_pattern IS NULL";
    assert_eq!(count(&app, sql, &eid).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn patch_errors_change_nothing() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let bob = login(&app, "bob").await;
    let event = create_event(&app, &alice, &weekly_series()).await;
    let eid = id(&event, "id");
    let bad = StatusCode::BAD_REQUEST;
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let cases = [
        (
            json!({"ends_at": berlin("2024-07-22T07:00:00Z")}),
            unprocessable,
            "invalid_event",
        ),
        (
            json!({"recurrence_pattern": ["FREQ=MINUTELY"]}),
            unprocessable,
            "invalid_event",
        ),
        (json!({"is_all_day": true}), unprocessable, "invalid_event"),
        (json!({"title": "a".repeat(256)}), bad, "invalid_json"),
        (json!({"password": ""}), bad, "invalid_json"),
        (
            json!({"recurrence_pattern": vec!["FREQ=DAILY"; 5]}),
            bad,
            "invalid_json",
        ),
        (
            json!({"starts_at": {"datetime": "2024-07-22T08:00:00Z", "timezone": "Nowhere"}}),
            bad,
            "invalid_json",
        ),
        (json!({"waiting_room": "yes"}), bad, "invalid_json"),
        (json!({"has_shared_folder": true}), bad, "bad_request"),
        (json!([1]), bad, "invalid_json"),
    ];
    for (body, status, code) in cases {
        let reply = patch(&app, &alice, &eid, &body).await;
        assert_eq!(
            reply.error(),
            (status, Some(code)),
            "{body}: {}",
            reply.body
        );
    }
    let path = format!("/events/{eid}");
    let reply = call(&app, Method::PATCH, &path, alice.auth(), Some("{oops")).await;
    assert_eq!(reply.error(), (bad, Some("invalid_json")));
    // Only the creator may patch; unknown ids stop at the ACL.
    let reply = patch(&app, &bob, &eid, &json!({"title": "mine"})).await;
    assert_eq!(reply.error(), (StatusCode::FORBIDDEN, Some("forbidden")));
    let unknown = "00000000-0000-0000-0000-000000000002";
    let reply = patch(&app, &alice, unknown, &json!({"title": "x"})).await;
    assert_eq!(reply.error(), (StatusCode::FORBIDDEN, Some("forbidden")));

    assert_eq!(event_revision(&app, &eid).await, 0);
    let reply = call(&app, Method::GET, &path, alice.auth(), None).await;
    assert_eq!(reply.body["title"], event["title"]);
    assert_eq!(reply.body["room"]["password"], "secret123");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_patches_are_all_applied() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let event = create_event(&app, &alice, &weekly_series()).await;
    let eid = id(&event, "id");
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..20 {
        let request = app
            .client
            .patch(format!("{}/v1/events/{eid}", app.url))
            .bearer_auth(&alice.token)
            .json(&json!({"title": format!("t{i}")}));
        tasks.spawn(async move { request.send().await.expect("request").status() });
    }
    while let Some(status) = tasks.join_next().await {
        assert_eq!(status.expect("task"), StatusCode::OK);
    }
    // Every update bumped the revision inside its own UPDATE: none was lost.
    assert_eq!(event_revision(&app, &eid).await, 20);
    // The row lock serialises them, so the room got exactly one code.
    let sql = "SELECT count(*) AS n FROM invites WHERE room::text = $1";
    assert_eq!(count(&app, sql, &id(&event["room"], "id")).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn too_many_streaming_targets_are_a_400_not_a_500() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let target = json!({"name": "", "kind": "custom", "streaming_endpoint": "https://a.io",
        "streaming_key": "", "public_url": "https://a.io"});
    let many = Value::Array(vec![target; 1001]);
    let mut body = weekly_series();
    body["streaming_targets"] = many.clone();
    let reply = post_event(&app, &alice, &body).await;
    assert_eq!(
        reply.error(),
        (StatusCode::BAD_REQUEST, Some("bad_request"))
    );
    let event = create_event(&app, &alice, &weekly_series()).await;
    let eid = id(&event, "id");
    let reply = patch(&app, &alice, &eid, &json!({"streaming_targets": many})).await;
    assert_eq!(
        reply.error(),
        (StatusCode::BAD_REQUEST, Some("bad_request"))
    );
    assert_eq!(
        reply.body["message"],
        "A room can have at most 1000 streaming targets"
    );
    assert_eq!(event_revision(&app, &eid).await, 0);
}
