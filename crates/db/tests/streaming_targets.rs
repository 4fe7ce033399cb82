//! Queries of `room_streaming_targets`.

use conclave_db::DbError;
use conclave_db::models::room::Room;
use conclave_db::models::room_streaming_target::{
    NewRoomStreamingTarget, RoomStreamingTarget, UpdateRoomStreamingTarget,
};
use conclave_db::paging::PageRequest;
use conclave_db::testing::{fixtures, test_transaction};
use conclave_domain::ids::{RoomId, StreamingTargetId};
use conclave_domain::streaming::StreamingKind;

fn target(room: RoomId, name: &str) -> NewRoomStreamingTarget {
    NewRoomStreamingTarget {
        room_id: room,
        name: name.to_owned(),
        kind: StreamingKind::Custom,
        streaming_endpoint: "rtmp://example.org/live".to_owned(),
        streaming_key: format!("key-{name}"),
        public_url: format!("https://example.org/{name}"),
    }
}

#[tokio::test]
async fn insert_read_update_and_delete() {
    let mut conn = test_transaction().await;
    let owner = fixtures::user(&mut conn).await;
    let room = fixtures::room(&mut conn, &owner).await;
    let row = target(room.id, "main").insert(&mut conn).await.unwrap();
    assert_eq!(
        (row.room_id, row.name.as_str(), row.kind),
        (room.id, "main", StreamingKind::Custom)
    );
    assert_eq!(
        RoomStreamingTarget::get_for_room(&mut conn, room.id, row.id)
            .await
            .unwrap(),
        row
    );

    let changes = UpdateRoomStreamingTarget {
        name: Some("renamed".to_owned()),
        streaming_key: Some("new-key".to_owned()),
        ..UpdateRoomStreamingTarget::default()
    };
    let updated = RoomStreamingTarget::update(&mut conn, room.id, row.id, changes)
        .await
        .unwrap();
    assert_eq!(
        (updated.name.as_str(), updated.streaming_key.as_str()),
        ("renamed", "new-key")
    );
    assert_eq!(updated.public_url, row.public_url);
    let same = RoomStreamingTarget::update(&mut conn, room.id, row.id, Default::default())
        .await
        .unwrap();
    assert_eq!(same, updated);

    RoomStreamingTarget::delete(&mut conn, room.id, row.id)
        .await
        .unwrap();
    assert!(matches!(
        RoomStreamingTarget::get_for_room(&mut conn, room.id, row.id).await,
        Err(DbError::NotFound)
    ));
    assert!(matches!(
        RoomStreamingTarget::delete(&mut conn, room.id, row.id).await,
        Err(DbError::NotFound)
    ));
}

#[tokio::test]
async fn every_streaming_kind_round_trips() {
    let mut conn = test_transaction().await;
    let owner = fixtures::user(&mut conn).await;
    let room = fixtures::room(&mut conn, &owner).await;
    let row = target(room.id, "kinds").insert(&mut conn).await.unwrap();
    for &kind in StreamingKind::ALL {
        let mut new = target(room.id, kind.as_str());
        new.kind = kind;
        assert_eq!(new.insert(&mut conn).await.unwrap().kind, kind);
        let changes = UpdateRoomStreamingTarget {
            kind: Some(kind),
            ..UpdateRoomStreamingTarget::default()
        };
        let updated = RoomStreamingTarget::update(&mut conn, room.id, row.id, changes)
            .await
            .unwrap();
        assert_eq!(updated.kind, kind);
    }
}

#[tokio::test]
async fn targets_of_another_room_are_not_found() {
    let mut conn = test_transaction().await;
    let owner = fixtures::user(&mut conn).await;
    let room = fixtures::room(&mut conn, &owner).await;
    let other = fixtures::room(&mut conn, &owner).await;
    let row = target(room.id, "mine").insert(&mut conn).await.unwrap();
    assert!(matches!(
        RoomStreamingTarget::get_for_room(&mut conn, other.id, row.id).await,
        Err(DbError::NotFound)
    ));
    let changes = UpdateRoomStreamingTarget {
        name: Some("stolen".to_owned()),
        ..UpdateRoomStreamingTarget::default()
    };
    assert!(matches!(
        RoomStreamingTarget::update(&mut conn, other.id, row.id, changes).await,
        Err(DbError::NotFound)
    ));
    assert!(matches!(
        RoomStreamingTarget::delete(&mut conn, other.id, row.id).await,
        Err(DbError::NotFound)
    ));
    assert!(matches!(
        RoomStreamingTarget::get_for_room(&mut conn, room.id, StreamingTargetId::generate()).await,
        Err(DbError::NotFound)
    ));
    assert_eq!(
        RoomStreamingTarget::get_for_room(&mut conn, room.id, row.id)
            .await
            .unwrap(),
        row
    );
}

#[tokio::test]
async fn lists_page_by_name_and_replace_swaps_all_targets() {
    let mut conn = test_transaction().await;
    let owner = fixtures::user(&mut conn).await;
    let room = fixtures::room(&mut conn, &owner).await;
    for name in ["c", "a", "b"] {
        target(room.id, name).insert(&mut conn).await.unwrap();
    }
    let page = RoomStreamingTarget::list_for_room(&mut conn, room.id, PageRequest::new(2, 2))
        .await
        .unwrap();
    assert_eq!(page.total, 3);
    assert_eq!(
        page.items
            .iter()
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>(),
        ["c"]
    );

    let other = fixtures::room(&mut conn, &owner).await;
    // The room id of each entry is overwritten with the target room.
    let replaced = RoomStreamingTarget::replace_for_room(
        &mut conn,
        room.id,
        vec![target(other.id, "y"), target(room.id, "x")],
    )
    .await
    .unwrap();
    assert!(replaced.iter().all(|t| t.room_id == room.id));
    let all = RoomStreamingTarget::list_all_for_room(&mut conn, room.id)
        .await
        .unwrap();
    assert_eq!(
        all.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        ["x", "y"]
    );
    assert!(
        RoomStreamingTarget::list_all_for_room(&mut conn, other.id)
            .await
            .unwrap()
            .is_empty()
    );

    RoomStreamingTarget::replace_for_room(&mut conn, room.id, Vec::new())
        .await
        .unwrap();
    assert!(
        RoomStreamingTarget::list_all_for_room(&mut conn, room.id)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn targets_go_with_their_room() {
    let mut conn = test_transaction().await;
    let owner = fixtures::user(&mut conn).await;
    let room = fixtures::room(&mut conn, &owner).await;
    target(room.id, "gone").insert(&mut conn).await.unwrap();
    Room::delete(&mut conn, room.id).await.unwrap();
    let page = RoomStreamingTarget::list_for_room(&mut conn, room.id, PageRequest::new(1, 10))
        .await
        .unwrap();
    assert_eq!(page.total, 0);
}
