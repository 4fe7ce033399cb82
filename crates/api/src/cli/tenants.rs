//! `conclave tenants …`.

use std::io::Write;

use clap::Subcommand;
use conclave_db::DbConnection;
use conclave_db::models::tenant::{NewTenant, Tenant};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::CliResult;

/// Tenant commands.
#[derive(Debug, Subcommand)]
pub enum TenantCommand {
    /// List all tenants.
    List,
    /// Create a tenant for an OIDC tenant id.
    Create {
        /// The identity provider's tenant id.
        oidc_tenant_id: String,
    },
    /// Change the OIDC tenant id of a tenant.
    SetOidcId {
        /// The current OIDC tenant id.
        current: String,
        /// The new OIDC tenant id.
        new: String,
    },
    /// Delete a tenant that nothing refers to any more.
    Delete {
        /// The OIDC tenant id.
        oidc_tenant_id: String,
    },
}

/// Runs a tenant command.
pub async fn run(cmd: TenantCommand, conn: &mut DbConnection, out: &mut dyn Write) -> CliResult {
    match cmd {
        TenantCommand::List => {
            for tenant in Tenant::list_all(conn).await? {
                writeln!(out, "{}\t{}", tenant.id, tenant.oidc_tenant_id)?;
            }
        }
        TenantCommand::Create { oidc_tenant_id } => {
            let tenant = NewTenant { oidc_tenant_id }.insert(conn).await?;
            writeln!(
                out,
                "created tenant {} ({})",
                tenant.oidc_tenant_id, tenant.id
            )?;
        }
        TenantCommand::SetOidcId { current, new } => {
            let tenant = get(conn, &current).await?;
            use conclave_db::schema::tenants;
            diesel::update(tenants::table.find(tenant.id.into_uuid()))
                .set((
                    tenants::oidc_tenant_id.eq(&new),
                    tenants::updated_at.eq(diesel::dsl::now),
                ))
                .execute(conn)
                .await?;
            writeln!(out, "tenant {} is now {new}", tenant.id)?;
        }
        TenantCommand::Delete { oidc_tenant_id } => {
            let tenant = get(conn, &oidc_tenant_id).await?;
            Tenant::delete(conn, tenant.id).await.map_err(|e| {
                anyhow::anyhow!(
                    "cannot delete tenant {oidc_tenant_id}: {e} (users or rooms still refer to it)"
                )
            })?;
            writeln!(out, "deleted tenant {oidc_tenant_id}")?;
        }
    }
    Ok(())
}

async fn get(conn: &mut DbConnection, oidc_tenant_id: &str) -> anyhow::Result<Tenant> {
    Tenant::find_by_oidc_tenant_id(conn, oidc_tenant_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no tenant with OIDC tenant id {oidc_tenant_id:?}"))
}
