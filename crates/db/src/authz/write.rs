//! The rule-writing service: applies an [`AccessChange`] inside the caller's
//! transaction and announces the changed subjects.
//!
//! Handlers call [`apply_change`] on the connection of the transaction that
//! writes the protected data, so rules and data commit (or roll back)
//! together. `NOTIFY` is transactional too: other instances hear of the
//! change only once it is visible. The returned [`Invalidation`] lets the
//! writing instance drop its own cache entries right after commit, without
//! waiting for its listener.

use std::collections::BTreeSet;

use conclave_domain::access::{AccessChange, ResourceScope, Revoke, default_role_rules};
use diesel::dsl::sql;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};
use diesel_async::RunQueryDsl;

use super::rows::{NewCasbinRule, insert_new};
use super::{NOTIFY_ALL, NOTIFY_CHANNEL};
use crate::schema::casbin_rule;
use crate::{DbConnection, Result};

/// Above this many changed subjects one `*` notification replaces the
/// individual ones (a payload is at most 8000 bytes, and a flood of
/// notifications costs every listener more than one full cache reset).
pub const MAX_NOTIFIED_SUBJECTS: usize = 64;

/// Which cached rules a write made stale.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Invalidation {
    /// Subjects (`v0`) whose rows were inserted or deleted.
    pub subjects: BTreeSet<String>,
    /// Every subject may have changed (bulk rebuilds).
    pub all: bool,
}

impl Invalidation {
    /// An invalidation of every cached subject.
    pub fn everything() -> Self {
        Self {
            subjects: BTreeSet::new(),
            all: true,
        }
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        !self.all && self.subjects.is_empty()
    }

    /// Adds another invalidation to this one.
    pub fn merge(&mut self, other: Invalidation) {
        self.all |= other.all;
        self.subjects.extend(other.subjects);
    }
}

/// Applies `change`: revocations first, then role links, then grants
/// (existing identical rows are left alone). Sends one `NOTIFY` per changed
/// subject (or `*`), and returns the changed subjects. Run it inside the
/// transaction of the data change it belongs to.
pub async fn apply_change(conn: &mut DbConnection, change: &AccessChange) -> Result<Invalidation> {
    let mut changed = BTreeSet::new();
    for revoke in &change.revokes {
        changed.extend(run_revoke(conn, revoke).await?);
    }
    let mut rows: Vec<NewCasbinRule> = Vec::with_capacity(change.links.len() + change.grants.len());
    for link in &change.links {
        rows.push(NewCasbinRule::from_values("g", &link.to_row())?);
    }
    for policy in &change.grants {
        rows.push(NewCasbinRule::from_values("p", &policy.to_row())?);
    }
    changed.extend(insert_new(conn, &rows).await?);
    let invalidation = Invalidation {
        subjects: changed,
        all: false,
    };
    notify(conn, &invalidation).await?;
    Ok(invalidation)
}

/// Installs `role::user`'s default rules if missing (rules.md §11.3); run at
/// every start. Idempotent.
pub async fn install_default_rules(conn: &mut DbConnection) -> Result<Invalidation> {
    apply_change(conn, &default_role_rules()).await
}

/// Announces an invalidation on [`NOTIFY_CHANNEL`]. Inside a transaction the
/// notifications are delivered at commit, and dropped on rollback.
pub async fn notify(conn: &mut DbConnection, invalidation: &Invalidation) -> Result<()> {
    if invalidation.is_empty() {
        return Ok(());
    }
    let payloads: Vec<&str> =
        if invalidation.all || invalidation.subjects.len() > MAX_NOTIFIED_SUBJECTS {
            vec![NOTIFY_ALL]
        } else {
            invalidation.subjects.iter().map(String::as_str).collect()
        };
    for payload in payloads {
        diesel::sql_query("SELECT pg_notify($1, $2)")
            .bind::<Text, _>(NOTIFY_CHANNEL)
            .bind::<Text, _>(payload)
            .execute(conn)
            .await?;
    }
    Ok(())
}

type RuleFilter = Box<dyn BoxableExpression<casbin_rule::table, Pg, SqlType = Bool>>;

/// Runs one revocation as a single `DELETE … RETURNING v0`.
async fn run_revoke(conn: &mut DbConnection, revoke: &Revoke) -> Result<Vec<String>> {
    let filter: RuleFilter = match revoke {
        Revoke::SubjectOnResources { subject, resources } => Box::new(
            casbin_rule::ptype
                .eq("p")
                .and(casbin_rule::v0.eq(subject.to_string()))
                .and(scopes_filter(resources)),
        ),
        Revoke::Resources(resources) => {
            Box::new(casbin_rule::ptype.eq("p").and(scopes_filter(resources)))
        }
        Revoke::Subject(subject) => Box::new(casbin_rule::v0.eq(subject.to_string())),
        Revoke::Link(link) => {
            let [member, role] = link.to_row();
            Box::new(
                casbin_rule::ptype
                    .eq("g")
                    .and(casbin_rule::v0.eq(member))
                    .and(casbin_rule::v1.eq(role)),
            )
        }
    };
    Ok(diesel::delete(casbin_rule::table)
        .filter(filter)
        .returning(casbin_rule::v0)
        .get_results(conn)
        .await?)
}

/// `v1` lies in any of the scopes; no scopes select nothing.
fn scopes_filter(scopes: &[ResourceScope]) -> RuleFilter {
    let mut filter: RuleFilter = Box::new(sql::<Bool>("FALSE"));
    for scope in scopes {
        let one: RuleFilter = match scope.below_like_pattern() {
            None => Box::new(casbin_rule::v1.eq(scope.path().to_owned())),
            Some(pattern) => Box::new(
                casbin_rule::v1
                    .eq(scope.path().to_owned())
                    .or(casbin_rule::v1.like(pattern).escape('\\')),
            ),
        };
        filter = Box::new(filter.or(one));
    }
    filter
}
