//! The `conclave` binary: API server and admin CLI.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use conclave_api::cli::AdminCommand;
use conclave_api::{Settings, server, telemetry};
use diesel_async::{AsyncConnection, AsyncPgConnection};

/// Conclave: a control plane for self-hosted video conferencing.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    /// Configuration file (TOML). `CONCLAVE__SECTION__KEY` variables override it.
    #[arg(short, long, env = "CONCLAVE_CONFIG", global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the HTTP API.
    Serve,
    /// Apply pending database migrations.
    Migrate,
    /// Print a development token for a demo user (needs `dev.enabled`).
    DevToken {
        /// The user name, e.g. alice, bob or carol.
        name: String,
    },
    /// Administration commands.
    #[command(flatten)]
    Admin(Box<AdminCommand>),
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let settings = Settings::load(cli.config.as_deref())?;
    telemetry::init(&settings.logging);
    match cli.command {
        Command::Serve => {
            let state = server::build_state(settings).await?;
            let running = server::start(state).await?;
            running.wait().await?;
        }
        Command::Migrate => {
            let applied = conclave_db::migrate(&settings.database.url).await?;
            println!("applied {} migration(s)", applied.len());
            for version in applied {
                println!("  {version}");
            }
        }
        Command::DevToken { name } => {
            conclave_api::cli::dev::print_token(&settings, &name, &mut std::io::stdout())?;
        }
        Command::Admin(admin) => {
            let mut conn = AsyncPgConnection::establish(&settings.database.url).await?;
            (*admin).run(&mut conn, &mut std::io::stdout()).await?;
        }
    }
    Ok(())
}
