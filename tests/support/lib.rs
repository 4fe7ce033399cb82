//! Shared support for the end-to-end suite: a fake OIDC issuer, token
//! minting (valid and forged), `spawn_app()`, which runs the real server
//! over a fresh test database, and the helpers every suite uses: people
//! ([`people`]), requests ([`http`]), direct database access ([`store`],
//! [`rows`]) and the upstream schema oracle ([`schema`]).
//!
//! Tests need `CONCLAVE_TEST_DATABASE_URL` (set by `cargo xtask test`).

pub mod api;
pub mod app;
pub mod fixtures;
pub mod folders;
pub mod http;
pub mod issuer;
pub mod people;
pub mod rows;
pub mod schema;
pub mod store;
pub mod tokens;

pub use api::{berlin, create_event, create_invite, create_room, post_event};
pub use app::{TestApp, spawn_app, spawn_app_with, spawn_app_with_state, test_settings};
pub use http::{Auth, Reply, after_url, call, call_json, call_with, empty, id};
pub use issuer::{FakeIssuer, SigningKey};
pub use people::{Person, login, login_with, person, user_by_sub};
pub use schema::{assert_conforms, problems};
pub use store::{
    count, event_revision, execute, grant, resource_and_asset, rows_in, rules_mentioning,
    seed_invite,
};
pub use tokens::{TokenClaims, forged, now};
