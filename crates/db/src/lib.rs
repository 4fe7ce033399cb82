//! Conclave's PostgreSQL data layer.

pub mod enums;
pub mod error;
pub mod models;
#[allow(missing_docs)]
pub mod schema;

pub use error::{DbError, Result};

/// The connection type every query takes.
pub type DbConnection = diesel_async::AsyncPgConnection;
