//! "Which rooms may I read": the SQL listing over `casbin_rule` and `rooms`.

use conclave_api::authz::Authorizer;
use conclave_api::config::AuthzSettings;
use conclave_db::authz::accessible_room_ids;
use conclave_db::paging::PageRequest;
use conclave_db::testing::TestDb;
use conclave_domain::access::{self, AccessChange, Action, Policy, RoleLink, Subject};
use conclave_domain::ids::{GroupId, RoomId, UserId};
use diesel::sql_types::Uuid as SqlUuid;
use diesel::{QueryableByName, sql_query};
use diesel_async::RunQueryDsl;
use uuid::Uuid;

#[derive(QueryableByName)]
struct IdRow {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
}

/// A user (in the seeded tenant and tariff) owning `n` rooms; returns the
/// user and the room ids.
async fn user_with_rooms(db: &TestDb, n: i32) -> (UserId, Vec<RoomId>) {
    let mut conn = db.connect().await;
    let user: IdRow = sql_query(
        "INSERT INTO users (oidc_sub, email, title, firstname, lastname, id_token_exp, language, \
         display_name, tenant_id, tariff_id) \
         SELECT gen_random_uuid()::text, 'a@example.org', '', 'A', 'B', 0, 'en-US', 'A B', \
         (SELECT id FROM tenants LIMIT 1), (SELECT id FROM tariffs LIMIT 1) RETURNING id",
    )
    .get_result(&mut conn)
    .await
    .unwrap();
    let rooms: Vec<IdRow> = sql_query(
        "INSERT INTO rooms (created_by, waiting_room, tenant_id, e2e_encryption) \
         SELECT $1, false, (SELECT id FROM tenants LIMIT 1), false FROM generate_series(1, $2) \
         RETURNING id",
    )
    .bind::<SqlUuid, _>(user.id)
    .bind::<diesel::sql_types::Integer, _>(n)
    .get_results(&mut conn)
    .await
    .unwrap();
    (
        UserId::from(user.id),
        rooms.into_iter().map(|r| RoomId::from(r.id)).collect(),
    )
}

fn sorted_desc(mut ids: Vec<RoomId>) -> Vec<RoomId> {
    ids.sort_by_key(|id| std::cmp::Reverse(Uuid::from(*id)));
    ids
}

#[tokio::test]
async fn lists_rooms_readable_directly_or_through_groups() {
    let db = TestDb::new().await;
    let settings = AuthzSettings {
        cache_capacity: 10,
        listen_for_changes: false,
    };
    let authz = Authorizer::new(db.pool(), &settings, db.url());
    let (u, rooms) = user_with_rooms(&db, 6).await;
    let (_, others) = user_with_rooms(&db, 3).await;
    let group = Subject::Group(GroupId::from(Uuid::new_v4()));
    authz
        .apply(&access::create_room(u, rooms[0]))
        .await
        .unwrap();
    authz
        .apply(&access::create_room(u, rooms[1]))
        .await
        .unwrap();
    let p = |subject: &Subject, object: String, actions: &[Action]| {
        Policy::new(subject.clone(), object, actions)
    };
    let change = AccessChange {
        revokes: vec![],
        links: vec![RoleLink::new(Subject::User(u), group.clone())],
        grants: vec![
            p(
                &group,
                format!("/rooms/{}", rooms[2]),
                &[Action::Post, Action::Get],
            ),
            // Not listed: no GET, only a sub-resource, or a `GET` prefix only.
            p(&group, format!("/rooms/{}", rooms[3]), &[Action::Post]),
            p(
                &Subject::User(u),
                format!("/rooms/{}/start", rooms[4]),
                &[Action::Get],
            ),
            p(
                &Subject::User(u),
                format!("/rooms/{}/", rooms[5]),
                &[Action::Get],
            ),
        ],
    };
    authz.apply(&change).await.unwrap();
    let subjects = authz.subject_set(&format!("user::{u}")).await.unwrap();
    let mut conn = db.connect().await;

    let want = sorted_desc(vec![rooms[0], rooms[1], rooms[2]]);
    let page = accessible_room_ids(&mut conn, &subjects, PageRequest::new(1, 2))
        .await
        .unwrap();
    assert_eq!((page.items.as_slice(), page.total), (&want[..2], 3));
    let page = accessible_room_ids(&mut conn, &subjects, PageRequest::new(2, 2))
        .await
        .unwrap();
    assert_eq!((page.items.as_slice(), page.total), (&want[2..], 3));
    let page = accessible_room_ids(&mut conn, &subjects, PageRequest::new(9, 2))
        .await
        .unwrap();
    assert_eq!((page.items.len(), page.total), (0, 3));

    // A `/rooms/*` GET grant to the user's role lists every room.
    let all_rooms = AccessChange {
        revokes: vec![],
        links: vec![RoleLink::new(Subject::User(u), Subject::user_role())],
        grants: vec![p(&Subject::user_role(), "/rooms/*".into(), &[Action::Get])],
    };
    authz.apply(&all_rooms).await.unwrap();
    let subjects = authz.subject_set(&format!("user::{u}")).await.unwrap();
    let page = accessible_room_ids(&mut conn, &subjects, PageRequest::new(1, 100))
        .await
        .unwrap();
    let everything = sorted_desc(rooms.iter().chain(&others).copied().collect());
    assert_eq!((page.items, page.total), (everything, 9));

    // Someone without grants sees nothing.
    let nobody = vec![format!("user::{}", Uuid::new_v4())];
    let page = accessible_room_ids(&mut conn, &nobody, PageRequest::new(1, 30))
        .await
        .unwrap();
    assert_eq!((page.items.len(), page.total), (0, 0));
}
