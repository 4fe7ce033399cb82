//! Queries of `tenants`.

use conclave_db::DbError;
use conclave_db::models::tenant::{DEFAULT_OIDC_TENANT_ID, NewTenant, Tenant};
use conclave_db::testing::{fixtures, test_transaction};
use conclave_domain::ids::TenantId;

#[tokio::test]
async fn get_or_create_creates_once_and_then_returns_the_same_row() {
    let mut conn = test_transaction().await;
    assert_eq!(
        Tenant::find_by_oidc_tenant_id(&mut conn, "tenant-a")
            .await
            .unwrap(),
        None
    );

    let created = Tenant::get_or_create_by_oidc_tenant_id(&mut conn, "tenant-a")
        .await
        .unwrap();
    assert_eq!(created.oidc_tenant_id, "tenant-a");
    let again = Tenant::get_or_create_by_oidc_tenant_id(&mut conn, "tenant-a")
        .await
        .unwrap();
    assert_eq!(again, created);
    assert_eq!(Tenant::get(&mut conn, created.id).await.unwrap(), created);
    assert_eq!(
        Tenant::find_by_oidc_tenant_id(&mut conn, "tenant-a")
            .await
            .unwrap(),
        Some(created)
    );
}

#[tokio::test]
async fn get_or_create_finds_the_seeded_tenant() {
    let mut conn = test_transaction().await;
    let seeded = fixtures::default_tenant(&mut conn).await;
    let found = Tenant::get_or_create_by_oidc_tenant_id(&mut conn, DEFAULT_OIDC_TENANT_ID)
        .await
        .unwrap();
    assert_eq!(found, seeded);
}

#[tokio::test]
async fn a_duplicate_oidc_tenant_id_is_a_unique_violation() {
    let mut conn = test_transaction().await;
    let err = NewTenant {
        oidc_tenant_id: DEFAULT_OIDC_TENANT_ID.to_owned(),
    }
    .insert(&mut conn)
    .await
    .unwrap_err();
    assert!(
        matches!(&err, DbError::UniqueViolation { constraint: Some(c) } if c == "tenants_oidc_tenant_id_key"),
        "{err:?}"
    );
}

#[tokio::test]
async fn an_unused_tenant_can_be_deleted() {
    let mut conn = test_transaction().await;
    let tenant = fixtures::tenant(&mut conn).await;
    Tenant::delete(&mut conn, tenant.id).await.unwrap();
    assert!(matches!(
        Tenant::get(&mut conn, tenant.id).await,
        Err(DbError::NotFound)
    ));
    assert!(matches!(
        Tenant::delete(&mut conn, TenantId::generate()).await,
        Err(DbError::NotFound)
    ));
}

#[tokio::test]
async fn a_tenant_with_users_cannot_be_deleted() {
    let mut conn = test_transaction().await;
    let tenant = fixtures::tenant(&mut conn).await;
    let tariff = fixtures::default_tariff(&mut conn).await;
    fixtures::user_in(&mut conn, tenant.id, tariff.id).await;
    let err = Tenant::delete(&mut conn, tenant.id).await.unwrap_err();
    assert!(
        matches!(&err, DbError::ForeignKeyViolation { constraint: Some(c) } if c == "users_tenant_id_fkey"),
        "{err:?}"
    );
}
