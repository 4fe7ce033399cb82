//! Authentication: OIDC token verification, the request middleware, login
//! provisioning and development tokens (api.md §5, rules.md §20).
//!
//! * [`jwks`]: the provider's keys by `kid`, refreshed on unknown `kid`;
//! * [`verify`]: JWT verification and its error kinds;
//! * [`claims`]: the claim set of ID and access tokens;
//! * [`cache`]: per-token verification cache;
//! * [`middleware`]: `Authorization` parsing and the [`Identity`] it yields;
//! * [`provision`]: the login transaction (`POST /v1/auth/login`);
//! * [`dev`]: a local signing key for development.

pub mod cache;
pub mod claims;
pub mod dev;
pub mod identity;
pub mod jwks;
pub mod lookup;
pub mod middleware;
pub mod provision;
pub mod verify;

use std::collections::HashMap;
use std::sync::Arc;

pub use claims::Claims;
pub use dev::{DevSigner, DevUser, mint_dev_token};
pub use identity::{AuthenticatedUser, Identity};
pub use middleware::authenticate;

use crate::auth::cache::TokenCache;
use crate::auth::jwks::JwksCache;
use crate::auth::verify::{TokenError, TokenVerifier, VerifierConfig, parse_algorithms};
use crate::config::Settings;

/// How many access tokens the verification cache holds.
const TOKEN_CACHE_CAPACITY: usize = 10_000;

/// Verifies ID and access tokens; lives in [`crate::AppState`].
pub struct Authenticator {
    verifier: TokenVerifier,
    cache: TokenCache,
}

impl Authenticator {
    /// Builds the verifier from `oidc` and `dev` settings. No network here:
    /// keys are fetched on first use or by [`Authenticator::warm_up`].
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Authenticator> {
        let oidc = &settings.oidc;
        let mut issuers = Vec::new();
        if let Some(authority) = &oidc.authority {
            // Providers differ on a trailing slash in `iss`; accept both spellings.
            let trimmed = authority.trim_end_matches('/');
            issuers.extend([trimmed.to_owned(), format!("{trimmed}/")]);
        }
        let mut static_keys = HashMap::new();
        if settings.dev.enabled {
            let signer = DevSigner::load(&settings.dev)?;
            tracing::warn!("development tokens are accepted (dev.enabled = true)");
            issuers.push(signer.issuer().to_owned());
            static_keys = signer.verification_keys()?;
        }
        if issuers.is_empty() {
            tracing::warn!("no oidc.authority configured and dev mode off: every token is refused");
        }
        let config = VerifierConfig {
            algorithms: parse_algorithms(oidc.algorithms.as_deref())?,
            issuers,
            audience: oidc.audience.clone(),
        };
        let keys = JwksCache::new(oidc.authority.clone(), static_keys);
        Ok(Authenticator {
            verifier: TokenVerifier::new(keys, config),
            cache: TokenCache::new(TOKEN_CACHE_CAPACITY),
        })
    }

    /// Loads the provider's keys now so the first request does not wait; a
    /// failure is only logged (keys are fetched again on demand).
    pub async fn warm_up(&self) {
        match self.verifier.keys().refresh_now().await {
            Ok(count) => tracing::info!(count, "loaded the identity provider's signing keys"),
            Err(err) => tracing::warn!(%err, "identity provider keys not loaded yet"),
        }
    }

    /// Verifies an access token, through the per-token cache.
    pub async fn verify_access_token(&self, token: &str) -> Result<Arc<Claims>, TokenError> {
        if let Some(outcome) = self.cache.get(token) {
            return outcome;
        }
        let outcome = self.verifier.verify(token).await.map(Arc::new);
        self.cache
            .put(token, &outcome, chrono::Utc::now().timestamp());
        outcome
    }

    /// Verifies an ID token (login); never cached.
    pub async fn verify_id_token(&self, token: &str) -> Result<Claims, TokenError> {
        self.verifier.verify(token).await
    }
}
