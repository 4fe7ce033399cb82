//! Reaching past the API in a test: ad-hoc SQL against the test database
//! (seeding and counting), rows the API has no endpoints for, and access
//! rules granted through the server's own authorizer.

use conclave_db::models::asset::NewAsset;
use conclave_db::models::module_resource::NewModuleResource;
use conclave_db::models::room::Room;
use conclave_domain::access::{AccessChange, Action, Policy, Subject};
use conclave_domain::ids::{AssetId, RoomId};
use diesel::sql_types::{BigInt, Text};
use diesel_async::RunQueryDsl;
use serde_json::json;
use uuid::Uuid;

use crate::{Person, TestApp};

/// Grants `policies` through the server's own authorizer (rules and cache).
pub async fn grant(app: &TestApp, policies: Vec<Policy>) {
    let change = AccessChange {
        grants: policies,
        ..AccessChange::default()
    };
    app.state.authz.apply(&change).await.expect("grant");
}

/// Runs a statement with one text parameter; returns the affected rows.
pub async fn execute(app: &TestApp, sql: &str, param: &str) -> usize {
    let mut conn = app.db.connect().await;
    diesel::sql_query(sql)
        .bind::<Text, _>(param)
        .execute(&mut conn)
        .await
        .expect(sql)
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// The `n` of `SELECT … AS n …` (one bigint row) with one text parameter.
pub async fn count(app: &TestApp, sql: &str, param: &str) -> i64 {
    let mut conn = app.db.connect().await;
    let row: Count = diesel::sql_query(sql)
        .bind::<Text, _>(param)
        .get_result(&mut conn)
        .await
        .expect(sql);
    row.n
}

/// How many `casbin_rule` rows mention `needle` in any column.
pub async fn rules_mentioning(app: &TestApp, needle: &str) -> i64 {
    count(
        app,
        "SELECT count(*) AS n FROM casbin_rule WHERE concat_ws(' ', ptype, v0, v1, v2, v3, v4, v5) \
         LIKE '%' || $1 || '%'",
        needle,
    )
    .await
}

/// How many rows `table` has.
pub async fn rows_in(app: &TestApp, table: &str) -> i64 {
    count(
        app,
        &format!("SELECT count(*) AS n FROM {table} WHERE $1 = ''"),
        "",
    )
    .await
}

/// The `revision` of the event with id `event`.
pub async fn event_revision(app: &TestApp, event: &str) -> i64 {
    let sql = "SELECT revision::bigint AS n FROM events WHERE id::text = $1";
    count(app, sql, event).await
}

/// Gives `room` a whiteboard module resource of `owner` and a recording
/// asset, straight in the database, and grants `owner` `actions` on the
/// resource (the rule fix-acl writes for it). Returns the resource and
/// asset ids.
pub async fn resource_and_asset(
    app: &TestApp,
    owner: &Person,
    room: RoomId,
    actions: &[Action],
) -> (String, String) {
    let mut conn = app.db.connect().await;
    let row = Room::get(&mut conn, room).await.expect("room");
    let resource = NewModuleResource {
        tenant_id: row.tenant_id,
        room_id: room,
        created_by: owner.id,
        namespace: "whiteboard".into(),
        tag: None,
        data: json!({"pages": 1}),
    }
    .insert(&mut conn)
    .await
    .expect("module resource");
    let asset = NewAsset {
        id: AssetId::from(Uuid::new_v4()),
        namespace: None,
        kind: "recording".into(),
        filename: "meeting.webm".into(),
        tenant_id: row.tenant_id,
        size: 1234,
    }
    .insert_for_room(&mut conn, room)
    .await
    .expect("asset");
    let object = format!("/module_resources/{}", resource.id);
    grant(
        app,
        vec![Policy::new(Subject::User(owner.id), object, actions)],
    )
    .await;
    (resource.id.to_string(), asset.id.to_string())
}

/// Inserts an invite of `invitee` to the event with id `event`, with
/// `status` and `role` (their SQL labels), created `age` minutes ago by
/// the event's creator.
pub async fn seed_invite(
    app: &TestApp,
    event: &str,
    invitee: &Person,
    status: &str,
    role: &str,
    age: i64,
) {
    let sql = format!(
        "INSERT INTO event_invites (id, event_id, invitee, created_by, created_at, status, role) \
         SELECT gen_random_uuid(), id, '{}', created_by, now() - interval '{age} minutes', \
         '{status}'::event_invite_status, '{role}'::invite_role FROM events WHERE id::text = $1",
        invitee.id
    );
    assert_eq!(execute(app, &sql, event).await, 1);
}
