//! `cargo xtask test`: every check CI runs, against a fresh PostgreSQL.
//!
//! Steps: start the server, create the template and shared test databases,
//! `cargo fmt --check`, `cargo clippy -D warnings`, the `db-schema` and
//! `er-diagram` checks, then `cargo test`. Every step runs even when an
//! earlier one failed, so one run shows all problems; the exit code is the
//! test suite's when it failed, else 1 if any other step failed.

use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use conclave_db::testing::DATABASE_URL_VAR;

use crate::checks;
use crate::db::{block_on, prepare_test_databases};
use crate::interrupt::{self, INTERRUPTED_EXIT_CODE};
use crate::pg::local::repo_root;
use crate::server::Server;

/// Options of `cargo xtask test`.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Skip `cargo fmt` and `cargo clippy`.
    pub skip_lints: bool,
    /// Extra arguments for `cargo test`.
    pub cargo_test_args: Vec<String>,
}

/// Runs all steps and prints a summary; returns the process exit code.
pub fn run(options: &Options) -> anyhow::Result<ExitCode> {
    interrupt::install()?;
    let mut summary = Summary::default();
    let outcome = run_steps(&mut summary, options);
    summary.print();
    outcome
}

fn run_steps(summary: &mut Summary, options: &Options) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let server = summary.record("postgres", started, Server::for_tests(), Server::describe)?;
    let url = server.url();
    let started = Instant::now();
    let prepared = block_on(prepare_test_databases(&url)).and_then(|r| r);
    summary.record("test databases", started, prepared, |n| {
        format!("{n} migrations")
    })?;

    let mut other_failed = false;
    for (name, check) in checks(options.skip_lints) {
        if interrupt::interrupted() {
            return Ok(interrupted(summary));
        }
        let started = Instant::now();
        let result = run_check(check, &url);
        other_failed |= summary
            .record(name, started, result, |()| String::new())
            .is_err();
    }
    if interrupt::interrupted() {
        return Ok(interrupted(summary));
    }
    let tests = run_tests(summary, &url, &options.cargo_test_args);
    if interrupt::interrupted() {
        return Ok(interrupted(summary));
    }
    let started = Instant::now();
    drop(server);
    summary.push("stop postgres", started, true, String::new());
    Ok(exit_code(tests, other_failed))
}

/// A step before the test suite.
#[derive(Debug, Clone, Copy)]
enum Check {
    Cargo(&'static [&'static str]),
    DbSchema,
    ErDiagram,
}

fn checks(skip_lints: bool) -> Vec<(&'static str, Check)> {
    const FMT: &[&str] = &["fmt", "--all", "--check"];
    const CLIPPY: &[&str] = &[
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ];
    let mut checks = Vec::new();
    if !skip_lints {
        checks.push(("cargo fmt --all --check", Check::Cargo(FMT)));
        checks.push(("cargo clippy -D warnings", Check::Cargo(CLIPPY)));
    }
    checks.push(("db-schema --check", Check::DbSchema));
    checks.push(("er-diagram --check", Check::ErDiagram));
    checks
}

fn run_check(check: Check, url: &str) -> anyhow::Result<()> {
    match check {
        Check::Cargo(args) => {
            let status = interrupt::run_step(&mut cargo(url, args))?;
            anyhow::ensure!(
                status.success(),
                "cargo {} failed ({status})",
                args.join(" ")
            );
            Ok(())
        }
        Check::DbSchema => checks::db_schema(url, true),
        Check::ErDiagram => checks::er_diagram(url, true),
    }
}

/// Runs `cargo test` with its output on the terminal; returns its exit code
/// (`None` when it could not run or was killed by a signal) on failure.
fn run_tests(summary: &mut Summary, url: &str, extra: &[String]) -> Result<(), Option<i32>> {
    let args = test_args(extra);
    let started = Instant::now();
    let mut counts = Counts::default();
    let status = interrupt::run_step_tee(&mut cargo(url, &args), &mut |line| counts.add_line(line));
    let outcome = match status {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(status.code()),
        Err(e) => {
            eprintln!("xtask test: {e:#}");
            Err(None)
        }
    };
    summary.push(
        &format!("cargo {}", args.join(" ")),
        started,
        outcome.is_ok(),
        counts.to_string(),
    );
    summary.counts = Some(counts);
    outcome
}

/// Test counts summed over the `test result:` lines of all test binaries.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Counts {
    passed: u64,
    failed: u64,
    ignored: u64,
}

impl Counts {
    /// Adds `test result: ok. 3 passed; 1 failed; 2 ignored; …`; other
    /// lines are ignored.
    fn add_line(&mut self, line: &str) {
        let Some(rest) = line.trim().strip_prefix("test result: ") else {
            return;
        };
        let Some((_, rest)) = rest.split_once(". ") else {
            return;
        };
        for part in rest.split(';') {
            let mut words = part.split_whitespace();
            let (Some(number), Some(what)) = (words.next(), words.next()) else {
                continue;
            };
            let Ok(number) = number.parse::<u64>() else {
                continue;
            };
            match what {
                "passed" => self.passed += number,
                "failed" => self.failed += number,
                "ignored" => self.ignored += number,
                _ => {}
            }
        }
    }
}

impl std::fmt::Display for Counts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} passed, {} failed, {} skipped",
            self.passed, self.failed, self.ignored
        )
    }
}

/// The test suite's own exit code when it failed, else 1 for any other
/// failed step, else 0.
fn exit_code(tests: Result<(), Option<i32>>, other_failed: bool) -> ExitCode {
    match tests {
        Ok(()) if other_failed => ExitCode::FAILURE,
        Ok(()) => ExitCode::SUCCESS,
        Err(code) => {
            let code = code.and_then(|c| u8::try_from(c).ok()).filter(|c| *c != 0);
            ExitCode::from(code.unwrap_or(1))
        }
    }
}

fn interrupted(summary: &mut Summary) -> ExitCode {
    summary.push("interrupted", Instant::now(), false, "cleaning up".into());
    ExitCode::from(INTERRUPTED_EXIT_CODE)
}

/// `cargo test` arguments: `--workspace` unless the caller picked packages.
fn test_args(extra: &[String]) -> Vec<String> {
    let cargo_part = extra.iter().take_while(|a| *a != "--");
    let picks_packages = cargo_part
        .clone()
        .any(|a| a == "-p" || a.starts_with("--package") || (a.starts_with("-p") && a.len() > 2));
    let mut args = vec!["test".to_owned()];
    if !picks_packages {
        args.push("--workspace".to_owned());
    }
    // All failing test binaries in one run, not only the first.
    args.push("--no-fail-fast".to_owned());
    args.extend(extra.iter().cloned());
    args
}

/// A cargo command in the repository, with the test server's URL set.
fn cargo(url: &str, args: &[impl AsRef<std::ffi::OsStr>]) -> Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.args(args)
        .current_dir(repo_root())
        .env(DATABASE_URL_VAR, url);
    cmd
}

/// One line per step: result, time and a note.
#[derive(Debug, Default)]
struct Summary {
    lines: Vec<(String, bool, Duration, String)>,
    counts: Option<Counts>,
}

impl Summary {
    fn push(&mut self, name: &str, started: Instant, ok: bool, note: String) {
        self.lines
            .push((name.to_owned(), ok, started.elapsed(), note));
    }

    /// Records a step's result; a failure is printed in full right away.
    fn record<T>(
        &mut self,
        name: &str,
        started: Instant,
        result: anyhow::Result<T>,
        note: impl FnOnce(&T) -> String,
    ) -> anyhow::Result<T> {
        match &result {
            Ok(value) => self.push(name, started, true, note(value)),
            Err(e) => {
                eprintln!("xtask test: {name} failed: {e:#}");
                self.push(name, started, false, String::new());
            }
        }
        result
    }

    fn print(&self) {
        println!("\ncargo xtask test summary:");
        let mut total = Duration::ZERO;
        for (name, ok, elapsed, note) in &self.lines {
            total += *elapsed;
            let status = if *ok { "ok" } else { "FAILED" };
            let note = if note.is_empty() {
                String::new()
            } else {
                format!(" ({note})")
            };
            println!("  {status:<7}{:>7.1}s  {name}{note}", elapsed.as_secs_f64());
        }
        println!("  total  {:>7.1}s", total.as_secs_f64());
        if let Some(counts) = self.counts {
            // The plain closing line CI tools look for.
            println!("tests: {counts}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Counts, test_args};

    fn check(extra: &[&str], expected: &[&str]) {
        let extra: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        assert_eq!(test_args(&extra), expected, "{extra:?}");
    }

    #[test]
    fn workspace_unless_packages_are_picked() {
        let ws = ["test", "--workspace", "--no-fail-fast"];
        let pkg = ["test", "--no-fail-fast"];
        check(&[], &ws);
        check(
            &["--", "--nocapture"],
            &[&ws[..], &["--", "--nocapture"]].concat(),
        );
        check(
            &["-p", "conclave-db"],
            &[&pkg[..], &["-p", "conclave-db"]].concat(),
        );
        check(&["-pxtask"], &[&pkg[..], &["-pxtask"]].concat());
        check(
            &["--package=xtask"],
            &[&pkg[..], &["--package=xtask"]].concat(),
        );
        // After `--` the words belong to the test binaries, not to cargo.
        check(&["--", "-p"], &[&ws[..], &["--", "-p"]].concat());
    }

    #[test]
    fn counts_sum_the_result_lines() {
        let mut counts = Counts::default();
        for line in [
            "test result: ok. 32 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.09s",
            "test foo ... ok",
            "test result: FAILED. 1 passed; 2 failed; 3 ignored; 0 measured; 0 filtered out",
            "   Doc-tests conclave_db",
            "test result: garbage",
        ] {
            counts.add_line(line);
        }
        assert_eq!(
            counts,
            Counts {
                passed: 33,
                failed: 2,
                ignored: 3
            }
        );
        assert_eq!(counts.to_string(), "33 passed, 2 failed, 3 skipped");
    }
}
