//! Response bodies of the room operations against the upstream v0.29.6
//! document: a walk through every operation (success and error answers),
//! each body validated as JSON Schema 2020-12 against the schema the
//! document declares for that status. Error answers without a declared
//! schema are checked against `ErrorBody`, Conclave's error shape
//! (api.md §3.1). Properties a schema does not declare count as violations
//! too (the document never closes its objects). Deliberate departures are listed in [`DIVERGENCES`] with
//! their id and recorded in docs/compatibility.md ("Rooms").

use conclave_e2e::fixtures::{is_pending, report_pending, room_app};
use conclave_e2e::schema::{Declared, OpenApiDoc, Violation};
use serde_json::{Value, json};

#[path = "rooms_schemas/walk.rs"]
mod walk;

use walk::{Outcome, Step, steps};

/// (operation, status, JSON pointer or `None` for "status not listed",
/// id, reason): accepted departures from the document.
const DIVERGENCES: &[(&str, u16, Option<&str>, &str, &str)] = &[
    (
        "GET /rooms",
        403,
        None,
        "api.md §3.5",
        "ACL denial of an invite-code caller; the document lists no 403",
    ),
    (
        "POST /rooms",
        403,
        None,
        "api.md §3.5",
        "ACL denial of an invite-code caller; the document lists no 403",
    ),
    (
        "PATCH /rooms/{room_id}",
        403,
        None,
        "api.md §3.5",
        "ACL denial (R-write); the document lists no 403",
    ),
    (
        "DELETE /rooms/{room_id}",
        409,
        None,
        "api.md §7.3",
        "409 conflict while an event uses the room; the document lists no 409",
    ),
    (
        "PATCH /rooms/{room_id}/streaming_targets/{streaming_target_id}",
        404,
        None,
        "api.md §3.2",
        "unknown target: not found (R-36); the document lists no 404",
    ),
];

fn divergence(
    op: &str,
    status: u16,
    pointer: Option<&str>,
) -> Option<(&'static str, &'static str)> {
    DIVERGENCES
        .iter()
        .find(|(o, s, p, _, _)| *o == op && *s == status && *p == pointer)
        .map(|(_, _, _, id, why)| (*id, *why))
}

/// Checks one answer; returns the violations (already formatted) and the
/// accepted divergences met.
fn check(doc: &OpenApiDoc, step: &Step, outcome: &Outcome) -> (Vec<String>, Vec<String>) {
    let (method, path) = step.op.split_once(' ').expect("METHOD /path");
    let status = outcome.status;
    let label = format!("{} [{}] -> {status}", step.op, step.note);
    let mut bad = Vec::new();
    let mut accepted = Vec::new();
    if status != step.expect {
        bad.push(format!(
            "{label}: walk expected {} (body {})",
            step.expect, outcome.text
        ));
    }
    let declared = doc.declared(method, path, status);
    let (name, schema) = match declared {
        Declared::Schema { name, schema } => (name, schema),
        Declared::NoSchema if status >= 400 => {
            let error_body = doc.component("ErrorBody").expect("ErrorBody");
            (
                "ErrorBody (api.md §3.1; none declared)".to_owned(),
                error_body,
            )
        }
        Declared::NoSchema => {
            if status == 204 && !outcome.text.is_empty() {
                bad.push(format!("{label}: 204 with a body: {}", outcome.text));
            }
            return (bad, accepted);
        }
        Declared::UndocumentedStatus => {
            match divergence(step.op, status, None) {
                Some((id, why)) => accepted.push(format!("{label}: {id}: {why}")),
                None => bad.push(format!("{label}: status not documented")),
            }
            let error_body = doc.component("ErrorBody").expect("ErrorBody");
            if status < 400 {
                return (bad, accepted);
            }
            (
                "ErrorBody (api.md §3.1; status undocumented)".to_owned(),
                error_body,
            )
        }
        Declared::UnknownOperation => {
            bad.push(format!("{label}: operation not in the document"));
            return (bad, accepted);
        }
    };
    let Some(body) = &outcome.json else {
        bad.push(format!(
            "{label}: body is not JSON against {name}: {:?}",
            outcome.text
        ));
        return (bad, accepted);
    };
    let mut violations: Vec<Violation> = doc
        .validate(&schema, body)
        .unwrap_or_else(|e| panic!("{label}: {e}"));
    violations.extend(doc.undeclared(&schema, body));
    for v in violations {
        let line = format!("{label} against {name}: {v}");
        match divergence(step.op, status, Some(&v.pointer)) {
            Some((id, why)) => accepted.push(format!("{line} ({id}: {why})")),
            None => bad.push(line),
        }
    }
    (bad, accepted)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn room_responses_match_the_upstream_schemas() {
    let doc = OpenApiDoc::load().unwrap_or_else(|e| panic!("{e}"));
    report_pending();
    let (app, people) = room_app().await;
    let steps = steps(&app, &people).await;
    let mut violations = Vec::new();
    let mut accepted = Vec::new();
    let mut skipped = 0;
    let mut checked = 0;
    for step in &steps {
        if is_pending(step.op) {
            skipped += 1;
            continue;
        }
        let outcome = step.run(&app, &people).await;
        let (bad, ok) = check(&doc, step, &outcome);
        checked += 1;
        violations.extend(bad);
        accepted.extend(ok);
    }
    app.stop().await;
    println!("schema walk: {checked} answers checked, {skipped} skipped (pending)");
    println!("accepted divergences met ({}):", accepted.len());
    for line in &accepted {
        println!("  {line}");
    }
    assert!(
        violations.is_empty(),
        "{} schema violations:\n  {}",
        violations.len(),
        violations.join("\n  ")
    );
}

/// The oracle itself: `$ref`s of responses are followed, and violations
/// carry a JSON pointer and a message.
#[test]
fn the_oracle_follows_references_and_reports_pointers() {
    let doc = OpenApiDoc::load().unwrap_or_else(|e| panic!("{e}"));
    let check = |method, path, status, want: &str| {
        let got = match doc.declared(method, path, status) {
            Declared::Schema { name, .. } => name,
            other => format!("{other:?}"),
        };
        assert_eq!(got, want, "{method} {path} {status}");
    };
    check("GET", "/rooms/{room_id}", 200, "RoomResource");
    check("get", "/rooms/{room_id}", 401, "inline");
    check("GET", "/rooms/{room_id}", 403, "NoSchema");
    check("GET", "/rooms/{room_id}", 418, "UndocumentedStatus");
    check("GET", "/rooms/{room_id}/nothing", 200, "UnknownOperation");
    check("POST", "/rooms/{room_id}/start", 403, "ErrorBody");

    let schema = doc.component("SipConfigResource").expect("component");
    let good = json!({"room": "00000000-0000-0000-0000-0000abadcafe",
        "sip_id": "0123456789", "password": "9876543210", "lobby": false});
    assert_eq!(doc.validate(&schema, &good).expect("compiles"), vec![]);
    let bad = json!({"room": "not-a-uuid", "sip_id": "12", "password": "9876543210"});
    let pointers: Vec<String> = doc
        .validate(&schema, &bad)
        .expect("compiles")
        .into_iter()
        .map(|v| v.pointer)
        .collect();
    for want in ["", "/room", "/sip_id"] {
        assert!(pointers.iter().any(|p| p == want), "{want} in {pointers:?}");
    }
    // Nested references resolve (RoomResource → PublicUserProfile).
    let room = doc.component("RoomResource").expect("component");
    let no_profile = json!({"id": "00000000-0000-0000-0000-0000abadcafe",
        "created_by": {"id": "x"}, "created_at": "2024-01-01T00:00:00Z", "waiting_room": false});
    let pointers: Vec<String> = doc
        .validate(&room, &no_profile)
        .expect("compiles")
        .into_iter()
        .map(|v| v.pointer)
        .collect();
    assert!(pointers.iter().any(|p| p == "/created_by"), "{pointers:?}");
    assert!(
        pointers.iter().any(|p| p == "/created_by/id"),
        "{pointers:?}"
    );

    // Undeclared properties are found through $ref, allOf and oneOf, and
    // maps (`additionalProperties`) stay open.
    let extra = |name: &str, body: Value| -> Vec<String> {
        let schema = doc.component(name).expect("component");
        let mut pointers: Vec<String> = doc
            .undeclared(&schema, &body)
            .into_iter()
            .map(|v| v.pointer)
            .collect();
        pointers.sort();
        pointers
    };
    let target = json!({"id": "x", "name": "n", "kind": "custom", "streaming_endpoint": "e",
        "streaming_key": "k", "public_url": "u", "secret": 1});
    assert_eq!(extra("RoomStreamingTarget", target), vec!["/secret"]);
    let room = json!({"id": "x", "created_at": "t", "waiting_room": false, "e2e_encryption": true,
        "created_by": {"id": "u", "nickname": "n"}});
    assert_eq!(
        extra("RoomResource", room),
        vec!["/created_by/nickname", "/e2e_encryption"]
    );
    let tariff = json!({"id": "x", "name": "n", "quotas": {"max_storage": 1},
        "modules": {"core": {"features": [], "extra": true}}});
    assert_eq!(extra("TariffResource", tariff), vec!["/modules/core/extra"]);
}
