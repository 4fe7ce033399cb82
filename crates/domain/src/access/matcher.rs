//! The casbin model of rules.md §11.1 in plain Rust:
//!
//! ```text
//! m = r.act == "OPTIONS" || g(r.sub, p.sub) && objMatch(r.obj, p.obj) && actMatch(r.act, p.act)
//! ```
//!
//! with the effect "allow if any policy matches". The functions are meant to
//! be registered as casbin's `objMatch`/`actMatch` too, so a casbin-rs
//! enforcer can serve as a differential test oracle.
//!
//! Mind the argument order: casbin calls `objMatch(r.obj, p.obj)` and
//! `actMatch(r.act, p.act)` (request first), while [`object_matches`] and
//! [`action_matches`] take the policy side first.

use std::collections::{BTreeSet, VecDeque};

use crate::access::policy::{Policy, RoleLink};
use crate::access::subject::Subject;

/// How many `g` links a role chain may have, as casbin's default role
/// manager (its `max_hierarchy_level`).
pub const MAX_ROLE_DEPTH: usize = 10;

/// `objMatch`: does the policy object cover the request path?
///
/// Both strings are compared character by character. Where the policy has a
/// `*` and the request a different character, the request skips up to and
/// including its next `/` (so one whole segment), and the policy skips the
/// character after the `*` (the `/` that follows it in well-formed
/// policies). Both strings must be used up. A policy longer (in bytes) than
/// the request never matches, because a `*` always stands for at least one
/// character. These quirks follow upstream's matcher exactly, e.g.
/// `/rooms/*` also matches `/rooms/123/` with a trailing slash.
pub fn object_matches(policy: &str, request: &str) -> bool {
    if policy.len() > request.len() {
        return false;
    }
    let mut req = request.chars();
    let mut pol = policy.chars();
    loop {
        match (req.next(), pol.next()) {
            (None, None) => return true,
            (Some(r), Some(p)) if r == p => {}
            (Some(_), Some('*')) => {
                // Consume the rest of the request segment and its slash.
                for c in req.by_ref() {
                    if c == '/' {
                        break;
                    }
                }
                pol.next();
            }
            _ => return false,
        }
    }
}

/// `actMatch`: is the request method one element of the `|`-separated
/// policy action list?
pub fn action_matches(policy_actions: &str, method: &str) -> bool {
    policy_actions.split('|').any(|a| a == method)
}

/// Strips a leading `/v<digits>` segment from a request path (rules.md
/// §11.2), since policies are written without it: `/v1/rooms` → `/rooms`.
/// Other paths are returned unchanged.
pub fn strip_version_prefix(path: &str) -> &str {
    let Some(rest) = path.strip_prefix("/v") else {
        return path;
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let after = &rest[digits..];
    if digits > 0 && (after.is_empty() || after.starts_with('/')) {
        after
    } else {
        path
    }
}

/// The subject and every role or group it inherits through `g` links,
/// transitively, up to [`MAX_ROLE_DEPTH`] links deep.
pub fn role_closure(subject: &Subject, links: &[RoleLink]) -> BTreeSet<Subject> {
    let mut seen = BTreeSet::from([subject.clone()]);
    let mut queue = VecDeque::from([(subject.clone(), 0usize)]);
    while let Some((current, depth)) = queue.pop_front() {
        if depth == MAX_ROLE_DEPTH {
            continue;
        }
        for link in links.iter().filter(|l| l.member == current) {
            if seen.insert(link.role.clone()) {
                queue.push_back((link.role.clone(), depth + 1));
            }
        }
    }
    seen
}

/// One authorization request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request<'a> {
    /// `user::<id>` (bearer token) or `invite::<code>` (InviteCode).
    pub subject: &'a Subject,
    /// The request path, `/v1` already stripped.
    pub path: &'a str,
    /// The HTTP method, upper-case.
    pub method: &'a str,
}

/// The decision: `OPTIONS` is always allowed; otherwise some policy of a
/// subject in `subjects` (the request subject's [`role_closure`]) must match
/// the path and the method.
pub fn allowed(policies: &[Policy], subjects: &BTreeSet<Subject>, request: &Request<'_>) -> bool {
    if request.method == "OPTIONS" {
        return true;
    }
    policies.iter().any(|p| {
        (p.subject == *request.subject || subjects.contains(&p.subject))
            && object_matches(&p.object, request.path)
            && p.actions.iter().any(|a| a.as_str() == request.method)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_matching() {
        let check = |policy: &str, request: &str, want: bool| {
            assert_eq!(
                object_matches(policy, request),
                want,
                "{policy} vs {request}"
            );
        };
        check("/rooms/123", "/rooms/123", true);
        check("/rooms/321", "/rooms/123", false);
        check("/rooms/*", "/rooms/123", true);
        check("/rooms/*/", "/rooms/123/", true);
        check("/rooms/123/", "/rooms/123/", true);
        check("/rooms/*/start", "/rooms/123/start", true);
        check("/rooms/*/start", "/rooms/123", false);
        check("/rooms/*", "/rooms/123/start", false);
        check("/rooms/*/start", "/rooms/123/stop", false);
        check("/a/*/b/*", "/a/1/b/2", true);
        check("/rooms", "/rooms/", false);
        check("/rooms/", "/rooms", false);
        check("/rooms/*", "/rooms/", false);
        // Upstream quirks kept on purpose:
        check("/rooms/*", "/rooms/123/", true);
        check("/rooms/*/", "/rooms/1", false); // the policy is longer
        check("/rooms/*", "/rooms/*x", false); // a literal `*` in the path
        check("", "", true);
    }

    #[test]
    fn action_matching() {
        let check = |actions: &str, method: &str, want: bool| {
            assert_eq!(
                action_matches(actions, method),
                want,
                "{actions} vs {method}"
            );
        };
        check("GET|POST|PUT", "GET", true);
        check("GET|POST|PUT", "PUT", true);
        check("GET|POST|PUT", "DELETE", false);
        check("GET", "get", false);
        check("GET|PATCH", "PAT", false);
        check("POST|GET", "GET", true);
    }

    #[test]
    fn version_prefix_stripping() {
        let check = |path: &str, want: &str| assert_eq!(strip_version_prefix(path), want, "{path}");
        check("/v1/rooms", "/rooms");
        check("/v12/events/x", "/events/x");
        check("/v1", "");
        check("/rooms", "/rooms");
        check("/v/rooms", "/v/rooms");
        check("/v1x/rooms", "/v1x/rooms");
        check("/videos/1", "/videos/1");
        check("/v1/v1/rooms", "/v1/rooms");
    }
}
