//! `/v1/rooms/{id}/sip` end to end (api.md §7.5, rules.md §13, R-29): the
//! owner manages the dial-in config; e2e rooms and disabled `call_in` are
//! refused with the documented codes; bad input never gives a 500.

#[path = "room_satellites/support.rs"]
mod support;

use conclave_e2e::{Auth, call, login};
use conclave_e2e::{spawn_app, spawn_app_with};
use reqwest::{Method, StatusCode};
use support::{RoomSpec, room};

fn is_numeric_id(value: &serde_json::Value) -> bool {
    value
        .as_str()
        .is_some_and(|s| s.len() == 10 && s.bytes().all(|b| b.is_ascii_digit()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn owner_creates_reads_updates_and_deletes_the_config() {
    let app = spawn_app().await;
    let (token, alice) = login(&app, "alice").await.into_parts();
    let room = room(&app, alice, RoomSpec::default()).await;
    let path = format!("/rooms/{room}/sip");
    let auth = Auth::Bearer(&token);

    let none = call(&app, Method::GET, &path, auth, None).await;
    assert_eq!(none.answer(), (404, Some("not_found")));

    let created = call(&app, Method::PUT, &path, auth, Some(r#"{"lobby":true}"#)).await;
    assert_eq!(created.status, StatusCode::CREATED);
    let config = created.body;
    assert_eq!(config["room"], room.to_string());
    assert!(is_numeric_id(&config["sip_id"]), "{config}");
    assert!(is_numeric_id(&config["password"]), "{config}");
    assert_eq!(config["lobby"], true);

    let read = call(&app, Method::GET, &path, auth, None).await;
    assert_eq!((read.status, &read.body), (StatusCode::OK, &config));

    let pin = call(
        &app,
        Method::PUT,
        &path,
        auth,
        Some(r#"{"password":"0123456789"}"#),
    )
    .await;
    assert_eq!(pin.status, StatusCode::OK);
    assert_eq!(pin.body["sip_id"], config["sip_id"], "the call-in id stays");
    assert_eq!(pin.body["password"], "0123456789");
    assert_eq!(pin.body["lobby"], true, "absent fields stay unchanged");

    let both = r#"{"password":"1111111111","lobby":false}"#;
    let both = call(&app, Method::PUT, &path, auth, Some(both)).await;
    assert_eq!(both.status, StatusCode::OK);
    assert_eq!(
        (&both.body["password"], &both.body["lobby"]),
        (&"1111111111".into(), &false.into())
    );

    let deleted = call(&app, Method::DELETE, &path, auth, None).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let gone = call(&app, Method::GET, &path, auth, None).await;
    assert_eq!(gone.answer(), (404, Some("not_found")));
    let again = call(&app, Method::DELETE, &path, auth, None).await;
    assert_eq!(again.answer(), (404, Some("not_found")));

    let recreated = r#"{"password":"2222222222"}"#;
    let recreated = call(&app, Method::PUT, &path, auth, Some(recreated)).await;
    assert_eq!(recreated.status, StatusCode::CREATED);
    assert_eq!(recreated.body["password"], "2222222222");
    assert_eq!(recreated.body["lobby"], false, "lobby defaults to false");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generated_call_in_ids_are_unique_across_rooms() {
    let app = spawn_app().await;
    let (token, alice) = login(&app, "alice").await.into_parts();
    let mut ids = std::collections::BTreeSet::new();
    for _ in 0..8 {
        let room = room(&app, alice, RoomSpec::default()).await;
        let path = format!("/rooms/{room}/sip");
        let reply = call(
            &app,
            Method::PUT,
            &path,
            Auth::Bearer(&token),
            Some(r#"{"lobby":false}"#),
        )
        .await;
        assert_eq!(reply.status, StatusCode::CREATED);
        ids.insert(reply.body["sip_id"].as_str().unwrap().to_owned());
    }
    assert_eq!(ids.len(), 8);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_bodies_are_400_and_nothing_is_written() {
    let app = spawn_app().await;
    let (token, alice) = login(&app, "alice").await.into_parts();
    let room = room(&app, alice, RoomSpec::default()).await;
    let path = format!("/rooms/{room}/sip");
    let auth = Auth::Bearer(&token);
    let huge = format!(r#"{{"password":"{}"}}"#, "1".repeat(300_000));
    let cases: [(&str, &str); 9] = [
        ("{}", "invalid_json"),
        (r#"{"password":null,"lobby":null}"#, "invalid_json"),
        (r#"{"password":"123"}"#, "invalid_json"),
        (r#"{"password":"01234567890"}"#, "invalid_json"),
        (r#"{"password":"01234x6789"}"#, "invalid_json"),
        (r#"{"password":1234567890}"#, "invalid_json"),
        (r#"{"lobby":"yes"}"#, "invalid_json"),
        ("not json", "invalid_json"),
        (&huge, "payload_overflow"),
    ];
    for (body, code) in cases {
        let reply = call(&app, Method::PUT, &path, auth, Some(body)).await;
        assert_eq!(
            reply.answer(),
            (400, Some(code)),
            "{}",
            &body[..body.len().min(40)]
        );
    }
    let no_type = app
        .client
        .put(format!("{}/v1{path}", app.url))
        .bearer_auth(&token)
        .body(r#"{"lobby":true}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(no_type.status(), StatusCode::BAD_REQUEST);
    let none = call(&app, Method::GET, &path, auth, None).await;
    assert_eq!(
        none.answer(),
        (404, Some("not_found")),
        "nothing was created"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_owner_gets_through() {
    let app = spawn_app().await;
    let (alice_token, alice) = login(&app, "alice").await.into_parts();
    let (bob_token, bob) = login(&app, "bob").await.into_parts();
    let room = room(&app, alice, RoomSpec::default()).await;
    support::grant_room_read(&app, bob, room).await;
    let code = support::invite_code(&app, room, alice, None).await;
    let path = format!("/rooms/{room}/sip");
    let body = Some(r#"{"lobby":true}"#);
    for method in [Method::GET, Method::PUT, Method::DELETE] {
        let invitee = call(&app, method.clone(), &path, Auth::Bearer(&bob_token), body).await;
        assert_eq!(
            invitee.answer(),
            (403, Some("forbidden")),
            "invitee {method}"
        );
        let guest = call(&app, method.clone(), &path, Auth::InviteCode(code), body).await;
        assert_eq!(guest.answer(), (403, Some("forbidden")), "guest {method}");
        let anonymous = call(&app, method.clone(), &path, Auth::Anonymous, body).await;
        assert_eq!(
            anonymous.answer(),
            (401, Some("unauthorized")),
            "anonymous {method}"
        );
        let unknown = format!("/rooms/{}/sip", support::unknown_room());
        let unknown = call(
            &app,
            method.clone(),
            &unknown,
            Auth::Bearer(&alice_token),
            body,
        )
        .await;
        assert_eq!(
            unknown.answer(),
            (403, Some("forbidden")),
            "unknown room {method}"
        );
        let malformed = call(
            &app,
            method.clone(),
            "/rooms/not-a-uuid/sip",
            Auth::Bearer(&alice_token),
            body,
        )
        .await;
        assert_eq!(
            malformed.answer(),
            (403, Some("forbidden")),
            "malformed id {method}"
        );
    }
    let created = call(&app, Method::PUT, &path, Auth::Bearer(&alice_token), body).await;
    assert_eq!(
        created.status,
        StatusCode::CREATED,
        "the owner's grant (R-29)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn e2e_rooms_have_no_call_in_and_the_tariff_can_disable_it() {
    let app = spawn_app().await;
    let (token, alice) = login(&app, "alice").await.into_parts();
    let auth = Auth::Bearer(&token);
    let e2e = room(
        &app,
        alice,
        RoomSpec {
            e2e: true,
            ..RoomSpec::default()
        },
    )
    .await;
    let path = format!("/rooms/{e2e}/sip");
    let get = call(&app, Method::GET, &path, auth, None).await;
    assert_eq!(get.answer(), (404, Some("service_unavailable")));
    assert_eq!(
        get.body["message"],
        "Call-in not available for end-to-end encrypted room"
    );
    let put = call(&app, Method::PUT, &path, auth, Some(r#"{"lobby":true}"#)).await;
    assert_eq!(put.answer(), (403, Some("service_unavailable")));
    // DELETE has only the feature check; there is nothing to delete.
    let delete = call(&app, Method::DELETE, &path, auth, None).await;
    assert_eq!(delete.answer(), (404, Some("not_found")));

    let plain = room(&app, alice, RoomSpec::default()).await;
    let path = format!("/rooms/{plain}/sip");
    let created = call(&app, Method::PUT, &path, auth, Some(r#"{"lobby":true}"#)).await;
    assert_eq!(created.status, StatusCode::CREATED);
    support::disable_call_in_by_tariff(&app).await;
    for method in [Method::GET, Method::PUT, Method::DELETE] {
        let reply = call(&app, method.clone(), &path, auth, Some(r#"{"lobby":true}"#)).await;
        assert_eq!(
            reply.answer(),
            (403, Some("feature_disabled_by_tariff")),
            "{method}"
        );
        assert_eq!(
            reply.body["message"],
            "The user's tariff does not include the call_in feature"
        );
    }
    // The e2e guard comes first.
    let get = call(&app, Method::GET, &format!("/rooms/{e2e}/sip"), auth, None).await;
    assert_eq!(get.answer(), (404, Some("service_unavailable")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_globally_disabled_feature_wins_over_the_tariff() {
    let app = spawn_app_with(|s| s.defaults.disabled_features = vec!["core::call_in".into()]).await;
    let (token, alice) = login(&app, "alice").await.into_parts();
    let room = room(&app, alice, RoomSpec::default()).await;
    support::disable_call_in_by_tariff(&app).await;
    let path = format!("/rooms/{room}/sip");
    for method in [Method::GET, Method::PUT, Method::DELETE] {
        let reply = call(
            &app,
            method.clone(),
            &path,
            Auth::Bearer(&token),
            Some(r#"{"lobby":true}"#),
        )
        .await;
        assert_eq!(reply.answer(), (403, Some("feature_disabled")), "{method}");
        assert_eq!(reply.body["message"], "The feature \"call_in\" is disabled");
    }
}
