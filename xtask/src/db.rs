//! Database administration for the commands: create, drop, clone, migrate
//! and seed databases on a server given by URL.
//!
//! `CREATE DATABASE` and `DROP DATABASE` cannot run inside a transaction, so
//! each is sent as a statement of its own, never in one batch (stack.md §15).

use std::future::Future;

use anyhow::Context as _;
use conclave_db::testing::{SHARED_DB, TEMPLATE_DB, with_database};
use diesel::QueryableByName;
use diesel::sql_types::{Bool, Text};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};

/// The maintenance database every server has.
pub const MAINTENANCE_DB: &str = "postgres";

/// Runs a future to completion on a private current-thread runtime.
pub fn block_on<F: Future>(future: F) -> anyhow::Result<F::Output> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    Ok(runtime.block_on(future))
}

/// Opens a connection.
pub async fn connect(url: &str) -> anyhow::Result<AsyncPgConnection> {
    AsyncPgConnection::establish(url)
        .await
        .with_context(|| format!("cannot connect to {url}"))
}

/// The database name in a `postgres://…/<db>[?…]` URL.
pub fn database_name(url: &str) -> Option<&str> {
    let without_query = url.split(['?', '#']).next().unwrap_or(url);
    let after_scheme = without_query
        .split_once("://")
        .map_or(without_query, |(_, rest)| rest);
    let (_, path) = after_scheme.split_once('/')?;
    (!path.is_empty() && !path.contains('/')).then_some(path)
}

/// The URL of the same server's maintenance database.
pub fn maintenance_url(url: &str) -> String {
    with_database(url, MAINTENANCE_DB)
}

/// Quotes an SQL identifier.
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

#[derive(QueryableByName)]
struct Exists {
    #[diesel(sql_type = Bool)]
    exists: bool,
}

/// Whether database `name` exists on the server of `admin`.
pub async fn database_exists(admin: &mut AsyncPgConnection, name: &str) -> anyhow::Result<bool> {
    let row: Exists =
        diesel::sql_query("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS exists")
            .bind::<Text, _>(name)
            .get_result(admin)
            .await
            .context("cannot list databases")?;
    Ok(row.exists)
}

/// Creates database `name`, optionally as a copy of `template`.
pub async fn create_database(
    admin: &mut AsyncPgConnection,
    name: &str,
    template: Option<&str>,
) -> anyhow::Result<()> {
    let mut sql = format!("CREATE DATABASE {}", quote_ident(name));
    if let Some(template) = template {
        sql.push_str(&format!(" TEMPLATE {}", quote_ident(template)));
    }
    admin
        .batch_execute(&sql)
        .await
        .with_context(|| format!("cannot create database {name}"))
}

/// Drops database `name` if it exists, ending its open connections.
pub async fn drop_database(admin: &mut AsyncPgConnection, name: &str) -> anyhow::Result<()> {
    admin
        .batch_execute(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            quote_ident(name)
        ))
        .await
        .with_context(|| format!("cannot drop database {name}"))
}

/// Runs the embedded migrations against `url`, returning the applied versions.
pub async fn migrate(url: &str) -> anyhow::Result<Vec<String>> {
    conclave_db::migrate(url)
        .await
        .with_context(|| format!("cannot migrate {url}"))
}

/// Creates the databases `conclave_db::testing` expects on a test server:
/// the migrated template (left with no connection) and the shared clone.
/// Returns the number of migrations applied.
pub async fn prepare_test_databases(server_url: &str) -> anyhow::Result<usize> {
    let admin_url = maintenance_url(server_url);
    let mut admin = connect(&admin_url).await?;
    drop_database(&mut admin, SHARED_DB).await?;
    drop_database(&mut admin, TEMPLATE_DB).await?;
    create_database(&mut admin, TEMPLATE_DB, None).await?;
    // migrate() opens and closes its own connection, so nothing stays
    // connected to the template afterwards.
    let applied = migrate(&with_database(&admin_url, TEMPLATE_DB)).await?;
    create_database(&mut admin, SHARED_DB, Some(TEMPLATE_DB)).await?;
    Ok(applied.len())
}

/// Creates the database of `url` if it is missing; returns whether it did.
pub async fn ensure_database(url: &str) -> anyhow::Result<bool> {
    let name = database_name(url).with_context(|| format!("no database name in {url}"))?;
    let mut admin = connect(&maintenance_url(url)).await?;
    if database_exists(&mut admin, name).await? {
        return Ok(false);
    }
    create_database(&mut admin, name, None).await?;
    Ok(true)
}

/// Drops and recreates the database of `url` (empty, not migrated).
pub async fn recreate_database(url: &str) -> anyhow::Result<()> {
    let name = database_name(url).with_context(|| format!("no database name in {url}"))?;
    let mut admin = connect(&maintenance_url(url)).await?;
    drop_database(&mut admin, name).await?;
    create_database(&mut admin, name, None).await
}

/// Inserts the demo data for local runs; running it again changes nothing.
///
/// For now this is a tenant `demo` and a tariff `demo` with moderate quotas
/// (1 GiB of assets, 4-hour rooms, 50 participants). Demo users and more
/// belong here too, written through conclave-db once its models exist.
pub async fn seed_demo(url: &str) -> anyhow::Result<()> {
    let mut conn = connect(url).await?;
    conn.batch_execute(
        "INSERT INTO tenants (oidc_tenant_id) VALUES ('demo') ON CONFLICT DO NOTHING;
         INSERT INTO tariffs (name, quotas, disabled_modules, disabled_features)
         VALUES ('demo',
                 '{\"max_storage\": 1073741824, \"room_time_limit_secs\": 14400, \"room_participant_limit\": 50}',
                 ARRAY[]::text[], ARRAY[]::text[])
         ON CONFLICT DO NOTHING;",
    )
    .await
    .context("cannot seed the demo data")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_names_in_urls() {
        let cases = [
            ("postgres://postgres@127.0.0.1:5/conclave", Some("conclave")),
            ("postgres://u:p@h/db?sslmode=disable", Some("db")),
            ("postgresql://h:5432/x#frag", Some("x")),
            ("postgres://h:5432/", None),
            ("postgres://h:5432", None),
            ("postgres://h/a/b", None),
        ];
        for (url, expected) in cases {
            assert_eq!(database_name(url), expected, "{url}");
        }
    }

    #[test]
    fn identifiers_are_quoted() {
        assert_eq!(quote_ident("conclave"), "\"conclave\"");
        assert_eq!(quote_ident("we\"ird"), "\"we\"\"ird\"");
    }

    #[test]
    fn maintenance_url_keeps_server_and_options() {
        assert_eq!(
            maintenance_url("postgres://u@h:1/conclave?sslmode=disable"),
            "postgres://u@h:1/postgres?sslmode=disable"
        );
    }
}
