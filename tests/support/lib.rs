//! Shared support for the end-to-end suite: a fake OIDC issuer, token
//! minting (valid and forged) and `spawn_app()`, which runs the real server
//! over a fresh test database.
//!
//! Tests need `CONCLAVE_TEST_DATABASE_URL` (set by `cargo xtask test`).

pub mod app;
pub mod fixtures;
pub mod http;
pub mod issuer;
pub mod rows;
pub mod schema;
pub mod tokens;

pub use app::{TestApp, spawn_app, spawn_app_with, spawn_app_with_state, test_settings};
pub use issuer::{FakeIssuer, SigningKey};
pub use tokens::{TokenClaims, forged, now};
