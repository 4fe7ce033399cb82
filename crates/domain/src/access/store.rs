//! An in-memory rule set with the table's semantics: identical rows are
//! stored once, and an [`AccessChange`] runs revocations before insertions.
//!
//! It is the reference model for the SQL implementation in the database
//! layer and lets tests state "after X, no rule mentions Y".

use std::collections::BTreeSet;

use crate::access::change::AccessChange;
use crate::access::policy::{Policy, RoleLink};

/// All `p` and `g` rows, as `casbin_rule` would hold them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleSet {
    /// `p` rows. Rows differing only in their action text are distinct.
    pub policies: BTreeSet<Policy>,
    /// `g` rows.
    pub links: BTreeSet<RoleLink>,
}

impl RuleSet {
    /// An empty rule set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Applies a change: revocations first, then links and grants.
    pub fn apply(&mut self, change: &AccessChange) {
        for revoke in &change.revokes {
            self.policies.retain(|p| !revoke.removes_policy(p));
            self.links.retain(|l| !revoke.removes_link(l));
        }
        self.links.extend(change.links.iter().cloned());
        self.policies.extend(change.grants.iter().cloned());
    }

    /// The number of rows of both kinds.
    pub fn len(&self) -> usize {
        self.policies.len() + self.links.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether any row's text contains `needle` (a uuid, say).
    pub fn mentions(&self, needle: &str) -> bool {
        self.policies
            .iter()
            .any(|p| p.to_row().iter().any(|v| v.contains(needle)))
            || self
                .links
                .iter()
                .any(|l| l.to_row().iter().any(|v| v.contains(needle)))
    }
}
