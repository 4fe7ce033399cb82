//! The decision engine and the rule-writing service on a real database.

use conclave_api::authz::{Authorizer, AuthzError, MAX_SUBJECTS};
use conclave_api::config::AuthzSettings;
use conclave_db::authz::{Invalidation, apply_change};
use conclave_db::testing::TestDb;
use conclave_domain::access::{self, AccessChange, Policy, RoleLink, Subject};
use conclave_domain::ids::{EventId, GroupId, RoomId, UserId};
use diesel_async::{AsyncConnection, SimpleAsyncConnection};
use uuid::Uuid;

fn settings() -> AuthzSettings {
    AuthzSettings {
        cache_capacity: 100,
        listen_for_changes: false,
    }
}

fn user() -> (UserId, String) {
    let id = Uuid::new_v4();
    (UserId::from(id), format!("user::{id}"))
}

async fn count_rules(db: &TestDb) -> i64 {
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    let mut conn = db.connect().await;
    conclave_db::schema::casbin_rule::table
        .count()
        .get_result(&mut conn)
        .await
        .unwrap()
}

#[tokio::test]
async fn default_rules_are_installed_once() {
    let db = TestDb::new().await;
    let authz = Authorizer::new(db.pool(), &settings(), db.url());
    let first = authz.install_default_rules().await.unwrap();
    assert_eq!(first.subjects.iter().collect::<Vec<_>>(), ["role::user"]);
    assert_eq!(count_rules(&db).await, 7);
    assert!(authz.install_default_rules().await.unwrap().is_empty());
    assert_eq!(count_rules(&db).await, 7);
}

#[tokio::test]
async fn users_get_role_rules_and_their_own_grants() {
    let db = TestDb::new().await;
    let authz = Authorizer::new(db.pool(), &settings(), db.url());
    authz.install_default_rules().await.unwrap();
    let (u, subject) = user();
    let (_, stranger) = user();
    let room = RoomId::from(Uuid::new_v4());
    let room_path = format!("/v1/rooms/{room}");

    let check = async |subject: &str, method: &str, path: &str| {
        authz.check_request(subject, path, method).await.unwrap()
    };
    assert!(!check(&subject, "GET", "/v1/rooms").await, "no role yet");
    authz.apply(&access::first_login(u)).await.unwrap();
    assert!(check(&subject, "GET", "/v1/rooms").await);
    assert!(check(&subject, "POST", "/rooms").await);
    assert!(!check(&subject, "DELETE", "/v1/rooms").await);
    assert!(!check(&subject, "GET", &room_path).await);
    assert!(check(&stranger, "OPTIONS", &room_path).await);

    authz.apply(&access::create_room(u, room)).await.unwrap();
    for (method, suffix) in [
        ("GET", ""),
        ("PATCH", ""),
        ("POST", "/start"),
        ("PUT", "/sip"),
        ("DELETE", "/invites/x"),
    ] {
        assert!(
            check(&subject, method, &format!("{room_path}{suffix}")).await,
            "{method} {suffix}"
        );
    }
    assert!(!check(&subject, "PUT", &format!("{room_path}/invites/x/y")).await);
    assert!(!check(&stranger, "GET", &room_path).await);

    authz
        .apply(&access::delete_room(room, &[], &[]))
        .await
        .unwrap();
    assert!(!check(&subject, "GET", &room_path).await);
    assert!(check(&subject, "GET", "/v1/rooms").await, "role rules stay");
}

#[tokio::test]
async fn writes_share_the_callers_transaction_and_report_subjects() {
    let db = TestDb::new().await;
    let authz = Authorizer::new(db.pool(), &settings(), db.url());
    let (u, subject) = user();
    let event = EventId::from(Uuid::new_v4());
    let room = RoomId::from(Uuid::new_v4());
    let path = format!("/events/{event}");
    assert!(!authz.decide(&subject, &path, "GET").await.unwrap());

    // Rolled back: nothing is written.
    let mut conn = db.connect().await;
    let change = access::create_event(u, event, room);
    let rolled_back = conn
        .transaction::<(), conclave_db::DbError, _>(async |conn| {
            apply_change(conn, &change).await?;
            Err(conclave_db::DbError::Other("handler failed".into()))
        })
        .await;
    assert!(rolled_back.is_err());
    assert_eq!(count_rules(&db).await, 0);

    let invalidation: Invalidation = conn
        .transaction::<_, conclave_db::DbError, _>(async |conn| apply_change(conn, &change).await)
        .await
        .unwrap();
    assert_eq!(invalidation.subjects.iter().collect::<Vec<_>>(), [&subject]);
    assert_eq!(count_rules(&db).await, 19);
    // The denial above is cached until the caller invalidates.
    assert!(!authz.decide(&subject, &path, "GET").await.unwrap());
    authz.invalidate(&invalidation);
    assert!(authz.decide(&subject, &path, "GET").await.unwrap());

    // A resource-wide revocation reports every subject it touched.
    let (v, invitee) = user();
    authz
        .apply(&access::invite_user(v, event, room))
        .await
        .unwrap();
    let removed = authz
        .apply(&access::delete_event(event, room, &[], &[]))
        .await
        .unwrap();
    assert_eq!(
        removed.subjects,
        [subject.clone(), invitee].into_iter().collect()
    );
    assert_eq!(count_rules(&db).await, 0);
    assert!(!authz.decide(&subject, &path, "GET").await.unwrap());
}

#[tokio::test]
async fn groups_and_roles_are_inherited_transitively() {
    let db = TestDb::new().await;
    let authz = Authorizer::new(db.pool(), &settings(), db.url());
    let (u, subject) = user();
    let group_id = GroupId::from(Uuid::new_v4());
    let group = Subject::Group(group_id);
    let role = Subject::Role("auditor".into());
    let change = AccessChange {
        revokes: vec![],
        links: vec![
            RoleLink::new(Subject::User(u), group.clone()),
            RoleLink::new(group.clone(), role.clone()),
        ],
        grants: vec![Policy::new(
            role.clone(),
            "/events/*",
            &[access::Action::Get],
        )],
    };
    authz.apply(&change).await.unwrap();
    assert!(authz.decide(&subject, "/events/abc", "GET").await.unwrap());
    assert!(
        !authz
            .decide(&subject, "/events/abc/invites", "GET")
            .await
            .unwrap()
    );
    let mut set = authz.subject_set(&subject).await.unwrap();
    set.sort();
    let mut want = vec![subject.clone(), group.to_string(), role.to_string()];
    want.sort();
    assert_eq!(set, want);

    // Leaving the group removes the inherited access.
    authz
        .apply(&access::sync_groups(u, &[group_id], &[]))
        .await
        .unwrap();
    assert!(!authz.decide(&subject, "/events/abc", "GET").await.unwrap());
}

#[tokio::test]
async fn too_many_inherited_subjects_fail_the_decision() {
    let db = TestDb::new().await;
    let authz = Authorizer::new(db.pool(), &settings(), db.url());
    let (_, subject) = user();
    let mut conn = db.connect().await;
    conn.batch_execute(&format!(
        "INSERT INTO casbin_rule (ptype, v0, v1, v2, v3, v4, v5) \
         SELECT 'g', '{subject}', 'group::' || gen_random_uuid(), '', '', '', '' \
         FROM generate_series(1, {})",
        MAX_SUBJECTS + 1
    ))
    .await
    .unwrap();
    let result = authz.decide(&subject, "/rooms", "GET").await;
    assert!(
        matches!(result, Err(AuthzError::TooManySubjects(_))),
        "{result:?}"
    );
    assert!(authz.decide(&subject, "/rooms", "OPTIONS").await.unwrap());
}
