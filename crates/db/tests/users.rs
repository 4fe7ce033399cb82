//! Queries of `users`, including the fuzzy search.

use chrono::{TimeZone, Utc};
use conclave_db::models::user::{UpdateUser, User};
use conclave_db::testing::{fixtures, test_transaction};
use conclave_db::{DbConnection, DbError};
use conclave_domain::ids::TenantId;
use conclave_domain::tariff::TariffStatus;

#[tokio::test]
async fn insert_read_update_and_delete() {
    let mut conn = test_transaction().await;
    let user = fixtures::user(&mut conn).await;
    assert_eq!(user.dashboard_theme, "system");
    assert_eq!(user.conference_theme, "system");
    assert_eq!(user.tariff_status, TariffStatus::Default);
    assert_eq!(User::get(&mut conn, user.id).await.unwrap(), user);

    let changes = UpdateUser {
        title: Some("Dr.".to_owned()),
        display_name: Some("Doc".to_owned()),
        phone: Some(Some("+4930123".to_owned())),
        avatar_url: Some(Some("https://example.org/a.png".to_owned())),
        id_token_exp: Some(42),
        ..UpdateUser::default()
    };
    let updated = User::update(&mut conn, user.id, changes).await.unwrap();
    assert_eq!(
        (
            updated.title.as_str(),
            updated.display_name.as_str(),
            updated.id_token_exp
        ),
        ("Dr.", "Doc", 42)
    );
    assert_eq!(updated.phone.as_deref(), Some("+4930123"));
    assert_eq!(updated.firstname, user.firstname);

    let cleared = UpdateUser {
        phone: Some(None),
        ..UpdateUser::default()
    };
    let updated = User::update(&mut conn, user.id, cleared).await.unwrap();
    assert_eq!(updated.phone, None);
    assert_eq!(
        updated.avatar_url.as_deref(),
        Some("https://example.org/a.png")
    );

    let unchanged = User::update(&mut conn, user.id, UpdateUser::default())
        .await
        .unwrap();
    assert_eq!(unchanged, updated);

    User::delete(&mut conn, user.id).await.unwrap();
    assert!(matches!(
        User::get(&mut conn, user.id).await,
        Err(DbError::NotFound)
    ));
}

#[tokio::test]
async fn every_tariff_status_round_trips() {
    let mut conn = test_transaction().await;
    let user = fixtures::user(&mut conn).await;
    for &status in TariffStatus::ALL {
        let changes = UpdateUser {
            tariff_status: Some(status),
            ..UpdateUser::default()
        };
        let updated = User::update(&mut conn, user.id, changes).await.unwrap();
        assert_eq!(updated.tariff_status, status);
        assert_eq!(
            User::get(&mut conn, user.id).await.unwrap().tariff_status,
            status
        );

        let tenant = fixtures::default_tenant(&mut conn).await;
        let mut new = fixtures::new_user(tenant.id, user.tariff_id);
        new.tariff_status = status;
        assert_eq!(new.insert(&mut conn).await.unwrap().tariff_status, status);
    }
}

#[tokio::test]
async fn an_upper_case_email_is_a_check_violation() {
    let mut conn = test_transaction().await;
    let tenant = fixtures::default_tenant(&mut conn).await;
    let tariff = fixtures::default_tariff(&mut conn).await;
    let mut new = fixtures::new_user(tenant.id, tariff.id);
    new.email = "Upper@Example.org".to_owned();
    let err = new.insert(&mut conn).await.unwrap_err();
    assert!(
        matches!(&err, DbError::CheckViolation { constraint: Some(c) } if c == "check_email_lowercase"),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_subject_is_unique_per_tenant_only() {
    let mut conn = test_transaction().await;
    let user = fixtures::user(&mut conn).await;
    let other_tenant = fixtures::tenant(&mut conn).await;
    let mut elsewhere = fixtures::new_user(other_tenant.id, user.tariff_id);
    elsewhere.oidc_sub = user.oidc_sub.clone();
    elsewhere.insert(&mut conn).await.unwrap();

    let mut duplicate = fixtures::new_user(user.tenant_id, user.tariff_id);
    duplicate.oidc_sub = user.oidc_sub.clone();
    let err = duplicate.insert(&mut conn).await.unwrap_err();
    assert!(
        matches!(&err, DbError::UniqueViolation { constraint: Some(c) } if c == "users_oidc_sub_tenant_id_key"),
        "{err:?}"
    );
}

#[tokio::test]
async fn disabled_users_are_hidden_from_active_lookups_only() {
    let mut conn = test_transaction().await;
    let user = fixtures::user(&mut conn).await;
    let at = Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap();
    let disabled = User::disable(&mut conn, user.id, at).await.unwrap();
    assert_eq!(disabled.disabled_since, Some(at));

    let (tenant, sub, email) = (user.tenant_id, user.oidc_sub.as_str(), user.email.as_str());
    assert!(
        User::find_by_oidc_sub(&mut conn, tenant, sub)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        User::find_active_by_oidc_sub(&mut conn, tenant, sub)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        User::find_active_by_email(&mut conn, tenant, email)
            .await
            .unwrap()
            .is_none()
    );
    assert!(matches!(
        User::get_active(&mut conn, user.id).await,
        Err(DbError::NotFound)
    ));
    assert!(User::get(&mut conn, user.id).await.is_ok());

    let enabled = User::enable(&mut conn, user.id).await.unwrap();
    assert_eq!(enabled.disabled_since, None);
    assert_eq!(User::get_active(&mut conn, user.id).await.unwrap(), enabled);
}

#[tokio::test]
async fn lookups_by_email_and_tenant() {
    let mut conn = test_transaction().await;
    let user = fixtures::user(&mut conn).await;
    let upper = user.email.to_uppercase();
    let found = User::find_active_by_email(&mut conn, user.tenant_id, &upper)
        .await
        .unwrap();
    assert_eq!(found.map(|u| u.id), Some(user.id));
    let other_tenant = fixtures::tenant(&mut conn).await;
    assert!(
        User::find_active_by_email(&mut conn, other_tenant.id, &user.email)
            .await
            .unwrap()
            .is_none()
    );
    let listed = User::list_active_by_emails(
        &mut conn,
        user.tenant_id,
        &[upper, "nobody@example.org".to_owned()],
    )
    .await
    .unwrap();
    assert_eq!(listed, vec![user.clone()]);

    assert_eq!(
        User::get_active_in_tenant(&mut conn, user.tenant_id, user.id)
            .await
            .unwrap(),
        user
    );
    assert!(matches!(
        User::get_active_in_tenant(&mut conn, other_tenant.id, user.id).await,
        Err(DbError::NotFound)
    ));
    let many = User::list_by_ids(
        &mut conn,
        &[user.id, conclave_domain::ids::UserId::generate()],
    )
    .await
    .unwrap();
    assert_eq!(many, vec![user]);
}

#[tokio::test]
async fn a_user_who_owns_a_room_cannot_be_deleted() {
    let mut conn = test_transaction().await;
    let user = fixtures::user(&mut conn).await;
    fixtures::room(&mut conn, &user).await;
    let err = User::delete(&mut conn, user.id).await.unwrap_err();
    assert!(
        matches!(&err, DbError::ForeignKeyViolation { constraint: Some(c) } if c == "rooms_created_by_fkey"),
        "{err:?}"
    );
}

/// Inserts a user with the given names into `tenant`.
async fn named(
    conn: &mut DbConnection,
    tenant: TenantId,
    first: &str,
    last: &str,
    display: &str,
) -> User {
    let tariff = fixtures::default_tariff(conn).await;
    let mut new = fixtures::new_user(tenant, tariff.id);
    new.firstname = first.to_owned();
    new.lastname = last.to_owned();
    new.display_name = display.to_owned();
    new.insert(conn).await.unwrap()
}

/// Searches `tenant` for `query` and returns the first names found, sorted.
async fn search(conn: &mut DbConnection, tenant: TenantId, query: &str) -> Vec<String> {
    let mut names: Vec<String> = User::search(conn, tenant, query)
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.firstname)
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn search_matches_substrings_and_similar_sounding_names() {
    let mut conn = test_transaction().await;
    let tenant = fixtures::tenant(&mut conn).await.id;
    named(&mut conn, tenant, "Cheryl", "Lazarus", "Cheryl Lazarus").await;
    named(&mut conn, tenant, "Laura", "Rivera", "Laura Rivera").await;
    named(&mut conn, tenant, "Aileen", "Xu", "Spectre").await;
    named(&mut conn, tenant, "Bob", "Builder", "Bob the Builder").await;

    let cases: &[(&str, &[&str])] = &[
        ("La", &["Cheryl", "Laura"]),
        ("Cheril Lazarus", &["Cheryl"]),
        ("Cheril Lasarus", &["Cheryl"]),
        ("Cherill Lasaruz", &["Cheryl"]),
        ("Spektre", &["Aileen"]),
        ("Schpecktre", &["Aileen"]),
        ("BUILDER", &["Bob"]),
        ("%", &[]),
        ("zzzzzz", &[]),
    ];
    for (query, expected) in cases {
        assert_eq!(
            search(&mut conn, tenant, query).await,
            *expected,
            "query {query:?}"
        );
    }
}

#[tokio::test]
async fn search_sees_only_active_users_of_the_tenant_and_orders_by_distance() {
    let mut conn = test_transaction().await;
    let tenant = fixtures::tenant(&mut conn).await.id;
    let other = fixtures::tenant(&mut conn).await.id;
    named(&mut conn, other, "Marta", "Stone", "Marta Stone").await;
    let gone = named(&mut conn, tenant, "Martin", "Stone", "Martin Stone").await;
    User::disable(&mut conn, gone.id, Utc::now()).await.unwrap();
    named(&mut conn, tenant, "Mart", "Stones", "Mart Stones").await;
    named(&mut conn, tenant, "Marty", "Stone", "Marty Stone").await;

    let found: Vec<String> = User::search(&mut conn, tenant, "marty stone")
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.firstname)
        .collect();
    assert_eq!(found, vec!["Marty".to_owned(), "Mart".to_owned()]);
}

#[tokio::test]
async fn search_returns_at_most_twenty_users() {
    let mut conn = test_transaction().await;
    let tenant = fixtures::tenant(&mut conn).await.id;
    for i in 0..25 {
        named(&mut conn, tenant, &format!("Many{i}"), "Same", "x").await;
    }
    assert_eq!(
        User::search(&mut conn, tenant, "many").await.unwrap().len(),
        20
    );
}
