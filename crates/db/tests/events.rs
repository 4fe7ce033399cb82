//! Queries of `events`: CRUD, revisions, visibility and constraints.

use chrono::{TimeZone, Utc};
use conclave_db::DbError;
use conclave_db::models::event::{Event, RevisionUpdate, UpdateEvent};
use conclave_db::models::event_shared_folder::NewEventSharedFolder;
use conclave_db::models::room::Room;
use conclave_db::models::user::User;
use conclave_db::testing::event_fixtures::{event, event_at, new_event};
use conclave_db::testing::{fixtures, test_transaction};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

fn folder(event: &Event) -> NewEventSharedFolder {
    NewEventSharedFolder {
        event_id: event.id,
        path: format!("conclave/opentalk-event-{}", event.id),
        write_share_id: "w1".to_owned(),
        write_url: "https://cloud.example.org/s/w1".to_owned(),
        write_password: "wpass".to_owned(),
        read_share_id: "r1".to_owned(),
        read_url: "https://cloud.example.org/s/r1".to_owned(),
        read_password: "rpass".to_owned(),
    }
}

#[tokio::test]
async fn insert_read_and_update_bumps_the_revision() {
    let mut conn = test_transaction().await;
    let alice = fixtures::user(&mut conn).await;
    let bob = fixtures::user(&mut conn).await;
    let start = Utc.with_ymd_and_hms(2030, 1, 1, 10, 0, 0).unwrap();
    let event = event_at(&mut conn, &alice, Some(start)).await;
    assert_eq!(
        (event.revision, event.is_adhoc, event.show_meeting_details),
        (0, false, false)
    );
    assert_eq!(event.starts_at, Some(start));
    assert_eq!(event.created_at, event.updated_at);
    assert_eq!(Event::get(&mut conn, event.id).await.unwrap(), event);
    assert_eq!(
        Event::find_by_room(&mut conn, event.room).await.unwrap(),
        Some(event.clone())
    );
    let (read, room) = Event::get_with_room(&mut conn, event.id).await.unwrap();
    assert_eq!(
        (read, room.id, room.created_by),
        (event.clone(), event.room, alice.id)
    );
    // The locking read (inside the test's transaction) sees the same rows.
    let (locked, locked_room) = Event::lock_with_room(&mut conn, event.id).await.unwrap();
    assert_eq!((locked, locked_room), (event.clone(), room));

    let mut changes = UpdateEvent::by(bob.id);
    changes.title = Some("Renamed".to_owned());
    changes.starts_at = Some(None);
    changes.is_time_independent = Some(true);
    let updated = Event::update(&mut conn, event.id, changes).await.unwrap();
    assert_eq!(updated.title, "Renamed");
    assert_eq!(
        updated.starts_at, None,
        "Some(None) clears a nullable column"
    );
    assert_eq!(updated.ends_at, event.ends_at, "absent fields stay");
    assert_eq!((updated.updated_by, updated.created_by), (bob.id, alice.id));
    assert_eq!(updated.revision, 1);
    let again = Event::update(&mut conn, event.id, UpdateEvent::by(alice.id))
        .await
        .unwrap();
    assert_eq!(
        again.revision, 2,
        "every event-row update bumps the revision"
    );
    assert_eq!(again.title, "Renamed");
}

#[tokio::test]
async fn update_if_revision_detects_stale_writes() {
    let mut conn = test_transaction().await;
    let alice = fixtures::user(&mut conn).await;
    let event = event(&mut conn, &alice).await;
    let mut changes = UpdateEvent::by(alice.id);
    changes.is_adhoc = Some(true);
    let first = Event::update_if_revision(&mut conn, event.id, 0, changes.clone())
        .await
        .unwrap();
    let RevisionUpdate::Updated(updated) = first else {
        panic!("expected an update, got {first:?}");
    };
    assert_eq!((updated.revision, updated.is_adhoc), (1, true));

    let stale = Event::update_if_revision(&mut conn, event.id, 0, changes.clone()).await;
    assert_eq!(
        stale.unwrap(),
        RevisionUpdate::Stale {
            current_revision: 1
        }
    );
    assert_eq!(Event::get(&mut conn, event.id).await.unwrap().revision, 1);
    let missing = Event::update_if_revision(&mut conn, fixtures_event_id(), 0, changes).await;
    assert_eq!(missing.unwrap(), RevisionUpdate::NotFound);
    let plain = Event::update(&mut conn, fixtures_event_id(), UpdateEvent::by(alice.id)).await;
    assert!(matches!(plain, Err(DbError::NotFound)));
}

fn fixtures_event_id() -> conclave_domain::ids::EventId {
    conclave_domain::ids::EventId::generate()
}

#[tokio::test]
async fn events_of_disabled_creators_are_hidden() {
    let mut conn = test_transaction().await;
    let alice = fixtures::user(&mut conn).await;
    let event = event(&mut conn, &alice).await;
    User::disable(&mut conn, alice.id, Utc::now())
        .await
        .unwrap();
    assert!(matches!(
        Event::get(&mut conn, event.id).await,
        Err(DbError::NotFound)
    ));
    assert_eq!(Event::find(&mut conn, event.id).await.unwrap(), None);
    assert!(
        Event::list_by_ids(&mut conn, &[event.id])
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        Event::get_unfiltered(&mut conn, event.id).await.unwrap(),
        event
    );
    let with_room = Event::get_with_room(&mut conn, event.id).await;
    assert!(matches!(with_room, Err(DbError::NotFound)));
    let locked = Event::lock_with_room(&mut conn, event.id).await;
    assert!(matches!(locked, Err(DbError::NotFound)));
    User::enable(&mut conn, alice.id).await.unwrap();
    assert_eq!(
        Event::list_by_ids(&mut conn, &[event.id]).await.unwrap(),
        [event]
    );
}

#[tokio::test]
async fn a_room_belongs_to_at_most_one_event() {
    let mut conn = test_transaction().await;
    let alice = fixtures::user(&mut conn).await;
    let event = event(&mut conn, &alice).await;
    let second = new_event(&alice, event.room, None).insert(&mut conn).await;
    match second {
        Err(DbError::UniqueViolation { constraint }) => {
            assert_eq!(constraint.as_deref(), Some("events_room_key"))
        }
        other => panic!("expected a unique violation, got {other:?}"),
    }
}

#[tokio::test]
async fn the_room_of_an_event_cannot_be_deleted_directly() {
    let mut conn = test_transaction().await;
    let alice = fixtures::user(&mut conn).await;
    let event = event(&mut conn, &alice).await;
    let result = Room::delete(&mut conn, event.room).await;
    match result {
        Err(DbError::ForeignKeyViolation { constraint }) => {
            assert_eq!(constraint.as_deref(), Some("events_room_fkey"))
        }
        other => panic!("expected a foreign key violation, got {other:?}"),
    }
}

#[tokio::test]
async fn the_shared_folder_row_blocks_a_plain_event_delete() {
    let mut conn = test_transaction().await;
    let alice = fixtures::user(&mut conn).await;
    let event = event(&mut conn, &alice).await;
    folder(&event).insert(&mut conn).await.unwrap();
    let result = diesel::delete(conclave_db::schema::events::table.find(Uuid::from(event.id)))
        .execute(&mut conn)
        .await
        .map_err(DbError::from);
    match result {
        Err(DbError::ForeignKeyViolation { constraint }) => {
            assert_eq!(
                constraint.as_deref(),
                Some("event_shared_folders_event_id_fkey")
            )
        }
        other => panic!("expected a foreign key violation, got {other:?}"),
    }
}
