//! A bounded in-memory cache of compiled per-subject rules.
//!
//! Each entry holds only rows whose `v0` is the entry's subject, so a rule
//! write for subject S makes exactly S's entry stale; `role::user` is an
//! entry like any other, shared by all users.
//!
//! Eviction is "LRU-ish" with two generations: entries live in `hot`; a hit
//! in `cold` moves the entry back to `hot`; when `hot` holds half the
//! capacity, `cold` is dropped and `hot` becomes `cold`. Every operation is
//! O(1) and at most `capacity` entries are held.
//!
//! Loads race with invalidations: a load that read the database before a
//! rule change committed must not store its result after the change's
//! invalidation arrived. Every invalidation bumps an epoch; loaders take the
//! epoch before reading and [`RuleCache::insert`] refuses stale results.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::authz::rules::SubjectRules;

#[derive(Default)]
struct Generations {
    hot: HashMap<String, Arc<SubjectRules>>,
    cold: HashMap<String, Arc<SubjectRules>>,
    epoch: u64,
}

/// The cache. Disabled caches answer every lookup with a miss.
pub struct RuleCache {
    inner: Mutex<Generations>,
    generation_size: usize,
    enabled: AtomicBool,
}

impl RuleCache {
    /// A cache of at most `capacity` subjects (below 2 turns caching off),
    /// initially enabled or not.
    pub fn new(capacity: usize, enabled: bool) -> Self {
        Self {
            inner: Mutex::new(Generations::default()),
            generation_size: capacity / 2,
            enabled: AtomicBool::new(enabled && capacity > 0),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Generations> {
        // The maps stay consistent even if a holder panicked.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Whether lookups and inserts are served.
    pub fn is_enabled(&self) -> bool {
        self.enabled.load(Ordering::Acquire)
    }

    /// Turns the cache on or off; turning it off also empties it (while off,
    /// no invalidations arrive, so nothing kept could be trusted later).
    pub fn set_enabled(&self, enabled: bool) {
        let capacity_ok = self.generation_size > 0;
        self.enabled
            .store(enabled && capacity_ok, Ordering::Release);
        // Cleared after the switch, so an insert racing with it is either
        // refused (epoch) or wiped here.
        self.clear();
    }

    /// The current epoch; pass it to [`RuleCache::insert`] after loading.
    pub fn epoch(&self) -> u64 {
        self.lock().epoch
    }

    /// The cached rules of `subject`, if any.
    pub fn get(&self, subject: &str) -> Option<Arc<SubjectRules>> {
        if !self.is_enabled() {
            return None;
        }
        let mut inner = self.lock();
        if let Some(rules) = inner.hot.get(subject) {
            return Some(rules.clone());
        }
        let rules = inner.cold.remove(subject)?;
        self.insert_hot(&mut inner, subject.to_owned(), rules.clone());
        Some(rules)
    }

    /// Stores rules loaded when the epoch was `loaded_at`; refused (returns
    /// false) if an invalidation happened since, or the cache is off.
    pub fn insert(&self, subject: String, rules: Arc<SubjectRules>, loaded_at: u64) -> bool {
        if !self.is_enabled() {
            return false;
        }
        let mut inner = self.lock();
        if inner.epoch != loaded_at {
            return false;
        }
        inner.cold.remove(&subject);
        self.insert_hot(&mut inner, subject, rules);
        true
    }

    fn insert_hot(&self, inner: &mut Generations, subject: String, rules: Arc<SubjectRules>) {
        if inner.hot.len() >= self.generation_size {
            inner.cold = std::mem::take(&mut inner.hot);
        }
        inner.hot.insert(subject, rules);
    }

    /// Drops the entries of `subjects`.
    pub fn invalidate<'a>(&self, subjects: impl IntoIterator<Item = &'a str>) {
        let mut inner = self.lock();
        inner.epoch += 1;
        for subject in subjects {
            inner.hot.remove(subject);
            inner.cold.remove(subject);
        }
    }

    /// Drops every entry.
    pub fn clear(&self) {
        let mut inner = self.lock();
        inner.epoch += 1;
        inner.hot.clear();
        inner.cold.clear();
    }

    /// How many subjects are cached.
    pub fn len(&self) -> usize {
        let inner = self.lock();
        inner.hot.len() + inner.cold.len()
    }

    /// Whether no subject is cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> Arc<SubjectRules> {
        Arc::new(SubjectRules::default())
    }

    #[test]
    fn stays_within_capacity_and_keeps_recently_used_entries() {
        let cache = RuleCache::new(4, true);
        for i in 0..100 {
            let epoch = cache.epoch();
            assert!(cache.insert(format!("s{i}"), entry(), epoch));
            // s0 is touched after every insert, so it is never evicted.
            assert!(cache.get("s0").is_some(), "after {i}");
            assert!(cache.len() <= 4, "{} entries", cache.len());
        }
        assert!(cache.get("s98").is_some());
        assert!(cache.get("s1").is_none());
    }

    #[test]
    fn refuses_results_loaded_before_an_invalidation() {
        let cache = RuleCache::new(10, true);
        let before = cache.epoch();
        cache.invalidate(["other"]);
        assert!(!cache.insert("s".into(), entry(), before));
        assert!(cache.get("s").is_none());
        assert!(cache.insert("s".into(), entry(), cache.epoch()));
        cache.invalidate(["s"]);
        assert!(cache.get("s").is_none());
    }

    #[test]
    fn disabled_caches_hold_nothing() {
        for cache in [RuleCache::new(0, true), RuleCache::new(10, false)] {
            assert!(!cache.insert("s".into(), entry(), cache.epoch()));
            assert!(cache.get("s").is_none());
        }
        let cache = RuleCache::new(10, true);
        cache.insert("s".into(), entry(), cache.epoch());
        cache.set_enabled(false);
        cache.set_enabled(true);
        assert!(cache.get("s").is_none(), "re-enabling starts empty");
    }
}
