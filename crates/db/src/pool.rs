//! The deadpool connection pool, sized and timed explicitly.
//!
//! deadpool has no timeouts by default, so an exhausted pool would make
//! callers wait forever; every pool built here has a wait timeout.

use std::time::Duration;

use diesel_async::AsyncPgConnection;
use diesel_async::pooled_connection::deadpool::{self as dp, PoolError};
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};

use crate::{DbError, Result};

/// A pool of async PostgreSQL connections.
pub type Pool = dp::Pool<AsyncPgConnection>;

/// A connection checked out of a [`Pool`]; it dereferences to the connection.
pub type PooledConnection = dp::Object<AsyncPgConnection>;

/// Pool size and timeouts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolConfig {
    /// The most connections the pool opens.
    pub max_size: usize,
    /// How long `get` waits for a free connection before [`DbError::PoolTimeout`].
    pub wait_timeout: Duration,
    /// How long opening a new connection may take.
    pub create_timeout: Duration,
    /// How long checking a returned connection may take.
    pub recycle_timeout: Duration,
}

impl Default for PoolConfig {
    fn default() -> Self {
        Self {
            max_size: 16,
            wait_timeout: Duration::from_secs(5),
            create_timeout: Duration::from_secs(5),
            recycle_timeout: Duration::from_secs(5),
        }
    }
}

/// Builds a pool for the database at `url`. Connections are opened lazily.
pub fn build_pool(url: &str, config: &PoolConfig) -> Result<Pool> {
    let mut manager_config = ManagerConfig::default();
    // `Fast` skips a test query per checkout; connections with a broken
    // transaction state are still discarded.
    manager_config.recycling_method = RecyclingMethod::Fast;
    let manager =
        AsyncDieselConnectionManager::<AsyncPgConnection>::new_with_config(url, manager_config);
    Pool::builder(manager)
        .max_size(config.max_size)
        .wait_timeout(Some(config.wait_timeout))
        .create_timeout(Some(config.create_timeout))
        .recycle_timeout(Some(config.recycle_timeout))
        .runtime(deadpool::Runtime::Tokio1)
        .build()
        .map_err(|e| DbError::Other(format!("cannot build pool: {e}")))
}

/// Checks a connection out of the pool, mapping a timeout to
/// [`DbError::PoolTimeout`].
pub async fn get(pool: &Pool) -> Result<PooledConnection> {
    pool.get().await.map_err(|e| match e {
        PoolError::Timeout(_) => DbError::PoolTimeout,
        other => DbError::Other(format!("cannot get a pooled connection: {other}")),
    })
}
