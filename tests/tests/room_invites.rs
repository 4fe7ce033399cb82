//! Room invite codes end to end: `/v1/rooms/{id}/invites…` (api.md §7.4,
//! rules.md §7.9). The public `POST /v1/invite/verify` is in
//! `rooms_invite_verify.rs`.

use conclave_domain::access::Subject;
use conclave_domain::access::grants::{room_read, room_write};
use conclave_domain::ids::RoomId;
use conclave_e2e::{Auth, Reply, call, create_invite, create_room, empty, grant, id, login};
use conclave_e2e::{TestApp, rows, spawn_app};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

const FUTURE: &str = "2999-01-01T00:00:00Z";
const PAST: &str = "2001-01-01T00:00:00Z";

fn room_id(rid: &str) -> RoomId {
    rid.parse::<Uuid>().unwrap().into()
}

/// The `p` rules of `invite::<code>`.
async fn code_rules(app: &TestApp, code: &str) -> Vec<(String, String)> {
    let mut conn = app.db.connect().await;
    rows::policies(&mut conn, &format!("invite::{code}")).await
}

fn guest_rules(rid: &str) -> Vec<(String, String)> {
    vec![
        (format!("/rooms/{rid}/event"), "GET".to_owned()),
        (format!("/rooms/{rid}/tariff"), "GET".to_owned()),
    ]
}

fn codes(reply: &Reply) -> Vec<String> {
    let list = reply.body.as_array().expect("a list");
    list.iter().map(|i| id(i, "invite_code")).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_answers_the_code_and_grants_guest_read_while_valid() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let bob = login(&app, "bob").await;
    let rid = id(&create_room(&app, &alice, empty()).await, "id");
    let invite = create_invite(&app, &alice, &rid, empty()).await;
    let code = id(&invite, "invite_code");
    assert!(code.parse::<Uuid>().is_ok());
    assert_eq!(
        (&invite["room_id"], &invite["active"]),
        (&json!(rid), &json!(true))
    );
    assert_eq!(
        invite.get("expiration"),
        Some(&Value::Null),
        "always present"
    );
    assert_eq!(invite["created"], invite["updated"]);
    assert_eq!(invite["created_by"], invite["updated_by"]);
    assert_eq!(invite["created_by"]["id"], alice.id.to_string());
    assert_eq!(code_rules(&app, &code).await, guest_rules(&rid));

    let later = create_invite(
        &app,
        &alice,
        &rid,
        json!({"expiration": "2999-01-01T02:00:00+02:00"}),
    )
    .await;
    assert_eq!(later["expiration"], FUTURE);
    assert_eq!(
        code_rules(&app, &id(&later, "invite_code")).await,
        guest_rules(&rid)
    );
    // A past expiration is accepted, but the code is born expired: no rules.
    let stale = create_invite(&app, &alice, &rid, json!({"expiration": PAST})).await;
    assert_eq!(
        (&stale["active"], &stale["expiration"]),
        (&json!(true), &json!(PAST))
    );
    assert!(
        code_rules(&app, &id(&stale, "invite_code"))
            .await
            .is_empty()
    );

    let path = format!("/rooms/{rid}/invites");
    for body in [r#"{"expiration": "tomorrow"}"#, r#"{"expiration": 1}"#, "{"] {
        let reply = call(&app, Method::POST, &path, alice.auth(), Some(body)).await;
        assert_eq!(
            reply.error(),
            (StatusCode::BAD_REQUEST, Some("invalid_json")),
            "{body}"
        );
    }
    let unknown = format!("/rooms/{}/invites", Uuid::new_v4());
    for (path, who) in [(&path, &bob), (&unknown, &alice)] {
        let reply = call(&app, Method::POST, path, who.auth(), Some("{}")).await;
        assert_eq!(
            reply.error(),
            (StatusCode::FORBIDDEN, Some("forbidden")),
            "{path}"
        );
    }
    let listed = call(&app, Method::GET, &path, alice.auth(), None).await;
    assert_eq!(
        listed.body.as_array().map(Vec::len),
        Some(3),
        "failed requests created nothing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_shows_inactive_codes_most_recently_updated_first() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let bob = login(&app, "bob").await;
    let rid = id(&create_room(&app, &alice, empty()).await, "id");
    let mut made = Vec::new();
    for _ in 0..3 {
        made.push(id(
            &create_invite(&app, &alice, &rid, empty()).await,
            "invite_code",
        ));
    }
    let [a, b, c] = [&made[0], &made[1], &made[2]];
    let put = json!({"expiration": FUTURE}).to_string();
    call(
        &app,
        Method::PUT,
        &format!("/rooms/{rid}/invites/{a}"),
        alice.auth(),
        Some(&put),
    )
    .await;
    call(
        &app,
        Method::DELETE,
        &format!("/rooms/{rid}/invites/{b}"),
        alice.auth(),
        None,
    )
    .await;

    let path = format!("/rooms/{rid}/invites");
    let reply = call(&app, Method::GET, &path, alice.auth(), None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(codes(&reply), [b.clone(), a.clone(), c.clone()]);
    let active: Vec<bool> = reply
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["active"].as_bool().unwrap())
        .collect();
    assert_eq!(active, [false, true, true]);

    let page2 = call(
        &app,
        Method::GET,
        &format!("{path}?per_page=2&page=2"),
        alice.auth(),
        None,
    )
    .await;
    assert_eq!(codes(&page2), vec![c.clone()]);
    let base = format!("{}/v1{path}?per_page=2", app.url);
    assert_eq!(
        page2.link(),
        format!("<{base}&page=1>; rel=\"first\",<{base}&page=1>; rel=\"prev\"")
    );
    let reply = call(
        &app,
        Method::GET,
        &format!("{path}?per_page=0"),
        alice.auth(),
        None,
    )
    .await;
    assert_eq!(
        reply.error(),
        (StatusCode::BAD_REQUEST, Some("bad_request"))
    );

    let reply = call(&app, Method::GET, &path, bob.auth(), None).await;
    assert_eq!(reply.error(), (StatusCode::FORBIDDEN, Some("forbidden")));
    // Room read (as an event invitee holds it) is enough to list.
    grant(&app, room_read(&Subject::User(bob.id), room_id(&rid))).await;
    assert_eq!(
        codes(&call(&app, Method::GET, &path, bob.auth(), None).await).len(),
        3
    );
    let reply = call(&app, Method::GET, &format!("{path}/{a}"), bob.auth(), None).await;
    assert_eq!(
        reply.error(),
        (StatusCode::FORBIDDEN, Some("forbidden")),
        "single codes need write"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_and_put_address_codes_of_the_room_only() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let bob = login(&app, "bob").await;
    let rid = id(&create_room(&app, &alice, empty()).await, "id");
    let other = id(&create_room(&app, &alice, empty()).await, "id");
    let invite = create_invite(&app, &alice, &rid, empty()).await;
    let code = id(&invite, "invite_code");
    let foreign = id(
        &create_invite(&app, &alice, &other, empty()).await,
        "invite_code",
    );
    let path = format!("/rooms/{rid}/invites/{code}");
    let reply = call(&app, Method::GET, &path, alice.auth(), None).await;
    assert_eq!((reply.status, &reply.body), (StatusCode::OK, &invite));
    let unknown = Uuid::new_v4().to_string();
    for bad in [foreign.as_str(), &unknown, "not-a-code", "42"] {
        let bad_path = format!("/rooms/{rid}/invites/{bad}");
        for method in [Method::GET, Method::PUT, Method::DELETE] {
            let body = (method == Method::PUT).then_some("{}");
            let reply = call(&app, method.clone(), &bad_path, alice.auth(), body).await;
            assert_eq!(
                reply.error(),
                (StatusCode::NOT_FOUND, Some("not_found")),
                "{method} {bad}"
            );
        }
    }
    let foreign_path = format!("/rooms/{other}/invites/{foreign}");
    assert_eq!(
        call(&app, Method::GET, &foreign_path, alice.auth(), None)
            .await
            .body["active"],
        true
    );

    // Bob with room write changes the expiration: he becomes updated_by.
    grant(&app, room_write(&Subject::User(bob.id), room_id(&rid))).await;
    let put = |who: &conclave_e2e::Person, body: &str| {
        let body = body.to_owned();
        let auth = who.token.clone();
        let path = path.clone();
        let app = &app;
        async move { call(app, Method::PUT, &path, Auth::Bearer(&auth), Some(&body)).await }
    };
    let reply = put(&bob, &json!({"expiration": FUTURE}).to_string()).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["expiration"], FUTURE);
    assert_eq!(reply.body["updated_by"]["id"], bob.id.to_string());
    assert_eq!(reply.body["created_by"]["id"], alice.id.to_string());
    let time = |v: &Value| {
        v.as_str()
            .unwrap()
            .parse::<chrono::DateTime<chrono::Utc>>()
            .unwrap()
    };
    assert!(time(&reply.body["updated"]) > time(&invite["updated"]));
    assert_eq!(reply.body["created"], invite["created"]);
    for body in [r#"{"expiration": null}"#, "{}"] {
        let reply = put(&alice, body).await;
        assert_eq!(
            (reply.status, &reply.body["expiration"]),
            (StatusCode::OK, &Value::Null),
            "{body}"
        );
    }
    // The rules follow the code's validity.
    put(&alice, &json!({"expiration": PAST}).to_string()).await;
    assert!(code_rules(&app, &code).await.is_empty());
    put(&alice, &json!({"expiration": FUTURE}).to_string()).await;
    assert_eq!(code_rules(&app, &code).await, guest_rules(&rid));
    for body in [r#"{"expiration": "soon"}"#, r#"{"expiration": []}"#, "{"] {
        let reply = put(&alice, body).await;
        assert_eq!(
            reply.error(),
            (StatusCode::BAD_REQUEST, Some("invalid_json")),
            "{body}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_is_a_soft_delete_that_revokes_the_code() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let rid = id(&create_room(&app, &alice, empty()).await, "id");
    let code = id(
        &create_invite(&app, &alice, &rid, empty()).await,
        "invite_code",
    );
    let tariff = format!("/rooms/{rid}/tariff");
    assert_eq!(
        call(&app, Method::GET, &tariff, Auth::Invite(&code), None)
            .await
            .status,
        StatusCode::OK
    );

    let path = format!("/rooms/{rid}/invites/{code}");
    let reply = call(&app, Method::DELETE, &path, alice.auth(), None).await;
    assert_eq!(
        (reply.status, reply.body),
        (StatusCode::NO_CONTENT, Value::Null)
    );
    let row = call(&app, Method::GET, &path, alice.auth(), None).await;
    assert_eq!(
        (row.status, &row.body["active"]),
        (StatusCode::OK, &json!(false))
    );
    assert!(code_rules(&app, &code).await.is_empty());
    let reply = call(&app, Method::GET, &tariff, Auth::Invite(&code), None).await;
    assert_eq!(reply.error(), (StatusCode::FORBIDDEN, Some("forbidden")));

    // A later expiration change cannot revive it.
    let put = json!({"expiration": FUTURE}).to_string();
    let reply = call(&app, Method::PUT, &path, alice.auth(), Some(&put)).await;
    assert_eq!(
        (&reply.body["active"], &reply.body["expiration"]),
        (&json!(false), &json!(FUTURE))
    );
    assert!(code_rules(&app, &code).await.is_empty());
    let again = call(&app, Method::DELETE, &path, alice.auth(), None).await;
    assert_eq!(again.status, StatusCode::NO_CONTENT);
}
