//! Two instances on one database: a rule change made through one is
//! honoured by the other within one second (LISTEN/NOTIFY invalidation).

use std::time::{Duration, Instant};

use conclave_api::authz::Authorizer;
use conclave_api::config::AuthzSettings;
use conclave_db::testing::TestDb;
use conclave_domain::access;
use conclave_domain::ids::{EventId, RoomId, UserId};
use diesel_async::SimpleAsyncConnection;
use uuid::Uuid;

const DEADLINE: Duration = Duration::from_secs(1);

fn instance(db: &TestDb) -> Authorizer {
    let settings = AuthzSettings {
        cache_capacity: 100,
        listen_for_changes: true,
    };
    Authorizer::new(db.pool(), &settings, db.url())
}

/// Polls `a` until it decides `want`; returns how long that took.
async fn until(a: &Authorizer, subject: &str, path: &str, want: bool) -> Duration {
    let start = Instant::now();
    loop {
        if a.decide(subject, path, "GET").await.unwrap() == want {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < DEADLINE,
            "{subject} GET {path} still not {want} after {DEADLINE:?}"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn grants_and_revocations_reach_the_other_instance() {
    let db = TestDb::new().await;
    let (a, b) = (instance(&db), instance(&db));
    assert!(a.wait_until_listening(Duration::from_secs(5)).await);
    assert!(b.wait_until_listening(Duration::from_secs(5)).await);
    let user = UserId::from(Uuid::new_v4());
    let room = RoomId::from(Uuid::new_v4());
    let subject = format!("user::{user}");
    let path = format!("/rooms/{room}");

    // A caches the denial (the entry is really cached: it is in the cache).
    assert!(!a.decide(&subject, &path, "GET").await.unwrap());
    assert!(!a.cache().is_empty());
    b.apply(&access::create_room(user, room)).await.unwrap();
    let took = until(&a, &subject, &path, true).await;
    println!("grant honoured after {took:?}");
    // Now A caches the permit; B revokes.
    assert!(a.decide(&subject, &path, "GET").await.unwrap());
    b.apply(&access::delete_room(room, &[], &[])).await.unwrap();
    let took = until(&a, &subject, &path, false).await;
    println!("revocation honoured after {took:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_listener_connection_never_serves_stale_rules() {
    let db = TestDb::new().await;
    let (a, b) = (instance(&db), instance(&db));
    assert!(a.wait_until_listening(Duration::from_secs(5)).await);
    let user = UserId::from(Uuid::new_v4());
    let room = RoomId::from(Uuid::new_v4());
    let subject = format!("user::{user}");
    let path = format!("/rooms/{room}");
    assert!(!a.decide(&subject, &path, "GET").await.unwrap());

    // Kill every listening connection (both instances'), then write at once:
    // notifications sent meanwhile are lost, so A must not trust its cache.
    let mut admin = db.connect().await;
    admin
        .batch_execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = current_database() AND pid <> pg_backend_pid() \
             AND query LIKE 'LISTEN%'",
        )
        .await
        .unwrap();
    b.apply(&access::create_room(user, room)).await.unwrap();
    until(&a, &subject, &path, true).await;

    // The listener comes back and caching resumes.
    assert!(a.wait_until_listening(Duration::from_secs(5)).await);
    assert!(a.decide(&subject, &path, "GET").await.unwrap());
    assert!(!a.cache().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_changes_clear_every_cached_subject() {
    let db = TestDb::new().await;
    let (a, b) = (instance(&db), instance(&db));
    assert!(a.wait_until_listening(Duration::from_secs(5)).await);
    let room = RoomId::from(Uuid::new_v4());
    let path = format!("/rooms/{room}");
    // More changed subjects than one notification names: B sends `*`.
    let users: Vec<UserId> = (0..80).map(|_| UserId::from(Uuid::new_v4())).collect();
    let probe = format!("user::{}", users[79]);
    assert!(!a.decide(&probe, &path, "GET").await.unwrap());
    let mut change = access::AccessChange::default();
    for user in &users {
        change
            .grants
            .extend(access::invite_user(*user, EventId::from(Uuid::new_v4()), room).grants);
    }
    b.apply(&change).await.unwrap();
    until(&a, &probe, &path, true).await;
}
