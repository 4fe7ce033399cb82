//! The rows the migrations seed (schema.md §8), checked on a fresh clone of
//! the template so that no other test's rows can be seen.

use conclave_db::DbConnection;
use conclave_db::models::tariff::{DEFAULT_TARIFF_NAME, Tariff};
use conclave_db::models::tenant::{DEFAULT_OIDC_TENANT_ID, Tenant};
use conclave_db::paging::PageRequest;
use conclave_db::schema::{casbin_rule, jobs, users};
use conclave_db::testing::TestDb;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

async fn count_rows(conn: &mut DbConnection) -> (i64, i64, i64) {
    let users = users::table.count().get_result(conn).await.unwrap();
    let jobs = jobs::table.count().get_result(conn).await.unwrap();
    let rules = casbin_rule::table.count().get_result(conn).await.unwrap();
    (users, jobs, rules)
}

#[tokio::test]
async fn a_fresh_database_holds_only_the_default_tenant_and_tariff() {
    let db = TestDb::new().await;
    let mut conn = db.connect().await;

    let tenants = Tenant::list_all(&mut conn).await.unwrap();
    assert_eq!(tenants.len(), 1);
    assert_eq!(tenants[0].oidc_tenant_id, DEFAULT_OIDC_TENANT_ID);
    assert_eq!(tenants[0].created_at, tenants[0].updated_at);

    let tariffs = Tariff::list(&mut conn, PageRequest::new(1, 10))
        .await
        .unwrap();
    assert_eq!(tariffs.total, 1);
    let tariff = &tariffs.items[0];
    assert_eq!(tariff.name, DEFAULT_TARIFF_NAME);
    assert_eq!(tariff.quotas, serde_json::json!({}));
    assert!(tariff.disabled_modules.is_empty());
    assert!(tariff.disabled_features.is_empty());

    assert_eq!(count_rows(&mut conn).await, (0, 0, 0));
}
