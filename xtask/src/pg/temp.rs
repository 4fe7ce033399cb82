//! A throw-away cluster in a fresh directory under the system temp dir,
//! stopped and deleted when dropped (or on a second Ctrl-C).

use std::os::unix::fs::DirBuilderExt as _;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Context as _;

use super::{Cluster, Profile, Shutdown, bindir};
use crate::interrupt;

/// A running throw-away server.
#[derive(Debug)]
pub struct TempCluster {
    cluster: Cluster,
    port: u16,
    // Dropped last: stops the server and removes the directory.
    _cleanup: interrupt::Cleanup,
}

impl TempCluster {
    /// Creates, initialises and starts a fresh cluster.
    pub fn start(profile: Profile) -> anyhow::Result<Self> {
        let bindir = bindir::find()?;
        let work_dir = fresh_dir(&std::env::temp_dir(), "conclave-pg")?;
        let cluster = Cluster::new(bindir, work_dir);
        let for_cleanup = cluster.clone();
        // Registered before initdb, so that any failure below still removes
        // the directory.
        let cleanup = interrupt::on_exit(move || teardown(&for_cleanup));
        cluster.init(profile)?;
        let port = cluster.start()?;
        Ok(Self {
            cluster,
            port,
            _cleanup: cleanup,
        })
    }

    /// The server's port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The URL of `database` on this server.
    pub fn url(&self, database: &str) -> String {
        super::url(self.port, database)
    }

    /// The cluster itself.
    #[cfg(test)]
    pub fn cluster(&self) -> &Cluster {
        &self.cluster
    }

    /// The working directory (removed on drop).
    pub fn work_dir(&self) -> &Path {
        self.cluster.work_dir()
    }
}

/// Stops the server and removes its directory; reports, never panics.
fn teardown(cluster: &Cluster) {
    if let Err(e) = cluster.stop(Shutdown::Immediate) {
        eprintln!(
            "warning: cannot stop the PostgreSQL in {}: {e:#}",
            cluster.work_dir().display()
        );
    }
    match std::fs::remove_dir_all(cluster.work_dir()) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            eprintln!(
                "warning: cannot remove {}: {e}",
                cluster.work_dir().display()
            );
        }
        _ => {}
    }
}

/// Creates a new private (mode 700) directory `<parent>/<prefix>-<unique>`.
pub fn fresh_dir(parent: &Path, prefix: &str) -> anyhow::Result<PathBuf> {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let pid = std::process::id();
    let mut last_error = None;
    for attempt in 0..100u32 {
        let dir = parent.join(format!("{prefix}-{pid}-{nanos:08x}-{attempt}"));
        // create (not create_all): fails if it exists, so the directory is ours.
        match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last_error = Some(e),
            Err(e) => return Err(e).with_context(|| format!("cannot create {}", dir.display())),
        }
    }
    Err(last_error.map_or_else(|| anyhow::anyhow!("no attempt made"), anyhow::Error::from))
        .with_context(|| format!("cannot create a fresh directory in {}", parent.display()))
}
