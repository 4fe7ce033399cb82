//! The shared folder in `POST`, `PATCH` and `DELETE /v1/events…` (rules.md
//! §16, §10.1 step 3) with a fake provider plugged into the state.

use conclave_e2e::folders::{FakeFolders, app_with_fake_folders};
use conclave_e2e::{Person, Reply, call, count, id, login, rules_mentioning};
use conclave_e2e::{TestApp, spawn_app_with_state};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn with_folder() -> Value {
    json!({"title": "Folder", "description": "", "is_time_independent": true,
           "has_shared_folder": true})
}

async fn send(app: &TestApp, who: &Person, method: Method, path: &str, body: &Value) -> Reply {
    call(app, method, path, who.auth(), Some(&body.to_string())).await
}

async fn folder_rows(app: &TestApp, event: &str) -> i64 {
    let sql = "SELECT count(*) AS n FROM event_shared_folders WHERE event_id::text = $1";
    count(app, sql, event).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_patch_and_delete_manage_the_folder() {
    let (app, fake) = app_with_fake_folders().await;
    let alice = login(&app, "alice").await;
    let reply = send(&app, &alice, Method::POST, "/events", &with_folder()).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let eid = id(&reply.body, "id");
    let expected = json!({
        "read": {"url": FakeFolders::share_url("ro", &eid), "password": "pw-ro"},
        "read_write": {"url": FakeFolders::share_url("rw", &eid), "password": "pw-rw"}
    });
    assert_eq!(reply.body["shared_folder"], expected);
    assert_eq!(fake.created.lock().unwrap().len(), 1);
    assert_eq!(folder_rows(&app, &eid).await, 1);

    // PATCH false removes it at the provider and the row; true recreates it.
    let path = format!("/events/{eid}");
    let off = send(
        &app,
        &alice,
        Method::PATCH,
        &path,
        &json!({"has_shared_folder": false}),
    )
    .await;
    assert_eq!(off.status, StatusCode::OK);
    assert!(!off.body.as_object().unwrap().contains_key("shared_folder"));
    assert_eq!(fake.deleted_paths(), [FakeFolders::path(&eid)]);
    assert_eq!(folder_rows(&app, &eid).await, 0);
    let on = send(
        &app,
        &alice,
        Method::PATCH,
        &path,
        &json!({"has_shared_folder": true}),
    )
    .await;
    assert_eq!(on.body["shared_folder"], expected);
    // true again is idempotent: no second folder.
    send(
        &app,
        &alice,
        Method::PATCH,
        &path,
        &json!({"has_shared_folder": true}),
    )
    .await;
    assert_eq!(fake.created.lock().unwrap().len(), 2);

    // The provider fails: the deletion stops with 500 unless forced.
    fake.set_failing(true);
    let reply = call(&app, Method::DELETE, &path, alice.auth(), None).await;
    assert_eq!(
        reply.error(),
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            Some("internal_server_error")
        )
    );
    assert_eq!(folder_rows(&app, &eid).await, 1);
    fake.set_failing(false);
    let reply = call(&app, Method::DELETE, &path, alice.auth(), None).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    assert_eq!(fake.deleted.lock().unwrap().len(), 2);
    assert_eq!(folder_rows(&app, &eid).await, 0);
    assert_eq!(rules_mentioning(&app, &eid).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn provider_failures_roll_back_or_are_forced() {
    let (app, fake) = app_with_fake_folders().await;
    let alice = login(&app, "alice").await;
    fake.set_failing(true);
    let reply = send(&app, &alice, Method::POST, "/events", &with_folder()).await;
    assert_eq!(
        reply.error(),
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            Some("internal_server_error")
        )
    );
    // Nothing of the event was written.
    for table in ["events", "rooms", "sip_configs"] {
        let sql = format!("SELECT count(*) AS n FROM {table} WHERE $1 = $1");
        assert_eq!(count(&app, &sql, "x").await, 0, "{table}");
    }
    fake.set_failing(false);
    let reply = send(&app, &alice, Method::POST, "/events", &with_folder()).await;
    let eid = id(&reply.body, "id");
    fake.set_failing(true);
    let path = format!("/events/{eid}?force_delete_reference_if_external_services_fail=true");
    let reply = call(&app, Method::DELETE, &path, alice.auth(), None).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    assert_eq!(folder_rows(&app, &eid).await, 0);
    let sql = "SELECT count(*) AS n FROM events WHERE id::text = $1";
    assert_eq!(count(&app, sql, &eid).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_provider_only_folder_requests_fail() {
    let app = spawn_app_with_state(|_| {}, |_| {}).await;
    let alice = login(&app, "alice").await;
    let reply = send(&app, &alice, Method::POST, "/events", &with_folder()).await;
    let message = "No shared folder configured for this server";
    assert_eq!(
        reply.error(),
        (StatusCode::BAD_REQUEST, Some("bad_request"))
    );
    assert_eq!(reply.body["message"], message);
    let mut body = with_folder();
    body["has_shared_folder"] = json!(false);
    let reply = send(&app, &alice, Method::POST, "/events", &body).await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let path = format!("/events/{}", id(&reply.body, "id"));
    // Nothing to remove: fine. Something to create: 400, nothing changes.
    let off = send(
        &app,
        &alice,
        Method::PATCH,
        &path,
        &json!({"has_shared_folder": false}),
    )
    .await;
    assert_eq!(off.status, StatusCode::OK);
    let on = send(
        &app,
        &alice,
        Method::PATCH,
        &path,
        &json!({"has_shared_folder": true}),
    )
    .await;
    assert_eq!(on.error(), (StatusCode::BAD_REQUEST, Some("bad_request")));
    assert_eq!(on.body["message"], message);
}
