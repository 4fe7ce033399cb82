//! `/v1/rooms` and `/v1/rooms/{id}` end to end: create (with SIP and the
//! call-in feature check), get, list with paging, patch, and bad input
//! (api.md §7.3, rules.md §12).

use conclave_domain::access::grants::{all_rooms_policies, room_write};
use conclave_domain::access::{Subject, create_room};
use conclave_domain::ids::RoomId;
use conclave_e2e::{Auth, call, count, create_room as post_room, empty, grant, id, login};
use conclave_e2e::{rows, spawn_app, spawn_app_with};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_answers_201_and_grants_the_creator_room_read_and_write() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let room = post_room(&app, &alice, empty()).await;
    assert_eq!(room["created_by"]["id"], alice.id.to_string());
    assert_eq!(room["created_by"]["firstname"], "Given alice");
    assert_eq!(room["waiting_room"], false);
    assert!(room.get("password").is_none(), "{room}");
    assert!(room.get("e2e_encryption").is_none(), "{room}");
    assert!(room["created_at"].as_str().unwrap().ends_with('Z'));

    let room_id: RoomId = id(&room, "id").parse::<uuid::Uuid>().unwrap().into();
    let mut expected: Vec<(String, String)> = create_room(alice.id, room_id)
        .grants
        .iter()
        .map(|p| {
            let [_, object, actions] = p.to_row();
            (object, actions)
        })
        .collect();
    expected.sort();
    let mut conn = app.db.connect().await;
    let subject = Subject::User(alice.id).to_string();
    assert_eq!(rows::policies(&mut conn, &subject).await, expected);
    assert!(expected.iter().any(|(o, _)| o.ends_with("/sip")));
    let sip = count(
        &app,
        "SELECT count(*) AS n FROM sip_configs WHERE room::text = $1",
        &id(&room, "id"),
    )
    .await;
    assert_eq!(sip, 0, "no SIP config without enable_sip");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_stores_password_waiting_room_and_encryption() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let body = json!({"password": "s3cret", "waiting_room": true, "e2e_encryption": true});
    let room = post_room(&app, &alice, body).await;
    assert_eq!(
        (room["password"].as_str(), room["waiting_room"].as_bool()),
        (Some("s3cret"), Some(true))
    );
    let e2e = count(
        &app,
        "SELECT count(*) AS n FROM rooms WHERE id::text = $1 AND e2e_encryption AND waiting_room",
        &id(&room, "id"),
    )
    .await;
    assert_eq!(e2e, 1);
    // A null password is no password.
    let room = post_room(&app, &alice, json!({"password": null})).await;
    assert!(room.get("password").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enable_sip_creates_a_config_with_ten_digit_credentials() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    for _ in 0..2 {
        post_room(&app, &alice, json!({"enable_sip": true})).await;
    }
    let mut conn = app.db.connect().await;
    use conclave_db::schema::sip_configs;
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    let configs: Vec<(String, String, bool)> = sip_configs::table
        .select((
            sip_configs::sip_id,
            sip_configs::password,
            sip_configs::enable_lobby,
        ))
        .load(&mut conn)
        .await
        .unwrap();
    assert_eq!(configs.len(), 2);
    for (sip_id, password, lobby) in &configs {
        for digits in [sip_id, password] {
            assert!(
                digits.len() == 10 && digits.bytes().all(|b| b.is_ascii_digit()),
                "{digits}"
            );
        }
        assert!(!lobby);
    }
    assert_ne!(configs[0].0, configs[1].0, "call-in ids are unique");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enable_sip_is_refused_when_call_in_is_disabled() {
    let app = spawn_app_with(|s| s.defaults.disabled_features = vec!["core::call_in".into()]).await;
    let alice = login(&app, "alice").await;
    let body = json!({"enable_sip": true}).to_string();
    let reply = call(&app, Method::POST, "/rooms", alice.auth(), Some(&body)).await;
    assert_eq!(
        reply.error(),
        (StatusCode::FORBIDDEN, Some("feature_disabled"))
    );
    assert_eq!(reply.body["message"], "The feature \"call_in\" is disabled");
    // Without SIP the feature does not matter.
    post_room(&app, &alice, empty()).await;
    assert_eq!(conclave_e2e::rows_in(&app, "rooms").await, 1);

    let app = spawn_app().await;
    let bob = login(&app, "bob").await;
    conclave_e2e::execute(
        &app,
        "UPDATE tariffs SET disabled_features = ARRAY[$1]::text[]",
        "core::call_in",
    )
    .await;
    let reply = call(&app, Method::POST, "/rooms", bob.auth(), Some(&body)).await;
    assert_eq!(
        reply.error(),
        (StatusCode::FORBIDDEN, Some("feature_disabled_by_tariff"))
    );
    assert_eq!(
        reply.body["message"],
        "The user's tariff does not include the call_in feature"
    );
    assert_eq!(conclave_e2e::rows_in(&app, "rooms").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_bodies_are_json_errors_and_create_nothing() {
    let app = spawn_app_with(|s| s.http.json_body_limit = 4096).await;
    let alice = login(&app, "alice").await;
    let long = "x".repeat(256);
    let huge = format!(r#"{{"password": "{}"}}"#, "y".repeat(5000));
    let cases: [(&str, &str); 7] = [
        ("{", "invalid_json"),
        (r#"{"waiting_room": "yes"}"#, "invalid_json"),
        (r#"{"enable_sip": 1}"#, "invalid_json"),
        (r#"{"password": ""}"#, "invalid_json"),
        (&format!(r#"{{"password": "{long}"}}"#), "invalid_json"),
        ("[1, 2, 3]", "invalid_json"),
        (&huge, "payload_overflow"),
    ];
    for (body, code) in cases {
        let reply = call(&app, Method::POST, "/rooms", alice.auth(), Some(body)).await;
        assert_eq!(
            reply.error(),
            (StatusCode::BAD_REQUEST, Some(code)),
            "{body:.40}"
        );
    }
    let reply = app
        .client
        .post(format!("{}/v1/rooms", app.url))
        .bearer_auth(&alice.token)
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = reply.json().await.unwrap();
    assert_eq!(body["code"], "invalid_content_type");
    assert_eq!(conclave_e2e::rows_in(&app, "rooms").await, 0);
    let reply = call(&app, Method::POST, "/rooms", Auth::Anonymous, Some("{}")).await;
    assert_eq!(
        reply.error(),
        (StatusCode::UNAUTHORIZED, Some("unauthorized"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_answers_the_owner_and_refuses_others_before_the_handler() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let bob = login(&app, "bob").await;
    let room = post_room(&app, &alice, json!({"password": "pw"})).await;
    let path = format!("/rooms/{}", id(&room, "id"));
    let reply = call(&app, Method::GET, &path, alice.auth(), None).await;
    assert_eq!((reply.status, &reply.body), (StatusCode::OK, &room));

    let unknown = format!("/rooms/{}", uuid::Uuid::new_v4());
    for (path, who) in [
        (&path, &bob),
        (&unknown, &alice),
        (&"/rooms/not-a-uuid".to_owned(), &alice),
    ] {
        let reply = call(&app, Method::GET, path, who.auth(), None).await;
        assert_eq!(
            reply.error(),
            (StatusCode::FORBIDDEN, Some("forbidden")),
            "{path}"
        );
    }
    // With the "all rooms" grant the ACL lets everything through, and the
    // handler answers unknown and malformed ids with a JSON 404.
    grant(&app, all_rooms_policies()).await;
    for path in [unknown.as_str(), "/rooms/not-a-uuid", "/rooms/1234"] {
        let reply = call(&app, Method::GET, path, bob.auth(), None).await;
        assert_eq!(
            reply.error(),
            (StatusCode::NOT_FOUND, Some("not_found")),
            "{path}"
        );
    }
    let reply = call(&app, Method::GET, &path, bob.auth(), None).await;
    assert_eq!(reply.body["created_by"]["id"], alice.id.to_string());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_pages_the_accessible_rooms_by_id_descending() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let bob = login(&app, "bob").await;
    let mut mine = Vec::new();
    for _ in 0..3 {
        mine.push(id(&post_room(&app, &alice, empty()).await, "id"));
    }
    let bobs = id(&post_room(&app, &bob, empty()).await, "id");
    mine.sort();
    mine.reverse();

    let reply = call(&app, Method::GET, "/rooms", alice.auth(), None).await;
    let listed: Vec<String> = reply
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|r| id(r, "id"))
        .collect();
    assert_eq!((reply.status, &listed), (StatusCode::OK, &mine));
    assert_eq!(reply.link(), "", "a single page has an empty Link header");
    assert!(reply.headers.contains_key("link"));

    let page1 = call(&app, Method::GET, "/rooms?per_page=2", alice.auth(), None).await;
    let page2 = call(
        &app,
        Method::GET,
        "/rooms?per_page=2&page=2",
        alice.auth(),
        None,
    )
    .await;
    let ids = |r: &conclave_e2e::Reply| -> Vec<String> {
        r.body
            .as_array()
            .unwrap()
            .iter()
            .map(|x| id(x, "id"))
            .collect()
    };
    assert_eq!([ids(&page1), ids(&page2)].concat(), mine);
    let base = format!("{}/v1/rooms?per_page=2", app.url);
    assert_eq!(
        page1.link(),
        format!("<{base}&page=2>; rel=\"next\",<{base}&page=2>; rel=\"last\"")
    );
    assert_eq!(
        page2.link(),
        format!("<{base}&page=1>; rel=\"first\",<{base}&page=1>; rel=\"prev\"")
    );
    let beyond = call(
        &app,
        Method::GET,
        "/rooms?per_page=2&page=9",
        alice.auth(),
        None,
    )
    .await;
    assert_eq!(
        (beyond.status, beyond.body.as_array().map(Vec::len)),
        (StatusCode::OK, Some(0))
    );

    let reply = call(&app, Method::GET, "/rooms", bob.auth(), None).await;
    assert_eq!(ids(&reply), vec![bobs]);
    for query in [
        "per_page=0",
        "per_page=101",
        "page=0",
        "per_page=abc",
        "page=-1",
    ] {
        let reply = call(
            &app,
            Method::GET,
            &format!("/rooms?{query}"),
            alice.auth(),
            None,
        )
        .await;
        assert_eq!(
            reply.error(),
            (StatusCode::BAD_REQUEST, Some("bad_request")),
            "{query}"
        );
    }
    // A "/rooms/*" GET grant lists every room.
    grant(&app, all_rooms_policies()).await;
    let reply = call(&app, Method::GET, "/rooms?per_page=100", bob.auth(), None).await;
    assert_eq!(reply.body.as_array().unwrap().len(), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn patch_changes_the_given_fields_and_names_the_real_creator() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let bob = login(&app, "bob").await;
    let room = post_room(&app, &alice, json!({"password": "pw"})).await;
    let path = format!("/rooms/{}", id(&room, "id"));
    let patch = |body: &'static str| call(&app, Method::PATCH, &path, alice.auth(), Some(body));

    let reply = patch(r#"{"waiting_room": true}"#).await;
    assert_eq!(
        (
            reply.status,
            &reply.body["password"],
            &reply.body["waiting_room"]
        ),
        (StatusCode::OK, &json!("pw"), &json!(true))
    );
    let reply = patch(r#"{"password": "new", "waiting_room": null}"#).await;
    assert_eq!(
        (&reply.body["password"], &reply.body["waiting_room"]),
        (&json!("new"), &json!(true))
    );
    let reply = patch(r#"{"password": null}"#).await;
    assert!(reply.body.get("password").is_none(), "{}", reply.body);
    let reply = patch("{}").await;
    assert_eq!(
        (reply.status, reply.body.get("password")),
        (StatusCode::OK, None)
    );
    patch(r#"{"e2e_encryption": true}"#).await;
    let sql = "SELECT count(*) AS n FROM rooms WHERE id::text = $1 AND e2e_encryption AND password IS NULL";
    assert_eq!(count(&app, sql, &id(&room, "id")).await, 1);

    for body in [r#"{"password": ""}"#, r#"{"waiting_room": 3}"#, "{"] {
        let reply = patch(body).await;
        assert_eq!(
            reply.error(),
            (StatusCode::BAD_REQUEST, Some("invalid_json")),
            "{body}"
        );
    }
    let reply = call(&app, Method::PATCH, &path, bob.auth(), Some("{}")).await;
    assert_eq!(reply.error(), (StatusCode::FORBIDDEN, Some("forbidden")));
    // R-31: someone else with write access patches; created_by stays Alice.
    let room_id: RoomId = id(&room, "id").parse::<uuid::Uuid>().unwrap().into();
    grant(&app, room_write(&Subject::User(bob.id), room_id)).await;
    let reply = call(
        &app,
        Method::PATCH,
        &path,
        bob.auth(),
        Some(r#"{"waiting_room": false}"#),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["created_by"]["id"], alice.id.to_string());
    assert_eq!(reply.body["waiting_room"], false);
}
