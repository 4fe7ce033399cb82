//! `cargo xtask run` and `cargo xtask db-reset`: the local development
//! database `conclave`, on the private cluster or on `DATABASE_URL`.

use crate::db::{self, block_on, ensure_database, recreate_database, seed_demo};
use crate::interrupt;
use crate::pg::local;
use crate::server::database_url_override;

/// The application database on the private cluster.
pub const APP_DB: &str = "conclave";

/// The application database URL: `DATABASE_URL`, else the `conclave`
/// database of the private cluster, which is started if needed.
fn app_database_url() -> anyhow::Result<(String, bool)> {
    if let Some(url) = database_url_override() {
        return Ok((url, false));
    }
    let state = local::start()?;
    Ok((crate::pg::url(state.port, APP_DB), true))
}

/// Prepares the database (create if missing, migrate, seed the demo data),
/// prints its URL and waits for Ctrl-C. The private cluster stays running.
pub fn run() -> anyhow::Result<()> {
    interrupt::install()?;
    let (url, private) = app_database_url()?;
    let (created, applied) = block_on(async {
        let created = ensure_database(&url).await?;
        let applied = db::migrate(&url).await?;
        seed_demo(&url).await?;
        anyhow::Ok((created, applied))
    })??;
    let created = if created { "created, " } else { "" };
    println!(
        "database ready ({created}{} migrations applied, demo data seeded)\nDATABASE_URL={url}",
        applied.len()
    );
    // The API server is not wired in yet; until it is, `run` only keeps the
    // database ready and waits.
    println!("Press Ctrl-C to stop.");
    interrupt::wait_for_signal();
    if private {
        println!(
            "\nstopped; the private PostgreSQL keeps running for the next run (`cargo xtask pg stop` stops it)"
        );
    }
    Ok(())
}

/// Drops, recreates and migrates the application database.
pub fn db_reset() -> anyhow::Result<()> {
    let (url, _) = app_database_url()?;
    let applied = block_on(async {
        recreate_database(&url).await?;
        db::migrate(&url).await
    })??;
    println!(
        "database reset ({} migrations applied): {url}",
        applied.len()
    );
    Ok(())
}
