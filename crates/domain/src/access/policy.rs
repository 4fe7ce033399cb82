//! Policies (`p` rows), role links (`g` rows), actions, and the per-resource merge.

use std::collections::HashMap;
use std::fmt;

use crate::access::subject::Subject;

/// One element of a policy's action list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `PUT`.
    Put,
    /// `PATCH`.
    Patch,
    /// `DELETE`.
    Delete,
    /// Legacy `read`; part of the type, never written by the API.
    Read,
    /// Legacy `write`; part of the type, never written by the API.
    Write,
}

impl Action {
    /// The text stored in `v2` and compared with the request method.
    pub const fn as_str(self) -> &'static str {
        match self {
            Action::Get => "GET",
            Action::Post => "POST",
            Action::Put => "PUT",
            Action::Patch => "PATCH",
            Action::Delete => "DELETE",
            Action::Read => "read",
            Action::Write => "write",
        }
    }
}

/// The text is not an action.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid policy action {0:?}")]
pub struct InvalidAction(pub String);

impl std::str::FromStr for Action {
    type Err = InvalidAction;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [
            Action::Get,
            Action::Post,
            Action::Put,
            Action::Patch,
            Action::Delete,
            Action::Read,
            Action::Write,
        ]
        .into_iter()
        .find(|a| a.as_str() == s)
        .ok_or_else(|| InvalidAction(s.to_owned()))
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A permission: `p | subject | object | actions`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Policy {
    /// `v0`.
    pub subject: Subject,
    /// `v1`: a URL path without `/v1`; `*` stands for one path segment.
    pub object: String,
    /// `v2`, in stored order; never empty.
    pub actions: Vec<Action>,
}

impl Policy {
    /// A policy for `subject` on `object` with `actions` in the given order.
    pub fn new(subject: Subject, object: impl Into<String>, actions: &[Action]) -> Self {
        Self {
            subject,
            object: object.into(),
            actions: actions.to_vec(),
        }
    }

    /// The `v2` text: the actions joined with `|`, e.g. `GET|PATCH|DELETE`.
    pub fn actions_text(&self) -> String {
        join_actions(&self.actions)
    }

    /// The row values `[v0, v1, v2]` of `ptype = 'p'`; v3–v5 are empty.
    pub fn to_row(&self) -> [String; 3] {
        [
            self.subject.to_string(),
            self.object.clone(),
            self.actions_text(),
        ]
    }

    /// Parses a `p` row's `v0`, `v1` and `v2`.
    pub fn from_row(v0: &str, v1: &str, v2: &str) -> Result<Self, InvalidRow> {
        let subject = v0.parse().map_err(|_| InvalidRow::Subject(v0.to_owned()))?;
        let actions = v2
            .split('|')
            .map(str::parse)
            .collect::<Result<Vec<Action>, _>>()
            .map_err(|_| InvalidRow::Actions(v2.to_owned()))?;
        Ok(Self {
            subject,
            object: v1.to_owned(),
            actions,
        })
    }
}

/// Joins actions with `|`.
pub fn join_actions(actions: &[Action]) -> String {
    actions
        .iter()
        .map(|a| a.as_str())
        .collect::<Vec<_>>()
        .join("|")
}

/// A stored row that Conclave cannot interpret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidRow {
    /// `v0` is not a subject.
    #[error("invalid subject {0:?}")]
    Subject(String),
    /// `v2` has an unknown action.
    #[error("invalid actions {0:?}")]
    Actions(String),
}

/// A membership: `g | member | role`. The member inherits every policy of
/// the role (a `role::` or `group::` subject), transitively.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RoleLink {
    /// `v0`: the member, normally a user.
    pub member: Subject,
    /// `v1`: the role or group.
    pub role: Subject,
}

impl RoleLink {
    /// A link from `member` to `role`.
    pub fn new(member: Subject, role: Subject) -> Self {
        Self { member, role }
    }

    /// The row values `[v0, v1]` of `ptype = 'g'`.
    pub fn to_row(&self) -> [String; 2] {
        [self.member.to_string(), self.role.to_string()]
    }

    /// Parses a `g` row's `v0` and `v1`.
    pub fn from_row(v0: &str, v1: &str) -> Result<Self, InvalidRow> {
        let parse = |v: &str| {
            v.parse::<Subject>()
                .map_err(|_| InvalidRow::Subject(v.to_owned()))
        };
        Ok(Self {
            member: parse(v0)?,
            role: parse(v1)?,
        })
    }
}

/// Merges the policies of **one grant operation** into one row per
/// (subject, resource): rows keep the order in which their key first
/// appears, and methods keep first-seen order without duplicates
/// (schema.md §10.2). Separate operations are not merged with each other.
pub fn merge(policies: impl IntoIterator<Item = Policy>) -> Vec<Policy> {
    let mut merged: Vec<Policy> = Vec::new();
    let mut index: HashMap<(Subject, String), usize> = HashMap::new();
    for policy in policies {
        let key = (policy.subject.clone(), policy.object.clone());
        let slot = *index.entry(key).or_insert_with(|| {
            merged.push(Policy {
                actions: Vec::new(),
                ..policy.clone()
            });
            merged.len() - 1
        });
        let row = &mut merged[slot];
        for action in policy.actions {
            if !row.actions.contains(&action) {
                row.actions.push(action);
            }
        }
    }
    merged
}
