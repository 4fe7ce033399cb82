//! Authorization SQL over `casbin_rule` (stack.md §6.4, rules.md §11).
//!
//! Nothing here scans the whole table on the request path:
//!
//! * [`load`]: the rows of a set of subjects (`v0 = ANY(...)`), served by the
//!   prefix of the unique index (`ptype`, `v0`, …);
//! * [`write`]: the one rule-writing service. It runs inside the caller's
//!   transaction, reports exactly which subjects changed and sends
//!   `NOTIFY conclave_casbin` so every instance drops their cached rules
//!   once the transaction commits;
//! * [`listing`]: "which rooms may I read" as one paged SQL query.
//!
//! [`rows`] holds the raw row forms shared with the casbin adapter.

pub mod listing;
pub mod load;
pub mod rows;
pub mod write;

pub use listing::accessible_room_ids;
pub use load::{SubjectRows, load_subject_rows};
pub use write::{Invalidation, apply_change, install_default_rules, notify};

/// The PostgreSQL channel that carries rule changes between instances. The
/// payload is one subject (`user::<uuid>`, …) or [`NOTIFY_ALL`].
pub const NOTIFY_CHANNEL: &str = "conclave_casbin";

/// The payload meaning "any subject may have changed: drop every cache entry".
pub const NOTIFY_ALL: &str = "*";
