//! `PUT|DELETE /v1/users/me/event_favorites/{event_id}` end to end
//! (api.md §7.2, rules.md §15): the real server, ACL and database.

#[path = "meeting_extras_support/setup.rs"]
mod setup;

use conclave_db::models::event_favorite::EventFavorite;
use conclave_domain::access::create_event;
use conclave_domain::ids::{EventId, RoomId};
use conclave_domain::invite::EventInviteStatus;
use conclave_e2e::spawn_app;
use conclave_e2e::{Auth, call, login};
use reqwest::Method;
use setup::{disable, invite, meeting};

fn favorite_path(event: impl std::fmt::Display) -> String {
    format!("/users/me/event_favorites/{event}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn put_inserts_once_and_delete_removes_once() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let bob = login(&app, "bob").await;
    let m = meeting(&app, &alice).await;
    invite(&app, m, &alice, &bob, EventInviteStatus::Pending).await;
    let path = favorite_path(m.event);
    let mut conn = app.db.connect().await;
    for who in [&alice, &bob] {
        let auth = who.auth();
        let first = call(&app, Method::PUT, &path, auth, None).await;
        assert_eq!(first.status.as_u16(), 201, "first put");
        assert!(first.body.is_null(), "201 has no body");
        assert!(
            EventFavorite::exists(&mut conn, who.id, m.event)
                .await
                .unwrap()
        );
        let second = call(&app, Method::PUT, &path, auth, None).await;
        assert_eq!(second.status.as_u16(), 204, "second put");
        let removed = call(&app, Method::DELETE, &path, auth, None).await;
        assert_eq!(removed.status.as_u16(), 204, "delete");
        assert!(
            !EventFavorite::exists(&mut conn, who.id, m.event)
                .await
                .unwrap()
        );
        let again = call(&app, Method::DELETE, &path, auth, None).await;
        assert_eq!(again.answer(), (404, Some("not_found")), "delete again");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn favourites_are_per_user() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let bob = login(&app, "bob").await;
    let m = meeting(&app, &alice).await;
    invite(&app, m, &alice, &bob, EventInviteStatus::Accepted).await;
    let path = favorite_path(m.event);
    let put = call(&app, Method::PUT, &path, alice.auth(), None).await;
    assert_eq!(put.status.as_u16(), 201);
    // Bob's favourite is a row of its own: alice's does not count for him.
    let bob_delete = call(&app, Method::DELETE, &path, bob.auth(), None).await;
    assert_eq!(bob_delete.answer(), (404, Some("not_found")));
    let bob_put = call(&app, Method::PUT, &path, bob.auth(), None).await;
    assert_eq!(bob_put.status.as_u16(), 201);
    let mut conn = app.db.connect().await;
    assert!(
        EventFavorite::exists(&mut conn, alice.id, m.event)
            .await
            .unwrap()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strangers_guests_and_bad_ids_are_refused() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let mallory = login(&app, "mallory").await;
    let m = meeting(&app, &alice).await;
    let path = favorite_path(m.event);
    for method in [Method::PUT, Method::DELETE] {
        let foreign = call(&app, method.clone(), &path, mallory.auth(), None).await;
        assert_eq!(
            foreign.answer(),
            (403, Some("forbidden")),
            "{method} foreign"
        );
        let anonymous = call(&app, method.clone(), &path, Auth::Anonymous, None).await;
        assert_eq!(
            anonymous.answer(),
            (401, Some("unauthorized")),
            "{method} anon"
        );
        let bad_token = call(&app, method.clone(), &path, Auth::Bearer("not-a-jwt"), None).await;
        assert_eq!(bad_token.status.as_u16(), 401, "{method} bad token");
        // The ACL answers before the handler: no rule names these paths.
        for bad in ["not-a-uuid", "123", &uuid::Uuid::new_v4().to_string()] {
            let result = call(
                &app,
                method.clone(),
                &favorite_path(bad),
                alice.auth(),
                None,
            )
            .await;
            assert_eq!(result.answer(), (403, Some("forbidden")), "{method} {bad}");
        }
    }
    let mut conn = app.db.connect().await;
    assert!(
        !EventFavorite::exists(&mut conn, mallory.id, m.event)
            .await
            .unwrap()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_events_and_disabled_creators_are_not_found() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let bob = login(&app, "bob").await;
    // Rules for an event that does not exist: the handler must say 404.
    let ghost = EventId::from(uuid::Uuid::new_v4());
    app.state
        .authz
        .apply(&create_event(
            alice.id,
            ghost,
            RoomId::from(uuid::Uuid::new_v4()),
        ))
        .await
        .unwrap();
    let ghost_put = call(&app, Method::PUT, &favorite_path(ghost), alice.auth(), None).await;
    assert_eq!(ghost_put.answer(), (404, Some("not_found")));
    let ghost_delete = call(
        &app,
        Method::DELETE,
        &favorite_path(ghost),
        alice.auth(),
        None,
    )
    .await;
    assert_eq!(ghost_delete.answer(), (404, Some("not_found")));

    let m = meeting(&app, &alice).await;
    invite(&app, m, &alice, &bob, EventInviteStatus::Pending).await;
    let path = favorite_path(m.event);
    assert_eq!(
        call(&app, Method::PUT, &path, bob.auth(), None)
            .await
            .status
            .as_u16(),
        201
    );
    disable(&app, alice.id).await;
    let hidden = call(&app, Method::PUT, &path, bob.auth(), None).await;
    assert_eq!(
        hidden.answer(),
        (404, Some("not_found")),
        "disabled creator"
    );
    // Removing an existing favourite still works: only PUT checks the event.
    let removed = call(&app, Method::DELETE, &path, bob.auth(), None).await;
    assert_eq!(removed.status.as_u16(), 204);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_the_event_removes_its_favourites() {
    use conclave_db::schema::events;
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let m = meeting(&app, &alice).await;
    let path = favorite_path(m.event);
    assert_eq!(
        call(&app, Method::PUT, &path, alice.auth(), None)
            .await
            .status
            .as_u16(),
        201
    );
    let mut conn = app.db.connect().await;
    diesel::delete(events::table.find(uuid::Uuid::from(m.event)))
        .execute(&mut conn)
        .await
        .unwrap();
    assert!(
        !EventFavorite::exists(&mut conn, alice.id, m.event)
            .await
            .unwrap()
    );
    let gone = call(&app, Method::DELETE, &path, alice.auth(), None).await;
    assert_eq!(gone.answer(), (404, Some("not_found")));
}
