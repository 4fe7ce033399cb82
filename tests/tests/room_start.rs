//! `POST /v1/rooms/{id}/start`, `start_invited`, `/signaling` and
//! `/v1/turn` end to end (api.md §7.3, §7.13, rules.md §12, R-21): tickets
//! verify with the configured secret and carry room, participant and role.

#[path = "room_satellites/support.rs"]
mod support;

use conclave_api::ticket::{self, Participant, Role, TicketClaims, TicketSecret};
use conclave_db::models::event_invite::NewEventInvite;
use conclave_db::models::user::User;
use conclave_domain::ids::{RoomId, UserId};
use conclave_domain::invite::InviteRole;
use conclave_e2e::{Auth, Reply, call, login};
use conclave_e2e::{TestApp, rows, spawn_app, spawn_app_with};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::{RoomSpec, room};
use uuid::Uuid;

const SECRET: &str = "a-shared-secret-of-at-least-32-bytes!";

fn secret() -> TicketSecret {
    TicketSecret::try_from(SECRET.to_owned()).unwrap()
}

/// A server whose tickets are signed with [`SECRET`].
async fn app() -> TestApp {
    spawn_app_with(|s| s.signaling.ticket_secret = Some(secret())).await
}

/// Verifies the ticket of a 200 answer with an independently built key,
/// as another instance would.
fn claims(reply: &Reply) -> TicketClaims {
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let resumption = reply.body["resumption"].as_str().expect("resumption");
    let claims = ticket::verify(&secret(), reply.body["ticket"].as_str().unwrap()).unwrap();
    assert_eq!(claims.resumption, resumption);
    claims
}

/// Invites `invitee` to a new event in `room` with `role`, with room read.
async fn invite_to_event(
    app: &TestApp,
    owner: UserId,
    room: RoomId,
    invitee: UserId,
    role: InviteRole,
) {
    let mut conn = app.db.connect().await;
    let tenant = User::get(&mut conn, owner).await.unwrap().tenant_id;
    let event = rows::insert_event(&mut conn, tenant, room, owner).await;
    NewEventInvite::pending(event, invitee, owner, role)
        .insert(&mut conn)
        .await
        .unwrap();
    support::grant_room_read(app, invitee, room).await;
}

async fn start(app: &TestApp, room: impl std::fmt::Display, auth: Auth<'_>, body: &Value) -> Reply {
    let path = format!("/rooms/{room}/start");
    call(app, Method::POST, &path, auth, Some(&body.to_string())).await
}

async fn start_invited(app: &TestApp, room: impl std::fmt::Display, body: &Value) -> Reply {
    let path = format!("/rooms/{room}/start_invited");
    call(
        app,
        Method::POST,
        &path,
        Auth::Anonymous,
        Some(&body.to_string()),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registered_users_get_tickets_with_their_meeting_role() {
    let app = app().await;
    let (alice_token, alice) = login(&app, "alice").await.into_parts();
    let (bob_token, bob) = login(&app, "bob").await.into_parts();
    let (carol_token, carol) = login(&app, "carol").await.into_parts();
    let (dave_token, dave) = login(&app, "dave").await.into_parts();
    let password = Some("s3cret".to_owned());
    let room = room(
        &app,
        alice,
        RoomSpec {
            password,
            waiting_room: true,
            ..RoomSpec::default()
        },
    )
    .await;
    invite_to_event(&app, alice, room, bob, InviteRole::Moderator).await;
    let mut conn = app.db.connect().await;
    let event = conclave_db::models::event::Event::find_by_room(&mut conn, room)
        .await
        .unwrap()
        .unwrap();
    NewEventInvite::pending(event.id, carol, alice, InviteRole::User)
        .insert(&mut conn)
        .await
        .unwrap();
    support::grant_room_read(&app, carol, room).await;
    support::grant_room_read(&app, dave, room).await;

    // Registered users are never asked for the room password (rules.md §12.1).
    let cases = [
        (&alice_token, alice, Role::Moderator),
        (&bob_token, bob, Role::Moderator),
        (&carol_token, carol, Role::User),
        (&dave_token, dave, Role::User),
    ];
    for (token, user, role) in cases {
        let claims = claims(&start(&app, room, Auth::Bearer(token), &json!({})).await);
        assert_eq!(claims.room, Uuid::from(room));
        assert_eq!(claims.participant, Participant::User { id: user.into() });
        assert_eq!(claims.role, role, "{user}");
        assert!(claims.exp - claims.iat <= 60);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resumption_token_keeps_the_participant_id() {
    let app = app().await;
    let (token, alice) = login(&app, "alice").await.into_parts();
    let room = room(&app, alice, RoomSpec::default()).await;
    let auth = Auth::Bearer(&token);
    let first = start(&app, room, auth, &json!({})).await;
    let first_claims = claims(&first);
    let resumed = start(
        &app,
        room,
        auth,
        &json!({"resumption": first.body["resumption"]}),
    )
    .await;
    assert_eq!(claims(&resumed).participant_id, first_claims.participant_id);
    let fresh = start(&app, room, auth, &json!({"resumption": "garbage"})).await;
    assert_ne!(claims(&fresh).participant_id, first_claims.participant_id);
    let other_room = support::room(&app, alice, RoomSpec::default()).await;
    let moved = start(
        &app,
        other_room,
        auth,
        &json!({"resumption": first.body["resumption"]}),
    )
    .await;
    assert_ne!(claims(&moved).participant_id, first_claims.participant_id);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_refuses_breakout_rooms_strangers_and_bad_bodies() {
    let app = spawn_app().await;
    let (alice_token, alice) = login(&app, "alice").await.into_parts();
    let (bob_token, _) = login(&app, "bob").await.into_parts();
    let room = room(&app, alice, RoomSpec::default()).await;
    let alice_auth = Auth::Bearer(&alice_token);
    let breakout = start(
        &app,
        room,
        alice_auth,
        &json!({"breakout_room": Uuid::new_v4()}),
    )
    .await;
    assert_eq!(breakout.answer(), (400, Some("no_breakout_rooms")));
    let stranger = start(&app, room, Auth::Bearer(&bob_token), &json!({})).await;
    assert_eq!(stranger.answer(), (403, Some("forbidden")));
    let unknown = start(&app, support::unknown_room(), alice_auth, &json!({})).await;
    assert_eq!(unknown.answer(), (403, Some("forbidden")));
    let malformed = start(&app, "not-a-uuid", alice_auth, &json!({})).await;
    assert_eq!(malformed.answer(), (403, Some("forbidden")));
    let anonymous = start(&app, room, Auth::Anonymous, &json!({})).await;
    assert_eq!(anonymous.answer(), (401, Some("unauthorized")));
    let code = support::invite_code(&app, room, alice, None).await;
    let guest = start(&app, room, Auth::InviteCode(code), &json!({})).await;
    assert_eq!(guest.answer(), (403, Some("forbidden")));

    let path = format!("/rooms/{room}/start");
    let huge = format!(r#"{{"resumption":"{}"}}"#, "r".repeat(300_000));
    let bodies = [
        ("", "invalid_json"),
        ("{", "invalid_json"),
        (r#"{"breakout_room":"nope"}"#, "invalid_json"),
        (r#"{"resumption":5}"#, "invalid_json"),
        (huge.as_str(), "payload_overflow"),
    ];
    for (body, code) in bodies {
        let reply = call(&app, Method::POST, &path, alice_auth, Some(body)).await;
        assert_eq!(
            reply.answer(),
            (400, Some(code)),
            "{}",
            &body[..body.len().min(40)]
        );
    }
    let ok = start(&app, room, alice_auth, &json!({"breakout_room": null})).await;
    assert_eq!(ok.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guests_start_with_a_valid_code_of_the_room_and_its_password() {
    let app = app().await;
    let (_, alice) = login(&app, "alice").await.into_parts();
    let password = Some("s3cret".to_owned());
    let locked = room(
        &app,
        alice,
        RoomSpec {
            password,
            ..RoomSpec::default()
        },
    )
    .await;
    let open = support::room(&app, alice, RoomSpec::default()).await;
    let locked_code = support::invite_code(&app, locked, alice, None).await;
    let open_code = support::invite_code(&app, open, alice, None).await;

    let ok = start_invited(
        &app,
        open,
        &json!({"invite_code": open_code, "password": "ignored"}),
    )
    .await;
    let claims = claims(&ok);
    assert_eq!(claims.role, Role::Guest);
    assert_eq!(
        claims.participant,
        Participant::Guest {
            invite_code: open_code.into()
        }
    );
    assert_eq!(claims.room, Uuid::from(open));
    let resumed = json!({"invite_code": open_code, "resumption": ok.body["resumption"]});
    let resumed = start_invited(&app, open, &resumed).await;
    assert_eq!(self::claims(&resumed).participant_id, claims.participant_id);

    let good = start_invited(
        &app,
        locked,
        &json!({"invite_code": locked_code, "password": "s3cret"}),
    )
    .await;
    assert_eq!(self::claims(&good).room, Uuid::from(locked));
    for body in [
        json!({"invite_code": locked_code}),
        json!({"invite_code": locked_code, "password": "S3cret"}),
        json!({"invite_code": locked_code, "password": null}),
        // The password is checked before the breakout room.
        json!({"invite_code": locked_code, "password": "x", "breakout_room": Uuid::new_v4()}),
    ] {
        let reply = start_invited(&app, locked, &body).await;
        assert_eq!(reply.answer(), (401, Some("wrong_room_password")), "{body}");
        assert_eq!(
            reply.body["message"],
            "The provided password does not match the rooms password"
        );
    }
    let breakout = json!({"invite_code": open_code, "breakout_room": Uuid::new_v4()});
    let breakout = start_invited(&app, open, &breakout).await;
    assert_eq!(breakout.answer(), (400, Some("no_breakout_rooms")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guest_refusals_follow_the_documented_order() {
    let app = spawn_app().await;
    let (_, alice) = login(&app, "alice").await.into_parts();
    let room = room(&app, alice, RoomSpec::default()).await;
    let other = support::room(&app, alice, RoomSpec::default()).await;
    let past = chrono::Utc::now() - chrono::Duration::minutes(5);
    let future = chrono::Utc::now() + chrono::Duration::days(1);
    let expired = support::invite_code(&app, room, alice, Some(past)).await;
    let inactive = support::invite_code(&app, room, alice, None).await;
    support::deactivate_code(&app, room, inactive, alice).await;
    let foreign = support::invite_code(&app, other, alice, Some(future)).await;
    let foreign_expired = support::invite_code(&app, other, alice, Some(past)).await;

    let bad = start_invited(&app, room, &json!({"invite_code": "not-a-uuid"})).await;
    assert_eq!(bad.answer(), (422, Some("validation_failed")));
    assert_eq!(
        bad.body["validation_errors"],
        json!([{"field": "invite_code", "code": "invalid_value", "message": "Bad invite code format"}])
    );
    for code in [
        Uuid::new_v4(),
        expired.into(),
        inactive.into(),
        foreign_expired.into(),
    ] {
        let reply = start_invited(&app, room, &json!({"invite_code": code})).await;
        assert_eq!(reply.answer(), (404, Some("not_found")), "{code}");
    }
    let mismatch = start_invited(&app, room, &json!({"invite_code": foreign})).await;
    assert_eq!(mismatch.answer(), (400, Some("bad_request")));
    assert_eq!(mismatch.body["message"], "Room id mismatch");
    let unknown_room = start_invited(
        &app,
        support::unknown_room(),
        &json!({"invite_code": foreign}),
    )
    .await;
    assert_eq!(unknown_room.answer(), (400, Some("bad_request")));
    let malformed_room = start_invited(&app, "not-a-uuid", &json!({"invite_code": foreign})).await;
    assert_eq!(malformed_room.answer(), (404, Some("not_found")));

    let path = format!("/rooms/{room}/start_invited");
    let huge = format!(r#"{{"invite_code":"{}"}}"#, "x".repeat(300_000));
    let bodies = [
        ("{}".to_owned(), "invalid_json"),
        (r#"{"invite_code":5}"#.to_owned(), "invalid_json"),
        (
            json!({"invite_code": foreign, "password": ""}).to_string(),
            "invalid_json",
        ),
        (
            json!({"invite_code": foreign, "password": "p".repeat(256)}).to_string(),
            "invalid_json",
        ),
        (
            json!({"invite_code": foreign, "breakout_room": 1}).to_string(),
            "invalid_json",
        ),
        ("[".to_owned(), "invalid_json"),
        (huge, "payload_overflow"),
    ];
    for (body, code) in &bodies {
        let reply = call(&app, Method::POST, &path, Auth::Anonymous, Some(body)).await;
        assert_eq!(
            reply.answer(),
            (400, Some(*code)),
            "{}",
            &body[..body.len().min(60)]
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signaling_is_unavailable_and_turn_checks_credentials() {
    let app = spawn_app().await;
    let (token, alice) = login(&app, "alice").await.into_parts();
    let room = room(&app, alice, RoomSpec::default()).await;
    let code = support::invite_code(&app, room, alice, None).await;
    let protocol = "opentalk-signaling-json-v1.0, ticket#abc";
    for path in ["/signaling", "/v1/signaling"] {
        let url = format!("{}{path}", app.url);
        let plain = app.client.get(&url).send().await.unwrap();
        assert_eq!(plain.status(), StatusCode::BAD_REQUEST, "{path}");
        let body: Value = plain.json().await.unwrap();
        assert_eq!(body["code"], "bad_request");
        let upgrade = app
            .client
            .get(&url)
            .header("connection", "Upgrade")
            .header("upgrade", "websocket")
            .header("sec-websocket-version", "13")
            .header("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==")
            .header("sec-websocket-protocol", protocol)
            .send()
            .await
            .unwrap();
        assert_eq!(upgrade.status(), StatusCode::SERVICE_UNAVAILABLE, "{path}");
        let body: Value = upgrade.json().await.unwrap();
        assert_eq!(body["code"], "service_unavailable");
    }

    let turn = |auth| call(&app, Method::GET, "/turn", auth, None);
    assert_eq!(
        turn(Auth::Bearer(&token)).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        turn(Auth::InviteCode(code)).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        turn(Auth::Anonymous).await.answer(),
        (401, Some("unauthorized"))
    );
    assert_eq!(
        turn(Auth::Bearer("not.a.jwt")).await.answer(),
        (401, Some("unauthorized"))
    );
    assert_eq!(
        turn(Auth::InviteCode(Uuid::new_v4().into())).await.answer(),
        (401, Some("unauthorized"))
    );
    support::deactivate_code(&app, room, code, alice).await;
    assert_eq!(
        turn(Auth::InviteCode(code)).await.answer(),
        (401, Some("unauthorized"))
    );
}
