//! Admin subcommands of the `conclave` binary: tenants, tariffs and ACL rules.
//!
//! Each command runs against the configured database and writes a plain
//! text report to the given writer, so tests can run them directly.

pub mod acl;
pub mod dev;
pub mod tariffs;
pub mod tenants;

use std::io::Write;

use clap::Subcommand;
use conclave_db::DbConnection;

/// Errors of admin commands: a message for the operator.
pub type CliResult = anyhow::Result<()>;

/// The admin subcommands.
#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Manage tenants.
    #[command(subcommand)]
    Tenants(tenants::TenantCommand),
    /// Manage tariffs, their quotas, disabled modules and features.
    #[command(subcommand)]
    Tariffs(tariffs::TariffCommand),
    /// Inspect and change access rules (`casbin_rule`).
    #[command(subcommand)]
    Acl(acl::AclCommand),
}

impl AdminCommand {
    /// Runs the command on `conn`, reporting to `out`.
    pub async fn run(self, conn: &mut DbConnection, out: &mut dyn Write) -> CliResult {
        match self {
            AdminCommand::Tenants(cmd) => tenants::run(cmd, conn, out).await,
            AdminCommand::Tariffs(cmd) => tariffs::run(cmd, conn, out).await,
            AdminCommand::Acl(cmd) => acl::run(cmd, conn, out).await,
        }
    }
}
