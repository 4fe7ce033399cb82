//! `db-schema` and `er-diagram`: render from a freshly migrated scratch
//! database, then write the committed file or, with `--check`, compare.

use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::bail;
use conclave_db::testing::with_database;
use diesel_async::AsyncPgConnection;

use crate::db::{self, block_on, connect, create_database, drop_database, maintenance_url};
use crate::pg::local::repo_root;
use crate::{catalog, db_schema, er_diagram};

/// Environment variable naming the directory of the reference documents.
pub const REFERENCE_DIR_VAR: &str = "CONCLAVE_REFERENCE_DIR";

/// Writes or checks `crates/db/src/schema.rs` using the server at `server_url`.
pub fn db_schema(server_url: &str, check: bool) -> anyhow::Result<()> {
    let text = block_on(with_scratch(server_url, async |conn| {
        db_schema::render(conn).await
    }))??;
    let path = repo_root().join("crates/db/src/schema.rs");
    catalog::check_or_write(&path, &text, check)?;
    report(check, &path);
    Ok(())
}

/// Writes or checks `docs/er-diagram.md`; the check also compares with the
/// reference diagram when it is available.
pub fn er_diagram(server_url: &str, check: bool) -> anyhow::Result<()> {
    let mermaid = block_on(with_scratch(server_url, async |conn| {
        er_diagram::render_mermaid(conn).await
    }))??;
    let path = repo_root().join("docs/er-diagram.md");
    let document = er_diagram::render_document(&mermaid);
    let published = catalog::check_or_write(&path, &document, check);
    if !check {
        published?;
        report(check, &path);
        return Ok(());
    }
    // Compare with the reference even when the published file is stale, so
    // one run shows both problems.
    let reference = compare_with_reference(&mermaid);
    match (published, reference) {
        (Ok(()), Ok(())) => {
            report(check, &path);
            Ok(())
        }
        (Err(e), Ok(())) => Err(e),
        (Ok(()), Err(e)) => bail!("{e}"),
        (Err(published), Err(reference)) => bail!("{published:#}\n{reference}"),
    }
}

fn report(check: bool, path: &std::path::Path) {
    let verb = if check { "is up to date" } else { "written" };
    println!(
        "{} {verb}",
        path.strip_prefix(repo_root()).unwrap_or(path).display()
    );
}

/// The reference directory: `$CONCLAVE_REFERENCE_DIR`, else `../shared/reference`.
fn reference_dir() -> PathBuf {
    match std::env::var_os(REFERENCE_DIR_VAR) {
        Some(dir) => PathBuf::from(dir),
        None => repo_root().join("../shared/reference"),
    }
}

fn compare_with_reference(mermaid: &str) -> Result<(), String> {
    let path = reference_dir().join("er-diagram.md");
    let path = std::fs::canonicalize(&path).unwrap_or(path);
    match std::fs::read_to_string(&path) {
        Ok(reference) => {
            er_diagram::compare_with_reference(mermaid, &reference)?;
            println!("the ER diagram matches the reference {}", path.display());
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            println!(
                "note: reference diagram {} not found (set {REFERENCE_DIR_VAR}); skipped that comparison",
                path.display()
            );
            Ok(())
        }
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}

/// Creates a scratch database, migrates it, runs `work` on a connection to
/// it and drops it again, whatever `work` returned.
async fn with_scratch<T>(
    server_url: &str,
    work: impl AsyncFnOnce(&mut AsyncPgConnection) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let admin_url = maintenance_url(server_url);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let name = format!("conclave_scratch_{}_{nanos}", std::process::id());
    let mut admin = connect(&admin_url).await?;
    create_database(&mut admin, &name, None).await?;
    let result = async {
        let url = with_database(&admin_url, &name);
        db::migrate(&url).await?;
        let mut conn = connect(&url).await?;
        work(&mut conn).await
    }
    .await;
    let dropped = drop_database(&mut admin, &name).await;
    let value = result?;
    dropped?;
    Ok(value)
}
