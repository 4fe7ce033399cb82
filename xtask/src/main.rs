//! Developer commands: `cargo xtask run`, `cargo xtask test` and helpers
//! around a private PostgreSQL (see README.md).

mod bench_events;
mod catalog;
mod checks;
mod db;
mod db_schema;
mod dev_server;
mod er_diagram;
mod interrupt;
mod pg;
mod run;
mod server;
mod test_all;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::server::Server;

/// Conclave's developer commands.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// Prepare the local database (private PostgreSQL unless DATABASE_URL is
    /// set), migrate and seed it, and wait for Ctrl-C.
    Run,
    /// Run fmt, clippy, the generated-file checks and all tests against a
    /// fresh PostgreSQL; arguments after `--` go to `cargo test`.
    Test {
        /// Skip `cargo fmt --check` and `cargo clippy`.
        #[arg(long)]
        skip_lints: bool,
        /// Extra arguments for `cargo test`, e.g. `-- -p conclave-db`.
        #[arg(last = true)]
        cargo_test_args: Vec<String>,
    },
    /// The private PostgreSQL cluster of `run` (state in target/conclave-pg/).
    Pg {
        #[command(subcommand)]
        action: PgAction,
    },
    /// Drop, recreate and migrate the `conclave` database.
    DbReset,
    /// Print a fresh development token for a demo user (alice, bob, carol).
    DevToken {
        /// The user name.
        name: String,
    },
    /// Benchmark `GET /v1/events` against a one-statement SQL floor (issue 6).
    BenchEvents {
        /// Seconds per load run.
        #[arg(long, default_value_t = 20)]
        seconds: u64,
    },
    /// Regenerate crates/db/src/schema.rs from a freshly migrated database.
    DbSchema {
        /// Compare with the committed file instead of writing it.
        #[arg(long)]
        check: bool,
    },
    /// Regenerate docs/er-diagram.md from a freshly migrated database.
    ErDiagram {
        /// Compare with the committed file and the reference diagram instead
        /// of writing it.
        #[arg(long)]
        check: bool,
    },
}

#[derive(Debug, Subcommand)]
enum PgAction {
    /// Start the cluster, or reuse the running one, and print its URL.
    Start,
    /// Stop the cluster (fast shutdown).
    Stop {
        /// Also delete its data directory and state file.
        #[arg(long)]
        purge: bool,
    },
    /// Print the URL of a database on the running cluster.
    Url {
        /// The database to name in the URL.
        #[arg(long, default_value = run::APP_DB)]
        database: String,
    },
    /// Say whether the cluster runs (exit code 3 when it does not).
    Status,
}

fn main() -> ExitCode {
    match dispatch(Cli::parse().command) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn dispatch(command: Cmd) -> anyhow::Result<ExitCode> {
    match command {
        Cmd::Run => run::run()?,
        Cmd::Test {
            skip_lints,
            cargo_test_args,
        } => {
            let options = test_all::Options {
                skip_lints,
                cargo_test_args,
            };
            return test_all::run(&options);
        }
        Cmd::Pg { action } => return pg_command(action),
        Cmd::DbReset => run::db_reset()?,
        Cmd::DevToken { name } => run::dev_token(&name)?,
        Cmd::BenchEvents { seconds } => bench_events::run(seconds)?,
        Cmd::DbSchema { check } => with_check_server(|url| checks::db_schema(url, check))?,
        Cmd::ErDiagram { check } => with_check_server(|url| checks::er_diagram(url, check))?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs a generator against `DATABASE_URL`'s server or a fresh private one.
fn with_check_server(work: impl FnOnce(&str) -> anyhow::Result<()>) -> anyhow::Result<()> {
    interrupt::install()?;
    let server = Server::for_tests()?;
    work(&server.url())
}

fn pg_command(action: PgAction) -> anyhow::Result<ExitCode> {
    match action {
        PgAction::Start => {
            let state = pg::local::start()?;
            println!("{}", pg::url(state.port, run::APP_DB));
        }
        PgAction::Stop { purge } => {
            let was_running = pg::local::stop(purge)?;
            println!(
                "{}",
                if was_running {
                    "stopped"
                } else {
                    "not running"
                }
            );
        }
        PgAction::Url { database } => match pg::local::status()? {
            Some(state) => println!("{}", pg::url(state.port, &database)),
            None => anyhow::bail!(
                "the private PostgreSQL is not running; start it with `cargo xtask pg start`"
            ),
        },
        PgAction::Status => match pg::local::status()? {
            Some(state) => println!("running: {} (in {})", state.url, state.work_dir.display()),
            None => {
                println!("not running");
                return Ok(ExitCode::from(3));
            }
        },
    }
    Ok(ExitCode::SUCCESS)
}
