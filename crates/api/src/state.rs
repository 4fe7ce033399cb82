//! Shared application state handed to every handler.

use std::sync::Arc;

use conclave_db::Pool;
use conclave_domain::tariff::feature::QualifiedFeature;
use conclave_domain::tariff::resource::ModuleCatalogue;

use crate::config::Settings;

/// Everything a handler may need, cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The loaded configuration.
    pub settings: Arc<Settings>,
    /// Database pool.
    pub pool: Pool,
    /// Token verification (OIDC keys, token cache).
    pub auth: Arc<crate::auth::Authenticator>,
    /// The authorization engine (per-subject cached policies).
    pub authz: crate::authz::Authorizer,
    /// The validated module catalogue (rules.md §8.3).
    pub modules: Arc<ModuleCatalogue>,
    /// `defaults.disabled_features`, parsed.
    pub global_disabled_features: Arc<Vec<QualifiedFeature>>,
    /// Signs signaling tickets (`signaling.*`).
    pub tickets: Arc<crate::ticket::TicketIssuer>,
    /// The shared-folder provider; `None` (the default) answers 400 "No
    /// shared folder configured for this server" (rules.md §16).
    pub shared_folders: Option<Arc<dyn crate::shared_folder::SharedFolderProvider>>,
}

impl AppState {
    /// Checks a connection out of the pool.
    pub async fn conn(&self) -> Result<conclave_db::PooledConnection, crate::error::ApiError> {
        Ok(conclave_db::pool::get(&self.pool).await?)
    }
}
