//! The error type of every query.

use diesel::result::{DatabaseErrorKind, Error as DieselError};

/// Result alias for database operations.
pub type Result<T, E = DbError> = std::result::Result<T, E>;

/// What went wrong in a database operation, classified so callers can map it
/// (for example to 404 or 409) without inspecting SQL error strings.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The row does not exist.
    #[error("not found")]
    NotFound,
    /// A unique constraint was violated.
    #[error("unique violation on {constraint:?}")]
    UniqueViolation {
        /// The violated constraint, when PostgreSQL names it.
        constraint: Option<String>,
    },
    /// A foreign-key constraint was violated.
    #[error("foreign key violation on {constraint:?}")]
    ForeignKeyViolation {
        /// The violated constraint, when PostgreSQL names it.
        constraint: Option<String>,
    },
    /// A check constraint was violated.
    #[error("check violation on {constraint:?}")]
    CheckViolation {
        /// The violated constraint, when PostgreSQL names it.
        constraint: Option<String>,
    },
    /// No pooled connection became free in time.
    #[error("timed out waiting for a database connection")]
    PoolTimeout,
    /// Anything else.
    #[error("database error: {0}")]
    Other(String),
}

impl From<DieselError> for DbError {
    fn from(err: DieselError) -> Self {
        match err {
            DieselError::NotFound => DbError::NotFound,
            DieselError::DatabaseError(kind, info) => {
                let constraint = info.constraint_name().map(str::to_owned);
                match kind {
                    DatabaseErrorKind::UniqueViolation => DbError::UniqueViolation { constraint },
                    DatabaseErrorKind::ForeignKeyViolation => {
                        DbError::ForeignKeyViolation { constraint }
                    }
                    DatabaseErrorKind::CheckViolation => DbError::CheckViolation { constraint },
                    _ => DbError::Other(info.message().to_owned()),
                }
            }
            other => DbError::Other(other.to_string()),
        }
    }
}
