//! Conclave's HTTP API and admin commands.
//!
//! Handlers talk directly to `conclave-db` and `conclave-domain`; there is no
//! service layer in between (style.md).

pub mod auth;
pub mod authz;
pub mod cli;
pub mod config;
pub mod dto;
pub mod error;
pub mod health;
pub mod metrics;
pub mod openapi;
pub mod pagination;
pub mod routes;
pub mod server;
pub mod shared_folder;
pub mod state;
pub mod telemetry;
pub mod ticket;
pub mod v1;

pub use config::Settings;
pub use error::ApiError;
pub use state::AppState;
