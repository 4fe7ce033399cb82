//! Finding the PostgreSQL server binaries (`initdb`, `pg_ctl`).
//!
//! Debian keeps them in `/usr/lib/postgresql/<major>/bin`, which is not on
//! `PATH`, so the search order is: the `CONCLAVE_PG_BINDIR` override,
//! `pg_config --bindir`, then the newest `/usr/lib/postgresql/*/bin`.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Environment variable that names the binary directory explicitly (and
/// nothing else is tried when it is set).
pub const BINDIR_VAR: &str = "CONCLAVE_PG_BINDIR";

const DEBIAN_ROOT: &str = "/usr/lib/postgresql";

/// What to tell a developer whose machine lacks the server binaries.
pub const INSTALL_HINT: &str = "install the PostgreSQL 15 server, e.g. `apt-get install postgresql-15` \
     (Debian/Ubuntu) or your distribution's `postgresql-server` package, or point \
     CONCLAVE_PG_BINDIR at the directory that holds initdb and pg_ctl";

/// The directory holding `initdb` and `pg_ctl`, or an error with an install hint.
pub fn find() -> anyhow::Result<PathBuf> {
    let override_dir = std::env::var_os(BINDIR_VAR).map(PathBuf::from);
    let versioned = std::fs::read_dir(DEBIAN_ROOT)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    let candidates = Candidates {
        override_dir,
        pg_config: pg_config_bindir(),
        versioned,
    };
    choose(&candidates, &|dir: &Path| {
        dir.join("initdb").is_file() && dir.join("pg_ctl").is_file()
    })
    .map_err(|reason| {
        anyhow::anyhow!("PostgreSQL server binaries not found: {reason}; {INSTALL_HINT}")
    })
}

fn pg_config_bindir() -> Option<PathBuf> {
    let output = Command::new("pg_config").arg("--bindir").output().ok()?;
    if !output.status.success() {
        return None;
    }
    let dir = String::from_utf8(output.stdout).ok()?;
    let dir = dir.trim();
    (!dir.is_empty()).then(|| PathBuf::from(dir))
}

/// Where the binaries might be, as gathered from the environment.
#[derive(Debug, Default)]
struct Candidates {
    override_dir: Option<PathBuf>,
    pg_config: Option<PathBuf>,
    /// Entry names under `/usr/lib/postgresql` (major versions).
    versioned: Vec<String>,
}

/// Picks the directory by the documented order; `usable` says whether a
/// directory holds the binaries.
fn choose(c: &Candidates, usable: &dyn Fn(&Path) -> bool) -> Result<PathBuf, String> {
    if let Some(dir) = &c.override_dir {
        // An explicit override that is wrong is an error, not a hint to guess.
        return if usable(dir) {
            Ok(dir.clone())
        } else {
            Err(format!(
                "{BINDIR_VAR}={} has no initdb/pg_ctl",
                dir.display()
            ))
        };
    }
    if let Some(dir) = c.pg_config.as_ref().filter(|d| usable(d)) {
        return Ok(dir.clone());
    }
    let mut versions: Vec<(Vec<u32>, &String)> = c
        .versioned
        .iter()
        .filter_map(|name| version_key(name).map(|key| (key, name)))
        .collect();
    versions.sort();
    versions
        .iter()
        .rev()
        .map(|(_, name)| Path::new(DEBIAN_ROOT).join(name).join("bin"))
        .find(|dir| usable(dir))
        .ok_or_else(|| format!("neither `pg_config --bindir` nor {DEBIAN_ROOT}/*/bin has them"))
}

/// `"15"` → `[15]`, `"9.6"` → `[9, 6]`; anything else is not a version.
fn version_key(name: &str) -> Option<Vec<u32>> {
    name.split('.').map(|part| part.parse().ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(c: Candidates, present: &[&str], expected: Result<&str, &str>) {
        let usable = |dir: &Path| present.iter().any(|p| Path::new(p) == dir);
        let got = choose(&c, &usable);
        match expected {
            Ok(dir) => assert_eq!(got, Ok(PathBuf::from(dir)), "{c:?}"),
            Err(fragment) => {
                let err = got.expect_err("expected no directory");
                assert!(err.contains(fragment), "{err}");
            }
        }
    }

    fn versioned(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn override_wins_and_is_never_second_guessed() {
        let c = || Candidates {
            override_dir: Some("/opt/pg/bin".into()),
            pg_config: Some("/usr/lib/postgresql/15/bin".into()),
            versioned: versioned(&["15"]),
        };
        check(
            c(),
            &["/opt/pg/bin", "/usr/lib/postgresql/15/bin"],
            Ok("/opt/pg/bin"),
        );
        check(
            c(),
            &["/usr/lib/postgresql/15/bin"],
            Err("CONCLAVE_PG_BINDIR=/opt/pg/bin"),
        );
    }

    #[test]
    fn pg_config_comes_before_the_debian_directories() {
        let c = Candidates {
            pg_config: Some("/usr/local/pgsql/bin".into()),
            versioned: versioned(&["16"]),
            ..Candidates::default()
        };
        check(
            c,
            &["/usr/local/pgsql/bin", "/usr/lib/postgresql/16/bin"],
            Ok("/usr/local/pgsql/bin"),
        );
    }

    #[test]
    fn newest_usable_debian_version_is_chosen_numerically() {
        let c = || Candidates {
            // libpq-dev's pg_config may point at a client-only directory.
            pg_config: Some("/usr/bin".into()),
            versioned: versioned(&["9.6", "15", "100", "13", "notes"]),
            ..Candidates::default()
        };
        let all = [
            "/usr/lib/postgresql/9.6/bin",
            "/usr/lib/postgresql/13/bin",
            "/usr/lib/postgresql/15/bin",
        ];
        check(c(), &all, Ok("/usr/lib/postgresql/15/bin"));
        check(c(), &all[..2], Ok("/usr/lib/postgresql/13/bin"));
        check(c(), &[], Err("neither"));
    }

    #[test]
    fn version_keys() {
        assert_eq!(version_key("15"), Some(vec![15]));
        assert_eq!(version_key("9.6"), Some(vec![9, 6]));
        assert_eq!(version_key("15-beta"), None);
        assert!(version_key("100") > version_key("15"));
    }
}
