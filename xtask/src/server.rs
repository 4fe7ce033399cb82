//! Which PostgreSQL server a command uses: the one `DATABASE_URL` names, or
//! a fresh private one.

use crate::db::maintenance_url;
use crate::pg::Profile;
use crate::pg::temp::TempCluster;

/// The environment variable that points the commands at an existing server.
pub const DATABASE_URL_VAR: &str = "DATABASE_URL";

/// `DATABASE_URL`, when set and not empty.
pub fn database_url_override() -> Option<String> {
    std::env::var(DATABASE_URL_VAR)
        .ok()
        .filter(|url| !url.trim().is_empty())
}

/// A server for tests and checks.
#[derive(Debug)]
pub enum Server {
    /// An existing server, from `DATABASE_URL` (its maintenance database URL).
    External(String),
    /// A fresh throw-away server, stopped and deleted on drop.
    Private(TempCluster),
}

impl Server {
    /// `DATABASE_URL`'s server, else a fresh private one with test settings.
    pub fn for_tests() -> anyhow::Result<Self> {
        match database_url_override() {
            Some(url) => Ok(Self::External(maintenance_url(&url))),
            None => TempCluster::start(Profile::Test).map(Self::Private),
        }
    }

    /// The URL of the server's maintenance database.
    pub fn url(&self) -> String {
        match self {
            Self::External(url) => url.clone(),
            Self::Private(cluster) => cluster.url(crate::db::MAINTENANCE_DB),
        }
    }

    /// One line saying which server this is.
    pub fn describe(&self) -> String {
        match self {
            Self::External(url) => format!("{DATABASE_URL_VAR} server {url}"),
            Self::Private(cluster) => format!(
                "fresh cluster on port {} in {}",
                cluster.port(),
                cluster.work_dir().display()
            ),
        }
    }
}
