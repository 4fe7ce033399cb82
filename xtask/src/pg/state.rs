//! The small files that describe a cluster: our own state file for the local
//! cluster, and PostgreSQL's `postmaster.pid`.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

/// What `cargo xtask pg start` remembers about the local cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    /// The cluster's working directory (data directory, log, socket).
    pub work_dir: PathBuf,
    /// The port the server last listened on.
    pub port: u16,
    /// The maintenance-database URL for that port.
    pub url: String,
}

impl State {
    /// Parses `key=value` lines; blank lines and `#` comments are ignored,
    /// unknown keys too (so a newer xtask's file stays readable).
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let (mut work_dir, mut port, mut url) = (None, None, None);
        for (number, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((key, value)) = line.split_once('=') else {
                bail!("line {}: expected key=value, got {line:?}", number + 1);
            };
            match key.trim() {
                "work_dir" => work_dir = Some(PathBuf::from(value.trim())),
                "port" => {
                    let parsed = value
                        .trim()
                        .parse()
                        .with_context(|| format!("line {}: bad port", number + 1))?;
                    port = Some(parsed);
                }
                "url" => url = Some(value.trim().to_owned()),
                _ => {}
            }
        }
        Ok(Self {
            work_dir: work_dir.context("missing work_dir")?,
            port: port.context("missing port")?,
            url: url.context("missing url")?,
        })
    }

    /// The file text that [`State::parse`] reads back.
    pub fn render(&self) -> String {
        format!(
            "# Local PostgreSQL of `cargo xtask run`; `cargo xtask pg stop` stops it.\n\
             work_dir={}\nport={}\nurl={}\n",
            self.work_dir.display(),
            self.port,
            self.url
        )
    }

    /// Reads the state file; `Ok(None)` when there is none.
    pub fn load(path: &Path) -> anyhow::Result<Option<Self>> {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse(&text)
                .map(Some)
                .with_context(|| format!("corrupt state file {} (delete it)", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
        }
    }

    /// Writes the state file.
    pub fn save(&self, path: &Path) -> anyhow::Result<()> {
        std::fs::write(path, self.render())
            .with_context(|| format!("cannot write {}", path.display()))
    }
}

/// The parts of `postmaster.pid` we use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Postmaster {
    /// The postmaster's process id.
    pub pid: u32,
    /// The port it listens on.
    pub port: u16,
}

/// Parses `postmaster.pid`: line 1 is the PID, line 4 the port.
pub fn parse_postmaster_pid(text: &str) -> Option<Postmaster> {
    let lines: Vec<&str> = text.lines().take(4).collect();
    let pid = lines.first()?.trim().parse().ok()?;
    let port = lines.get(3)?.trim().parse().ok()?;
    Some(Postmaster { pid, port })
}

/// Reads `postmaster.pid` from a data directory.
pub fn read_postmaster_pid(data_dir: &Path) -> Option<Postmaster> {
    let text = std::fs::read_to_string(data_dir.join("postmaster.pid")).ok()?;
    parse_postmaster_pid(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> State {
        State {
            work_dir: "/work/main/target/conclave-pg/cluster".into(),
            port: 41234,
            url: "postgres://postgres@127.0.0.1:41234/postgres".into(),
        }
    }

    #[test]
    fn state_round_trips() {
        assert_eq!(State::parse(&state().render()).unwrap(), state());
    }

    #[test]
    fn state_parse_tolerates_noise_and_reports_gaps() {
        let text = "\n# comment\n port = 5 \nwork_dir=/tmp/x\nfuture=1\nurl=u\n";
        let parsed = State::parse(text).unwrap();
        assert_eq!((parsed.port, parsed.url.as_str()), (5, "u"));
        assert_eq!(parsed.work_dir, PathBuf::from("/tmp/x"));
        let cases = [
            ("work_dir=/x\nurl=u\n", "missing port"),
            ("port=1\nurl=u\n", "missing work_dir"),
            ("port=1\nwork_dir=/x\n", "missing url"),
            ("port=99999\n", "bad port"),
            ("garbage\n", "expected key=value"),
        ];
        for (text, fragment) in cases {
            let err = format!("{:#}", State::parse(text).unwrap_err());
            assert!(err.contains(fragment), "{text:?}: {err}");
        }
    }

    #[test]
    fn postmaster_pid_lines() {
        let real =
            "12345\n/tmp/x/data\n1700000000\n41234\n/tmp/x\n127.0.0.1\n  1234   5678\nready   \n";
        assert_eq!(
            parse_postmaster_pid(real),
            Some(Postmaster {
                pid: 12345,
                port: 41234
            })
        );
        assert_eq!(parse_postmaster_pid("12345\n/tmp/x/data\n"), None);
        assert_eq!(parse_postmaster_pid("x\n/d\n1\n5432\n"), None);
        assert_eq!(parse_postmaster_pid(""), None);
    }
}
