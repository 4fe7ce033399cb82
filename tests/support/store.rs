//! Reaching past the API in a test: ad-hoc SQL against the test database
//! (seeding and counting) and granting access rules through the server's
//! own authorizer.

use conclave_domain::access::{AccessChange, Policy};
use diesel::sql_types::{BigInt, Text};
use diesel_async::RunQueryDsl;

use crate::TestApp;

/// Grants `policies` through the server's own authorizer (rules and cache).
pub async fn grant(app: &TestApp, policies: Vec<Policy>) {
    let change = AccessChange {
        grants: policies,
        ..AccessChange::default()
    };
    app.state.authz.apply(&change).await.expect("grant");
}

/// Runs a statement with one text parameter; returns the affected rows.
pub async fn execute(app: &TestApp, sql: &str, param: &str) -> usize {
    let mut conn = app.db.connect().await;
    diesel::sql_query(sql)
        .bind::<Text, _>(param)
        .execute(&mut conn)
        .await
        .expect(sql)
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// The `n` of `SELECT … AS n …` (one bigint row) with one text parameter.
pub async fn count(app: &TestApp, sql: &str, param: &str) -> i64 {
    let mut conn = app.db.connect().await;
    let row: Count = diesel::sql_query(sql)
        .bind::<Text, _>(param)
        .get_result(&mut conn)
        .await
        .expect(sql);
    row.n
}

/// How many `casbin_rule` rows mention `needle` in any column.
pub async fn rules_mentioning(app: &TestApp, needle: &str) -> i64 {
    count(
        app,
        "SELECT count(*) AS n FROM casbin_rule WHERE concat_ws(' ', ptype, v0, v1, v2, v3, v4, v5) \
         LIKE '%' || $1 || '%'",
        needle,
    )
    .await
}

/// How many rows `table` has.
pub async fn rows_in(app: &TestApp, table: &str) -> i64 {
    count(
        app,
        &format!("SELECT count(*) AS n FROM {table} WHERE $1 = ''"),
        "",
    )
    .await
}

/// The `revision` of the event with id `event`.
pub async fn event_revision(app: &TestApp, event: &str) -> i64 {
    let sql = "SELECT revision::bigint AS n FROM events WHERE id::text = $1";
    count(app, sql, event).await
}
