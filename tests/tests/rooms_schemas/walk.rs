//! The walk of the schema suite: one ordered list of requests through every
//! room operation, success and error answers, on rooms written by the
//! shared fixtures.

use conclave_db::models::room::Room;
use conclave_domain::ids::{InviteCodeId, RoomId};
use conclave_e2e::TestApp;
use conclave_e2e::fixtures::{
    Auth, People, RoomSpec, Scenario, call, scenario, streaming_target_body,
};
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

/// Who sends a step.
#[derive(Debug, Clone, Copy)]
pub enum Who {
    /// The rooms' owner.
    Owner,
    /// A user of the same tenant without grants.
    Member,
    /// No credentials.
    Anonymous,
    /// `Authorization: InviteCode <code>`.
    Code(InviteCodeId),
}

/// One request of the walk.
#[derive(Debug, Clone)]
pub struct Step {
    /// Upstream operation ("METHOD /path" with the document's names).
    pub op: &'static str,
    /// What the step exercises.
    pub note: &'static str,
    /// Concrete path below `/v1`.
    pub path: String,
    /// Sender.
    pub who: Who,
    /// JSON body.
    pub body: Option<Value>,
    /// The status the walk expects.
    pub expect: u16,
}

/// An answer.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Status code.
    pub status: u16,
    /// Raw body.
    pub text: String,
    /// Body as JSON, when it is JSON.
    pub json: Option<Value>,
}

impl Step {
    /// Sends the request.
    pub async fn run(&self, app: &TestApp, people: &People) -> Outcome {
        let auth = match self.who {
            Who::Owner => Auth::Bearer(&people.owner.token),
            Who::Member => Auth::Bearer(&people.member.token),
            Who::Anonymous => Auth::Anonymous,
            Who::Code(code) => Auth::InviteCode(code),
        };
        let method = self.op.split_once(' ').expect("METHOD /path").0;
        let method = Method::from_bytes(method.as_bytes()).expect("method");
        let reply = call(app, method, &self.path, auth, self.body.as_ref()).await;
        Outcome {
            status: reply.status.as_u16(),
            text: reply.text,
            json: reply.json,
        }
    }
}

fn step(
    op: &'static str,
    note: &'static str,
    path: String,
    who: Who,
    body: Option<Value>,
    expect: u16,
) -> Step {
    Step {
        op,
        note,
        path,
        who,
        body,
        expect,
    }
}

/// An operation behind authentication: upstream name, concrete path, the
/// caller the ACL refuses, body.
type Guarded = (&'static str, String, Who, Option<Value>);

/// The operations behind authentication on `room`.
#[rustfmt::skip]
fn guarded(room: RoomId, code: InviteCodeId, target: Uuid) -> Vec<Guarded> {
    let r = format!("/rooms/{room}");
    let st = format!("{r}/streaming_targets/{target}");
    let m = Who::Member;
    vec![
        ("GET /rooms", "/rooms".into(), Who::Code(code), None),
        ("POST /rooms", "/rooms".into(), Who::Code(code), Some(json!({}))),
        ("GET /rooms/{room_id}", r.clone(), m, None),
        ("PATCH /rooms/{room_id}", r.clone(), m, Some(json!({"waiting_room": true}))),
        ("DELETE /rooms/{room_id}", r.clone(), m, None),
        ("GET /rooms/{room_id}/tariff", format!("{r}/tariff"), m, None),
        ("GET /rooms/{room_id}/event", format!("{r}/event"), m, None),
        ("GET /rooms/{room_id}/invites", format!("{r}/invites"), m, None),
        ("POST /rooms/{room_id}/invites", format!("{r}/invites"), m, Some(json!({}))),
        ("GET /rooms/{room_id}/invites/{invite_code}", format!("{r}/invites/{code}"), m, None),
        ("PUT /rooms/{room_id}/invites/{invite_code}", format!("{r}/invites/{code}"), m, Some(json!({"expiration": null}))),
        ("DELETE /rooms/{room_id}/invites/{invite_code}", format!("{r}/invites/{code}"), m, None),
        ("GET /rooms/{room_id}/sip", format!("{r}/sip"), m, None),
        ("PUT /rooms/{room_id}/sip", format!("{r}/sip"), m, Some(json!({"lobby": true}))),
        ("DELETE /rooms/{room_id}/sip", format!("{r}/sip"), m, None),
        ("GET /rooms/{room_id}/streaming_targets", format!("{r}/streaming_targets"), m, None),
        ("POST /rooms/{room_id}/streaming_targets", format!("{r}/streaming_targets"), m, Some(streaming_target_body())),
        ("GET /rooms/{room_id}/streaming_targets/{streaming_target_id}", st.clone(), m, None),
        ("PATCH /rooms/{room_id}/streaming_targets/{streaming_target_id}", st.clone(), m, Some(json!({"name": "x"}))),
        ("DELETE /rooms/{room_id}/streaming_targets/{streaming_target_id}", st, m, None),
        ("POST /rooms/{room_id}/start", format!("{r}/start"), m, Some(json!({}))),
    ]
}

/// Prepares the rooms and returns the whole walk, in order.
pub async fn steps(app: &TestApp, people: &People) -> Vec<Step> {
    let owner = &people.owner;
    let event_room = RoomSpec {
        with_event: true,
        ..RoomSpec::default()
    };
    let main = scenario(app, owner, &event_room).await;
    let plain = scenario(app, owner, &RoomSpec::default()).await;
    let e2e = scenario(
        app,
        owner,
        &RoomSpec {
            e2e: true,
            ..RoomSpec::default()
        },
    )
    .await;
    let secret = Some("v3rys3cr3t".to_owned());
    let locked = scenario(
        app,
        owner,
        &RoomSpec {
            password: secret,
            ..RoomSpec::default()
        },
    )
    .await;
    // A room row deleted behind the API's back: the owner's rules remain,
    // so the ACL lets `start` through to the handler's 404.
    let gone = scenario(app, owner, &RoomSpec::default()).await;
    let mut conn = app.db.connect().await;
    Room::delete(&mut conn, gone.room)
        .await
        .expect("delete room row");

    let mut walk = Vec::new();
    for (op, path, denied, body) in guarded(main.room, main.valid_code, main.target.into()) {
        walk.push(step(
            op,
            "anonymous",
            path.clone(),
            Who::Anonymous,
            body.clone(),
            401,
        ));
        walk.push(step(op, "ACL denial", path, denied, body, 403));
    }
    // Errors first: the success part deletes `plain` and main's valid code.
    walk.extend(error_steps(&main, &plain, &e2e, &locked, gone.room));
    walk.extend(success_steps(&main, &plain));
    walk
}

#[rustfmt::skip]
fn success_steps(main: &Scenario, plain: &Scenario) -> Vec<Step> {
    use Who::{Code, Owner};
    let r = format!("/rooms/{}", main.room);
    let code = main.valid_code;
    let st = format!("{r}/streaming_targets/{}", main.target);
    vec![
        step("POST /rooms", "create", "/rooms".into(), Owner, Some(json!({"password": "v3rys3cr3t", "waiting_room": true})), 201),
        step("GET /rooms", "list", "/rooms".into(), Owner, None, 200),
        step("GET /rooms/{room_id}", "read", r.clone(), Owner, None, 200),
        step("PATCH /rooms/{room_id}", "patch", r.clone(), Owner, Some(json!({"password": "n3w", "waiting_room": false})), 200),
        step("GET /rooms/{room_id}/tariff", "owner", format!("{r}/tariff"), Owner, None, 200),
        step("GET /rooms/{room_id}/tariff", "guest", format!("{r}/tariff"), Code(code), None, 200),
        step("GET /rooms/{room_id}/event", "owner", format!("{r}/event"), Owner, None, 200),
        step("GET /rooms/{room_id}/event", "guest", format!("{r}/event"), Code(code), None, 200),
        step("POST /rooms/{room_id}/invites", "with expiry", format!("{r}/invites"), Owner, Some(json!({"expiration": "2099-01-01T00:00:00Z"})), 200),
        step("POST /rooms/{room_id}/invites", "without expiry", format!("{r}/invites"), Owner, Some(json!({})), 200),
        step("GET /rooms/{room_id}/invites", "list", format!("{r}/invites"), Owner, None, 200),
        step("GET /rooms/{room_id}/invites/{invite_code}", "read", format!("{r}/invites/{code}"), Owner, None, 200),
        step("PUT /rooms/{room_id}/invites/{invite_code}", "set expiry", format!("{r}/invites/{code}"), Owner, Some(json!({"expiration": "2098-01-01T00:00:00Z"})), 200),
        step("PUT /rooms/{room_id}/invites/{invite_code}", "clear expiry", format!("{r}/invites/{code}"), Owner, Some(json!({"expiration": null})), 200),
        step("POST /invite/verify", "valid code", "/invite/verify".into(), Who::Anonymous, Some(json!({"invite_code": code})), 200),
        step("GET /rooms/{room_id}/sip", "read", format!("{r}/sip"), Owner, None, 200),
        step("PUT /rooms/{room_id}/sip", "update", format!("{r}/sip"), Owner, Some(json!({"lobby": true})), 200),
        step("DELETE /rooms/{room_id}/sip", "delete", format!("{r}/sip"), Owner, None, 204),
        step("PUT /rooms/{room_id}/sip", "create", format!("{r}/sip"), Owner, Some(json!({"password": "0123456789"})), 201),
        step("GET /rooms/{room_id}/streaming_targets", "list", format!("{r}/streaming_targets"), Owner, None, 200),
        step("POST /rooms/{room_id}/streaming_targets", "create", format!("{r}/streaming_targets"), Owner, Some(streaming_target_body()), 200),
        step("GET /rooms/{room_id}/streaming_targets/{streaming_target_id}", "read", st.clone(), Owner, None, 200),
        step("PATCH /rooms/{room_id}/streaming_targets/{streaming_target_id}", "rename", st.clone(), Owner, Some(json!({"name": "Renamed"})), 200),
        step("POST /rooms/{room_id}/start", "owner", format!("{r}/start"), Owner, Some(json!({})), 200),
        step("POST /rooms/{room_id}/start_invited", "guest", format!("{r}/start_invited"), Who::Anonymous, Some(json!({"invite_code": code, "password": "n3w"})), 200),
        step("DELETE /rooms/{room_id}/streaming_targets/{streaming_target_id}", "delete", st, Owner, None, 204),
        step("DELETE /rooms/{room_id}/invites/{invite_code}", "revoke", format!("{r}/invites/{code}"), Owner, None, 204),
        step("DELETE /rooms/{room_id}", "no event", format!("/rooms/{}", plain.room), Owner, None, 204),
    ]
}

#[rustfmt::skip]
fn error_steps(main: &Scenario, plain: &Scenario, e2e: &Scenario, locked: &Scenario, gone: RoomId) -> Vec<Step> {
    use Who::{Anonymous, Owner};
    let r = format!("/rooms/{}", main.room);
    let unknown = Uuid::new_v4();
    let invited = |room: RoomId| format!("/rooms/{room}/start_invited");
    vec![
        step("GET /rooms/{room_id}/event", "room without event", format!("/rooms/{}/event", plain.room), Owner, None, 404),
        step("GET /rooms/{room_id}/invites/{invite_code}", "unknown code", format!("{r}/invites/{unknown}"), Owner, None, 404),
        step("PUT /rooms/{room_id}/invites/{invite_code}", "unknown code", format!("{r}/invites/{unknown}"), Owner, Some(json!({"expiration": null})), 404),
        step("DELETE /rooms/{room_id}/invites/{invite_code}", "unknown code", format!("{r}/invites/{unknown}"), Owner, None, 404),
        step("POST /invite/verify", "unknown code", "/invite/verify".into(), Anonymous, Some(json!({"invite_code": unknown})), 404),
        step("POST /invite/verify", "expired code", "/invite/verify".into(), Anonymous, Some(json!({"invite_code": main.expired_code})), 404),
        step("POST /invite/verify", "not a UUID (A-8)", "/invite/verify".into(), Anonymous, Some(json!({"invite_code": "nope"})), 422),
        step("GET /rooms/{room_id}/sip", "e2e room", format!("/rooms/{}/sip", e2e.room), Owner, None, 404),
        step("PUT /rooms/{room_id}/sip", "e2e room", format!("/rooms/{}/sip", e2e.room), Owner, Some(json!({"lobby": true})), 403),
        step("GET /rooms/{room_id}/streaming_targets/{streaming_target_id}", "unknown target", format!("{r}/streaming_targets/{unknown}"), Owner, None, 404),
        step("PATCH /rooms/{room_id}/streaming_targets/{streaming_target_id}", "unknown target", format!("{r}/streaming_targets/{unknown}"), Owner, Some(json!({"name": "x"})), 404),
        step("DELETE /rooms/{room_id}/streaming_targets/{streaming_target_id}", "unknown target", format!("{r}/streaming_targets/{unknown}"), Owner, None, 404),
        step("POST /rooms/{room_id}/start", "breakout room", format!("{r}/start"), Owner, Some(json!({"breakout_room": unknown})), 400),
        step("POST /rooms/{room_id}/start", "room row gone", format!("/rooms/{gone}/start"), Owner, Some(json!({})), 404),
        step("POST /rooms/{room_id}/start_invited", "code of another room", invited(plain.room), Anonymous, Some(json!({"invite_code": main.valid_code})), 400),
        step("POST /rooms/{room_id}/start_invited", "wrong password", invited(locked.room), Anonymous, Some(json!({"invite_code": locked.valid_code, "password": "wrong"})), 401),
        step("POST /rooms/{room_id}/start_invited", "expired code (R-21)", invited(main.room), Anonymous, Some(json!({"invite_code": main.expired_code})), 404),
        step("POST /rooms/{room_id}/start_invited", "not a UUID", invited(main.room), Anonymous, Some(json!({"invite_code": "nope"})), 422),
        step("DELETE /rooms/{room_id}", "room with event", r, Owner, None, 409),
    ]
}
