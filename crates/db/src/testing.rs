//! Test support: a fresh database per test, cloned from a migrated template,
//! or a connection inside a transaction that is never committed.
//!
//! `cargo xtask test` starts a private PostgreSQL, migrates the template
//! database and passes its address in `CONCLAVE_TEST_DATABASE_URL` (a URL of
//! the server's maintenance database). The template must have no open
//! connections, so tests never connect to it; they connect to clones, or to
//! the shared clone for rolled-back transactions.

use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
use uuid::Uuid;

use crate::pool::{Pool, PoolConfig, build_pool};

pub mod event_fixtures;
pub mod fixtures;

/// Environment variable with the URL of the test server's maintenance database.
pub const DATABASE_URL_VAR: &str = "CONCLAVE_TEST_DATABASE_URL";
/// Name of the migrated template database.
pub const TEMPLATE_DB: &str = "conclave_template";
/// Name of the migrated database shared by rolled-back-transaction tests.
pub const SHARED_DB: &str = "conclave_shared";

/// The test server's maintenance URL, or a panic that says how to get one.
pub fn server_url() -> String {
    std::env::var(DATABASE_URL_VAR).unwrap_or_else(|_| {
        panic!(
            "{DATABASE_URL_VAR} is not set: run the tests with `cargo xtask test`, \
             which starts a private PostgreSQL and migrates the template database"
        )
    })
}

/// Replaces the database name in a `postgres://…/<db>[?…]` URL.
pub fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let prefix = match base[authority_start..].find('/') {
        Some(slash) => &base[..authority_start + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{prefix}/{database}?{query}"),
        None => format!("{prefix}/{database}"),
    }
}

/// A database that exists for one test and is dropped afterwards.
#[derive(Debug)]
pub struct TestDb {
    name: String,
    url: String,
    server_url: String,
}

impl TestDb {
    /// A fresh, migrated database cloned from the template.
    pub async fn new() -> Self {
        Self::create(&format!("TEMPLATE {TEMPLATE_DB} STRATEGY FILE_COPY")).await
    }

    /// A fresh database with no migrations applied (for migration tests).
    pub async fn empty() -> Self {
        Self::create("TEMPLATE template0").await
    }

    async fn create(clause: &str) -> Self {
        let server_url = server_url();
        let name = format!("t_{}", Uuid::new_v4().simple());
        let mut admin = connect(&server_url).await;
        admin
            .batch_execute(&format!("CREATE DATABASE {name} {clause}"))
            .await
            .unwrap_or_else(|e| panic!("cannot create test database {name}: {e}"));
        let url = with_database(&server_url, &name);
        Self {
            name,
            url,
            server_url,
        }
    }

    /// The database's URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The database's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A new connection to the database.
    pub async fn connect(&self) -> AsyncPgConnection {
        connect(&self.url).await
    }

    /// A small pool for the database (tests share one server, so keep it small).
    pub fn pool(&self) -> Pool {
        let config = PoolConfig {
            max_size: 4,
            ..PoolConfig::default()
        };
        build_pool(&self.url, &config).expect("test pool")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let server_url = self.server_url.clone();
        let name = self.name.clone();
        // Drop runs outside any async context guarantee, so use a private
        // runtime on a plain thread; FORCE ends connections the test leaked.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime
                .block_on(async {
                    let mut admin = AsyncPgConnection::establish(&server_url).await?;
                    admin
                        .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .await?;
                    Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
                })
                .map_err(|e| std::io::Error::other(e.to_string()))
        })
        .join();
        if let Ok(Err(e)) = dropped {
            eprintln!("warning: could not drop test database {}: {e}", self.name);
        }
    }
}

/// A connection to the shared migrated database inside a transaction that is
/// rolled back when the connection is dropped. Nothing it writes is visible to
/// other tests, so such tests run in parallel.
pub async fn test_transaction() -> AsyncPgConnection {
    let mut conn = connect(&with_database(&server_url(), SHARED_DB)).await;
    conn.begin_test_transaction()
        .await
        .expect("begin test transaction");
    conn
}

async fn connect(url: &str) -> AsyncPgConnection {
    AsyncPgConnection::establish(url)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to test database at {url}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn replaces_the_database_name() {
        let cases = [
            ("postgres://u@h:1/postgres", "postgres://u@h:1/t_1"),
            (
                "postgres://u@h:1/postgres?sslmode=disable",
                "postgres://u@h:1/t_1?sslmode=disable",
            ),
            ("postgres://u@h:1", "postgres://u@h:1/t_1"),
        ];
        for (input, expected) in cases {
            assert_eq!(with_database(input, "t_1"), expected, "{input}");
        }
    }
}
