//! `cargo xtask run` and `cargo xtask db-reset`: the local development
//! database `conclave`, on the private cluster or on `DATABASE_URL`.

use std::time::Duration;

use crate::db::{self, block_on, ensure_database, recreate_database, seed_demo};
use crate::dev_server;
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
    serve(&url)?;
    if private {
        println!(
            "\nstopped; the private PostgreSQL keeps running for the next run (`cargo xtask pg stop` stops it)"
        );
    }
    Ok(())
}

/// Starts the API server on the database, provisions the demo users, prints
/// their tokens and an example, and serves until Ctrl-C.
fn serve(url: &str) -> anyhow::Result<()> {
    let port = dev_server::port()?;
    let config = dev_server::write_config(url, port)?;
    let binary = dev_server::build_binary(false)?;
    let mut server = dev_server::DevServer::start(&binary, &config)?;
    dev_server::wait_ready(&mut server, port, Duration::from_secs(60))?;
    println!(
        "\nConclave serves http://127.0.0.1:{port}/v1 (config: {})",
        config.display()
    );
    println!("Development tokens (valid 12 h; `cargo xtask dev-token <name>` prints fresh ones):");
    let mut first = None;
    for name in dev_server::DEMO_USERS {
        let token = dev_server::login(&binary, &config, port, name)?;
        println!("  {name}: {token}");
        first.get_or_insert(token);
    }
    if let Some(token) = first {
        println!(
            "\nTry:\n  curl -H 'Authorization: Bearer {token}' http://127.0.0.1:{port}/v1/users/me"
        );
    }
    println!("\nPress Ctrl-C to stop.");
    while !interrupt::interrupted() {
        if let Some(status) = server.exited() {
            anyhow::bail!("the server stopped unexpectedly ({status})");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    drop(server);
    Ok(())
}

/// Prints a fresh development token for `name` (uses the configuration of
/// the last `cargo xtask run`).
pub fn dev_token(name: &str) -> anyhow::Result<()> {
    let config = dev_server::config_path();
    anyhow::ensure!(
        config.exists(),
        "no development configuration yet: run `cargo xtask run` first"
    );
    let binary = dev_server::build_binary(false)?;
    println!("{}", dev_server::dev_token(&binary, &config, name)?);
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
