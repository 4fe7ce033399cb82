//! Queries of `rooms` and the ON DELETE behaviour of the tables that refer
//! to rooms.

use conclave_db::DbError;
use conclave_db::models::asset::NewAsset;
use conclave_db::models::invite::{Invite, NewInvite};
use conclave_db::models::module_resource::NewModuleResource;
use conclave_db::models::room::{Room, UpdateRoom};
use conclave_db::models::room_streaming_target::{NewRoomStreamingTarget, RoomStreamingTarget};
use conclave_db::models::sip_config::{NewSipConfig, SipConfig};
use conclave_db::paging::PageRequest;
use conclave_db::testing::{fixtures, test_transaction};
use conclave_domain::ids::{AssetId, RoomId};
use conclave_domain::streaming::StreamingKind;

#[tokio::test]
async fn insert_read_update_and_delete() {
    let mut conn = test_transaction().await;
    let owner = fixtures::user(&mut conn).await;
    let mut new = fixtures::new_room(&owner);
    new.password = Some("secret".to_owned());
    new.waiting_room = true;
    let room = new.insert(&mut conn).await.unwrap();
    assert_eq!(
        (room.created_by, room.tenant_id),
        (owner.id, owner.tenant_id)
    );
    assert_eq!(room.password.as_deref(), Some("secret"));
    assert!(room.waiting_room && !room.e2e_encryption);
    assert_eq!(Room::get(&mut conn, room.id).await.unwrap(), room);
    assert_eq!(
        Room::find(&mut conn, room.id).await.unwrap(),
        Some(room.clone())
    );

    let changes = UpdateRoom {
        e2e_encryption: Some(true),
        ..UpdateRoom::default()
    };
    let updated = Room::update(&mut conn, room.id, changes).await.unwrap();
    assert!(updated.e2e_encryption);
    assert_eq!(updated.password.as_deref(), Some("secret"));
    let cleared = UpdateRoom {
        password: Some(None),
        waiting_room: Some(false),
        ..UpdateRoom::default()
    };
    let updated = Room::update(&mut conn, room.id, cleared).await.unwrap();
    assert_eq!((updated.password, updated.waiting_room), (None, false));

    Room::delete(&mut conn, room.id).await.unwrap();
    assert_eq!(Room::find(&mut conn, room.id).await.unwrap(), None);
    assert!(matches!(
        Room::get(&mut conn, room.id).await,
        Err(DbError::NotFound)
    ));
    assert!(matches!(
        Room::delete(&mut conn, room.id).await,
        Err(DbError::NotFound)
    ));
}

#[tokio::test]
async fn lists_by_ids_and_by_owner() {
    let mut conn = test_transaction().await;
    let owner = fixtures::user(&mut conn).await;
    let other = fixtures::user(&mut conn).await;
    let mut mine = Vec::new();
    for _ in 0..3 {
        mine.push(fixtures::room(&mut conn, &owner).await);
    }
    let theirs = fixtures::room(&mut conn, &other).await;

    let by_ids = Room::list_by_ids(&mut conn, &[mine[0].id, theirs.id, RoomId::generate()])
        .await
        .unwrap();
    let mut ids: Vec<RoomId> = by_ids.iter().map(|r| r.id).collect();
    ids.sort();
    let mut expected = vec![mine[0].id, theirs.id];
    expected.sort();
    assert_eq!(ids, expected);

    let page = Room::list_created_by(&mut conn, owner.id, PageRequest::new(1, 2))
        .await
        .unwrap();
    assert_eq!((page.total, page.items.len()), (3, 2));
    let rest = Room::list_created_by(&mut conn, owner.id, PageRequest::new(2, 2))
        .await
        .unwrap();
    assert_eq!(rest.items.len(), 1);
    let mut all: Vec<RoomId> = page.items.iter().chain(&rest.items).map(|r| r.id).collect();
    all.sort();
    let mut expected: Vec<RoomId> = mine.iter().map(|r| r.id).collect();
    expected.sort();
    assert_eq!(all, expected);
}

#[tokio::test]
async fn deleting_a_room_cascades_to_invites_streaming_targets_and_sip_config() {
    let mut conn = test_transaction().await;
    let owner = fixtures::user(&mut conn).await;
    let room = fixtures::room(&mut conn, &owner).await;
    let invite = NewInvite {
        created_by: owner.id,
        room: room.id,
        expiration: None,
    }
    .insert(&mut conn)
    .await
    .unwrap();
    let target = NewRoomStreamingTarget {
        room_id: room.id,
        name: "live".to_owned(),
        kind: StreamingKind::Custom,
        streaming_endpoint: "rtmp://example.org/live".to_owned(),
        streaming_key: "key".to_owned(),
        public_url: "https://example.org/watch".to_owned(),
    }
    .insert(&mut conn)
    .await
    .unwrap();
    NewSipConfig {
        room: room.id,
        sip_id: "1234567890".to_owned(),
        password: "0987654321".to_owned(),
        enable_lobby: false,
    }
    .upsert(&mut conn)
    .await
    .unwrap();

    Room::delete(&mut conn, room.id).await.unwrap();
    assert_eq!(Invite::find(&mut conn, invite.id).await.unwrap(), None);
    assert!(matches!(
        RoomStreamingTarget::get_for_room(&mut conn, room.id, target.id).await,
        Err(DbError::NotFound)
    ));
    assert_eq!(
        SipConfig::find_for_room(&mut conn, room.id).await.unwrap(),
        None
    );
}

#[tokio::test]
async fn a_room_with_module_resources_cannot_be_deleted() {
    let mut conn = test_transaction().await;
    let owner = fixtures::user(&mut conn).await;
    let room = fixtures::room(&mut conn, &owner).await;
    NewModuleResource {
        tenant_id: owner.tenant_id,
        room_id: room.id,
        created_by: owner.id,
        namespace: "ns".to_owned(),
        tag: None,
        data: serde_json::json!({}),
    }
    .insert(&mut conn)
    .await
    .unwrap();
    let err = Room::delete(&mut conn, room.id).await.unwrap_err();
    assert!(
        matches!(&err, DbError::ForeignKeyViolation { constraint: Some(c) } if c == "module_resources_room_id_fkey"),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_room_with_assets_cannot_be_deleted() {
    let mut conn = test_transaction().await;
    let owner = fixtures::user(&mut conn).await;
    let room = fixtures::room(&mut conn, &owner).await;
    NewAsset {
        id: AssetId::generate(),
        namespace: None,
        kind: "recording".to_owned(),
        filename: "a.mkv".to_owned(),
        tenant_id: owner.tenant_id,
        size: 1,
    }
    .insert_for_room(&mut conn, room.id)
    .await
    .unwrap();
    let err = Room::delete(&mut conn, room.id).await.unwrap_err();
    assert!(
        matches!(&err, DbError::ForeignKeyViolation { constraint: Some(c) } if c == "room_assets_room_id_fkey"),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_room_needs_an_existing_owner() {
    let mut conn = test_transaction().await;
    let owner = fixtures::user(&mut conn).await;
    let mut new = fixtures::new_room(&owner);
    new.created_by = conclave_domain::ids::UserId::generate();
    let err = new.insert(&mut conn).await.unwrap_err();
    assert!(
        matches!(&err, DbError::ForeignKeyViolation { constraint: Some(c) } if c == "rooms_created_by_fkey"),
        "{err:?}"
    );
}
