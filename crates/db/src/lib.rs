//! Conclave's PostgreSQL data layer.

pub mod schema;
