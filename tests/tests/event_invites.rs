//! Event invitations of registered users end to end (rules.md §7.3, §7.4,
//! §7.6, §7.7, api.md §7.10): inviting, answering, role changes, removal
//! with its access and favourite effects, and the documented
//! errors. Email invites and the list are in `event_invites_email.rs`.

#[path = "event_invites_support/helpers.rs"]
mod helpers;

use conclave_domain::access::Subject;
use conclave_domain::access::grants::{event_invitee, event_read, event_write};
use conclave_domain::ids::EventId;
use conclave_e2e::spawn_app;
use conclave_e2e::{call, count, execute, grant, login};
use helpers::{assert_post_conforms, invite, new_event, req, rules_on, view};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inviting_a_user_grants_access_once() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let bob = login(&app, "bob").await;
    let (event, room) = new_event(&app, &alice).await;
    assert_eq!(view(&app, &bob, &event).await.0, StatusCode::FORBIDDEN);

    let first = invite(&app, &alice, &event, json!({"invitee": bob.id})).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    assert_post_conforms(&first.body);
    assert_eq!(first.body[0]["id"], event.as_str());
    assert_eq!(first.body[0]["invitees"], json!([]));
    assert_eq!(
        view(&app, &bob, &event).await,
        (StatusCode::OK, json!("pending"))
    );
    assert_eq!(rules_on(&app, &bob, &event, &room).await, 15);
    let mut conn = app.db.connect().await;
    let rows = conclave_e2e::rows::event_invites_of(&mut conn, bob.id).await;
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].1, rows[0].2.as_str()), (alice.id, "user"));

    // Twice, or the creator: 204 and nothing stored.
    let again = invite(
        &app,
        &alice,
        &event,
        json!({"invitee": bob.id, "role": "moderator"}),
    )
    .await;
    assert_eq!(
        (again.status, again.body.clone()),
        (StatusCode::NO_CONTENT, Value::Null)
    );
    let me = invite(&app, &alice, &event, json!({"invitee": alice.id})).await;
    assert_eq!(me.status, StatusCode::NO_CONTENT);
    let rows = conclave_e2e::rows::event_invites_of(&mut conn, bob.id).await;
    assert_eq!((rows.len(), rows[0].2.as_str()), (1, "user"));
    let count_sql = "SELECT count(*) AS n FROM event_invites WHERE event_id::text = $1";
    assert_eq!(count(&app, count_sql, &event).await, 1);

    // Unknown and disabled users are 404; the invitee may not invite.
    let ghost = invite(&app, &alice, &event, json!({"invitee": Uuid::new_v4()})).await;
    assert_eq!(ghost.error(), (StatusCode::NOT_FOUND, Some("not_found")));
    let carol = login(&app, "carol").await;
    let sql = "UPDATE users SET disabled_since = now() WHERE id::text = $1";
    execute(&app, sql, &carol.id.to_string()).await;
    let disabled = invite(&app, &alice, &event, json!({"invitee": carol.id})).await;
    assert_eq!(disabled.status, StatusCode::NOT_FOUND);
    let by_bob = invite(&app, &bob, &event, json!({"invitee": alice.id})).await;
    assert_eq!(by_bob.error(), (StatusCode::FORBIDDEN, Some("forbidden")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_overwrite_the_status_and_keep_access() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let bob = login(&app, "bob").await;
    let carol = login(&app, "carol").await;
    let (event, room) = new_event(&app, &alice).await;
    invite(&app, &alice, &event, json!({"invitee": bob.id})).await;

    for (method, status) in [
        (Method::PATCH, "accepted"),
        (Method::DELETE, "declined"),
        (Method::DELETE, "declined"),
        (Method::PATCH, "accepted"),
        (Method::DELETE, "declined"),
    ] {
        let reply = req(&app, &bob, method.clone(), &event, "/invite", None).await;
        assert_eq!(
            reply.status,
            StatusCode::NO_CONTENT,
            "{method} {}",
            reply.body
        );
        // Declining removes no access (rules.md §7.3).
        assert_eq!(
            view(&app, &bob, &event).await,
            (StatusCode::OK, json!(status))
        );
    }
    assert_eq!(rules_on(&app, &bob, &event, &room).await, 15);
    // Re-inviting a declined invitee is 204 and keeps `declined`.
    let again = invite(&app, &alice, &event, json!({"invitee": bob.id})).await;
    assert_eq!(again.status, StatusCode::NO_CONTENT);
    assert_eq!(view(&app, &bob, &event).await.1, json!("declined"));

    // Without the invitee rule the ACL answers; with it but no row, 404.
    let denied = req(&app, &carol, Method::PATCH, &event, "/invite", None).await;
    assert_eq!(denied.error(), (StatusCode::FORBIDDEN, Some("forbidden")));
    let eid = EventId::from(Uuid::parse_str(&event).unwrap());
    grant(&app, event_invitee(&Subject::User(carol.id), eid)).await;
    for method in [Method::PATCH, Method::DELETE] {
        let reply = req(&app, &carol, method, &event, "/invite", None).await;
        assert_eq!(reply.error(), (StatusCode::NOT_FOUND, Some("not_found")));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn removal_revokes_the_invitee_not_the_remover() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let bob = login(&app, "bob").await;
    let (event, room) = new_event(&app, &alice).await;
    invite(&app, &alice, &event, json!({"invitee": bob.id})).await;
    for who in [&alice, &bob] {
        let path = format!("/users/me/event_favorites/{event}");
        let reply = call(&app, Method::PUT, &path, who.auth(), None).await;
        assert_eq!(reply.status, StatusCode::CREATED);
    }

    let path = format!("/invites/{}", bob.id);
    let removed = req(&app, &alice, Method::DELETE, &event, &path, None).await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT, "{}", removed.body);
    assert_eq!(view(&app, &bob, &event).await.0, StatusCode::FORBIDDEN);
    assert_eq!(rules_on(&app, &bob, &event, &room).await, 0);
    let favorites = "SELECT count(*) AS n FROM event_favorites WHERE event_id::text = $1";
    let sql = format!("{favorites} AND user_id = '{}'", bob.id);
    assert_eq!(count(&app, &sql, &event).await, 0);
    let sql = format!("{favorites} AND user_id = '{}'", alice.id);
    assert_eq!(count(&app, &sql, &event).await, 1);
    let get = req(&app, &alice, Method::GET, &event, "", None).await;
    assert_eq!(
        (get.status, get.body["is_favorite"].clone()),
        (StatusCode::OK, json!(true))
    );

    let twice = req(&app, &alice, Method::DELETE, &event, &path, None).await;
    assert_eq!(twice.error(), (StatusCode::NOT_FOUND, Some("not_found")));
    // Re-inviting after removal starts over as pending.
    let back = invite(&app, &alice, &event, json!({"invitee": bob.id})).await;
    assert_eq!(back.status, StatusCode::CREATED);
    assert_eq!(
        view(&app, &bob, &event).await,
        (StatusCode::OK, json!("pending"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_creator_changes_roles() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let bob = login(&app, "bob").await;
    let dave = login(&app, "dave").await;
    let (event, _) = new_event(&app, &alice).await;
    invite(&app, &alice, &event, json!({"invitee": bob.id})).await;
    let path = format!("/invites/{}", bob.id);

    let role = json!({"role": "moderator"});
    let ok = req(
        &app,
        &alice,
        Method::PATCH,
        &event,
        &path,
        Some(role.clone()),
    )
    .await;
    assert_eq!(ok.status, StatusCode::NO_CONTENT, "{}", ok.body);
    let list = req(&app, &alice, Method::GET, &event, "/invites", None).await;
    assert_eq!(list.body[0]["profile"]["role"], "moderator");
    let none = req(&app, &alice, Method::PATCH, &event, &path, Some(json!({}))).await;
    assert_eq!(none.status, StatusCode::NO_CONTENT);

    // The explicit creator check answers even when the ACL lets through.
    let eid = EventId::from(Uuid::parse_str(&event).unwrap());
    grant(&app, event_write(&Subject::User(dave.id), eid)).await;
    let by_dave = req(
        &app,
        &dave,
        Method::PATCH,
        &event,
        &path,
        Some(role.clone()),
    )
    .await;
    assert_eq!(by_dave.error(), (StatusCode::FORBIDDEN, Some("forbidden")));
    let by_bob = req(&app, &bob, Method::PATCH, &event, &path, Some(role.clone())).await;
    assert_eq!(by_bob.status, StatusCode::FORBIDDEN);

    let other = format!("/invites/{}", dave.id);
    let missing = req(&app, &alice, Method::PATCH, &event, &other, Some(role)).await;
    assert_eq!(missing.error(), (StatusCode::NOT_FOUND, Some("not_found")));
    let bad_role = req(
        &app,
        &alice,
        Method::PATCH,
        &event,
        &path,
        Some(json!({"role": "guest"})),
    )
    .await;
    assert_eq!(
        bad_role.error(),
        (StatusCode::BAD_REQUEST, Some("invalid_json"))
    );
    let raw = format!("/events/{event}{path}");
    let broken = call(&app, Method::PATCH, &raw, alice.auth(), Some("{\"role\":")).await;
    assert_eq!(
        broken.error(),
        (StatusCode::BAD_REQUEST, Some("invalid_json"))
    );
    let broken = call(
        &app,
        Method::POST,
        &format!("/events/{event}/invites"),
        alice.auth(),
        Some("["),
    )
    .await;
    assert_eq!(
        broken.error(),
        (StatusCode::BAD_REQUEST, Some("invalid_json"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_events_are_404_past_the_acl() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let bob = login(&app, "bob").await;
    let ghost = EventId::from(Uuid::new_v4());
    let me = Subject::User(alice.id);
    let mut rules = event_read(&me, ghost);
    rules.extend(event_write(&me, ghost));
    rules.extend(event_invitee(&me, ghost));
    grant(&app, rules).await;
    let event = Uuid::from(ghost).to_string();
    let user = format!("/invites/{}", bob.id);
    let email = json!({"email": "bob@example.org"});
    let cases = [
        (Method::GET, "/invites", None),
        (Method::POST, "/invites", Some(json!({"invitee": bob.id}))),
        (Method::PATCH, user.as_str(), Some(json!({"role": "user"}))),
        (Method::DELETE, user.as_str(), None),
        (Method::PATCH, "/invites/email", Some(email.clone())),
        (Method::DELETE, "/invites/email", Some(email)),
        (Method::PATCH, "/invite", None),
        (Method::DELETE, "/invite", None),
    ];
    for (method, suffix, body) in cases {
        let reply = req(&app, &alice, method.clone(), &event, suffix, body).await;
        assert_eq!(
            reply.error(),
            (StatusCode::NOT_FOUND, Some("not_found")),
            "{method} {suffix}"
        );
    }
    // A user id that is no UUID is a path error.
    let reply = req(&app, &alice, Method::DELETE, &event, "/invites/nope", None).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
}
