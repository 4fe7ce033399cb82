//! `POST /v1/invite/verify` end to end: public, valid codes only (R-21),
//! 422 for a code that is not a UUID (A-8), JSON errors for broken bodies.

use conclave_e2e::{Auth, Reply, call, create_invite, create_room, empty, id, login};
use conclave_e2e::{TestApp, spawn_app};
use reqwest::{Method, StatusCode};
use serde_json::json;
use uuid::Uuid;

const FUTURE: &str = "2999-01-01T00:00:00Z";
const PAST: &str = "2001-01-01T00:00:00Z";

async fn verify(app: &TestApp, body: &str) -> Reply {
    call(
        app,
        Method::POST,
        "/invite/verify",
        Auth::Anonymous,
        Some(body),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_answers_valid_codes_only() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let open = id(&create_room(&app, &alice, empty()).await, "id");
    let locked = id(
        &create_room(&app, &alice, json!({"password": "pw"})).await,
        "id",
    );
    let open_code = id(
        &create_invite(&app, &alice, &open, empty()).await,
        "invite_code",
    );
    let locked_code = id(
        &create_invite(&app, &alice, &locked, json!({"expiration": FUTURE})).await,
        "invite_code",
    );
    for (code, room, password) in [(&open_code, &open, false), (&locked_code, &locked, true)] {
        let reply = verify(&app, &json!({"invite_code": code}).to_string()).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(
            reply.body,
            json!({"room_id": room, "password_required": password})
        );
    }
    // Public: an unusable Authorization header does not matter.
    let reply = call(
        &app,
        Method::POST,
        "/invite/verify",
        Auth::Bearer("garbage"),
        Some(&json!({"invite_code": open_code}).to_string()),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);

    let expired = id(
        &create_invite(&app, &alice, &open, json!({"expiration": PAST})).await,
        "invite_code",
    );
    let deleted = id(
        &create_invite(&app, &alice, &open, empty()).await,
        "invite_code",
    );
    call(
        &app,
        Method::DELETE,
        &format!("/rooms/{open}/invites/{deleted}"),
        alice.auth(),
        None,
    )
    .await;
    for code in [expired, deleted, Uuid::new_v4().to_string()] {
        let reply = verify(&app, &json!({"invite_code": code}).to_string()).await;
        assert_eq!(
            reply.error(),
            (StatusCode::NOT_FOUND, Some("not_found")),
            "{code}"
        );
    }

    let reply = verify(&app, r#"{"invite_code": "not-a-uuid"}"#).await;
    assert_eq!(
        reply.error(),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("validation_failed"))
    );
    assert_eq!(
        reply.body["validation_errors"],
        json!([{"field": "invite_code", "code": "invalid_value", "message": "Bad invite code format"}])
    );
    for body in [
        "{}",
        r#"{"invite_code": 5}"#,
        r#"{"invite_code": null}"#,
        "{",
        "null",
    ] {
        let reply = verify(&app, body).await;
        assert_eq!(
            reply.error(),
            (StatusCode::BAD_REQUEST, Some("invalid_json")),
            "{body}"
        );
    }
}
