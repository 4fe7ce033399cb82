//! Scenario builders for the room suites (authorization matrix, schema
//! walk): three logged-in people in two tenants, and a fully equipped room
//! written straight to the database with exactly the access rules the API
//! would write, so each test cell can get a fresh one cheaply.

use std::collections::BTreeSet;

use chrono::{Duration, Utc};
use conclave_api::config::TenantAssignment;
use conclave_db::models::invite::{Invite, NewInvite};
use conclave_db::models::room::NewRoom;
use conclave_db::models::room_streaming_target::NewRoomStreamingTarget;
use conclave_db::models::sip_config::{NewSipConfig, SipConfigInsert};
use conclave_db::schema::events;
use conclave_domain::access::{create_invite_code, create_room, delete_invite_code};
use conclave_domain::ids::{EventId, InviteCodeId, RoomId, StreamingTargetId};
use conclave_domain::streaming::StreamingKind;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{TestApp, rows, spawn_app_with};

// The matrix suites import these from here; they are the shared ones.
pub use crate::http::{Auth, Reply, call_json as call};
pub use crate::people::{Person, person};

/// Room operations (upstream method and path, relative to `/v1`) whose
/// endpoints are not served yet. The room suites print these and skip
/// them; a listed operation that Conclave's OpenAPI document now contains
/// fails the suites, so the list only ever shrinks. Empty once issue 5
/// parts A and B have landed.
pub const PENDING_OPS: &[&str] = &[];

/// Whether `op` ("METHOD /path") is in [`PENDING_OPS`].
pub fn is_pending(op: &str) -> bool {
    PENDING_OPS.contains(&op)
}

/// Prints [`PENDING_OPS`] and fails when one of them is already in
/// Conclave's generated OpenAPI document (then it must leave the list).
pub fn report_pending() {
    println!(
        "PENDING_OPS ({} room operations skipped):",
        PENDING_OPS.len()
    );
    for op in PENDING_OPS {
        println!("  {op}");
    }
    let ours = serde_json::to_value(conclave_api::openapi::document()).expect("our document");
    let served: BTreeSet<String> = ours["paths"]
        .as_object()
        .into_iter()
        .flatten()
        .flat_map(|(path, item)| {
            ["get", "post", "put", "patch", "delete"]
                .into_iter()
                .filter(|m| item.get(*m).is_some())
                .map(move |m| format!("{} {path}", m.to_uppercase()))
        })
        .collect();
    let stale: Vec<&&str> = PENDING_OPS
        .iter()
        .filter(|op| served.contains(**op))
        .collect();
    assert!(
        stale.is_empty(),
        "now served, remove from PENDING_OPS in tests/support/fixtures.rs: {stale:?}"
    );
}

/// The people of the room suites.
#[derive(Debug, Clone)]
pub struct People {
    /// Owns every scenario room (tenant `t1`).
    pub owner: Person,
    /// Another user of the owner's tenant, with no grant on the room.
    pub member: Person,
    /// A user of another tenant (`t2`).
    pub outsider: Person,
}

/// Starts the app with tenants assigned by the `tenant_id` claim and logs
/// in [`People`].
pub async fn room_app() -> (TestApp, People) {
    let app = spawn_app_with(|s| s.tenants.assignment = TenantAssignment::ByExternalTenantId).await;
    let people = People {
        owner: person(&app, "owner", "t1").await,
        member: person(&app, "member", "t1").await,
        outsider: person(&app, "outsider", "t2").await,
    };
    (app, people)
}

/// How to equip a scenario room.
#[derive(Debug, Clone, Default)]
pub struct RoomSpec {
    /// Room password (guests must give it to `start_invited`).
    pub password: Option<String>,
    /// End-to-end encrypted room.
    pub e2e: bool,
    /// Give the room an event (with meeting details shown). A room with an
    /// event cannot be deleted (409).
    pub with_event: bool,
}

/// A room of [`People::owner`] and everything hanging off it.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The room.
    pub room: RoomId,
    /// An active code without expiry, with its guest rules.
    pub valid_code: InviteCodeId,
    /// An active code that expired an hour ago. Its guest rules are still
    /// in place (as before the cleanup job), so only R-21 refuses it.
    pub expired_code: InviteCodeId,
    /// A code deleted through the API path: inactive, rules removed.
    pub deactivated_code: InviteCodeId,
    /// One streaming target.
    pub target: StreamingTargetId,
    /// The room's event, when asked for.
    pub event: Option<EventId>,
}

/// Writes a room of `owner` with a SIP config, a streaming target and three
/// invite codes (valid, expired, deactivated), plus the access rules the
/// API writes for the same actions.
pub async fn scenario(app: &TestApp, owner: &Person, spec: &RoomSpec) -> Scenario {
    let mut conn = app.db.connect().await;
    let room = NewRoom {
        created_by: owner.id,
        password: spec.password.clone(),
        waiting_room: false,
        tenant_id: owner.tenant,
        e2e_encryption: spec.e2e,
    }
    .insert(&mut conn)
    .await
    .expect("insert room")
    .id;
    app.state
        .authz
        .apply(&create_room(owner.id, room))
        .await
        .expect("room rules");
    sip_config(&mut conn, room).await;
    let target = streaming_target(&mut conn, room).await;
    let valid_code = invite_code(app, &mut conn, owner, room, None).await;
    let expired = Some(Utc::now() - Duration::hours(1));
    let expired_code = invite_code(app, &mut conn, owner, room, expired).await;
    let deactivated_code = invite_code(app, &mut conn, owner, room, None).await;
    Invite::deactivate(&mut conn, room, deactivated_code, owner.id)
        .await
        .expect("deactivate code");
    app.state
        .authz
        .apply(&delete_invite_code(deactivated_code, room))
        .await
        .expect("remove code rules");
    let event = if spec.with_event {
        Some(event(&mut conn, owner, room).await)
    } else {
        None
    };
    Scenario {
        room,
        valid_code,
        expired_code,
        deactivated_code,
        target,
        event,
    }
}

async fn invite_code(
    app: &TestApp,
    conn: &mut AsyncPgConnection,
    owner: &Person,
    room: RoomId,
    expiration: Option<chrono::DateTime<Utc>>,
) -> InviteCodeId {
    let code = NewInvite {
        created_by: owner.id,
        room,
        expiration,
    }
    .insert(conn)
    .await
    .expect("insert invite code")
    .id;
    app.state
        .authz
        .apply(&create_invite_code(code, room))
        .await
        .expect("code rules");
    code
}

async fn sip_config(conn: &mut AsyncPgConnection, room: RoomId) {
    // A random 10-digit id; a collision just gets another try.
    for _ in 0..3 {
        let digits = Uuid::new_v4().as_u128() % 10_000_000_000;
        let config = NewSipConfig {
            room,
            sip_id: format!("{digits:010}"),
            password: "9876543210".to_owned(),
            enable_lobby: false,
        };
        if let SipConfigInsert::Inserted(_) = config.insert(conn).await.expect("insert sip") {
            return;
        }
    }
    panic!("no free sip_id in three tries");
}

async fn streaming_target(conn: &mut AsyncPgConnection, room: RoomId) -> StreamingTargetId {
    NewRoomStreamingTarget {
        room_id: room,
        name: "Example Stream".to_owned(),
        kind: StreamingKind::Custom,
        streaming_endpoint: "https://ingress.example.com/".to_owned(),
        streaming_key: "aabbcc".to_owned(),
        public_url: "https://stream.example.com/live".to_owned(),
    }
    .insert(conn)
    .await
    .expect("insert streaming target")
    .id
}

async fn event(conn: &mut AsyncPgConnection, owner: &Person, room: RoomId) -> EventId {
    let event = rows::insert_event(conn, owner.tenant, room, owner.id).await;
    diesel::update(events::table.find(Uuid::from(event)))
        .set(events::show_meeting_details.eq(true))
        .execute(conn)
        .await
        .expect("show meeting details");
    event
}

/// A valid streaming target request body.
pub fn streaming_target_body() -> Value {
    json!({
        "name": "Another Stream",
        "kind": "custom",
        "streaming_endpoint": "https://ingress.example.com/live/",
        "streaming_key": "ddeeff",
        "public_url": "https://stream.example.com/other",
    })
}
