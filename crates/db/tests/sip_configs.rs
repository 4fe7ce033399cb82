//! Queries of `sip_configs`.

use conclave_db::DbError;
use conclave_db::models::room::Room;
use conclave_db::models::sip_config::{NewSipConfig, SipConfig, SipConfigInsert, UpdateSipConfig};
use conclave_db::testing::{fixtures, test_transaction};
use conclave_domain::ids::RoomId;

fn new_config(room: RoomId, sip_id: &str) -> NewSipConfig {
    NewSipConfig {
        room,
        sip_id: sip_id.to_owned(),
        password: "1111111111".to_owned(),
        enable_lobby: false,
    }
}

fn inserted(outcome: SipConfigInsert) -> SipConfig {
    match outcome {
        SipConfigInsert::Inserted(row) => row,
        other => panic!("expected an insert, got {other:?}"),
    }
}

#[tokio::test]
async fn insert_read_update_and_delete() {
    let mut conn = test_transaction().await;
    let owner = fixtures::user(&mut conn).await;
    let room = fixtures::room(&mut conn, &owner).await;
    let config = inserted(
        new_config(room.id, "5550001111")
            .insert(&mut conn)
            .await
            .unwrap(),
    );
    assert_eq!(
        (config.room, config.sip_id.as_str()),
        (room.id, "5550001111")
    );
    assert_eq!(
        SipConfig::get_for_room(&mut conn, room.id).await.unwrap(),
        config
    );

    let (found, found_room) = SipConfig::find_by_sip_id_with_room(&mut conn, "5550001111")
        .await
        .unwrap()
        .unwrap();
    assert_eq!((found, found_room.id), (config.clone(), room.id));
    assert_eq!(
        SipConfig::find_by_sip_id_with_room(&mut conn, "0000000000")
            .await
            .unwrap(),
        None
    );

    let changes = UpdateSipConfig {
        enable_lobby: Some(true),
        ..UpdateSipConfig::default()
    };
    let updated = SipConfig::update_for_room(&mut conn, room.id, changes)
        .await
        .unwrap()
        .unwrap();
    assert!(updated.enable_lobby);
    assert_eq!(updated.password, config.password);
    let changes = UpdateSipConfig {
        password: Some("2222222222".to_owned()),
        enable_lobby: None,
    };
    let updated = SipConfig::update_for_room(&mut conn, room.id, changes)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (updated.password.as_str(), updated.enable_lobby),
        ("2222222222", true)
    );

    SipConfig::delete_for_room(&mut conn, room.id)
        .await
        .unwrap();
    assert_eq!(
        SipConfig::find_for_room(&mut conn, room.id).await.unwrap(),
        None
    );
    assert!(matches!(
        SipConfig::get_for_room(&mut conn, room.id).await,
        Err(DbError::NotFound)
    ));
    assert!(matches!(
        SipConfig::delete_for_room(&mut conn, room.id).await,
        Err(DbError::NotFound)
    ));
    let missing = SipConfig::update_for_room(&mut conn, room.id, UpdateSipConfig::default())
        .await
        .unwrap();
    assert_eq!(missing, None);
}

#[tokio::test]
async fn conflicts_are_reported_as_outcomes_and_leave_the_transaction_usable() {
    let mut conn = test_transaction().await;
    let owner = fixtures::user(&mut conn).await;
    let room = fixtures::room(&mut conn, &owner).await;
    let other = fixtures::room(&mut conn, &owner).await;
    inserted(
        new_config(room.id, "5550002222")
            .insert(&mut conn)
            .await
            .unwrap(),
    );

    let taken = new_config(other.id, "5550002222")
        .insert(&mut conn)
        .await
        .unwrap();
    assert_eq!(taken, SipConfigInsert::SipIdTaken);
    let second = new_config(room.id, "5550003333")
        .insert(&mut conn)
        .await
        .unwrap();
    assert_eq!(second, SipConfigInsert::RoomHasConfig);

    // The retry with a fresh id succeeds in the same transaction.
    let retried = inserted(
        new_config(other.id, "5550004444")
            .insert(&mut conn)
            .await
            .unwrap(),
    );
    assert_eq!(retried.room, other.id);
}

#[tokio::test]
async fn upsert_creates_or_replaces_the_credentials() {
    let mut conn = test_transaction().await;
    let owner = fixtures::user(&mut conn).await;
    let room = fixtures::room(&mut conn, &owner).await;
    let created = new_config(room.id, "5550005555")
        .upsert(&mut conn)
        .await
        .unwrap();
    let mut replacement = new_config(room.id, "5550006666");
    replacement.password = "3333333333".to_owned();
    replacement.enable_lobby = true;
    let replaced = replacement.upsert(&mut conn).await.unwrap();
    assert_eq!(replaced.id, created.id);
    assert_eq!(replaced.sip_id, "5550005555");
    assert_eq!(
        (replaced.password.as_str(), replaced.enable_lobby),
        ("3333333333", true)
    );

    let other = fixtures::room(&mut conn, &owner).await;
    let err = new_config(other.id, "5550005555")
        .upsert(&mut conn)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, DbError::UniqueViolation { constraint: Some(c) } if c == "sip_configs_sip_id_key"),
        "{err:?}"
    );
}

#[tokio::test]
async fn the_config_goes_with_its_room() {
    let mut conn = test_transaction().await;
    let owner = fixtures::user(&mut conn).await;
    let room = fixtures::room(&mut conn, &owner).await;
    inserted(
        new_config(room.id, "5550007777")
            .insert(&mut conn)
            .await
            .unwrap(),
    );
    Room::delete(&mut conn, room.id).await.unwrap();
    assert_eq!(
        SipConfig::find_by_sip_id_with_room(&mut conn, "5550007777")
            .await
            .unwrap(),
        None
    );
}

#[tokio::test]
async fn a_config_for_an_unknown_room_is_refused() {
    let mut conn = test_transaction().await;
    let err = new_config(RoomId::generate(), "5550008888")
        .insert(&mut conn)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, DbError::ForeignKeyViolation { constraint: Some(c) } if c == "sip_config_room_fkey"),
        "{err:?}"
    );
}
