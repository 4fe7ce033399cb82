//! Conclave's PostgreSQL data layer.
//!
//! Other Rust services link this crate to read and write every table of the
//! Conclave (OpenTalk v0.29.6) schema: one module per table under [`models`],
//! the SQL enum mappings in [`enums`], the connection [`pool`] and the
//! embedded [`migrate`] functions.

pub mod authz;
pub mod casbin_adapter;
pub mod enums;
pub mod error;
pub mod migrate;
pub mod models;
pub mod paging;
pub mod pool;
#[allow(missing_docs)]
pub mod schema;
#[cfg(feature = "testing")]
pub mod testing;

pub use error::{DbError, Result};
pub use migrate::migrate;
pub use pool::{Pool, PoolConfig, PooledConnection, build_pool};

/// The connection type every query takes.
pub type DbConnection = diesel_async::AsyncPgConnection;
