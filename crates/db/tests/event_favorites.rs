//! Queries of `event_favorites`.

use conclave_db::DbError;
use conclave_db::models::event_favorite::{EventFavorite, FavoritePut};
use conclave_db::models::user::User;
use conclave_db::paging::PageRequest;
use conclave_db::schema::events;
use conclave_db::testing::event_fixtures::event;
use conclave_db::testing::{fixtures, test_transaction};
use conclave_domain::ids::EventId;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

#[tokio::test]
async fn put_is_idempotent_and_delete_reports_missing_rows() {
    let mut conn = test_transaction().await;
    let alice = fixtures::user(&mut conn).await;
    let event = event(&mut conn, &alice).await;
    assert!(
        !EventFavorite::exists(&mut conn, alice.id, event.id)
            .await
            .unwrap()
    );
    let first = EventFavorite::put(&mut conn, alice.id, event.id)
        .await
        .unwrap();
    assert_eq!(first, FavoritePut::Created);
    let second = EventFavorite::put(&mut conn, alice.id, event.id)
        .await
        .unwrap();
    assert_eq!(second, FavoritePut::AlreadyExists);
    assert!(
        EventFavorite::exists(&mut conn, alice.id, event.id)
            .await
            .unwrap()
    );

    EventFavorite::delete(&mut conn, alice.id, event.id)
        .await
        .unwrap();
    assert!(
        !EventFavorite::exists(&mut conn, alice.id, event.id)
            .await
            .unwrap()
    );
    let again = EventFavorite::delete(&mut conn, alice.id, event.id).await;
    assert!(matches!(again, Err(DbError::NotFound)));
}

#[tokio::test]
async fn favourites_need_an_existing_event() {
    let mut conn = test_transaction().await;
    let alice = fixtures::user(&mut conn).await;
    let result = EventFavorite::put(&mut conn, alice.id, EventId::generate()).await;
    match result {
        Err(DbError::ForeignKeyViolation { constraint }) => {
            assert_eq!(constraint.as_deref(), Some("event_favorites_event_id_fkey"))
        }
        other => panic!("expected a foreign key violation, got {other:?}"),
    }
}

#[tokio::test]
async fn lists_are_per_user() {
    let mut conn = test_transaction().await;
    let alice = fixtures::user(&mut conn).await;
    let bob = fixtures::user(&mut conn).await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        let event = event(&mut conn, &alice).await;
        EventFavorite::put(&mut conn, alice.id, event.id)
            .await
            .unwrap();
        ids.push(event.id);
    }
    let bobs = ids[0];
    EventFavorite::put(&mut conn, bob.id, bobs).await.unwrap();
    ids.sort();
    let page = EventFavorite::list_for_user(&mut conn, alice.id, PageRequest::new(1, 2));
    let page = page.await.unwrap();
    assert_eq!((page.total, page.items), (3, ids[..2].to_vec()));
    let page = EventFavorite::list_for_user(&mut conn, bob.id, PageRequest::new(1, 10));
    assert_eq!(page.await.unwrap().total, 1);

    let other = event(&mut conn, &alice).await;
    let candidates = [ids[0], ids[1], ids[2], other.id];
    let among = EventFavorite::list_for_user_among(&mut conn, bob.id, &candidates);
    assert_eq!(among.await.unwrap(), [bobs]);
    let among = EventFavorite::list_for_user_among(&mut conn, alice.id, &[other.id]).await;
    assert!(among.unwrap().is_empty());
}

#[tokio::test]
async fn favourites_cascade_with_the_event_and_the_user() {
    let mut conn = test_transaction().await;
    let alice = fixtures::user(&mut conn).await;
    let bob = fixtures::user(&mut conn).await;
    let event = event(&mut conn, &alice).await;
    EventFavorite::put(&mut conn, alice.id, event.id)
        .await
        .unwrap();
    EventFavorite::put(&mut conn, bob.id, event.id)
        .await
        .unwrap();

    // Deleting the user removes only that user's favourite.
    User::delete(&mut conn, bob.id).await.unwrap();
    assert!(
        !EventFavorite::exists(&mut conn, bob.id, event.id)
            .await
            .unwrap()
    );
    assert!(
        EventFavorite::exists(&mut conn, alice.id, event.id)
            .await
            .unwrap()
    );

    diesel::delete(events::table.find(Uuid::from(event.id)))
        .execute(&mut conn)
        .await
        .unwrap();
    assert!(
        !EventFavorite::exists(&mut conn, alice.id, event.id)
            .await
            .unwrap()
    );
}
