//! A private PostgreSQL server built from `initdb` and `pg_ctl` (stack.md §12).
//!
//! One [`Cluster`] is a working directory that holds the data directory, the
//! server log and the Unix socket. PostgreSQL refuses to run as root, so when
//! we are root the directory belongs to the `postgres` OS user and every
//! PostgreSQL command runs through `runuser -u postgres --`.
//!
//! [`temp`] is a throw-away cluster for tests and checks; [`local`] is the
//! persistent one that `cargo xtask run` and `cargo xtask pg …` share.

pub mod bindir;
pub mod local;
pub mod state;
pub mod temp;

use std::fs::OpenOptions;
use std::io::Write as _;
use std::net::TcpListener;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use anyhow::{Context as _, bail};

/// The OS user that owns the server when we run as root.
const PG_USER: &str = "postgres";
/// How often `start` picks a new port after "address already in use".
const PORT_ATTEMPTS: usize = 5;

/// Server settings for the kind of use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// Throw-away test server: durability off, because speed is all that counts.
    Test,
    /// Local development: PostgreSQL's defaults.
    Dev,
}

/// How to stop a server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shutdown {
    /// Roll back open transactions and write a checkpoint: data survives.
    Fast,
    /// No checkpoint (crash recovery on the next start): for servers whose
    /// data is deleted right after, where the checkpoint is wasted time.
    Immediate,
}

/// A PostgreSQL cluster living in one working directory.
#[derive(Debug, Clone)]
pub struct Cluster {
    bindir: PathBuf,
    work_dir: PathBuf,
    as_postgres: bool,
}

/// `postgres://postgres@127.0.0.1:<port>/<database>`.
pub fn url(port: u16, database: &str) -> String {
    format!("postgres://{PG_USER}@127.0.0.1:{port}/{database}")
}

/// Whether this process runs as root (and must hand PostgreSQL to `postgres`).
pub fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt as _;
    // /proc/self belongs to the process's effective uid.
    match std::fs::metadata("/proc/self") {
        Ok(meta) => meta.uid() == 0,
        Err(_) => Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout.trim_ascii() == b"0"),
    }
}

impl Cluster {
    /// A cluster in `work_dir` using the binaries in `bindir`.
    pub fn new(bindir: PathBuf, work_dir: PathBuf) -> Self {
        Self {
            bindir,
            work_dir,
            as_postgres: is_root(),
        }
    }

    /// The working directory (data directory, log and socket live inside).
    pub fn work_dir(&self) -> &Path {
        &self.work_dir
    }

    /// The data directory.
    pub fn data_dir(&self) -> PathBuf {
        self.work_dir.join("data")
    }

    /// The server log.
    pub fn log_file(&self) -> PathBuf {
        self.work_dir.join("postgres.log")
    }

    /// Whether `initdb` has already run here.
    pub fn is_initialized(&self) -> bool {
        self.data_dir().join("PG_VERSION").is_file()
    }

    /// Hands the (existing) working directory to the server's OS user.
    pub fn prepare_work_dir(&self) -> anyhow::Result<()> {
        if self.as_postgres {
            let owner = format!("{PG_USER}:{PG_USER}");
            run_checked(Command::new("chown").arg(owner).arg(&self.work_dir))
                .context("cannot hand the working directory to the postgres user")?;
        }
        Ok(())
    }

    /// Runs `initdb` and writes the server settings for `profile`.
    pub fn init(&self, profile: Profile) -> anyhow::Result<()> {
        self.prepare_work_dir()?;
        let first = self.initdb("C.UTF-8")?;
        if !first.status.success() {
            let stderr = String::from_utf8_lossy(&first.stderr);
            // Minimal systems may lack C.UTF-8; initdb removes its half-made
            // data directory on failure, so simply try again.
            if !stderr.contains("locale") {
                bail!("initdb failed: {}", stderr.trim());
            }
            let second = self.initdb("C")?;
            if !second.status.success() {
                bail!(
                    "initdb failed: {}",
                    String::from_utf8_lossy(&second.stderr).trim()
                );
            }
        }
        self.write_settings(profile)
    }

    fn initdb(&self, locale: &str) -> anyhow::Result<Output> {
        self.command("initdb")
            .arg("-D")
            .arg(self.data_dir())
            .args(["-U", PG_USER, "--auth=trust", "--no-sync", "-E", "UTF8"])
            .arg(format!("--locale={locale}"))
            .output()
            .context("cannot run initdb")
    }

    /// Appends the settings to `postgresql.conf`, so that paths need no
    /// shell quoting in `pg_ctl -o` and a restart keeps them.
    fn write_settings(&self, profile: Profile) -> anyhow::Result<()> {
        let mut conf = settings(profile, &self.work_dir);
        conf.insert_str(0, "\n# Added by cargo xtask (Conclave).\n");
        let path = self.data_dir().join("postgresql.conf");
        OpenOptions::new()
            .append(true)
            .open(&path)
            .and_then(|mut file| file.write_all(conf.as_bytes()))
            .with_context(|| format!("cannot write {}", path.display()))
    }

    /// Starts the server on a free loopback port and returns the port.
    pub fn start(&self) -> anyhow::Result<u16> {
        let mut attempt = 1;
        loop {
            let port = free_port()?;
            let log_before = file_len(&self.log_file());
            let output = self
                .command("pg_ctl")
                .args(["start", "-w", "-t", "60", "-s", "-D"])
                .arg(self.data_dir())
                .arg("-l")
                .arg(self.log_file())
                .args(["-o", &format!("-p {port}")])
                .output()
                .context("cannot run pg_ctl start")?;
            if output.status.success() {
                return Ok(port);
            }
            let log = read_from(&self.log_file(), log_before);
            if attempt < PORT_ATTEMPTS && log.contains("already in use") {
                attempt += 1;
                continue;
            }
            bail!(
                "pg_ctl start failed: {}\nserver log ({}):\n{}",
                String::from_utf8_lossy(&output.stderr).trim(),
                self.log_file().display(),
                log.trim()
            );
        }
    }

    /// The port of the running server, or `None` when it is not running.
    pub fn running_port(&self) -> Option<u16> {
        let status = self
            .command("pg_ctl")
            .args(["status", "-D"])
            .arg(self.data_dir())
            .output()
            .ok()?;
        if !status.status.success() {
            return None;
        }
        state::read_postmaster_pid(&self.data_dir()).map(|pm| pm.port)
    }

    /// Stops the server; does nothing if it is not running.
    pub fn stop(&self, how: Shutdown) -> anyhow::Result<()> {
        if !self.data_dir().join("postmaster.pid").exists() {
            return Ok(());
        }
        let modes: &[&str] = match how {
            Shutdown::Fast => &["fast", "immediate"],
            Shutdown::Immediate => &["immediate"],
        };
        for mode in modes {
            let stopped = self
                .command("pg_ctl")
                .args(["stop", "-w", "-t", "30", "-s", "-m", mode, "-D"])
                .arg(self.data_dir())
                .output()
                .context("cannot run pg_ctl stop")?;
            if stopped.status.success() || self.running_port().is_none() {
                return Ok(());
            }
        }
        // Last resort: the postmaster's own PID, never a process name.
        let pm = state::read_postmaster_pid(&self.data_dir())
            .context("server does not stop and postmaster.pid is unreadable")?;
        run_checked(Command::new("kill").arg("-KILL").arg(pm.pid.to_string()))
    }

    /// A command for one of the server binaries, run as the right user, in
    /// the working directory, in its own process group (so a Ctrl-C at the
    /// terminal does not cut `initdb` or `pg_ctl` in half: the caller cleans up).
    fn command(&self, program: &str) -> Command {
        let exe = self.bindir.join(program);
        let mut cmd = if self.as_postgres {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", PG_USER, "--"]).arg(exe);
            cmd
        } else {
            Command::new(exe)
        };
        cmd.current_dir(&self.work_dir)
            .stdin(Stdio::null())
            .process_group(0);
        cmd
    }

    /// Whether the server's OS user can write to `dir` (and reach it).
    pub fn server_user_can_use(&self, dir: &Path) -> bool {
        if !self.as_postgres {
            return true;
        }
        Command::new("runuser")
            .args(["-u", PG_USER, "--", "test", "-x"])
            .arg(dir)
            .args(["-a", "-w"])
            .arg(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }
}

/// The `postgresql.conf` lines for `profile` with the socket in `socket_dir`.
fn settings(profile: Profile, socket_dir: &Path) -> String {
    let socket_dir = socket_dir.to_string_lossy().replace('\'', "''");
    let mut conf =
        format!("listen_addresses = '127.0.0.1'\nunix_socket_directories = '{socket_dir}'\n");
    if profile == Profile::Test {
        conf.push_str(
            "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n\
             autovacuum = off\nmax_connections = 200\n",
        );
    }
    conf
}

/// A port that was free a moment ago (the server binds it right after).
fn free_port() -> anyhow::Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("cannot find a free port")?;
    Ok(listener.local_addr()?.port())
}

fn file_len(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

/// The part of a file after byte `offset` (the log lines of one start).
fn read_from(path: &Path, offset: u64) -> String {
    let bytes = std::fs::read(path).unwrap_or_default();
    let start = usize::try_from(offset).unwrap_or(0).min(bytes.len());
    String::from_utf8_lossy(&bytes[start..]).into_owned()
}

/// Runs a command and turns a failure into an error with its stderr.
fn run_checked(cmd: &mut Command) -> anyhow::Result<()> {
    let output = cmd
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("cannot run {cmd:?}"))?;
    if !output.status.success() {
        bail!(
            "{cmd:?} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests;
