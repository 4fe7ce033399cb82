//! The `/v1` handlers, one module per URL resource.

pub mod auth;
pub mod invites;
pub mod rooms;
pub mod sip;
pub mod start;
pub mod streaming_targets;
pub mod users;
