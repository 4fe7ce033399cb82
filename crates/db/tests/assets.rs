//! Queries of `assets` and `room_assets`.

use conclave_db::models::asset::{Asset, AssetSort, NewAsset};
use conclave_db::models::room_asset::RoomAsset;
use conclave_db::models::tenant::Tenant;
use conclave_db::paging::PageRequest;
use conclave_db::testing::{fixtures, test_transaction};
use conclave_db::{DbConnection, DbError};
use conclave_domain::ids::{AssetId, RoomId, TenantId};

fn new_asset(tenant: TenantId, size: i64) -> NewAsset {
    NewAsset {
        id: AssetId::generate(),
        namespace: Some("recording".to_owned()),
        kind: "record".to_owned(),
        filename: "meeting.mkv".to_owned(),
        tenant_id: tenant,
        size,
    }
}

async fn asset_in(conn: &mut DbConnection, room: RoomId, tenant: TenantId, size: i64) -> Asset {
    new_asset(tenant, size)
        .insert_for_room(conn, room)
        .await
        .unwrap()
}

#[tokio::test]
async fn insert_read_update_and_delete() {
    let mut conn = test_transaction().await;
    let owner = fixtures::user(&mut conn).await;
    let room = fixtures::room(&mut conn, &owner).await;
    let new = new_asset(owner.tenant_id, 10);
    let id = new.id;
    let asset = new.insert_for_room(&mut conn, room.id).await.unwrap();
    assert_eq!(
        (asset.id, asset.size, asset.tenant_id),
        (id, 10, owner.tenant_id)
    );
    assert_eq!(Asset::get(&mut conn, id).await.unwrap(), asset);
    assert_eq!(
        Asset::get_for_room(&mut conn, room.id, id).await.unwrap(),
        asset
    );
    assert_eq!(
        RoomAsset::find_room_of(&mut conn, id).await.unwrap(),
        Some(room.id)
    );
    assert_eq!(
        RoomAsset::list_asset_ids(&mut conn, room.id).await.unwrap(),
        vec![id]
    );

    let resized = Asset::update_size(&mut conn, id, 0).await.unwrap();
    assert_eq!(resized.size, 0);
    assert!(resized.updated_at >= asset.updated_at);

    // Deleting the asset removes its room link (CASCADE).
    Asset::delete(&mut conn, id).await.unwrap();
    assert!(matches!(
        Asset::get(&mut conn, id).await,
        Err(DbError::NotFound)
    ));
    assert_eq!(RoomAsset::find_room_of(&mut conn, id).await.unwrap(), None);
    assert!(matches!(
        Asset::delete(&mut conn, id).await,
        Err(DbError::NotFound)
    ));
}

#[tokio::test]
async fn a_negative_size_is_a_check_violation() {
    let mut conn = test_transaction().await;
    let tenant = fixtures::default_tenant(&mut conn).await;
    let err = new_asset(tenant.id, -1)
        .insert(&mut conn)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, DbError::CheckViolation { constraint: Some(c) } if c == "assets_size_check"),
        "{err:?}"
    );
}

#[tokio::test]
async fn an_asset_id_is_unique_and_belongs_to_one_room() {
    let mut conn = test_transaction().await;
    let owner = fixtures::user(&mut conn).await;
    let room = fixtures::room(&mut conn, &owner).await;
    let other = fixtures::room(&mut conn, &owner).await;
    let asset = asset_in(&mut conn, room.id, owner.tenant_id, 1).await;
    let err = RoomAsset {
        room_id: other.id,
        asset_id: asset.id,
    }
    .insert(&mut conn)
    .await
    .unwrap_err();
    assert!(
        matches!(&err, DbError::UniqueViolation { constraint: Some(c) } if c == "room_assets_asset_id_key"),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_duplicate_asset_id_is_a_unique_violation_and_nothing_is_linked() {
    let mut conn = test_transaction().await;
    let owner = fixtures::user(&mut conn).await;
    let room = fixtures::room(&mut conn, &owner).await;
    let asset = asset_in(&mut conn, room.id, owner.tenant_id, 1).await;
    let mut again = new_asset(owner.tenant_id, 1);
    again.id = asset.id;
    let err = again.insert(&mut conn).await.unwrap_err();
    assert!(
        matches!(&err, DbError::UniqueViolation { constraint: Some(c) } if c == "assets_pkey"),
        "{err:?}"
    );
}

#[tokio::test]
async fn room_scoped_delete_refuses_assets_of_other_rooms() {
    let mut conn = test_transaction().await;
    let owner = fixtures::user(&mut conn).await;
    let room = fixtures::room(&mut conn, &owner).await;
    let other = fixtures::room(&mut conn, &owner).await;
    let asset = asset_in(&mut conn, room.id, owner.tenant_id, 1).await;
    assert!(matches!(
        Asset::get_for_room(&mut conn, other.id, asset.id).await,
        Err(DbError::NotFound)
    ));
    assert!(matches!(
        Asset::delete_for_room(&mut conn, other.id, asset.id).await,
        Err(DbError::NotFound)
    ));
    assert!(Asset::get(&mut conn, asset.id).await.is_ok());
    Asset::delete_for_room(&mut conn, room.id, asset.id)
        .await
        .unwrap();
    assert!(matches!(
        Asset::get(&mut conn, asset.id).await,
        Err(DbError::NotFound)
    ));
}

#[tokio::test]
async fn lists_and_storage_usage_follow_the_room_creator() {
    let mut conn = test_transaction().await;
    let owner = fixtures::user(&mut conn).await;
    let stranger = fixtures::user(&mut conn).await;
    let room_a = fixtures::room(&mut conn, &owner).await;
    let room_b = fixtures::room(&mut conn, &owner).await;
    let foreign = fixtures::room(&mut conn, &stranger).await;
    assert_eq!(
        Asset::sum_size_for_rooms_created_by(&mut conn, owner.id)
            .await
            .unwrap(),
        0
    );

    asset_in(&mut conn, room_a.id, owner.tenant_id, 100).await;
    asset_in(&mut conn, room_a.id, owner.tenant_id, 20).await;
    asset_in(&mut conn, room_b.id, owner.tenant_id, 3).await;
    asset_in(&mut conn, foreign.id, owner.tenant_id, 5000).await;
    new_asset(owner.tenant_id, 70000)
        .insert(&mut conn)
        .await
        .unwrap();

    assert_eq!(
        Asset::sum_size_for_rooms_created_by(&mut conn, owner.id)
            .await
            .unwrap(),
        123
    );
    assert_eq!(
        Asset::sum_size_for_rooms_created_by(&mut conn, stranger.id)
            .await
            .unwrap(),
        5000
    );

    let page = Asset::list_for_room(&mut conn, room_a.id, PageRequest::new(1, 1))
        .await
        .unwrap();
    assert_eq!((page.total, page.items.len()), (2, 1));

    let mine = Asset::list_for_rooms_created_by(
        &mut conn,
        owner.id,
        AssetSort::CreatedAt,
        true,
        PageRequest::new(1, 10),
    )
    .await
    .unwrap();
    assert_eq!(mine.total, 3);
    let mut rooms: Vec<RoomId> = mine.items.iter().map(|e| e.room_id).collect();
    rooms.sort();
    let mut expected = vec![room_a.id, room_a.id, room_b.id];
    expected.sort();
    assert_eq!(rooms, expected);
}

#[tokio::test]
async fn delete_all_for_room_returns_the_removed_ids() {
    let mut conn = test_transaction().await;
    let owner = fixtures::user(&mut conn).await;
    let room = fixtures::room(&mut conn, &owner).await;
    let other = fixtures::room(&mut conn, &owner).await;
    let mut ids = vec![
        asset_in(&mut conn, room.id, owner.tenant_id, 1).await.id,
        asset_in(&mut conn, room.id, owner.tenant_id, 2).await.id,
    ];
    let kept = asset_in(&mut conn, other.id, owner.tenant_id, 3).await;
    let mut removed = Asset::delete_all_for_room(&mut conn, room.id)
        .await
        .unwrap();
    removed.sort();
    ids.sort();
    assert_eq!(removed, ids);
    assert!(
        RoomAsset::list_asset_ids(&mut conn, room.id)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(Asset::get(&mut conn, kept.id).await.unwrap(), kept);
    // With its assets gone the room can be deleted.
    conclave_db::models::room::Room::delete(&mut conn, room.id)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_tenant_with_assets_cannot_be_deleted() {
    let mut conn = test_transaction().await;
    let tenant = fixtures::tenant(&mut conn).await;
    new_asset(tenant.id, 1).insert(&mut conn).await.unwrap();
    let err = Tenant::delete(&mut conn, tenant.id).await.unwrap_err();
    assert!(
        matches!(&err, DbError::ForeignKeyViolation { constraint: Some(c) } if c == "assets_tenant_id_fkey"),
        "{err:?}"
    );
}
