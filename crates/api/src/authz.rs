//! Authorization: the decision engine, its cache, multi-instance
//! invalidation and the ACL middleware (rules.md §11, stack.md §6.4).
//!
//! A decision never scans all rules. For a request subject the engine walks
//! the subject's `g` links level by level (the subject, then its roles and
//! groups, …), loading the rows of each level's subjects that are not cached
//! with one indexed query (`v0 = ANY(...)`), and matches each subject's own
//! policies with the domain matcher until one allows. The cost depends on
//! the subject's own rules, not on the table size.
//!
//! * [`rules`]: one subject's rules, compiled for matching;
//! * [`cache`]: the bounded per-subject cache;
//! * [`listener`]: `LISTEN conclave_casbin`, so writes of every instance
//!   invalidate this instance's cache;
//! * [`middleware`]: the actix ACL middleware;
//! * [`model`]: casbin's model of the same rules (test oracle, benchmarks).
//!
//! Rule writes go through [`conclave_db::authz::apply_change`] inside the
//! handler's transaction; after commit the handler calls
//! [`Authorizer::invalidate`] with the returned [`Invalidation`] so its own
//! next request sees the change at once (other instances hear the `NOTIFY`).

pub mod cache;
pub mod listener;
pub mod middleware;
pub mod model;
pub mod rules;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use conclave_db::authz::{Invalidation, apply_change, install_default_rules, load_subject_rows};
use conclave_db::{DbError, Pool};
use conclave_domain::access::matcher::MAX_ROLE_DEPTH;
use conclave_domain::access::{AccessChange, strip_version_prefix};
use diesel_async::AsyncConnection;

pub use cache::RuleCache;
pub use middleware::{Acl, Subject};
pub use rules::SubjectRules;

use crate::config::AuthzSettings;

/// The most subjects (the request subject plus inherited roles and groups)
/// one decision may involve; more is refused as an engine failure.
pub const MAX_SUBJECTS: usize = 256;

/// Why no decision could be made.
#[derive(Debug, thiserror::Error)]
pub enum AuthzError {
    /// Loading rules failed.
    #[error(transparent)]
    Db(#[from] DbError),
    /// The subject inherits too many roles and groups.
    #[error("{0} inherits more than {MAX_SUBJECTS} roles and groups")]
    TooManySubjects(String),
}

struct Inner {
    pool: Pool,
    cache: Arc<RuleCache>,
    listener: Option<listener::Listener>,
}

/// The decision engine; cheap to clone, one per process.
#[derive(Clone)]
pub struct Authorizer {
    inner: Arc<Inner>,
}

impl Authorizer {
    /// An authorizer over `pool`. With `listen_for_changes`, a task on its
    /// own connection to `database_url` listens for rule changes, and the
    /// cache is only used while that connection is up. Must be called inside
    /// a tokio runtime.
    pub fn new(pool: Pool, settings: &AuthzSettings, database_url: &str) -> Self {
        let listen = settings.listen_for_changes;
        let cache = Arc::new(RuleCache::new(settings.cache_capacity, !listen));
        let listener = listen.then(|| listener::spawn(database_url.to_owned(), cache.clone()));
        Self {
            inner: Arc::new(Inner {
                pool,
                cache,
                listener,
            }),
        }
    }

    /// The rule cache (for metrics and tests).
    pub fn cache(&self) -> &RuleCache {
        &self.inner.cache
    }

    /// Waits until the change listener is connected (immediately true
    /// without a listener); false after `timeout`.
    pub async fn wait_until_listening(&self, timeout: Duration) -> bool {
        match &self.inner.listener {
            None => true,
            Some(listener) => listener.wait_connected(timeout).await,
        }
    }

    /// Whether `subject` may `method` the object `path` (`/v1` already
    /// stripped). `OPTIONS` is always allowed.
    pub async fn decide(
        &self,
        subject: &str,
        path: &str,
        method: &str,
    ) -> Result<bool, AuthzError> {
        if method == "OPTIONS" {
            return Ok(true);
        }
        let (allowed, _) = self
            .walk(subject, |rules| rules.allows(path, method))
            .await?;
        Ok(allowed)
    }

    /// [`Authorizer::decide`] for a raw request path: a leading `/v<digits>`
    /// segment is stripped first (rules.md §11.2).
    pub async fn check_request(
        &self,
        subject: &str,
        raw_path: &str,
        method: &str,
    ) -> Result<bool, AuthzError> {
        self.decide(subject, strip_version_prefix(raw_path), method)
            .await
    }

    /// The subject and every role and group it inherits, transitively (for
    /// listings such as [`conclave_db::authz::accessible_room_ids`]).
    pub async fn subject_set(&self, subject: &str) -> Result<Vec<String>, AuthzError> {
        let (_, subjects) = self.walk(subject, |_| false).await?;
        Ok(subjects)
    }

    /// Drops the cached rules a committed write made stale.
    pub fn invalidate(&self, invalidation: &Invalidation) {
        if invalidation.all {
            self.inner.cache.clear();
        } else if !invalidation.subjects.is_empty() {
            self.inner
                .cache
                .invalidate(invalidation.subjects.iter().map(String::as_str));
        }
    }

    /// Applies `change` in a transaction of its own, then invalidates (for
    /// callers without a data change to share the transaction with).
    pub async fn apply(&self, change: &AccessChange) -> Result<Invalidation, AuthzError> {
        let mut conn = conclave_db::pool::get(&self.inner.pool).await?;
        let invalidation = conn
            .transaction::<_, DbError, _>(async |conn| apply_change(conn, change).await)
            .await?;
        self.invalidate(&invalidation);
        Ok(invalidation)
    }

    /// Installs `role::user`'s default rules if missing (rules.md §11.3).
    pub async fn install_default_rules(&self) -> Result<Invalidation, AuthzError> {
        let mut conn = conclave_db::pool::get(&self.inner.pool).await?;
        let invalidation = install_default_rules(&mut conn).await?;
        self.invalidate(&invalidation);
        Ok(invalidation)
    }

    /// Walks the subject's closure level by level, calling `found` on each
    /// subject's rules until it answers true. Returns whether it did, and the
    /// subjects visited, in visiting order.
    async fn walk(
        &self,
        subject: &str,
        mut found: impl FnMut(&SubjectRules) -> bool,
    ) -> Result<(bool, Vec<String>), AuthzError> {
        let mut seen: HashSet<String> = HashSet::from([subject.to_owned()]);
        let mut visited = vec![subject.to_owned()];
        let mut frontier = vec![subject.to_owned()];
        // Level d holds subjects d links away; like the domain's
        // `role_closure`, links are followed up to MAX_ROLE_DEPTH deep.
        for depth in 0..=MAX_ROLE_DEPTH {
            if frontier.is_empty() {
                break;
            }
            let mut next = Vec::new();
            for rules in self.rules_of(&frontier).await? {
                if found(&rules) {
                    return Ok((true, visited));
                }
                let new_roles = rules.roles.iter().filter(|r| seen.insert((*r).clone()));
                next.extend(new_roles.cloned());
            }
            if depth == MAX_ROLE_DEPTH {
                break;
            }
            if seen.len() > MAX_SUBJECTS {
                return Err(AuthzError::TooManySubjects(subject.to_owned()));
            }
            visited.extend(next.iter().cloned());
            frontier = next;
        }
        Ok((false, visited))
    }

    /// The rules of `subjects`, from the cache or with one query for the
    /// missing ones.
    async fn rules_of(&self, subjects: &[String]) -> Result<Vec<Arc<SubjectRules>>, AuthzError> {
        let cache = &self.inner.cache;
        // Taken before reading the database, so a result that an
        // invalidation overtakes is not cached.
        let epoch = cache.epoch();
        let mut out = Vec::with_capacity(subjects.len());
        let mut missing = Vec::new();
        for subject in subjects {
            match cache.get(subject) {
                Some(rules) => out.push(rules),
                None => missing.push(subject.clone()),
            }
        }
        if missing.is_empty() {
            return Ok(out);
        }
        let mut conn = conclave_db::pool::get(&self.inner.pool).await?;
        for rows in load_subject_rows(&mut conn, &missing).await? {
            let subject = rows.subject.clone();
            let rules = Arc::new(SubjectRules::compile(rows));
            cache.insert(subject, rules.clone(), epoch);
            out.push(rules);
        }
        Ok(out)
    }
}
