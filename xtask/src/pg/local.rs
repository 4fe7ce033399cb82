//! The persistent local cluster of `cargo xtask run` and `cargo xtask pg …`.
//!
//! Its state file and lock live in `target/conclave-pg/`, and so, normally,
//! does the cluster itself (`target/conclave-pg/cluster/`: data directory, log
//! and socket). As root, that directory must be reachable and writable for the
//! `postgres` OS user; when it is not (a repository under root's home, say),
//! or its socket path would be too long, the cluster lives in a fresh
//! directory under the system temp dir instead and the state file records
//! where.

use std::fs::File;
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use super::state::State;
use super::temp::fresh_dir;
use super::{Cluster, Profile, Shutdown, bindir};

/// Unix socket paths are limited to 107 bytes; `/.s.PGSQL.65535` adds 16.
const MAX_SOCKET_DIR_LEN: usize = 90;

/// The repository root (the xtask crate's parent directory).
pub fn repo_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// `target/conclave-pg/` (honouring `CARGO_TARGET_DIR`).
pub fn state_dir() -> PathBuf {
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => repo_root().join(dir),
        None => repo_root().join("target"),
    };
    target.join("conclave-pg")
}

fn state_file() -> PathBuf {
    state_dir().join("state")
}

/// Holds the lock that serialises `pg start`/`stop` across processes.
fn locked() -> anyhow::Result<File> {
    let dir = state_dir();
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let lock = File::create(dir.join("lock")).context("cannot create the lock file")?;
    lock.lock().context("cannot lock the local cluster")?;
    Ok(lock)
}

/// Starts the local cluster, or finds it running, and returns its state.
pub fn start() -> anyhow::Result<State> {
    let _lock = locked()?;
    let bindir = bindir::find()?;
    let known = State::load(&state_file())?;
    let work_dir = match known.as_ref().filter(|s| s.work_dir.is_dir()) {
        Some(state) => state.work_dir.clone(),
        None => choose_work_dir(&bindir)?,
    };
    let cluster = Cluster::new(bindir, work_dir);
    let port = match cluster.running_port() {
        Some(port) => port,
        None => {
            if !cluster.is_initialized() {
                cluster.init(Profile::Dev)?;
            }
            cluster.start()?
        }
    };
    let state = State {
        work_dir: cluster.work_dir().to_path_buf(),
        port,
        url: super::url(port, "postgres"),
    };
    state.save(&state_file())?;
    Ok(state)
}

/// The state of the running local cluster, or `None` when it is not running.
pub fn status() -> anyhow::Result<Option<State>> {
    let Some(mut state) = State::load(&state_file())? else {
        return Ok(None);
    };
    let cluster = Cluster::new(bindir::find()?, state.work_dir.clone());
    Ok(cluster.running_port().map(|port| {
        state.port = port;
        state.url = super::url(port, "postgres");
        state
    }))
}

/// Stops the local cluster; with `purge` also deletes its data and state.
/// Returns whether a server was running.
pub fn stop(purge: bool) -> anyhow::Result<bool> {
    let _lock = locked()?;
    let Some(state) = State::load(&state_file())? else {
        return Ok(false);
    };
    let cluster = Cluster::new(bindir::find()?, state.work_dir.clone());
    let was_running = cluster.running_port().is_some();
    cluster.stop(Shutdown::Fast)?;
    if purge {
        if state.work_dir.exists() {
            std::fs::remove_dir_all(&state.work_dir)
                .with_context(|| format!("cannot remove {}", state.work_dir.display()))?;
        }
        std::fs::remove_file(state_file()).context("cannot remove the state file")?;
    }
    Ok(was_running)
}

/// `target/conclave-pg/cluster` if the server's OS user can use it, else a
/// fresh directory under the system temp dir.
fn choose_work_dir(bindir: &Path) -> anyhow::Result<PathBuf> {
    let preferred = state_dir().join("cluster");
    if preferred.as_os_str().len() <= MAX_SOCKET_DIR_LEN {
        std::fs::create_dir_all(&preferred)
            .with_context(|| format!("cannot create {}", preferred.display()))?;
        // Private: the socket inside lets in, without a password, anyone
        // who can reach it.
        std::fs::set_permissions(&preferred, std::fs::Permissions::from_mode(0o700))?;
        let cluster = Cluster::new(bindir.to_path_buf(), preferred.clone());
        cluster.prepare_work_dir()?;
        if cluster.server_user_can_use(&preferred) {
            return Ok(preferred);
        }
        std::fs::remove_dir(&preferred).ok();
    }
    // The data must live where the postgres user can reach it; the state
    // file in target/ still says where that is.
    fresh_dir(&std::env::temp_dir(), "conclave-dev-pg")
}
