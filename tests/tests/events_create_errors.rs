//! `POST /v1/events` refusals end to end (api.md §6.2, rules.md §3): wrong
//! shapes and dates, malformed JSON, size limits and anonymous callers,
//! each with its status, error code and message. The accepted shapes are
//! in `events.rs`.

use conclave_e2e::{Auth, Person, TestApp, call, count, login, spawn_app};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// Sends `body` and expects `status` with `code` (and `message` if given).
async fn check(
    app: &TestApp,
    who: &Person,
    body: &str,
    status: StatusCode,
    code: &str,
    message: Option<&str>,
) {
    let reply = call(app, Method::POST, "/events", who.auth(), Some(body)).await;
    assert_eq!(
        reply.error(),
        (status, Some(code)),
        "{body}: {}",
        reply.body
    );
    if let Some(message) = message {
        assert_eq!(reply.body["message"], message, "{body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_rejects_wrong_shapes_and_dates() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let bad = StatusCode::BAD_REQUEST;
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let ti = "time independent events must not have is_all_day, starts_at, ends_at or recurrence_pattern set";
    let td =
        "time dependent events must have title, description, is_all_day, starts_at and ends_at set";
    let start = json!({"datetime": "2024-07-22T08:00:00Z", "timezone": "Europe/Berlin"});
    let early = json!({"datetime": "2024-07-22T07:00:00Z", "timezone": "Europe/Berlin"});
    let base = |extra: Value| {
        let mut body = json!({"title": "t", "description": "", "is_time_independent": false,
            "is_all_day": false, "starts_at": start, "ends_at": start});
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        body.to_string()
    };
    let cases: Vec<(String, StatusCode, &str, Option<&str>)> = vec![
        (
            base(json!({"is_time_independent": true})),
            bad,
            "bad_request",
            Some(ti),
        ),
        (
            json!({"title": "t", "description": "", "is_time_independent": true,
                "recurrence_pattern": ["FREQ=DAILY"]})
            .to_string(),
            bad,
            "bad_request",
            Some(ti),
        ),
        (
            json!({"title": "t", "description": "", "is_time_independent": false}).to_string(),
            bad,
            "bad_request",
            Some(td),
        ),
        (
            base(json!({"is_all_day": null})),
            bad,
            "bad_request",
            Some(td),
        ),
        (
            base(json!({"ends_at": early})),
            unprocessable,
            "invalid_event",
            Some("ends_at must not be before starts_at"),
        ),
        (
            base(json!({"is_all_day": true})),
            unprocessable,
            "invalid_event",
            Some("is_all_day requires starts_at/ends_at to be set at the start of the day"),
        ),
        (
            base(json!({"recurrence_pattern": ["FREQ=HOURLY"]})),
            unprocessable,
            "invalid_event",
            Some("Frequencies below 'DAILY' are not supported"),
        ),
        (
            base(json!({"recurrence_pattern": ["NOT A RULE"]})),
            unprocessable,
            "invalid_event",
            Some("Invalid recurrence pattern"),
        ),
        (
            base(json!({"recurrence_pattern": ["FREQ=DAILY;COUNT=0"]})),
            unprocessable,
            "invalid_event",
            None,
        ),
        (
            base(json!({"has_shared_folder": true})),
            bad,
            "bad_request",
            Some("No shared folder configured for this server"),
        ),
    ];
    for (body, status, code, message) in cases {
        check(&app, &alice, &body, status, code, message).await;
    }
    let sql = "SELECT count(*) AS n FROM events WHERE title = $1";
    assert_eq!(count(&app, sql, "t").await, 0, "nothing was written");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_rejects_bad_json_and_limits() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let bad = StatusCode::BAD_REQUEST;
    let ok = |extra: Value| {
        let mut body = json!({"title": "t", "description": "", "is_time_independent": false,
            "is_all_day": false,
            "starts_at": {"datetime": "2024-07-22T08:00:00Z", "timezone": "UTC"},
            "ends_at": {"datetime": "2024-07-22T09:00:00Z", "timezone": "UTC"}});
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        body.to_string()
    };
    let rule = format!("FREQ=DAILY;COUNT=3;X-PAD={}", "a".repeat(1010));
    let cases = [
        ok(json!({"title": "a".repeat(256)})),
        ok(json!({"title": "ä".repeat(128)})),
        ok(json!({"description": "a".repeat(4097)})),
        ok(json!({"password": ""})),
        ok(json!({"recurrence_pattern": vec!["FREQ=DAILY"; 5]})),
        ok(json!({"recurrence_pattern": [rule]})),
        ok(json!({"starts_at": {"datetime": "2024-07-22T08:00:00Z", "timezone": "Mars/Base"}})),
        ok(json!({"starts_at": {"datetime": "yesterday", "timezone": "UTC"}})),
        ok(json!({"is_time_independent": "no"})),
        ok(json!({"waiting_room": 1})),
        ok(json!({"streaming_targets": [{"name": "x"}]})),
        ok(
            json!({"training_participation_report": {"initial_checkpoint_delay": {"after": -1, "within": 0},
            "checkpoint_interval": {"after": 1, "within": 1}}}),
        ),
        json!({"description": "", "is_time_independent": true}).to_string(),
        json!({"title": "t", "is_time_independent": true}).to_string(),
        json!({"title": "t", "description": ""}).to_string(),
        "{not json".to_owned(),
        "[]".to_owned(),
    ];
    for body in cases {
        check(&app, &alice, &body, bad, "invalid_json", None).await;
    }
    // The limits themselves are accepted.
    let edge = ok(
        json!({"title": "a".repeat(255), "description": "ä".repeat(2048),
        "recurrence_pattern": ["FREQ=DAILY;COUNT=2", "FREQ=DAILY;COUNT=3", "FREQ=WEEKLY;COUNT=2",
            "FREQ=MONTHLY;COUNT=2"]}),
    );
    let reply = call(&app, Method::POST, "/events", alice.auth(), Some(&edge)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    // No token: 401.
    let anonymous = call(
        &app,
        Method::POST,
        "/events",
        Auth::Anonymous,
        Some(&ok(json!({}))),
    )
    .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}
