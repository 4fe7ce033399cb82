//! Shared application state handed to every handler.

use std::sync::Arc;

use conclave_db::Pool;

use crate::config::Settings;

/// Everything a handler may need, cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The loaded configuration.
    pub settings: Arc<Settings>,
    /// Database pool.
    pub pool: Pool,
}

impl AppState {
    /// Checks a connection out of the pool.
    pub async fn conn(&self) -> Result<conclave_db::PooledConnection, crate::error::ApiError> {
        Ok(conclave_db::pool::get(&self.pool).await?)
    }
}
