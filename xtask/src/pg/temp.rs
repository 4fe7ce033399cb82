//! A throw-away cluster in a fresh directory under the system temp dir,
//! stopped and deleted when dropped (or on a second Ctrl-C).

use std::os::unix::fs::DirBuilderExt as _;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Context as _;

use super::{Cluster, Profile, Shutdown, bindir};
use crate::interrupt;

/// Directory name prefix; the owning process id follows it.
const PREFIX: &str = "conclave-pg";

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
        sweep_leftovers(&bindir);
        let work_dir = fresh_dir(&std::env::temp_dir(), PREFIX)?;
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

/// Stops and removes the clusters of processes that died without cleaning
/// up (killed with SIGKILL, say), so they do not pile up.
fn sweep_leftovers(bindir: &Path) {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.filter_map(|e| e.ok()) {
        let name = entry.file_name();
        let Some(owner) = name.to_str().and_then(owner_pid) else {
            continue;
        };
        if !Path::new(&format!("/proc/{owner}")).exists() {
            eprintln!(
                "removing the leftover test server {}",
                entry.path().display()
            );
            teardown(&Cluster::new(bindir.to_path_buf(), entry.path()));
        }
    }
}

/// The owner's process id in a directory name made by [`fresh_dir`] with
/// [`PREFIX`].
fn owner_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(PREFIX)?.strip_prefix('-')?;
    let mut parts = rest.split('-');
    let pid = parts.next()?.parse().ok()?;
    let nanos = parts.next()?;
    let attempt = parts.next()?;
    let well_formed = u32::from_str_radix(nanos, 16).is_ok() && attempt.parse::<u32>().is_ok();
    (well_formed && parts.next().is_none()).then_some(pid)
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

#[cfg(test)]
mod tests {
    use super::owner_pid;

    #[test]
    fn owner_pids_of_directory_names() {
        let cases = [
            ("conclave-pg-1234-18b4ab53-0", Some(1234)),
            ("conclave-pg-1-0-17", Some(1)),
            ("conclave-pg-1234-18b4ab53", None),
            ("conclave-pg-x-18b4ab53-0", None),
            ("conclave-pg-1234-zz-0", None),
            ("conclave-pg-1234-18b4ab53-0-1", None),
            ("conclave-dev-pg-1234-18b4ab53-0", None),
            ("other", None),
        ];
        for (name, expected) in cases {
            assert_eq!(owner_pid(name), expected, "{name}");
        }
    }
}
