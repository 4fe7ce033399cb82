//! Authorization matrix of every event operation (api.md §3.5, §7.2,
//! §7.8–§7.11; rules.md §7, §11.4–§11.6): each operation as each kind of
//! caller, asserting the exact status and error code. Every cell gets a
//! fresh event, so destructive operations cannot influence each other.
//! All mismatching cells are printed at once before the test fails.

use std::sync::Arc;

use conclave_api::config::TenantAssignment;
use conclave_api::shared_folder::SharedFolderProvider;
use conclave_domain::ids::{EventId, InviteCodeId};
use conclave_e2e::fixtures::{Auth, Person, call, person};
use conclave_e2e::folders::FakeFolders;
use conclave_e2e::schema::OpenApiDoc;
use conclave_e2e::{TestApp, rows, spawn_app_with_state};
use diesel_async::RunQueryDsl;
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

/// Column legend (the callers; every user but OUT is in the creator's tenant):
///
/// | col  | caller                                                        |
/// |------|---------------------------------------------------------------|
/// | CRE  | the event's creator                                           |
/// | PEND | an invitee whose invite is `pending`                          |
/// | ACC  | an invitee who accepted                                       |
/// | TENT | an invitee whose invite is `tentative` (set in the database)  |
/// | DECL | an invitee who declined (declining removes no access, §7.3)   |
/// | REM  | an invitee who was removed again                 |
/// | MEM  | another user of the tenant, never invited                     |
/// | OUT  | a user of another tenant                                      |
/// | CODE | `Authorization: InviteCode <valid code of the event's room>`  |
/// | ANON | no `Authorization` header                                     |
///
/// Path placeholders: `{event_id}` is the fresh event (a weekly series
/// whose creator, PEND, ACC, TENT and DECL have it as a favourite, with an
/// email invite for `guest@example.com` and a shared folder),
/// `{instance_id}` its first occurrence, `{user_id}` PEND's id, and
/// `{unknown_event}` a random id that exists nowhere.
const ACTORS: [&str; 10] = [
    "CRE", "PEND", "ACC", "TENT", "DECL", "REM", "MEM", "OUT", "CODE", "ANON",
];

/// Logins of the invitee columns, in column order (PEND..REM).
const INVITEES: [&str; 5] = ["pend", "acc", "tent", "decl", "rem"];

#[rustfmt::skip]
const MATRIX: &[(&str, [u16; 10])] = &[
    //                                                    CRE  PEND ACC  TENT DECL REM  MEM  OUT  CODE ANON
    // Role rules (§11.3): every user, no guest.
    ("GET /events",                                      [200, 200, 200, 200, 200, 200, 200, 200, 403, 401]),
    ("POST /events",                                     [201, 201, 201, 201, 201, 201, 201, 201, 403, 401]),
    ("GET /users/me/pending_invites",                    [200, 200, 200, 200, 200, 200, 200, 200, 403, 401]),
    // Event read: creator and invitees of every status (§7.3, §11.4).
    ("GET /events/{event_id}",                           [200, 200, 200, 200, 200, 403, 403, 403, 403, 401]),
    ("GET /events/{event_id}/instances",                 [200, 200, 200, 200, 200, 403, 403, 403, 403, 401]),
    ("GET /events/{event_id}/instances/{instance_id}",   [200, 200, 200, 200, 200, 403, 403, 403, 403, 401]),
    ("GET /events/{event_id}/invites",                   [200, 200, 200, 200, 200, 403, 403, 403, 403, 401]),
    ("GET /events/{event_id}/shared_folder",             [200, 200, 200, 200, 200, 403, 403, 403, 403, 401]),
    ("PUT /users/me/event_favorites/{event_id}",         [204, 204, 204, 204, 204, 403, 403, 403, 403, 401]),
    ("DELETE /users/me/event_favorites/{event_id}",      [204, 204, 204, 204, 204, 403, 403, 403, 403, 401]),
    // Event write: the creator only.
    ("PATCH /events/{event_id}",                         [200, 403, 403, 403, 403, 403, 403, 403, 403, 401]),
    ("DELETE /events/{event_id}",                        [204, 403, 403, 403, 403, 403, 403, 403, 403, 401]),
    ("PATCH /events/{event_id}/instances/{instance_id}", [200, 403, 403, 403, 403, 403, 403, 403, 403, 401]),
    ("POST /events/{event_id}/invites",                  [201, 403, 403, 403, 403, 403, 403, 403, 403, 401]),
    ("PATCH /events/{event_id}/invites/{user_id}",       [204, 403, 403, 403, 403, 403, 403, 403, 403, 401]),
    ("DELETE /events/{event_id}/invites/{user_id}",      [204, 403, 403, 403, 403, 403, 403, 403, 403, 401]),
    ("PATCH /events/{event_id}/invites/email",           [204, 403, 403, 403, 403, 403, 403, 403, 403, 401]),
    ("DELETE /events/{event_id}/invites/email",          [204, 403, 403, 403, 403, 403, 403, 403, 403, 401]),
    ("PUT /events/{event_id}/shared_folder",             [200, 403, 403, 403, 403, 403, 403, 403, 403, 401]),
    ("DELETE /events/{event_id}/shared_folder",          [204, 403, 403, 403, 403, 403, 403, 403, 403, 401]),
    // Event invitee: the invitees only, whatever their status; the creator
    // holds no `/invite` rule.
    ("PATCH /events/{event_id}/invite",                  [403, 204, 204, 204, 204, 403, 403, 403, 403, 401]),
    ("DELETE /events/{event_id}/invite",                 [403, 204, 204, 204, 204, 403, 403, 403, 403, 401]),
    // Unknown ids: the ACL answers before the handler (§11.2 item 4).
    ("GET /events/{unknown_event}",                      [403, 403, 403, 403, 403, 403, 403, 403, 403, 401]),
    ("PATCH /events/{unknown_event}",                    [403, 403, 403, 403, 403, 403, 403, 403, 403, 401]),
    ("PATCH /events/{unknown_event}/invite",             [403, 403, 403, 403, 403, 403, 403, 403, 403, 401]),
];

/// The callers with an account, in column order (CRE..OUT).
struct Cast {
    users: Vec<Person>,
    /// A user of the tenant that `POST /invites` invites.
    extra: Person,
}

async fn cast(app: &TestApp) -> Cast {
    let mut users = vec![person(app, "creator", "t1").await];
    for sub in INVITEES {
        users.push(person(app, sub, "t1").await);
    }
    users.push(person(app, "member", "t1").await);
    users.push(person(app, "outsider", "t2").await);
    Cast {
        users,
        extra: person(app, "extra", "t1").await,
    }
}

/// A fresh event of the creator and everything hanging off it.
struct Scenario {
    event: EventId,
    instance: String,
    code: InviteCodeId,
}

fn series() -> Value {
    json!({
        "title": "Weekly", "description": "", "is_time_independent": false,
        "is_all_day": false, "has_shared_folder": true,
        "starts_at": {"datetime": "2030-01-07T09:00:00Z", "timezone": "Europe/Berlin"},
        "ends_at": {"datetime": "2030-01-07T10:00:00Z", "timezone": "Europe/Berlin"},
        "recurrence_pattern": ["RRULE:FREQ=WEEKLY;COUNT=10"],
    })
}

/// Builds the scenario through the API as a client would: the creator
/// invites the five, ACC accepts, DECL declines, the creator removes REM
/// again, and everyone invited marks the event as favourite. Only what the
/// API cannot do is written to the database: TENT's status (§7.3) and the
/// external email invite (no directory is configured).
async fn scenario(app: &TestApp, cast: &Cast) -> Scenario {
    let creator = &cast.users[0];
    let body = expect(app, creator, Method::POST, "/events", Some(series()), 201).await;
    let event = EventId::from(uuid(&body["id"]));
    let room = uuid(&body["room"]["id"]);
    let path = format!("/events/{event}");
    for person in &cast.users[1..6] {
        let invite = json!({"invitee": person.id});
        expect(
            app,
            creator,
            Method::POST,
            &format!("{path}/invites"),
            Some(invite),
            201,
        )
        .await;
    }
    let answer = format!("{path}/invite");
    expect(app, &cast.users[2], Method::PATCH, &answer, None, 204).await;
    expect(app, &cast.users[4], Method::DELETE, &answer, None, 204).await;
    for person in &cast.users[..6] {
        let favourite = format!("/users/me/event_favorites/{event}");
        expect(app, person, Method::PUT, &favourite, None, 201).await;
    }
    let removed = format!("{path}/invites/{}", cast.users[5].id);
    expect(app, creator, Method::DELETE, &removed, None, 204).await;
    let mut conn = app.db.connect().await;
    diesel::sql_query(
        "UPDATE event_invites SET status = 'tentative' WHERE event_id = $1 AND invitee = $2",
    )
    .bind::<diesel::sql_types::Uuid, _>(Uuid::from(event))
    .bind::<diesel::sql_types::Uuid, _>(Uuid::from(cast.users[3].id))
    .execute(&mut conn)
    .await
    .expect("tentative");
    rows::insert_email_invite(&mut conn, event, "guest@example.com", creator.id).await;
    let codes = format!("/rooms/{room}/invites");
    let code = expect(app, creator, Method::POST, &codes, Some(json!({})), 200).await;
    Scenario {
        event,
        // The first occurrence, 09:00 UTC (rules.md §5.1).
        instance: "20300107T090000Z".to_owned(),
        code: InviteCodeId::from(uuid(&code["invite_code"])),
    }
}

/// Sends a scenario request and insists on its status; returns the body.
async fn expect(
    app: &TestApp,
    who: &Person,
    method: Method,
    path: &str,
    body: Option<Value>,
    status: u16,
) -> Value {
    let reply = call(app, method, path, Auth::Bearer(&who.token), body.as_ref()).await;
    assert_eq!(reply.status.as_u16(), status, "{path}: {}", reply.text);
    reply.json.unwrap_or(Value::Null)
}

fn uuid(value: &Value) -> Uuid {
    value.as_str().and_then(|s| s.parse().ok()).expect("uuid")
}

/// The upstream operation of a matrix row.
fn upstream_op(op: &str) -> String {
    op.replace("{unknown_event}", "{event_id}")
}

fn request_body(op: &str, cast: &Cast) -> Option<Value> {
    let body = match op {
        "POST /events" => json!({"title": "Mine", "description": "", "is_time_independent": true}),
        "PATCH /events/{event_id}" => json!({"title": "Renamed"}),
        "PATCH /events/{event_id}/instances/{instance_id}" => json!({"title": "Moved"}),
        "POST /events/{event_id}/invites" => json!({"invitee": cast.extra.id}),
        "PATCH /events/{event_id}/invites/{user_id}" => json!({"role": "moderator"}),
        "PATCH /events/{event_id}/invites/email" => {
            json!({"email": "guest@example.com", "role": "moderator"})
        }
        "DELETE /events/{event_id}/invites/email" => json!({"email": "guest@example.com"}),
        _ => return None,
    };
    Some(body)
}

fn concrete_path(template: &str, s: &Scenario, cast: &Cast) -> String {
    let path = template.split_once(' ').expect("METHOD /path").1;
    path.replace("{event_id}", &s.event.to_string())
        .replace("{instance_id}", &s.instance)
        .replace("{user_id}", &cast.users[1].id.to_string())
        .replace("{unknown_event}", &Uuid::new_v4().to_string())
}

/// The error code every error status of the matrix carries.
fn expected_code(status: u16) -> Option<&'static str> {
    match status {
        401 => Some("unauthorized"),
        403 => Some("forbidden"),
        404 => Some("not_found"),
        _ => None,
    }
}

/// Runs one cell on a fresh event; returns the status and the error code
/// (a 401 without `WWW-Authenticate` is reported as such, api.md §3.6).
async fn run_cell(app: &TestApp, cast: &Cast, op: &str, actor: usize) -> (u16, Option<String>) {
    let s = scenario(app, cast).await;
    let auth = match ACTORS[actor] {
        "CODE" => Auth::InviteCode(s.code),
        "ANON" => Auth::Anonymous,
        _ => Auth::Bearer(&cast.users[actor].token),
    };
    let method = Method::from_bytes(op.split(' ').next().unwrap_or("").as_bytes()).expect("method");
    let body = request_body(op, cast);
    let reply = call(
        app,
        method,
        &concrete_path(op, &s, cast),
        auth,
        body.as_ref(),
    )
    .await;
    let code = reply
        .json
        .as_ref()
        .and_then(|j| j.get("code"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let code = match (reply.status.as_u16(), &reply.www_authenticate) {
        (401, None) => code.map(|code| format!("{code} without WWW-Authenticate")),
        _ => code,
    };
    (reply.status.as_u16(), code)
}

/// Checks one row; returns its mismatches.
async fn run_row(app: &TestApp, cast: &Cast, op: &str, expected: &[u16; 10]) -> Vec<String> {
    let mut errors = Vec::new();
    for (actor, want) in expected.iter().enumerate() {
        let (status, code) = run_cell(app, cast, op, actor).await;
        let want_code = expected_code(*want);
        if status != *want {
            errors.push(format!(
                "{op} as {}: expected {want}, got {status} (code {code:?})",
                ACTORS[actor]
            ));
        } else if want_code.is_some() && code.as_deref() != want_code {
            errors.push(format!(
                "{op} as {}: {status} as expected, but code {code:?} instead of {want_code:?}",
                ACTORS[actor]
            ));
        }
    }
    errors
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_event_operation_as_every_caller() {
    // The fake provider succeeds, so the folder operations reach their
    // success status once the ACL lets the caller through.
    let provider: Arc<dyn SharedFolderProvider> = Arc::new(FakeFolders::default());
    let app = spawn_app_with_state(
        |s| s.tenants.assignment = TenantAssignment::ByExternalTenantId,
        |state| state.shared_folders = Some(provider),
    )
    .await;
    let cast = cast(&app).await;
    let mut mismatches = Vec::new();
    for (op, expected) in MATRIX {
        mismatches.extend(run_row(&app, &cast, op, expected).await);
    }
    println!(
        "event authorization matrix: {} cells, {} mismatches",
        MATRIX.len() * ACTORS.len(),
        mismatches.len()
    );
    app.stop().await;
    assert!(
        mismatches.is_empty(),
        "event authorization matrix mismatches:\n{}",
        mismatches.join("\n")
    );
}

#[test]
fn matrix_covers_every_event_operation_of_the_document() {
    let mut rows = std::collections::BTreeSet::new();
    for (op, _) in MATRIX {
        assert!(rows.insert(*op), "duplicate row {op}");
    }
    let covered: std::collections::BTreeSet<String> =
        MATRIX.iter().map(|(op, _)| upstream_op(op)).collect();
    let doc = OpenApiDoc::load().unwrap_or_else(|e| panic!("{e}"));
    for op in &covered {
        let (method, path) = op.split_once(' ').expect("METHOD /path");
        assert!(
            doc.operation(method, path).is_some(),
            "{op} not in the document"
        );
    }
    // Every operation under /events plus the event-related /users/me ones.
    let raw = std::fs::read_to_string(conclave_e2e::schema::document_path()).expect("document");
    let yaml: serde_yaml_ng::Value = serde_yaml_ng::from_str(&raw).expect("yaml");
    let paths = yaml["paths"].as_mapping().expect("paths");
    for (path, item) in paths {
        let path = path.as_str().unwrap_or_default();
        let event_related = path.starts_with("/events")
            || path.starts_with("/users/me/event_favorites")
            || path == "/users/me/pending_invites";
        if !event_related {
            continue;
        }
        for method in ["get", "post", "put", "patch", "delete"] {
            if item.get(method).is_some() {
                let op = format!("{} {path}", method.to_uppercase());
                assert!(covered.contains(&op), "no matrix row for {op}");
            }
        }
    }
}
