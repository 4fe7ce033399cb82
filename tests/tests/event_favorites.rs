//! `PUT|DELETE /v1/users/me/event_favorites/{event_id}` end to end
//! (api.md §7.2, rules.md §15): the real server, ACL and database.

#[path = "meeting_extras_support/setup.rs"]
mod setup;

use conclave_db::models::event_favorite::EventFavorite;
use conclave_domain::access::create_event;
use conclave_domain::ids::{EventId, RoomId};
use conclave_domain::invite::EventInviteStatus;
use conclave_e2e::spawn_app;
use reqwest::Method;
use setup::{answer, call, disable, invite, meeting, person};

fn favorite_path(event: impl std::fmt::Display) -> String {
    format!("/users/me/event_favorites/{event}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn put_inserts_once_and_delete_removes_once() {
    let app = spawn_app().await;
    let alice = person(&app, "alice").await;
    let bob = person(&app, "bob").await;
    let m = meeting(&app, &alice).await;
    invite(&app, m, &alice, &bob, EventInviteStatus::Pending).await;
    let path = favorite_path(m.event);
    let mut conn = app.db.connect().await;
    for who in [&alice, &bob] {
        let token = Some(who.token.as_str());
        let first = call(&app, Method::PUT, &path, token).await;
        assert_eq!(first.0.as_u16(), 201, "first put");
        assert!(first.1.is_null(), "201 has no body");
        assert!(
            EventFavorite::exists(&mut conn, who.id, m.event)
                .await
                .unwrap()
        );
        let second = call(&app, Method::PUT, &path, token).await;
        assert_eq!(second.0.as_u16(), 204, "second put");
        let removed = call(&app, Method::DELETE, &path, token).await;
        assert_eq!(removed.0.as_u16(), 204, "delete");
        assert!(
            !EventFavorite::exists(&mut conn, who.id, m.event)
                .await
                .unwrap()
        );
        let again = call(&app, Method::DELETE, &path, token).await;
        assert_eq!(answer(&again), (404, Some("not_found")), "delete again");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn favourites_are_per_user() {
    let app = spawn_app().await;
    let alice = person(&app, "alice").await;
    let bob = person(&app, "bob").await;
    let m = meeting(&app, &alice).await;
    invite(&app, m, &alice, &bob, EventInviteStatus::Accepted).await;
    let path = favorite_path(m.event);
    let put = call(&app, Method::PUT, &path, Some(&alice.token)).await;
    assert_eq!(put.0.as_u16(), 201);
    // Bob's favourite is a row of its own: alice's does not count for him.
    let bob_delete = call(&app, Method::DELETE, &path, Some(&bob.token)).await;
    assert_eq!(answer(&bob_delete), (404, Some("not_found")));
    let bob_put = call(&app, Method::PUT, &path, Some(&bob.token)).await;
    assert_eq!(bob_put.0.as_u16(), 201);
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
    let alice = person(&app, "alice").await;
    let mallory = person(&app, "mallory").await;
    let m = meeting(&app, &alice).await;
    let path = favorite_path(m.event);
    for method in [Method::PUT, Method::DELETE] {
        let foreign = call(&app, method.clone(), &path, Some(&mallory.token)).await;
        assert_eq!(
            answer(&foreign),
            (403, Some("forbidden")),
            "{method} foreign"
        );
        let anonymous = call(&app, method.clone(), &path, None).await;
        assert_eq!(
            answer(&anonymous),
            (401, Some("unauthorized")),
            "{method} anon"
        );
        let bad_token = call(&app, method.clone(), &path, Some("not-a-jwt")).await;
        assert_eq!(bad_token.0.as_u16(), 401, "{method} bad token");
        // The ACL answers before the handler: no rule names these paths.
        for bad in ["not-a-uuid", "123", &uuid::Uuid::new_v4().to_string()] {
            let result = call(
                &app,
                method.clone(),
                &favorite_path(bad),
                Some(&alice.token),
            )
            .await;
            assert_eq!(answer(&result), (403, Some("forbidden")), "{method} {bad}");
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
    let alice = person(&app, "alice").await;
    let bob = person(&app, "bob").await;
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
    let ghost_put = call(&app, Method::PUT, &favorite_path(ghost), Some(&alice.token)).await;
    assert_eq!(answer(&ghost_put), (404, Some("not_found")));
    let ghost_delete = call(
        &app,
        Method::DELETE,
        &favorite_path(ghost),
        Some(&alice.token),
    )
    .await;
    assert_eq!(answer(&ghost_delete), (404, Some("not_found")));

    let m = meeting(&app, &alice).await;
    invite(&app, m, &alice, &bob, EventInviteStatus::Pending).await;
    let path = favorite_path(m.event);
    assert_eq!(
        call(&app, Method::PUT, &path, Some(&bob.token))
            .await
            .0
            .as_u16(),
        201
    );
    disable(&app, alice.id).await;
    let hidden = call(&app, Method::PUT, &path, Some(&bob.token)).await;
    assert_eq!(
        answer(&hidden),
        (404, Some("not_found")),
        "disabled creator"
    );
    // Removing an existing favourite still works: only PUT checks the event.
    let removed = call(&app, Method::DELETE, &path, Some(&bob.token)).await;
    assert_eq!(removed.0.as_u16(), 204);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_the_event_removes_its_favourites() {
    use conclave_db::schema::events;
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    let app = spawn_app().await;
    let alice = person(&app, "alice").await;
    let m = meeting(&app, &alice).await;
    let path = favorite_path(m.event);
    assert_eq!(
        call(&app, Method::PUT, &path, Some(&alice.token))
            .await
            .0
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
    let gone = call(&app, Method::DELETE, &path, Some(&alice.token)).await;
    assert_eq!(answer(&gone), (404, Some("not_found")));
}
