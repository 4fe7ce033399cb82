//! `DELETE /v1/rooms/{id}` end to end: everything the room owns goes in one
//! transaction and no access rule mentions it afterwards; an event using
//! the room blocks the deletion with 409 (rules.md §10.2).

use conclave_db::models::room::Room;
use conclave_db::models::room_streaming_target::NewRoomStreamingTarget;
use conclave_domain::access::grants::room_read;
use conclave_domain::access::{Action, Policy, Subject};
use conclave_domain::ids::RoomId;
use conclave_domain::streaming::StreamingKind;
use conclave_e2e::{
    Person, call, count, create_invite, create_room, empty, grant, id, login, resource_and_asset,
    rules_mentioning,
};
use conclave_e2e::{TestApp, rows, spawn_app};
use reqwest::{Method, StatusCode};
use serde_json::json;
use uuid::Uuid;

fn room_id(room: &serde_json::Value) -> RoomId {
    id(room, "id").parse::<Uuid>().expect("room id").into()
}

/// Gives the room a streaming target, a module resource and an asset,
/// written straight to the database (no endpoints for them here).
async fn equip(app: &TestApp, owner: &Person, room: RoomId) -> (String, String) {
    let mut conn = app.db.connect().await;
    NewRoomStreamingTarget {
        room_id: room,
        name: "Stream".into(),
        kind: StreamingKind::Custom,
        streaming_endpoint: "https://ingest.example.com/".into(),
        streaming_key: "key".into(),
        public_url: "https://watch.example.com/".into(),
    }
    .insert(&mut conn)
    .await
    .unwrap();
    // The module resource's own rule (fix-acl writes these).
    resource_and_asset(app, owner, room, &[Action::Get, Action::Delete]).await
}

async fn rows_for_room(app: &TestApp, table: &str, column: &str, room: &str) -> i64 {
    let sql = format!("SELECT count(*) AS n FROM {table} WHERE {column}::text = $1");
    count(app, &sql, room).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_removes_the_room_what_it_owns_and_every_rule_it_created() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let bob = login(&app, "bob").await;
    let room = create_room(&app, &alice, json!({"enable_sip": true})).await;
    let rid = id(&room, "id");
    let kept = create_room(&app, &alice, empty()).await;
    let codes = [
        id(
            &create_invite(&app, &alice, &rid, empty()).await,
            "invite_code",
        ),
        id(
            &create_invite(&app, &alice, &rid, empty()).await,
            "invite_code",
        ),
    ];
    let path = format!("/rooms/{rid}/invites/{}", codes[1]);
    assert_eq!(
        call(&app, Method::DELETE, &path, alice.auth(), None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    let (resource, asset) = equip(&app, &alice, room_id(&room)).await;
    grant(&app, room_read(&Subject::User(bob.id), room_id(&room))).await;
    assert!(
        rules_mentioning(&app, &rid).await > 20,
        "owner, invitee and code rules exist"
    );
    assert_eq!(rules_mentioning(&app, &resource).await, 1);

    let path = format!(
        "/rooms/{rid}?suppress_email_notification=true&force_delete_reference_if_external_services_fail=false"
    );
    let reply = call(&app, Method::DELETE, &path, alice.auth(), None).await;
    assert_eq!(
        (reply.status, reply.body),
        (StatusCode::NO_CONTENT, serde_json::Value::Null)
    );

    for (table, column) in [
        ("rooms", "id"),
        ("sip_configs", "room"),
        ("invites", "room"),
        ("room_streaming_targets", "room_id"),
        ("module_resources", "room_id"),
        ("room_assets", "room_id"),
    ] {
        assert_eq!(rows_for_room(&app, table, column, &rid).await, 0, "{table}");
    }
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM assets WHERE id::text = $1",
            &asset
        )
        .await,
        0
    );
    for needle in [rid.as_str(), &codes[0], &codes[1], &resource] {
        assert_eq!(
            rules_mentioning(&app, needle).await,
            0,
            "casbin_rule mentions {needle}"
        );
    }
    // The other room and the default rules are untouched.
    assert_eq!(
        rows_for_room(&app, "rooms", "id", &id(&kept, "id")).await,
        1
    );
    assert!(rules_mentioning(&app, &id(&kept, "id")).await > 0);
    let mut conn = app.db.connect().await;
    assert!(!rows::policies(&mut conn, "role::user").await.is_empty());

    let gone = format!("/rooms/{rid}");
    let reply = call(&app, Method::GET, &gone, alice.auth(), None).await;
    assert_eq!(reply.error(), (StatusCode::FORBIDDEN, Some("forbidden")));
    let listed = call(&app, Method::GET, "/rooms", bob.auth(), None).await;
    assert_eq!(listed.body, json!([]));
    let reply = call(
        &app,
        Method::GET,
        &format!("{gone}/tariff"),
        conclave_e2e::Auth::Invite(&codes[0]),
        None,
    )
    .await;
    assert_eq!(reply.error(), (StatusCode::FORBIDDEN, Some("forbidden")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_using_the_room_blocks_deletion_with_409() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let room = create_room(&app, &alice, json!({"enable_sip": true})).await;
    let rid = id(&room, "id");
    create_invite(&app, &alice, &rid, empty()).await;
    let mut conn = app.db.connect().await;
    let row = Room::get(&mut conn, room_id(&room)).await.unwrap();
    rows::insert_event(&mut conn, row.tenant_id, row.id, alice.id).await;
    let rules_before = rules_mentioning(&app, &rid).await;

    let reply = call(
        &app,
        Method::DELETE,
        &format!("/rooms/{rid}"),
        alice.auth(),
        None,
    )
    .await;
    assert_eq!(reply.error(), (StatusCode::CONFLICT, Some("conflict")));
    let message = reply.body["message"].as_str().unwrap();
    assert!(
        message.contains(&rid) && message.contains("conflicting event"),
        "{message}"
    );
    for (table, column) in [
        ("rooms", "id"),
        ("sip_configs", "room"),
        ("invites", "room"),
    ] {
        assert_eq!(
            rows_for_room(&app, table, column, &rid).await,
            1,
            "{table} kept"
        );
    }
    assert_eq!(rules_mentioning(&app, &rid).await, rules_before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_refuses_strangers_and_answers_bad_ids_with_json() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let bob = login(&app, "bob").await;
    let room = create_room(&app, &alice, empty()).await;
    let path = format!("/rooms/{}", id(&room, "id"));
    let reply = call(&app, Method::DELETE, &path, bob.auth(), None).await;
    assert_eq!(reply.error(), (StatusCode::FORBIDDEN, Some("forbidden")));
    let reply = call(
        &app,
        Method::DELETE,
        &path,
        conclave_e2e::Auth::Anonymous,
        None,
    )
    .await;
    assert_eq!(
        reply.error(),
        (StatusCode::UNAUTHORIZED, Some("unauthorized"))
    );
    let reply = call(
        &app,
        Method::DELETE,
        &format!("{path}?suppress_email_notification=maybe"),
        alice.auth(),
        None,
    )
    .await;
    assert_eq!(
        reply.error(),
        (StatusCode::BAD_REQUEST, Some("bad_request"))
    );
    assert_eq!(
        rows_for_room(&app, "rooms", "id", &id(&room, "id")).await,
        1
    );

    // Past the ACL (a wildcard DELETE rule for Bob), unknown and malformed
    // ids are JSON 404s, never 500s.
    grant(
        &app,
        vec![Policy::new(
            Subject::User(bob.id),
            "/rooms/*",
            &[Action::Delete],
        )],
    )
    .await;
    let unknown = format!("/rooms/{}", Uuid::new_v4());
    for path in [unknown.as_str(), "/rooms/not-a-uuid", "/rooms/0"] {
        let reply = call(&app, Method::DELETE, path, bob.auth(), None).await;
        assert_eq!(
            reply.error(),
            (StatusCode::NOT_FOUND, Some("not_found")),
            "{path}"
        );
    }
}
