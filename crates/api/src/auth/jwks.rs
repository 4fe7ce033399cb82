//! The provider's signing keys, cached by `kid` (stack.md §9).
//!
//! Keys come from the JWKS named by OIDC discovery
//! (`<authority>/.well-known/openid-configuration` → `jwks_uri`). A token
//! with an unknown `kid` triggers one refresh, at most once per
//! [`REFRESH_INTERVAL`], so a flood of forged `kid`s cannot hammer the
//! provider. Static keys (the development key) never expire and need no
//! network.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use jsonwebtoken::jwk::{AlgorithmParameters, Jwk, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey};
use serde::Deserialize;

/// Minimum time between two fetches of the key set.
pub const REFRESH_INTERVAL: Duration = Duration::from_secs(10);
/// At most this many keys are taken from one key set.
const MAX_KEYS: usize = 64;
/// Timeout of one discovery or JWKS request.
const FETCH_TIMEOUT: Duration = Duration::from_secs(5);

/// One verification key.
#[derive(Clone)]
pub struct VerificationKey {
    /// The key material.
    pub key: DecodingKey,
    /// The algorithm the JWK pins, if it names one.
    pub alg: Option<Algorithm>,
}

/// Fetching the key set failed (the provider is unreachable or answers junk).
#[derive(Debug, Clone, thiserror::Error)]
#[error("cannot load the provider's signing keys: {0}")]
pub struct KeysUnavailable(pub String);

#[derive(Deserialize)]
struct Discovery {
    jwks_uri: String,
}

#[derive(Deserialize)]
struct RawKeySet {
    #[serde(default)]
    keys: Vec<serde_json::Value>,
}

#[derive(Default)]
struct RefreshState {
    last: Option<Instant>,
    jwks_uri: Option<String>,
}

/// The key cache: static keys plus the provider's keys by `kid`.
pub struct JwksCache {
    authority: Option<String>,
    static_keys: HashMap<String, VerificationKey>,
    keys: RwLock<Arc<HashMap<String, VerificationKey>>>,
    refresh: tokio::sync::Mutex<RefreshState>,
    http: reqwest::Client,
}

impl JwksCache {
    /// A cache for the provider at `authority` (no network until needed),
    /// plus `static_keys` that are always trusted.
    pub fn new(authority: Option<String>, static_keys: HashMap<String, VerificationKey>) -> Self {
        let http = reqwest::Client::builder()
            .timeout(FETCH_TIMEOUT)
            .build()
            .unwrap_or_default();
        Self {
            authority: authority.map(|a| a.trim_end_matches('/').to_owned()),
            static_keys,
            keys: RwLock::new(Arc::new(HashMap::new())),
            refresh: tokio::sync::Mutex::new(RefreshState::default()),
            http,
        }
    }

    /// The key for `kid`, refreshing the provider's set once if it is unknown.
    /// A token without `kid` matches only when exactly one key is known.
    pub async fn get(&self, kid: Option<&str>) -> Result<Option<VerificationKey>, KeysUnavailable> {
        if let Some(key) = self.lookup(kid) {
            return Ok(Some(key));
        }
        if self.authority.is_none() {
            return Ok(None);
        }
        let mut state = self.refresh.lock().await;
        // Another request may have refreshed while this one waited.
        if let Some(key) = self.lookup(kid) {
            return Ok(Some(key));
        }
        if state
            .last
            .is_some_and(|last| last.elapsed() < REFRESH_INTERVAL)
        {
            return Ok(None);
        }
        state.last = Some(Instant::now());
        let fresh = self.fetch(&mut state).await?;
        *self.keys.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(fresh);
        Ok(self.lookup(kid))
    }

    /// Fetches the key set now (used at start-up); errors are returned, not logged.
    pub async fn refresh_now(&self) -> Result<usize, KeysUnavailable> {
        if self.authority.is_none() {
            return Ok(0);
        }
        let mut state = self.refresh.lock().await;
        state.last = Some(Instant::now());
        let fresh = self.fetch(&mut state).await?;
        let count = fresh.len();
        *self.keys.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(fresh);
        Ok(count)
    }

    fn lookup(&self, kid: Option<&str>) -> Option<VerificationKey> {
        let fetched = self.keys.read().unwrap_or_else(|e| e.into_inner()).clone();
        match kid {
            Some(kid) => self
                .static_keys
                .get(kid)
                .or_else(|| fetched.get(kid))
                .cloned(),
            None => {
                let mut all = self.static_keys.values().chain(fetched.values());
                match (all.next(), all.next()) {
                    (Some(only), None) => Some(only.clone()),
                    _ => None,
                }
            }
        }
    }

    async fn fetch(
        &self,
        state: &mut RefreshState,
    ) -> Result<HashMap<String, VerificationKey>, KeysUnavailable> {
        let Some(authority) = &self.authority else {
            return Ok(HashMap::new());
        };
        let jwks_uri = match &state.jwks_uri {
            Some(uri) => uri.clone(),
            None => {
                let url = format!("{authority}/.well-known/openid-configuration");
                let discovery: Discovery = self.get_json(&url).await?;
                state.jwks_uri = Some(discovery.jwks_uri.clone());
                discovery.jwks_uri
            }
        };
        let raw: RawKeySet = self.get_json(&jwks_uri).await?;
        let keys = parse_key_set(raw.keys);
        tracing::debug!(count = keys.len(), "loaded the provider's signing keys");
        Ok(keys)
    }

    async fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        url: &str,
    ) -> Result<T, KeysUnavailable> {
        let fail = |e: reqwest::Error| KeysUnavailable(format!("{url}: {e}"));
        self.http
            .get(url)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(fail)?
            .json()
            .await
            .map_err(fail)
    }
}

/// Turns the JSON keys of a set into verification keys by `kid`, skipping
/// keys that cannot verify signatures: encryption keys, symmetric keys (a
/// shared secret published in a JWKS would let anyone sign), keys without
/// `kid`, and key types jsonwebtoken does not know.
pub fn parse_key_set(keys: Vec<serde_json::Value>) -> HashMap<String, VerificationKey> {
    keys.into_iter()
        .filter_map(|value| serde_json::from_value::<Jwk>(value).ok())
        .filter_map(|jwk| {
            let kid = jwk.common.key_id.clone()?;
            if matches!(jwk.common.public_key_use, Some(PublicKeyUse::Encryption)) {
                return None;
            }
            if matches!(jwk.algorithm, AlgorithmParameters::OctetKey(_)) {
                return None;
            }
            let key = DecodingKey::from_jwk(&jwk).ok()?;
            let alg = jwk
                .common
                .key_algorithm
                .and_then(|a| Algorithm::from_str(&a.to_string()).ok());
            Some((kid, VerificationKey { key, alg }))
        })
        .take(MAX_KEYS)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn key_sets_keep_only_usable_signature_keys() {
        let dev = crate::config::DevSettings {
            enabled: true,
            ..Default::default()
        };
        let jwk =
            serde_json::to_value(crate::auth::dev::DevSigner::load(&dev).unwrap().jwk()).unwrap();
        let n = jwk["n"].as_str().unwrap().to_owned();
        let n = n.as_str();
        let check = |key: serde_json::Value, kept: bool| {
            let parsed = parse_key_set(vec![key.clone()]);
            assert_eq!(parsed.len(), usize::from(kept), "{key}");
        };
        check(
            json!({"kty": "RSA", "kid": "a", "alg": "RS256", "n": n, "e": "AQAB"}),
            true,
        );
        check(
            json!({"kty": "RSA", "kid": "a", "use": "sig", "n": n, "e": "AQAB"}),
            true,
        );
        check(json!({"kty": "RSA", "n": n, "e": "AQAB"}), false);
        check(
            json!({"kty": "RSA", "kid": "a", "use": "enc", "n": n, "e": "AQAB"}),
            false,
        );
        check(json!({"kty": "oct", "kid": "h", "k": "c2VjcmV0"}), false);
        check(json!({"kty": "weird", "kid": "w"}), false);
        let parsed = parse_key_set(vec![
            json!({"kty": "RSA", "kid": "a", "alg": "RS256", "n": n, "e": "AQAB"}),
        ]);
        assert_eq!(parsed["a"].alg, Some(Algorithm::RS256));
    }

    #[tokio::test]
    async fn without_authority_only_static_keys_are_known() {
        let mut statics = HashMap::new();
        statics.insert(
            "dev".to_owned(),
            VerificationKey {
                key: DecodingKey::from_secret(b"x"),
                alg: None,
            },
        );
        let cache = JwksCache::new(None, statics);
        assert!(cache.get(Some("dev")).await.unwrap().is_some());
        assert!(
            cache.get(None).await.unwrap().is_some(),
            "a single key matches a token without kid"
        );
        assert!(cache.get(Some("other")).await.unwrap().is_none());
    }
}
