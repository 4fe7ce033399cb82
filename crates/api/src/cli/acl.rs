//! `conclave acl …`: list, grant and revoke access rules. Changes go through
//! the same rule writer as the API, so running servers hear about them
//! (PostgreSQL `NOTIFY`) and drop their cached decisions.

use std::io::Write;

use clap::Subcommand;
use conclave_db::DbConnection;
use conclave_db::authz::apply_change;
use conclave_db::models::casbin_rule::CasbinRule;
use conclave_domain::access::policy::{Action, Policy, RoleLink};
use conclave_domain::access::revoke::{ResourceScope, Revoke};
use conclave_domain::access::{AccessChange, Subject};
use diesel_async::AsyncConnection;

use super::CliResult;

/// ACL commands.
#[derive(Debug, Subcommand)]
pub enum AclCommand {
    /// List rules, optionally of one subject only.
    List {
        /// Only rules whose subject (`v0`) is this, e.g. `user::<uuid>`.
        #[arg(long)]
        subject: Option<String>,
    },
    /// Grant a subject methods on a resource: `acl grant user::<id> /rooms/<id> GET,PATCH`.
    Grant {
        /// `user::<uuid>`, `group::<uuid>`, `role::<name>` or `invite::<uuid>`.
        subject: String,
        /// Resource path without `/v1`; `*` matches one segment.
        resource: String,
        /// Comma-separated HTTP methods.
        methods: String,
    },
    /// Revoke all of a subject's rules on a resource (exact path).
    Revoke {
        /// The subject.
        subject: String,
        /// The resource path.
        resource: String,
    },
    /// Add a subject to a role or group (`g` row).
    AddRole {
        /// The member, e.g. `user::<uuid>`.
        member: String,
        /// The role or group, e.g. `role::user`.
        role: String,
    },
    /// Remove a subject from a role or group.
    RemoveRole {
        /// The member.
        member: String,
        /// The role or group.
        role: String,
    },
}

/// Runs an ACL command.
pub async fn run(cmd: AclCommand, conn: &mut DbConnection, out: &mut dyn Write) -> CliResult {
    let change = match cmd {
        AclCommand::List { subject } => return list(conn, subject, out).await,
        AclCommand::Grant {
            subject,
            resource,
            methods,
        } => {
            let actions = methods
                .split(',')
                .map(|m| m.trim().to_uppercase().parse::<Action>())
                .collect::<Result<Vec<_>, _>>()?;
            let policy = Policy::new(subject.parse()?, checked_resource(&resource)?, &actions);
            AccessChange {
                grants: vec![policy],
                ..AccessChange::default()
            }
        }
        AclCommand::Revoke { subject, resource } => AccessChange {
            revokes: vec![Revoke::SubjectOnResources {
                subject: subject.parse()?,
                resources: vec![ResourceScope::Exact(checked_resource(&resource)?)],
            }],
            ..AccessChange::default()
        },
        AclCommand::AddRole { member, role } => AccessChange {
            links: vec![link(&member, &role)?],
            ..AccessChange::default()
        },
        AclCommand::RemoveRole { member, role } => AccessChange {
            revokes: vec![Revoke::Link(link(&member, &role)?)],
            ..AccessChange::default()
        },
    };
    let invalidation = conn
        .transaction::<_, conclave_db::DbError, _>(async |conn| apply_change(conn, &change).await)
        .await?;
    writeln!(
        out,
        "changed rules of {} subject(s)",
        invalidation.subjects.len()
    )?;
    Ok(())
}

fn link(member: &str, role: &str) -> anyhow::Result<RoleLink> {
    let member: Subject = member.parse()?;
    let role: Subject = role.parse()?;
    anyhow::ensure!(
        matches!(role, Subject::Role(_) | Subject::Group(_)),
        "{role} is neither a role nor a group"
    );
    Ok(RoleLink::new(member, role))
}

fn checked_resource(resource: &str) -> anyhow::Result<String> {
    anyhow::ensure!(
        resource.starts_with('/'),
        "a resource is a path starting with '/'"
    );
    anyhow::ensure!(
        !resource.starts_with("/v1/"),
        "resources are written without the /v1 prefix"
    );
    Ok(resource.to_owned())
}

async fn list(conn: &mut DbConnection, subject: Option<String>, out: &mut dyn Write) -> CliResult {
    let rows = match subject {
        Some(subject) => {
            let subjects = [subject];
            let mut rows = CasbinRule::load_for_subjects(conn, "g", &subjects).await?;
            rows.extend(CasbinRule::load_for_subjects(conn, "p", &subjects).await?);
            rows
        }
        None => CasbinRule::list_all(conn).await?,
    };
    for row in rows {
        writeln!(out, "{}\t{}", row.ptype, row.rule_values().join("\t"))?;
    }
    Ok(())
}
