//! Revocations as data, so the database layer can run each one as a single
//! `DELETE` on `casbin_rule`, and tests can evaluate them in memory.

use crate::access::policy::{Policy, RoleLink};
use crate::access::subject::Subject;

/// A set of resource paths.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ResourceScope {
    /// Exactly this path (`v1 = path`).
    Exact(String),
    /// This path and everything below it (`v1 = path OR v1 LIKE 'path/%'`).
    Tree(String),
}

impl ResourceScope {
    /// Whether `object` (a policy's `v1`) lies in the scope.
    pub fn contains(&self, object: &str) -> bool {
        match self {
            ResourceScope::Exact(path) => object == path,
            ResourceScope::Tree(path) => object
                .strip_prefix(path.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/')),
        }
    }

    /// The path the scope is built on.
    pub fn path(&self) -> &str {
        match self {
            ResourceScope::Exact(path) | ResourceScope::Tree(path) => path,
        }
    }

    /// For [`ResourceScope::Tree`]: the SQL `LIKE` pattern (escape `\`) of
    /// the paths strictly below the root, i.e. `root/%` with `\`, `%` and `_`
    /// in the root escaped. `None` for an exact scope.
    pub fn below_like_pattern(&self) -> Option<String> {
        match self {
            ResourceScope::Exact(_) => None,
            ResourceScope::Tree(path) => {
                let mut pattern = String::with_capacity(path.len() + 2);
                for c in path.chars() {
                    if matches!(c, '\\' | '%' | '_') {
                        pattern.push('\\');
                    }
                    pattern.push(c);
                }
                pattern.push_str("/%");
                Some(pattern)
            }
        }
    }
}

/// One revocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Revoke {
    /// The `p` rows of `subject` whose resource lies in any of `resources`.
    SubjectOnResources {
        /// The subject (`v0`).
        subject: Subject,
        /// The resource scopes (`v1`).
        resources: Vec<ResourceScope>,
    },
    /// The `p` rows of **every** subject whose resource lies in any of the scopes.
    Resources(Vec<ResourceScope>),
    /// Every row, `p` and `g`, whose `v0` is the subject.
    Subject(Subject),
    /// One `g` row.
    Link(RoleLink),
}

impl Revoke {
    /// Whether the revocation deletes this `p` row.
    pub fn removes_policy(&self, policy: &Policy) -> bool {
        let in_any = |scopes: &[ResourceScope]| scopes.iter().any(|s| s.contains(&policy.object));
        match self {
            Revoke::SubjectOnResources { subject, resources } => {
                policy.subject == *subject && in_any(resources)
            }
            Revoke::Resources(resources) => in_any(resources),
            Revoke::Subject(subject) => policy.subject == *subject,
            Revoke::Link(_) => false,
        }
    }

    /// Whether the revocation deletes this `g` row.
    pub fn removes_link(&self, link: &RoleLink) -> bool {
        match self {
            Revoke::Subject(subject) => link.member == *subject,
            Revoke::Link(l) => l == link,
            Revoke::SubjectOnResources { .. } | Revoke::Resources(_) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_scopes_stop_at_segment_boundaries() {
        let tree = ResourceScope::Tree("/rooms/abc".into());
        let check = |object: &str, want: bool| assert_eq!(tree.contains(object), want, "{object}");
        check("/rooms/abc", true);
        check("/rooms/abc/", true);
        check("/rooms/abc/invites/*", true);
        check("/rooms/abcd", false);
        check("/rooms/ab", false);
        check("/rooms", false);
        let exact = ResourceScope::Exact("/rooms/abc".into());
        assert!(exact.contains("/rooms/abc"));
        assert!(!exact.contains("/rooms/abc/start"));
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        let check = |scope: ResourceScope, want: Option<&str>| {
            assert_eq!(scope.below_like_pattern().as_deref(), want);
        };
        check(ResourceScope::Tree("/rooms/r1".into()), Some("/rooms/r1/%"));
        check(
            ResourceScope::Tree("/a_b%c\\d".into()),
            Some("/a\\_b\\%c\\\\d/%"),
        );
        check(ResourceScope::Exact("/rooms/r1".into()), None);
    }
}
