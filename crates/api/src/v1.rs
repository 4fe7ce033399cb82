//! The `/v1` handlers, one module per URL resource.

pub mod auth;
pub mod events;
pub mod favorites;
pub mod invites;
pub mod rooms;
pub mod shared_folder;
pub mod sip;
pub mod start;
pub mod streaming_targets;
pub mod users;
