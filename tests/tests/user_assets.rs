//! `GET /v1/users/me/assets`: the assets of every room the caller created,
//! sorted and paged (api.md §7.2).

use conclave_db::models::asset::NewAsset;
use conclave_domain::ids::{AssetId, RoomId};
use conclave_e2e::{Auth, Person, TestApp, call, login, rows, spawn_app};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// `POST /rooms` as `who`; returns the new room's id.
async fn create_room(app: &TestApp, who: &Person) -> RoomId {
    let room = conclave_e2e::create_room(app, who, json!({})).await;
    room["id"].as_str().unwrap().parse().unwrap()
}

async fn add_asset(app: &TestApp, room: RoomId, filename: &str, size: i64) {
    let mut conn = app.db.connect().await;
    let tenant = conclave_db::testing::fixtures::default_tenant(&mut conn).await;
    let asset = NewAsset {
        id: AssetId::generate(),
        namespace: Some("recording".into()),
        kind: "record".into(),
        filename: filename.into(),
        tenant_id: tenant.id,
        size,
    };
    asset.insert_for_room(&mut conn, room).await.unwrap();
}

/// `GET /users/me/assets{query}` as `who`: status, `Link` and body.
async fn list(app: &TestApp, who: &Person, query: &str) -> (StatusCode, String, Value) {
    let path = format!("/users/me/assets{query}");
    let reply = call(app, Method::GET, &path, who.auth(), None).await;
    (reply.status, reply.link().to_owned(), reply.body)
}

fn filenames(body: &Value) -> Vec<&str> {
    body["owned_assets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["filename"].as_str().unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_own_assets_sorted_and_paged() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let bob = login(&app, "bob").await;
    let (status, _, body) = list(&app, &alice, "").await;
    assert_eq!(
        (status, body),
        (StatusCode::OK, serde_json::json!({"owned_assets": []}))
    );

    let room = create_room(&app, &alice).await;
    let event_room = create_room(&app, &alice).await;
    let bobs_room = create_room(&app, &bob).await;
    add_asset(&app, room, "b.webm", 300).await;
    add_asset(&app, room, "a.webm", 100).await;
    add_asset(&app, event_room, "c.pdf", 200).await;
    add_asset(&app, bobs_room, "bob.webm", 1).await;
    let mut conn = app.db.connect().await;
    let alice_id = rows::user_id_by_sub(&mut conn, "alice").await.unwrap();
    let tenant = conclave_db::testing::fixtures::default_tenant(&mut conn).await;
    let event = rows::insert_event(&mut conn, tenant.id, event_room, alice_id).await;

    let (status, _, body) = list(&app, &alice, "?sort=size&order=ascending").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(filenames(&body), ["a.webm", "c.pdf", "b.webm"]);
    let with_event = body["owned_assets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["filename"] == "c.pdf")
        .unwrap();
    assert_eq!(with_event["event_id"], event.to_string());
    assert_eq!(with_event["room_id"], event_room.to_string());
    assert_eq!(with_event["size"], 200);
    let without_event = &body["owned_assets"][0];
    assert!(
        without_event.get("event_id").is_none(),
        "omitted when the room has no event"
    );

    let (_, _, body) = list(&app, &alice, "?sort=filename&order=descending").await;
    assert_eq!(filenames(&body), ["c.pdf", "b.webm", "a.webm"]);

    let (status, link, body) = list(
        &app,
        &alice,
        "?sort=filename&order=ascending&per_page=2&page=2",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(filenames(&body), ["c.pdf"]);
    assert!(
        link.contains("rel=\"first\"") && link.contains("rel=\"prev\""),
        "{link}"
    );
    assert!(!link.contains("rel=\"next\""), "{link}");

    let (_, _, body) = list(&app, &bob, "").await;
    assert_eq!(filenames(&body), ["bob.webm"], "only the caller's rooms");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_queries_are_400_and_anonymous_401() {
    let app = spawn_app().await;
    let token = login(&app, "carl").await;
    for query in [
        "?sort=owner",
        "?order=sideways",
        "?per_page=0",
        "?per_page=101",
        "?page=0",
        "?page=x",
    ] {
        let (status, _, body) = list(&app, &token, query).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("bad_request")),
            "{query}"
        );
    }
    let anonymous = call(&app, Method::GET, "/users/me/assets", Auth::Anonymous, None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}
