//! Queries of `event_shared_folders`.

use conclave_db::DbError;
use conclave_db::models::event::Event;
use conclave_db::models::event_shared_folder::{
    EventSharedFolder, NewEventSharedFolder, SharedFolderInsert,
};
use conclave_db::testing::event_fixtures::event;
use conclave_db::testing::{fixtures, test_transaction};
use conclave_domain::ids::EventId;

fn folder(event_id: EventId, share: &str) -> NewEventSharedFolder {
    NewEventSharedFolder {
        event_id,
        path: format!("conclave/opentalk-event-{event_id}"),
        write_share_id: format!("w-{share}"),
        write_url: format!("https://cloud.example.org/s/w-{share}"),
        write_password: "write-secret".to_owned(),
        read_share_id: format!("r-{share}"),
        read_url: format!("https://cloud.example.org/s/r-{share}"),
        read_password: "read-secret".to_owned(),
    }
}

#[tokio::test]
async fn insert_read_and_delete() {
    let mut conn = test_transaction().await;
    let alice = fixtures::user(&mut conn).await;
    let event = event(&mut conn, &alice).await;
    assert_eq!(
        EventSharedFolder::find(&mut conn, event.id).await.unwrap(),
        None
    );
    let missing = EventSharedFolder::get(&mut conn, event.id).await;
    assert!(matches!(missing, Err(DbError::NotFound)));

    let row = folder(event.id, "1").insert(&mut conn).await.unwrap();
    assert_eq!(row.read_url, "https://cloud.example.org/s/r-1");
    assert_eq!(
        (row.write_share_id.as_str(), row.read_password.as_str()),
        ("w-1", "read-secret")
    );
    assert_eq!(
        EventSharedFolder::get(&mut conn, event.id).await.unwrap(),
        row
    );
    let wanted = [event.id, EventId::generate()];
    let listed = EventSharedFolder::list_for_events(&mut conn, &wanted).await;
    assert_eq!(listed.unwrap(), [row]);

    EventSharedFolder::delete(&mut conn, event.id)
        .await
        .unwrap();
    assert_eq!(
        EventSharedFolder::find(&mut conn, event.id).await.unwrap(),
        None
    );
    let again = EventSharedFolder::delete(&mut conn, event.id).await;
    assert!(matches!(again, Err(DbError::NotFound)));
}

#[tokio::test]
async fn creation_is_idempotent() {
    let mut conn = test_transaction().await;
    let alice = fixtures::user(&mut conn).await;
    let event = event(&mut conn, &alice).await;
    let SharedFolderInsert::Inserted(first) = folder(event.id, "1")
        .insert_if_absent(&mut conn)
        .await
        .unwrap()
    else {
        panic!("expected an insert");
    };
    let second = folder(event.id, "2")
        .insert_if_absent(&mut conn)
        .await
        .unwrap();
    assert_eq!(
        second,
        SharedFolderInsert::AlreadyExists(first.clone()),
        "returned unchanged"
    );
    match folder(event.id, "3").insert(&mut conn).await {
        Err(DbError::UniqueViolation { constraint }) => {
            assert_eq!(constraint.as_deref(), Some("event_shared_folders_pkey"))
        }
        other => panic!("expected a unique violation, got {other:?}"),
    }
}

#[tokio::test]
async fn upsert_inserts_or_replaces() {
    let mut conn = test_transaction().await;
    let alice = fixtures::user(&mut conn).await;
    let event = event(&mut conn, &alice).await;
    let inserted = folder(event.id, "1").upsert(&mut conn).await.unwrap();
    assert_eq!(inserted.write_share_id, "w-1");
    let replaced = folder(event.id, "2").upsert(&mut conn).await.unwrap();
    assert_eq!(
        (
            replaced.write_share_id.as_str(),
            replaced.read_share_id.as_str()
        ),
        ("w-2", "r-2")
    );
    assert_eq!(replaced.created_at, inserted.created_at);
    assert_eq!(
        EventSharedFolder::get(&mut conn, event.id).await.unwrap(),
        replaced
    );
}

#[tokio::test]
async fn folders_need_an_existing_event_and_go_with_the_deleter() {
    let mut conn = test_transaction().await;
    let orphan = folder(EventId::generate(), "x").insert(&mut conn).await;
    match orphan {
        Err(DbError::ForeignKeyViolation { constraint }) => {
            assert_eq!(
                constraint.as_deref(),
                Some("event_shared_folders_event_id_fkey")
            )
        }
        other => panic!("expected a foreign key violation, got {other:?}"),
    }
    let mut conn = test_transaction().await;
    let alice = fixtures::user(&mut conn).await;
    let event = event(&mut conn, &alice).await;
    folder(event.id, "1").insert(&mut conn).await.unwrap();
    // The deleter removes the row first, so the event goes.
    let deleted = Event::delete_cascade(&mut conn, event.id).await.unwrap();
    assert_eq!(deleted.shared_folder.map(|f| f.event_id), Some(event.id));
    assert_eq!(
        EventSharedFolder::find(&mut conn, event.id).await.unwrap(),
        None
    );
}
