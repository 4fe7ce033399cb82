//! Per-token cache of verification outcomes (api.md §5.6 step 2).
//!
//! Only the *verification* of a token is cached, never the database lookups
//! behind it: a user who logs in after a refused request, is disabled, or
//! whose session ends must be seen on the next request.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::auth::claims::Claims;
use crate::auth::verify::TokenError;

/// Tokens with less remaining lifetime are not cached.
pub const MIN_CACHED_LIFETIME: Duration = Duration::from_secs(10);
/// How long a refusal is remembered. Short, because a refusal for an unknown
/// key may turn into a success once the provider's key set is refreshed.
pub const REFUSAL_LIFETIME: Duration = Duration::from_secs(10);

/// A verification outcome worth remembering.
pub type Outcome = Result<Arc<Claims>, TokenError>;

struct Entry {
    outcome: Outcome,
    until: Instant,
}

/// A bounded map from raw token to outcome.
pub struct TokenCache {
    entries: Mutex<HashMap<String, Entry>>,
    capacity: usize,
}

impl TokenCache {
    /// A cache of at most `capacity` tokens.
    pub fn new(capacity: usize) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            capacity,
        }
    }

    /// The remembered outcome for `token`, if still fresh.
    pub fn get(&self, token: &str) -> Option<Outcome> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(token)
            .filter(|entry| entry.until > Instant::now())
            .map(|entry| entry.outcome.clone())
    }

    /// Remembers `outcome`: a success for the token's remaining lifetime (not
    /// at all below [`MIN_CACHED_LIFETIME`]), a refusal for
    /// [`REFUSAL_LIFETIME`]; server-side failures are never remembered.
    pub fn put(&self, token: &str, outcome: &Outcome, now_unix: i64) {
        let lifetime = match outcome {
            Ok(claims) => {
                let left = Duration::from_secs(u64::try_from(claims.exp - now_unix).unwrap_or(0));
                if left < MIN_CACHED_LIFETIME {
                    return;
                }
                left
            }
            Err(TokenError::KeysUnavailable(_)) => return,
            Err(_) => REFUSAL_LIFETIME,
        };
        let now = Instant::now();
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= self.capacity {
            entries.retain(|_, entry| entry.until > now);
        }
        if entries.len() >= self.capacity {
            // Still full of live entries: start over rather than grow. Losing
            // entries only costs re-verification.
            entries.clear();
        }
        if self.capacity > 0 {
            entries.insert(
                token.to_owned(),
                Entry {
                    outcome: outcome.clone(),
                    until: now + lifetime,
                },
            );
        }
    }

    /// Number of entries (live or stale); for tests and metrics.
    pub fn len(&self) -> usize {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Whether the cache holds no entries.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp: i64) -> Outcome {
        Ok(Arc::new(Claims {
            exp,
            iat: 0,
            iss: "i".into(),
            sub: "s".into(),
            email: "e".into(),
            given_name: "g".into(),
            family_name: "f".into(),
            picture: None,
            tenant_id: None,
            tariff_id: None,
            tariff_status: None,
            x_grp: Vec::new(),
            phone_number: None,
            nickname: None,
        }))
    }

    #[test]
    fn caches_by_remaining_lifetime_and_kind_of_outcome() {
        let now = 1_000;
        let check = |outcome: Outcome, cached: bool| {
            let cache = TokenCache::new(10);
            cache.put("t", &outcome, now);
            assert_eq!(cache.get("t").is_some(), cached, "{outcome:?}");
        };
        check(claims(now + 3600), true);
        check(claims(now + 10), true);
        check(claims(now + 9), false);
        check(claims(now - 5), false);
        check(Err(TokenError::Invalid("sig".into())), true);
        check(Err(TokenError::Expired), true);
        check(Err(TokenError::KeysUnavailable("down".into())), false);
    }

    #[test]
    fn never_grows_beyond_capacity() {
        let cache = TokenCache::new(3);
        for i in 0..10 {
            cache.put(&format!("t{i}"), &claims(5_000), 1_000);
            assert!(cache.len() <= 3);
        }
        assert!(cache.get("t9").is_some(), "the newest entry survives");
        let off = TokenCache::new(0);
        off.put("t", &claims(5_000), 1_000);
        assert!(off.is_empty());
    }
}
