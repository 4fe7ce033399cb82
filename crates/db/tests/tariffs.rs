//! Queries of `tariffs` and `external_tariffs`.

use conclave_db::DbError;
use conclave_db::models::external_tariff::ExternalTariff;
use conclave_db::models::tariff::{NewTariff, Tariff, UpdateTariff};
use conclave_db::models::user::User;
use conclave_db::paging::PageRequest;
use conclave_db::testing::{fixtures, test_transaction};
use serde_json::json;

fn new_tariff(name: &str) -> NewTariff {
    NewTariff {
        name: name.to_owned(),
        quotas: json!({"max_storage": 1000, "room_participant_limit": 5}),
        disabled_modules: vec!["whiteboard".to_owned()],
        disabled_features: vec!["core::call_in".to_owned(), "chat::x".to_owned()],
    }
}

#[tokio::test]
async fn insert_read_update_and_delete() {
    let mut conn = test_transaction().await;
    let tariff = new_tariff("gold").insert(&mut conn).await.unwrap();
    assert_eq!(
        tariff.quotas,
        json!({"max_storage": 1000, "room_participant_limit": 5})
    );
    assert_eq!(tariff.disabled_modules, vec![Some("whiteboard".to_owned())]);
    assert_eq!(
        tariff.disabled_features,
        vec![Some("core::call_in".to_owned()), Some("chat::x".to_owned())]
    );
    assert_eq!(Tariff::get(&mut conn, tariff.id).await.unwrap(), tariff);
    assert_eq!(
        Tariff::get_by_name(&mut conn, "gold").await.unwrap(),
        tariff
    );
    assert_eq!(
        Tariff::find_by_name(&mut conn, "silver").await.unwrap(),
        None
    );

    let changes = UpdateTariff {
        name: Some("platinum".to_owned()),
        quotas: Some(json!({})),
        disabled_modules: Some(Vec::new()),
        disabled_features: None,
    };
    let updated = Tariff::update(&mut conn, tariff.id, changes).await.unwrap();
    assert_eq!(updated.name, "platinum");
    assert_eq!(updated.quotas, json!({}));
    assert!(updated.disabled_modules.is_empty());
    assert_eq!(updated.disabled_features, tariff.disabled_features);
    assert!(updated.updated_at >= tariff.updated_at);

    Tariff::delete(&mut conn, tariff.id).await.unwrap();
    assert!(matches!(
        Tariff::get(&mut conn, tariff.id).await,
        Err(DbError::NotFound)
    ));
    assert!(matches!(
        Tariff::get_by_name(&mut conn, "platinum").await,
        Err(DbError::NotFound)
    ));
}

#[tokio::test]
async fn a_duplicate_name_is_a_unique_violation() {
    let mut conn = test_transaction().await;
    new_tariff("dup").insert(&mut conn).await.unwrap();
    let err = new_tariff("dup").insert(&mut conn).await.unwrap_err();
    assert!(
        matches!(&err, DbError::UniqueViolation { constraint: Some(c) } if c == "tariffs_name_key"),
        "{err:?}"
    );
}

#[tokio::test]
async fn list_pages_by_name() {
    let mut conn = test_transaction().await;
    let before = Tariff::list(&mut conn, PageRequest::new(1, 1))
        .await
        .unwrap()
        .total;
    for name in ["zz-c", "zz-a", "zz-b"] {
        new_tariff(name).insert(&mut conn).await.unwrap();
    }
    let last_page = PageRequest::new(before + 3, 1);
    let page = Tariff::list(&mut conn, last_page).await.unwrap();
    assert_eq!(page.total, before + 3);
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].name, "zz-c");
    let past_the_end = Tariff::list(&mut conn, PageRequest::new(before + 4, 1))
        .await
        .unwrap();
    assert!(past_the_end.items.is_empty());
}

#[tokio::test]
async fn external_ids_map_to_tariffs() {
    let mut conn = test_transaction().await;
    let tariff = new_tariff("ext").insert(&mut conn).await.unwrap();
    for external_id in ["b-id", "a-id"] {
        let mapping = ExternalTariff {
            external_id: external_id.to_owned(),
            tariff_id: tariff.id,
        };
        assert_eq!(mapping.clone().insert(&mut conn).await.unwrap(), mapping);
    }
    assert_eq!(
        ExternalTariff::list_for_tariff(&mut conn, tariff.id)
            .await
            .unwrap(),
        vec!["a-id".to_owned(), "b-id".to_owned()]
    );
    let found = Tariff::find_by_external_id(&mut conn, "a-id")
        .await
        .unwrap();
    assert_eq!(found.map(|t| t.id), Some(tariff.id));
    assert_eq!(
        Tariff::find_by_external_id(&mut conn, "nope")
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        ExternalTariff::find(&mut conn, "b-id")
            .await
            .unwrap()
            .map(|m| m.tariff_id),
        Some(tariff.id)
    );

    let removed = ExternalTariff::delete_many(&mut conn, tariff.id, &["a-id".to_owned()])
        .await
        .unwrap();
    assert_eq!(removed, 1);
    assert_eq!(
        Tariff::find_by_external_id(&mut conn, "a-id")
            .await
            .unwrap(),
        None
    );

    // Deleting the tariff removes its remaining external ids first.
    Tariff::delete(&mut conn, tariff.id).await.unwrap();
    assert_eq!(ExternalTariff::find(&mut conn, "b-id").await.unwrap(), None);
}

#[tokio::test]
async fn an_external_id_maps_to_one_tariff_only() {
    let mut conn = test_transaction().await;
    let tariff = new_tariff("one").insert(&mut conn).await.unwrap();
    let mapping = ExternalTariff {
        external_id: "shared".to_owned(),
        tariff_id: tariff.id,
    };
    mapping.clone().insert(&mut conn).await.unwrap();
    let err = mapping.insert(&mut conn).await.unwrap_err();
    assert!(matches!(err, DbError::UniqueViolation { .. }), "{err:?}");
}

#[tokio::test]
async fn an_external_id_of_an_unknown_tariff_is_refused() {
    let mut conn = test_transaction().await;
    let err = ExternalTariff {
        external_id: "orphan".to_owned(),
        tariff_id: conclave_domain::ids::TariffId::generate(),
    }
    .insert(&mut conn)
    .await
    .unwrap_err();
    assert!(
        matches!(&err, DbError::ForeignKeyViolation { constraint: Some(c) } if c == "external_tariffs_tariff_id_fkey"),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_tariff_in_use_is_not_deleted_and_keeps_its_external_ids() {
    let mut conn = test_transaction().await;
    let tenant = fixtures::default_tenant(&mut conn).await;
    let tariff = new_tariff("used").insert(&mut conn).await.unwrap();
    ExternalTariff {
        external_id: "used-ext".to_owned(),
        tariff_id: tariff.id,
    }
    .insert(&mut conn)
    .await
    .unwrap();
    fixtures::user_in(&mut conn, tenant.id, tariff.id).await;

    let err = Tariff::delete(&mut conn, tariff.id).await.unwrap_err();
    assert!(
        matches!(&err, DbError::ForeignKeyViolation { constraint: Some(c) } if c == "users_tariff_id_fkey"),
        "{err:?}"
    );
    assert!(
        ExternalTariff::find(&mut conn, "used-ext")
            .await
            .unwrap()
            .is_some()
    );
}

#[tokio::test]
async fn a_rooms_tariff_is_its_active_creators_tariff() {
    let mut conn = test_transaction().await;
    let tenant = fixtures::default_tenant(&mut conn).await;
    let tariff = new_tariff("room-tariff").insert(&mut conn).await.unwrap();
    let owner = fixtures::user_in(&mut conn, tenant.id, tariff.id).await;
    let room = fixtures::room(&mut conn, &owner).await;

    assert_eq!(
        Tariff::get_for_user(&mut conn, owner.id).await.unwrap().id,
        tariff.id
    );
    assert_eq!(
        Tariff::get_for_room(&mut conn, room.id).await.unwrap().id,
        tariff.id
    );

    User::disable(&mut conn, owner.id, chrono::Utc::now())
        .await
        .unwrap();
    assert!(matches!(
        Tariff::get_for_room(&mut conn, room.id).await,
        Err(DbError::NotFound)
    ));
}
