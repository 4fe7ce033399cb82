//! One subject's rules, compiled for matching in time independent of how
//! many rules the subject holds.
//!
//! The matching itself is the domain's `objMatch`/`actMatch`
//! ([`object_matches`], [`action_matches`], rules.md §11.1); this module only
//! narrows which policies need to be tried:
//!
//! * a policy object without `*` matches only the identical path, so those
//!   sit in a hash map keyed by the object;
//! * a policy object with `*` matches only paths that start with the text
//!   before its first `*` (the matcher compares those characters one by
//!   one). The policy is filed under that text cut after its last `/`;
//!   a request then looks up its own prefixes ending in `/` (plus the empty
//!   prefix), a handful of hash lookups.

use std::collections::HashMap;

use conclave_db::authz::SubjectRows;
use conclave_domain::access::{action_matches, object_matches};

/// A wildcard policy: its object and its `|`-separated action list.
#[derive(Debug, Clone, PartialEq, Eq)]
struct WildcardPolicy {
    object: String,
    actions: String,
}

/// The `p` and `g` rows of one subject, ready for matching.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubjectRules {
    /// The roles and groups the subject is a member of (its `g` rows).
    pub roles: Vec<String>,
    /// Literal objects → their action lists.
    exact: HashMap<String, Vec<String>>,
    /// Literal prefix (up to its last `/`) → wildcard policies.
    wildcard: HashMap<String, Vec<WildcardPolicy>>,
    /// How many `p` rows were compiled.
    policy_count: usize,
}

/// The text a wildcard policy is filed under: the part before the first
/// `*`, cut after its last `/` (or empty).
fn wildcard_key(object: &str, star: usize) -> &str {
    let literal = &object[..star];
    match literal.rfind('/') {
        Some(slash) => &literal[..=slash],
        None => "",
    }
}

impl SubjectRules {
    /// Compiles the rows loaded for one subject.
    pub fn compile(rows: SubjectRows) -> Self {
        let mut rules = SubjectRules {
            roles: rows.roles,
            ..SubjectRules::default()
        };
        rules.policy_count = rows.policies.len();
        for (object, actions) in rows.policies {
            match object.find('*') {
                None => rules.exact.entry(object).or_default().push(actions),
                Some(star) => {
                    let key = wildcard_key(&object, star).to_owned();
                    rules
                        .wildcard
                        .entry(key)
                        .or_default()
                        .push(WildcardPolicy { object, actions });
                }
            }
        }
        rules
    }

    /// How many policies the subject holds.
    pub fn policy_count(&self) -> usize {
        self.policy_count
    }

    /// Whether one of the subject's policies allows `method` on `path`
    /// (`/v1` already stripped).
    pub fn allows(&self, path: &str, method: &str) -> bool {
        let exact = self
            .exact
            .get(path)
            .is_some_and(|lists| lists.iter().any(|actions| action_matches(actions, method)));
        exact || self.wildcard_allows(path, method)
    }

    fn wildcard_allows(&self, path: &str, method: &str) -> bool {
        if self.wildcard.is_empty() {
            return false;
        }
        let try_key = |key: &str| {
            self.wildcard.get(key).is_some_and(|policies| {
                policies
                    .iter()
                    .any(|p| action_matches(&p.actions, method) && object_matches(&p.object, path))
            })
        };
        try_key("") || path.match_indices('/').any(|(i, _)| try_key(&path[..=i]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(policies: &[(&str, &str)]) -> SubjectRules {
        SubjectRules::compile(SubjectRows {
            subject: "user::a".into(),
            roles: vec![],
            policies: policies
                .iter()
                .map(|(o, a)| (o.to_string(), a.to_string()))
                .collect(),
        })
    }

    #[test]
    fn indexed_matching_agrees_with_the_plain_matcher() {
        let policies = [
            ("/rooms", "POST|GET"),
            ("/rooms/r1", "GET|PATCH"),
            ("/rooms/r1/invites/*", "GET|PUT"),
            ("/rooms/*", "GET"),
            ("/rooms/*/start", "POST"),
            ("/a*", "GET"),
            ("*", "DELETE"),
            ("/x/y*z/*", "PUT"),
        ];
        let compiled = rules(&policies);
        let paths = [
            "/rooms",
            "/rooms/",
            "/rooms/r1",
            "/rooms/r2",
            "/rooms/r1/invites/i",
            "/rooms/r1/invites/",
            "/rooms/r9/start",
            "/rooms/r9/start/",
            "/abc",
            "/a",
            "a",
            "",
            "/",
            "/x/yQ/w",
            "/x/yz/w",
            "/x/y/z/w",
            "/rooms/r1/",
        ];
        for path in paths {
            for method in ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] {
                let plain = policies
                    .iter()
                    .any(|(o, a)| object_matches(o, path) && action_matches(a, method));
                assert_eq!(compiled.allows(path, method), plain, "{method} {path}");
            }
        }
        assert_eq!(compiled.policy_count(), policies.len());
    }

    #[test]
    fn files_wildcards_under_their_literal_directory() {
        let check = |object: &str, want: &str| {
            assert_eq!(
                wildcard_key(object, object.find('*').unwrap()),
                want,
                "{object}"
            );
        };
        check("/rooms/*", "/rooms/");
        check("/rooms/r/assets/*", "/rooms/r/assets/");
        check("/a*", "/");
        check("*", "");
        check("ab*", "");
    }
}
