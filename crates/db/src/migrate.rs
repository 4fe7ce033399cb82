//! Embedded migrations and the functions that run them.
//!
//! diesel_migrations is synchronous. diesel-async's own harness calls
//! `block_in_place`, which panics on the current-thread runtimes that actix
//! workers and `#[tokio::test]` use, so the migrations run on a blocking
//! thread over an `AsyncConnectionWrapper` instead (stack.md §4.1).

use diesel_async::AsyncPgConnection;
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::{DbError, Result};

/// Every migration in `migrations/`, compiled into the binary.
pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations");

type SyncConnection = AsyncConnectionWrapper<AsyncPgConnection>;

/// Applies all pending migrations to the database at `url` and returns the
/// versions it applied, oldest first.
pub async fn migrate(url: &str) -> Result<Vec<String>> {
    with_sync_connection(url, |conn| {
        let applied = conn.run_pending_migrations(MIGRATIONS)?;
        Ok(applied.iter().map(ToString::to_string).collect())
    })
    .await
}

/// Reverts every applied migration (used by tests and `db-reset`), returning
/// the reverted versions, newest first.
pub async fn revert_all(url: &str) -> Result<Vec<String>> {
    with_sync_connection(url, |conn| {
        let reverted = conn.revert_all_migrations(MIGRATIONS)?;
        Ok(reverted.iter().map(ToString::to_string).collect())
    })
    .await
}

/// Lists the migrations that are not applied yet.
pub async fn pending(url: &str) -> Result<Vec<String>> {
    with_sync_connection(url, |conn| {
        let pending = conn.pending_migrations(MIGRATIONS)?;
        Ok(pending.iter().map(|m| m.name().to_string()).collect())
    })
    .await
}

type HarnessResult<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

async fn with_sync_connection<T, F>(url: &str, work: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce(&mut SyncConnection) -> HarnessResult<T> + Send + 'static,
{
    let url = url.to_owned();
    tokio::task::spawn_blocking(move || {
        // Fully qualified: with both connection traits in scope the call is
        // ambiguous (stack.md §3.1).
        let mut conn = <SyncConnection as diesel::Connection>::establish(&url)
            .map_err(|e| DbError::Other(format!("cannot connect for migrations: {e}")))?;
        work(&mut conn).map_err(|e| DbError::Other(format!("migration failed: {e}")))
    })
    .await
    .map_err(|e| DbError::Other(format!("migration task failed: {e}")))?
}
