//! The `/v1` handlers, one module per URL resource.

pub mod auth;
pub mod users;
