//! Access rules as data: the casbin policies each action grants or revokes, and the matcher.
//!
//! Conclave keeps upstream's rule store (`casbin_rule`, schema.md §10) and
//! matching semantics (rules.md §11). Everything here is pure data, so the
//! database layer can write grants and execute revocations in SQL, and the
//! API layer can decide requests without scanning all rules:
//!
//! * [`subject`]: `user::`, `group::`, `role::` and `invite::` subjects;
//! * [`policy`]: policies, role links, actions and the per-resource merge;
//! * [`grants`]: the grant builders of rules.md §11.3/§11.4;
//! * [`revoke`]: revocations as data (by subject, resource tree, or row);
//! * [`change`]: the exact grants and revocations of every action (§11.5, §11.6);
//! * [`rebuild`]: the full intended rule set (`fix-acl`, §11.8);
//! * [`store`]: an in-memory rule set that applies changes like the table does;
//! * [`matcher`]: `objMatch`, `actMatch`, role closure and the decision.

pub mod change;
pub mod grants;
pub mod matcher;
pub mod policy;
pub mod rebuild;
pub mod revoke;
pub mod store;
pub mod subject;

pub use change::{
    AccessChange, create_event, create_invite_code, create_room, default_role_rules, delete_event,
    delete_invite_code, delete_room, delete_user, first_login, invite_user, remove_invitee,
    sync_groups,
};
pub use matcher::{
    Request, action_matches, allowed, object_matches, role_closure, strip_version_prefix,
};
pub use policy::{Action, Policy, RoleLink, merge};
pub use revoke::{ResourceScope, Revoke};
pub use store::RuleSet;
pub use subject::Subject;
