//! `GET /v1/rooms/{id}/tariff` and `GET /v1/rooms/{id}/event` end to end,
//! for room members and invite-code guests (rules.md §8.5, §19, R-21, R-22).

use chrono::Utc;
use conclave_api::config::CallInSettings;
use conclave_db::models::room::Room;
use conclave_db::models::room_streaming_target::NewRoomStreamingTarget;
use conclave_db::models::user::User;
use conclave_domain::ids::RoomId;
use conclave_domain::streaming::StreamingKind;
use conclave_e2e::{Auth, Person, call, create_invite, create_room, empty, execute, id, login};
use conclave_e2e::{TestApp, rows, spawn_app, spawn_app_with};
use reqwest::{Method, StatusCode};
use serde_json::json;
use uuid::Uuid;

async fn room_row(app: &TestApp, room: &str) -> Room {
    let mut conn = app.db.connect().await;
    let id: RoomId = room.parse::<Uuid>().unwrap().into();
    Room::get(&mut conn, id).await.unwrap()
}

/// Inserts an event for the room; `details` sets `show_meeting_details`.
async fn add_event(app: &TestApp, owner: &Person, room: &str, details: bool) -> String {
    let row = room_row(app, room).await;
    let mut conn = app.db.connect().await;
    let event = rows::insert_event(&mut conn, row.tenant_id, row.id, owner.id).await;
    let sql = format!("UPDATE events SET show_meeting_details = {details} WHERE room::text = $1");
    execute(app, &sql, room).await;
    event.to_string()
}

async fn event_info(app: &TestApp, room: &str, auth: Auth<'_>) -> conclave_e2e::Reply {
    call(
        app,
        Method::GET,
        &format!("/rooms/{room}/event"),
        auth,
        None,
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tariff_is_the_creators_for_members_and_valid_codes_only() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let bob = login(&app, "bob").await;
    let rid = id(&create_room(&app, &alice, empty()).await, "id");
    let other = id(&create_room(&app, &bob, empty()).await, "id");
    let path = format!("/rooms/{rid}/tariff");
    let reply = call(&app, Method::GET, &path, alice.auth(), None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["name"], "OpenTalkDefaultTariff");
    assert!(
        reply.body["modules"]["core"]["features"]
            .as_array()
            .unwrap()
            .contains(&json!("call_in"))
    );
    let owners_view = reply.body;

    let code = id(
        &create_invite(&app, &alice, &rid, empty()).await,
        "invite_code",
    );
    let reply = call(&app, Method::GET, &path, Auth::Invite(&code), None).await;
    assert_eq!((reply.status, &reply.body), (StatusCode::OK, &owners_view));
    // A code opens only its own room, and only the tariff and event.
    for (path, auth) in [
        (format!("/rooms/{other}/tariff"), Auth::Invite(&code)),
        (format!("/rooms/{rid}"), Auth::Invite(&code)),
        (path.clone(), bob.auth()),
    ] {
        let reply = call(&app, Method::GET, &path, auth, None).await;
        assert_eq!(
            reply.error(),
            (StatusCode::FORBIDDEN, Some("forbidden")),
            "{path}"
        );
    }
    // An expired code is refused even while its rules still exist (R-21).
    execute(
        &app,
        "UPDATE invites SET expiration = now() - interval '1 minute' WHERE id::text = $1",
        &code,
    )
    .await;
    assert!(conclave_e2e::rules_mentioning(&app, &code).await > 0);
    let reply = call(&app, Method::GET, &path, Auth::Invite(&code), None).await;
    assert_eq!(reply.error(), (StatusCode::FORBIDDEN, Some("forbidden")));

    // A disabled creator's room has no tariff (rules.md §8.5).
    let fresh = id(
        &create_invite(&app, &alice, &rid, empty()).await,
        "invite_code",
    );
    let mut conn = app.db.connect().await;
    User::disable(&mut conn, alice.id, Utc::now())
        .await
        .unwrap();
    let reply = call(&app, Method::GET, &path, Auth::Invite(&fresh), None).await;
    assert_eq!(reply.error(), (StatusCode::NOT_FOUND, Some("not_found")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn event_info_is_404_without_an_event_and_hides_details_unless_shown() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let rid = id(
        &create_room(&app, &alice, json!({"enable_sip": true})).await,
        "id",
    );
    let reply = event_info(&app, &rid, alice.auth()).await;
    assert_eq!(reply.error(), (StatusCode::NOT_FOUND, Some("not_found")));

    let event = add_event(&app, &alice, &rid, false).await;
    create_invite(&app, &alice, &rid, empty()).await;
    let reply = event_info(&app, &rid, alice.auth()).await;
    let expected = json!({
        "id": event, "room_id": rid, "title": "Planning", "is_adhoc": false, "e2e_encryption": false,
    });
    assert_eq!((reply.status, reply.body), (StatusCode::OK, expected));
    // Without call-in settings there is no number to show, so no call_in.
    execute(
        &app,
        "UPDATE events SET show_meeting_details = true WHERE room::text = $1",
        &rid,
    )
    .await;
    let reply = event_info(&app, &rid, alice.auth()).await;
    let details = &reply.body["meeting_details"];
    assert!(
        details["invite_code_id"].is_string() && details.get("call_in").is_none(),
        "{details}"
    );
    assert!(details.get("streaming_links").is_none(), "{details}");
}

fn with_call_in(settings: &mut conclave_api::Settings) {
    settings.call_in = Some(CallInSettings {
        tel: "+49301234567".into(),
        default_country_code: "DE".into(),
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn meeting_details_follow_codes_call_in_streams_and_encryption() {
    let app = spawn_app_with(with_call_in).await;
    let alice = login(&app, "alice").await;
    let rid = id(
        &create_room(&app, &alice, json!({"enable_sip": true})).await,
        "id",
    );
    add_event(&app, &alice, &rid, true).await;
    let details = |reply: &conclave_e2e::Reply| reply.body["meeting_details"].clone();
    // No code yet: only the call-in data is there.
    let seen = details(&event_info(&app, &rid, alice.auth()).await);
    assert!(
        seen.get("invite_code_id").is_none() && seen["call_in"].is_object(),
        "{seen}"
    );

    let first = id(
        &create_invite(&app, &alice, &rid, empty()).await,
        "invite_code",
    );
    let second = id(
        &create_invite(&app, &alice, &rid, empty()).await,
        "invite_code",
    );
    let put = json!({"expiration": "2999-01-01T00:00:00Z"}).to_string();
    let path = format!("/rooms/{rid}/invites/{first}");
    call(&app, Method::PUT, &path, alice.auth(), Some(&put)).await;
    let seen = details(&event_info(&app, &rid, Auth::Invite(&second)).await);
    assert_eq!(
        seen["invite_code_id"],
        first.as_str(),
        "the most recently updated valid code"
    );
    call(&app, Method::DELETE, &path, alice.auth(), None).await;
    let seen = details(&event_info(&app, &rid, alice.auth()).await);
    assert_eq!(
        seen["invite_code_id"],
        second.as_str(),
        "deleted codes are skipped (R-22)"
    );

    let room = room_row(&app, &rid).await;
    let mut conn = app.db.connect().await;
    let sip = conclave_db::models::sip_config::SipConfig::get_for_room(&mut conn, room.id)
        .await
        .unwrap();
    assert_eq!(
        seen["call_in"],
        json!({"tel": "+49301234567", "id": sip.sip_id, "password": sip.password})
    );
    NewRoomStreamingTarget {
        room_id: room.id,
        name: "Live".into(),
        kind: StreamingKind::Custom,
        streaming_endpoint: "https://ingest.example.com/".into(),
        streaming_key: "secret".into(),
        public_url: "https://watch.example.com/live".into(),
    }
    .insert(&mut conn)
    .await
    .unwrap();
    let seen = details(&event_info(&app, &rid, Auth::Invite(&second)).await);
    assert_eq!(
        seen["streaming_links"],
        json!([{"name": "Live", "url": "https://watch.example.com/live"}])
    );

    // The creator's tariff loses call-in: the data disappears.
    execute(
        &app,
        "UPDATE tariffs SET disabled_features = ARRAY[$1]::text[]",
        "core::call_in",
    )
    .await;
    let seen = details(&event_info(&app, &rid, alice.auth()).await);
    assert!(
        seen.get("call_in").is_none() && seen["streaming_links"].is_array(),
        "{seen}"
    );
    execute(
        &app,
        "UPDATE tariffs SET disabled_features = '{}' WHERE $1 = ''",
        "",
    )
    .await;
    assert!(details(&event_info(&app, &rid, alice.auth()).await)["call_in"].is_object());

    // End-to-end encryption hides call-in data and streaming links.
    let patch = call(
        &app,
        Method::PATCH,
        &format!("/rooms/{rid}"),
        alice.auth(),
        Some(r#"{"e2e_encryption": true}"#),
    )
    .await;
    assert_eq!(patch.status, StatusCode::OK);
    let reply = event_info(&app, &rid, alice.auth()).await;
    assert_eq!(reply.body["e2e_encryption"], true);
    assert_eq!(
        reply.body["meeting_details"],
        json!({"invite_code_id": second})
    );
}
