//! Policy subjects and their string forms (schema.md §10.2).
//!
//! Groups are subjects only: Conclave never builds a resource path from a
//! group id, so there is deliberately no group resource prefix.

use std::fmt;

use crate::ids::{GroupId, InviteCodeId, UserId};

/// The name of the only role Conclave uses.
pub const USER_ROLE: &str = "user";

/// Who a policy applies to, or who is a member of a role or group.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Subject {
    /// `user::<uuid>`.
    User(UserId),
    /// `group::<uuid>`.
    Group(GroupId),
    /// `role::<name>`; only `role::user` is written.
    Role(String),
    /// `invite::<uuid>`: a room invite code's holder.
    Invite(InviteCodeId),
}

impl Subject {
    /// `role::user`, the role every account joins at creation.
    pub fn user_role() -> Self {
        Subject::Role(USER_ROLE.to_owned())
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::User(id) => write!(f, "user::{id}"),
            Subject::Group(id) => write!(f, "group::{id}"),
            Subject::Role(name) => write!(f, "role::{name}"),
            Subject::Invite(id) => write!(f, "invite::{id}"),
        }
    }
}

/// The text is not a subject of a known kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid policy subject {0:?}")]
pub struct InvalidSubject(pub String);

impl std::str::FromStr for Subject {
    type Err = InvalidSubject;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || InvalidSubject(s.to_owned());
        let (kind, rest) = s.split_once("::").ok_or_else(bad)?;
        // `Uuid::parse_str` accepts several spellings; only the canonical
        // hyphenated lower-case form round-trips to the same row text.
        let canonical = |id: uuid::Uuid| id.hyphenated().to_string() == rest;
        match kind {
            "user" | "group" | "invite" => {
                let id = uuid::Uuid::parse_str(rest).map_err(|_| bad())?;
                if !canonical(id) {
                    return Err(bad());
                }
                Ok(match kind {
                    "user" => Subject::User(id.into()),
                    "group" => Subject::Group(id.into()),
                    _ => Subject::Invite(id.into()),
                })
            }
            "role" if !rest.is_empty() && !rest.contains("::") => {
                Ok(Subject::Role(rest.to_owned()))
            }
            _ => Err(bad()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    const U: &str = "3079670b-2bad-4023-bf16-95993f462530";

    #[test]
    fn subjects_round_trip() {
        let id = Uuid::parse_str(U).unwrap();
        let check = |s: Subject, text: String| {
            assert_eq!(s.to_string(), text);
            assert_eq!(text.parse::<Subject>(), Ok(s));
        };
        check(Subject::User(id.into()), format!("user::{U}"));
        check(Subject::Group(id.into()), format!("group::{U}"));
        check(Subject::Invite(id.into()), format!("invite::{U}"));
        check(Subject::user_role(), "role::user".into());
    }

    #[test]
    fn refuses_unknown_or_malformed_subjects() {
        for text in [
            format!("usedr::{U}"),
            format!("group:{U}"), // upstream V7's single-colon legacy spelling
            "user::not-a-uuid".into(),
            format!("user::{}", U.to_uppercase()),
            format!("user::{}", U.replace('-', "")),
            "role::".into(),
            "role::a::b".into(),
            String::new(),
        ] {
            assert!(text.parse::<Subject>().is_err(), "{text}");
        }
    }
}
