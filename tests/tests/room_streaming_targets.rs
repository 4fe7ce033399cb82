//! `/v1/rooms/{id}/streaming_targets…` end to end (api.md §7.6, A-2, R-38):
//! owner CRUD, real paging by id with `Link` headers, keys hidden from
//! readers, and bad input answered without a 500.

#[path = "room_satellites/support.rs"]
mod support;

use conclave_e2e::spawn_app;
use conclave_e2e::{Auth, call, login};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::{RoomSpec, room};

fn target(name: &str) -> String {
    json!({
        "name": name,
        "kind": "custom",
        "streaming_endpoint": "rtmp://ingest.example.com/live",
        "streaming_key": format!("key-{name}"),
        "public_url": "https://watch.example.com/stream",
    })
    .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn owner_creates_reads_patches_and_deletes_targets() {
    let app = spawn_app().await;
    let (token, alice) = login(&app, "alice").await.into_parts();
    let room = room(&app, alice, RoomSpec::default()).await;
    let auth = Auth::Bearer(&token);
    let list = format!("/rooms/{room}/streaming_targets");

    let created = call(&app, Method::POST, &list, auth, Some(&target("main"))).await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let id = created.body["id"].as_str().unwrap().to_owned();
    assert_eq!(created.body["streaming_key"], "key-main");
    assert_eq!(created.body["kind"], "custom");
    assert_eq!(
        created.body["streaming_endpoint"],
        "rtmp://ingest.example.com/live"
    );
    let one = format!("{list}/{id}");

    let read = call(&app, Method::GET, &one, auth, None).await;
    assert_eq!((read.status, &read.body), (StatusCode::OK, &created.body));
    let listed = call(&app, Method::GET, &list, auth, None).await;
    assert_eq!(listed.body, json!([created.body]));

    let renamed = call(
        &app,
        Method::PATCH,
        &one,
        auth,
        Some(r#"{"name":"renamed"}"#),
    )
    .await;
    assert_eq!(renamed.status, StatusCode::OK);
    assert_eq!(
        (&renamed.body["name"], &renamed.body["streaming_key"]),
        (&json!("renamed"), &json!("key-main"))
    );

    // Kind fields without `kind` are ignored, as upstream.
    let ignored = r#"{"name":"n2","streaming_key":"ignored"}"#;
    let ignored = call(&app, Method::PATCH, &one, auth, Some(ignored)).await;
    assert_eq!(
        (&ignored.body["name"], &ignored.body["streaming_key"]),
        (&json!("n2"), &json!("key-main"))
    );

    let rekeyed =
        json!({"kind": "custom", "streaming_key": "new", "public_url": "http://other.example/x"});
    let rekeyed = call(&app, Method::PATCH, &one, auth, Some(&rekeyed.to_string())).await;
    assert_eq!(rekeyed.status, StatusCode::OK);
    assert_eq!(rekeyed.body["streaming_key"], "new");
    assert_eq!(rekeyed.body["public_url"], "http://other.example/x");
    assert_eq!(rekeyed.body["name"], "n2");

    assert_eq!(
        call(&app, Method::DELETE, &one, auth, None).await.status,
        StatusCode::NO_CONTENT
    );
    for method in [Method::GET, Method::DELETE] {
        let gone = call(&app, method.clone(), &one, auth, None).await;
        assert_eq!(gone.answer(), (404, Some("not_found")), "{method}");
    }
    let gone = call(&app, Method::PATCH, &one, auth, Some(r#"{"name":"x"}"#)).await;
    assert_eq!(gone.answer(), (404, Some("not_found")));
    let suppressed = format!("{list}?suppress_email_notification=true");
    let again = call(&app, Method::POST, &suppressed, auth, Some(&target("b"))).await;
    assert_eq!(again.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readers_never_see_the_key_and_cannot_write() {
    let app = spawn_app().await;
    let (alice_token, alice) = login(&app, "alice").await.into_parts();
    let (bob_token, bob) = login(&app, "bob").await.into_parts();
    let (_, _carol) = login(&app, "carol").await.into_parts();
    let room = room(&app, alice, RoomSpec::default()).await;
    support::grant_room_read(&app, bob, room).await;
    let list = format!("/rooms/{room}/streaming_targets");
    let created = call(
        &app,
        Method::POST,
        &list,
        Auth::Bearer(&alice_token),
        Some(&target("t")),
    )
    .await;
    let one = format!("{list}/{}", created.body["id"].as_str().unwrap());

    let as_bob = call(&app, Method::GET, &list, Auth::Bearer(&bob_token), None).await;
    assert_eq!(as_bob.status, StatusCode::OK);
    let entry = &as_bob.body[0];
    assert_eq!(entry["id"], created.body["id"]);
    assert!(entry.get("streaming_key").is_none(), "{entry}");
    assert!(!as_bob.body.to_string().contains("key-t"));

    let bob = Auth::Bearer(&bob_token);
    let writes = [
        (Method::GET, one.as_str(), None),
        (Method::POST, list.as_str(), Some(target("x"))),
        (
            Method::PATCH,
            one.as_str(),
            Some(r#"{"name":"x"}"#.to_owned()),
        ),
        (Method::DELETE, one.as_str(), None),
    ];
    for (method, path, body) in writes {
        let reply = call(&app, method.clone(), path, bob, body.as_deref()).await;
        assert_eq!(reply.answer(), (403, Some("forbidden")), "{method} {path}");
    }
    let code = support::invite_code(&app, room, alice, None).await;
    let guest = call(&app, Method::GET, &list, Auth::InviteCode(code), None).await;
    assert_eq!(guest.answer(), (403, Some("forbidden")));
    let anonymous = call(&app, Method::GET, &list, Auth::Anonymous, None).await;
    assert_eq!(anonymous.answer(), (401, Some("unauthorized")));
    let stranger_token = app.issuer.sign(&app.issuer.claims("carol"));
    let stranger = call(
        &app,
        Method::GET,
        &list,
        Auth::Bearer(&stranger_token),
        None,
    )
    .await;
    assert_eq!(stranger.answer(), (403, Some("forbidden")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_page_by_id_with_link_headers() {
    let app = spawn_app().await;
    let (token, alice) = login(&app, "alice").await.into_parts();
    let room = room(&app, alice, RoomSpec::default()).await;
    let auth = Auth::Bearer(&token);
    let list = format!("/rooms/{room}/streaming_targets");
    let mut ids = Vec::new();
    for name in ["e", "d", "c", "b", "a"] {
        let reply = call(&app, Method::POST, &list, auth, Some(&target(name))).await;
        ids.push(reply.body["id"].as_str().unwrap().to_owned());
    }
    ids.sort();
    let page = |n: i64| {
        let path = format!("{list}?per_page=2&page={n}");
        let app = &app;
        async move { call(app, Method::GET, &path, auth, None).await }
    };
    let mut seen = Vec::new();
    for n in 1..=3 {
        let reply = page(n).await;
        assert_eq!(reply.status, StatusCode::OK);
        let link = reply.headers["link"].to_str().unwrap().to_owned();
        assert_eq!(link.contains("rel=\"next\""), n < 3, "page {n}: {link}");
        assert_eq!(link.contains("rel=\"prev\""), n > 1, "page {n}: {link}");
        if n == 1 {
            assert!(
                link.contains(&format!("{list}?per_page=2&page=3>; rel=\"last\"")),
                "{link}"
            );
        }
        let items: &Vec<Value> = reply.body.as_array().unwrap();
        assert_eq!(items.len(), if n < 3 { 2 } else { 1 });
        seen.extend(items.iter().map(|t| t["id"].as_str().unwrap().to_owned()));
    }
    assert_eq!(seen, ids, "every target once, ordered by id");
    let beyond = page(9).await;
    assert_eq!((beyond.status, beyond.body), (StatusCode::OK, json!([])));
    let single = call(&app, Method::GET, &list, auth, None).await;
    assert_eq!(single.headers["link"], "", "one page: an empty Link header");
    for query in [
        "per_page=0",
        "per_page=101",
        "page=0",
        "per_page=abc",
        "page=-1",
    ] {
        let reply = call(&app, Method::GET, &format!("{list}?{query}"), auth, None).await;
        assert_eq!(reply.answer(), (400, Some("bad_request")), "{query}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_post_bodies_are_400_and_write_nothing() {
    let app = spawn_app().await;
    let (token, alice) = login(&app, "alice").await.into_parts();
    let room = room(&app, alice, RoomSpec::default()).await;
    let auth = Auth::Bearer(&token);
    let list = format!("/rooms/{room}/streaming_targets");
    let valid: Value = serde_json::from_str(&target("t")).unwrap();
    let with = |field: &str, value: Value| {
        let mut body = valid.clone();
        body[field] = value;
        body.to_string()
    };
    let without = |field: &str| {
        let mut body = valid.clone();
        body.as_object_mut().unwrap().remove(field);
        body.to_string()
    };
    let huge = with("streaming_key", json!("k".repeat(300_000)));
    let posts = [
        (without("name"), "invalid_json"),
        (without("kind"), "invalid_json"),
        (without("streaming_endpoint"), "invalid_json"),
        (without("streaming_key"), "invalid_json"),
        (without("public_url"), "invalid_json"),
        (with("kind", json!("youtube")), "invalid_json"),
        (with("name", json!(5)), "invalid_json"),
        (
            with("streaming_endpoint", json!("/relative")),
            "invalid_json",
        ),
        (
            with("public_url", json!("javascript:alert(1)")),
            "invalid_json",
        ),
        (
            with("public_url", json!("rtmp://not.for.viewers/")),
            "invalid_json",
        ),
        ("[]".to_owned(), "invalid_json"),
        ("{".to_owned(), "invalid_json"),
        (huge, "payload_overflow"),
    ];
    for (body, code) in &posts {
        let reply = call(&app, Method::POST, &list, auth, Some(body)).await;
        assert_eq!(
            reply.answer(),
            (400, Some(*code)),
            "{}",
            &body[..body.len().min(60)]
        );
    }
    let bad_flag = format!("{list}?suppress_email_notification=maybe");
    let reply = call(&app, Method::POST, &bad_flag, auth, Some(&target("t"))).await;
    assert_eq!(reply.answer(), (400, Some("bad_request")));
    let listed = call(&app, Method::GET, &list, auth, None).await;
    assert_eq!(listed.body, json!([]), "nothing was written");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_patches_and_ids_are_refused_without_a_500() {
    let app = spawn_app().await;
    let (token, alice) = login(&app, "alice").await.into_parts();
    let room = room(&app, alice, RoomSpec::default()).await;
    let other = support::room(&app, alice, RoomSpec::default()).await;
    let auth = Auth::Bearer(&token);
    let list = format!("/rooms/{room}/streaming_targets");
    let created = call(&app, Method::POST, &list, auth, Some(&target("t"))).await;
    let one = format!("{list}/{}", created.body["id"].as_str().unwrap());
    let patches = [
        ("{}", "bad_request"),
        (r#"{"name":null}"#, "bad_request"),
        (r#"{"kind":"rtmp","name":"x"}"#, "invalid_json"),
        (
            r#"{"kind":"custom","public_url":"not a url"}"#,
            "invalid_json",
        ),
        (r#"{"name":7}"#, "invalid_json"),
        ("nope", "invalid_json"),
    ];
    for (body, code) in patches {
        let reply = call(&app, Method::PATCH, &one, auth, Some(body)).await;
        assert_eq!(reply.answer(), (400, Some(code)), "{body}");
    }
    let unchanged = call(&app, Method::GET, &one, auth, None).await;
    assert_eq!(unchanged.body, created.body);

    let foreign = format!(
        "/rooms/{other}/streaming_targets/{}",
        created.body["id"].as_str().unwrap()
    );
    let malformed = format!("{list}/not-a-uuid");
    let unknown = format!("{list}/{}", uuid::Uuid::new_v4());
    for path in [&foreign, &malformed, &unknown] {
        for method in [Method::GET, Method::DELETE] {
            let reply = call(&app, method.clone(), path, auth, None).await;
            assert_eq!(reply.answer(), (404, Some("not_found")), "{method} {path}");
        }
        let reply = call(&app, Method::PATCH, path, auth, Some(r#"{"name":"x"}"#)).await;
        assert_eq!(reply.answer(), (404, Some("not_found")), "PATCH {path}");
    }
    let unknown_room = format!("/rooms/{}/streaming_targets", support::unknown_room());
    let reply = call(&app, Method::GET, &unknown_room, auth, None).await;
    assert_eq!(reply.answer(), (403, Some("forbidden")));
    let reply = call(
        &app,
        Method::GET,
        "/rooms/not-a-uuid/streaming_targets",
        auth,
        None,
    )
    .await;
    assert_eq!(reply.answer(), (403, Some("forbidden")));
}
