//! The API server of `cargo xtask run`: builds the `conclave` binary, writes
//! a development configuration, starts the server, provisions the demo users
//! through the real login endpoint and prints their tokens.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::process::CommandExt as _;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};

use crate::interrupt;
use crate::pg::local::repo_root;

/// The demo users the server provisions (the binary knows their tenants).
pub const DEMO_USERS: [&str; 3] = ["alice", "bob", "carol"];
/// The port of upstream's controller, the default here too.
pub const DEFAULT_PORT: u16 = 11311;
/// The variable that overrides the port (the server reads it as well).
pub const PORT_VAR: &str = "CONCLAVE__HTTP__PORT";

/// Where `run` keeps the development configuration.
pub fn config_path() -> PathBuf {
    repo_root().join("target/conclave-dev/conclave.toml")
}

/// The listening port: `CONCLAVE__HTTP__PORT`, else 11311.
pub fn port() -> anyhow::Result<u16> {
    match std::env::var(PORT_VAR) {
        Ok(value) => value
            .parse()
            .with_context(|| format!("{PORT_VAR}={value} is not a port")),
        Err(_) => Ok(DEFAULT_PORT),
    }
}

/// Writes the development configuration for the database at `url`.
pub fn write_config(url: &str, port: u16) -> anyhow::Result<PathBuf> {
    let path = config_path();
    std::fs::create_dir_all(path.parent().expect("config dir"))?;
    let text = format!(
        "# Written by `cargo xtask run`; development only (dev tokens are trusted).\n\
         [database]\nurl = {url:?}\nmax_connections = 8\n\n\
         [http]\nport = {port}\n\n\
         [dev]\nenabled = true\n\n\
         [tenants]\nassignment = \"by_external_tenant_id\"\n\n\
         [tariffs]\nstatic_tariff_name = \"demo\"\n\n\
         [user_search]\nusers_find_behavior = \"from_database\"\n"
    );
    std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(path)
}

/// Builds the `conclave` binary (`release` for measurements, else the dev
/// profile) and returns its path.
pub fn build_binary(release: bool) -> anyhow::Result<PathBuf> {
    let mut args = vec![
        "build",
        "--quiet",
        "-p",
        "conclave-api",
        "--bin",
        "conclave",
    ];
    if release {
        args.push("--release");
    }
    let status = interrupt::run_step(
        Command::new(env!("CARGO"))
            .args(&args)
            .current_dir(repo_root()),
    )?;
    if !status.success() {
        bail!("building the conclave binary failed ({status})");
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target"));
    let profile = if release { "release" } else { "debug" };
    Ok(target.join(profile).join("conclave"))
}

/// A running development server, stopped (SIGINT, then SIGKILL) on drop.
pub struct DevServer {
    child: Child,
}

impl DevServer {
    /// Starts `binary serve` with the configuration at `config`.
    pub fn start(binary: &PathBuf, config: &PathBuf) -> anyhow::Result<Self> {
        let child = Command::new(binary)
            .arg("--config")
            .arg(config)
            .arg("serve")
            // Its own group, so the terminal's Ctrl-C reaches xtask first and
            // the server is then stopped in order.
            .process_group(0)
            .spawn()
            .with_context(|| format!("cannot start {}", binary.display()))?;
        Ok(Self { child })
    }

    /// Whether the server process has ended.
    pub fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }
}

impl Drop for DevServer {
    fn drop(&mut self) {
        if self.exited().is_some() {
            return;
        }
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-INT", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if self.exited().is_some() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits until `GET /health/ready` answers 200.
pub fn wait_ready(server: &mut DevServer, port: u16, timeout: Duration) -> anyhow::Result<()> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(status) = server.exited() {
            bail!("the server exited during start-up ({status})");
        }
        if let Ok((200, _)) = http(port, "GET", "/health/ready", None) {
            return Ok(());
        }
        if Instant::now() > deadline || interrupt::interrupted() {
            bail!("the server did not become ready on port {port}");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// A fresh development token for `name`, minted by the binary.
pub fn dev_token(binary: &PathBuf, config: &PathBuf, name: &str) -> anyhow::Result<String> {
    let output = Command::new(binary)
        .arg("--config")
        .arg(config)
        .args(["dev-token", name])
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("cannot run {}", binary.display()))?;
    if !output.status.success() {
        bail!("`conclave dev-token {name}` failed ({})", output.status);
    }
    Ok(String::from_utf8(output.stdout)?.trim().to_owned())
}

/// Provisions `name` through `POST /v1/auth/login` and returns its token.
pub fn login(binary: &PathBuf, config: &PathBuf, port: u16, name: &str) -> anyhow::Result<String> {
    let token = dev_token(binary, config, name)?;
    let body = format!("{{\"id_token\":\"{token}\"}}");
    let (status, response) = http(port, "POST", "/v1/auth/login", Some(&body))?;
    if status != 200 {
        bail!("login of {name} answered {status}: {response}");
    }
    Ok(token)
}

/// A minimal HTTP/1.1 request on loopback: `(status, body)`.
fn http(port: u16, method: &str, path: &str, body: Option<&str>) -> anyhow::Result<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let body = body.unwrap_or("");
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .context("malformed HTTP response")?;
    let body = response
        .split_once("\r\n\r\n")
        .map_or("", |(_, body)| body)
        .to_owned();
    Ok((status, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_config_names_the_database_port_and_dev_mode() {
        let path = write_config("postgres://postgres@127.0.0.1:5/conclave", 4242).unwrap();
        let text = std::fs::read_to_string(path).unwrap();
        assert!(text.contains("url = \"postgres://postgres@127.0.0.1:5/conclave\""));
        assert!(text.contains("port = 4242"));
        assert!(text.contains("[dev]\nenabled = true"));
    }
}
