//! `ETag` / `If-Match` on `/v1/events/{id}` end to end (Conclave addition,
//! `crates/api/src/v1/events/etag.rs`): tags on create, get and patch;
//! stale, matching, `*`, weak and malformed preconditions; and optimistic
//! concurrency: of many patches with one tag exactly one wins, and retrying
//! writers serialise without lost updates.

use std::collections::BTreeSet;

use conclave_e2e::{Person, Reply, call_with, event_revision, id, login};
use conclave_e2e::{TestApp, spawn_app, spawn_app_with};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// Sends `method /v1{path}` as `who`, with an optional `If-Match` line.
async fn send(
    app: &TestApp,
    who: &Person,
    method: Method,
    path: &str,
    if_match: Option<&str>,
    body: Option<&Value>,
) -> Reply {
    let headers: Vec<(&str, &str)> = if_match.map(|tag| ("if-match", tag)).into_iter().collect();
    let text = body.map(Value::to_string);
    call_with(
        app,
        method,
        &app.v1(path),
        who.auth(),
        &headers,
        text.as_deref(),
    )
    .await
}

async fn get(app: &TestApp, who: &Person, event: &str) -> Reply {
    let reply = send(
        app,
        who,
        Method::GET,
        &format!("/events/{event}"),
        None,
        None,
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply
}

async fn patch(app: &TestApp, who: &Person, event: &str, tag: Option<&str>, body: Value) -> Reply {
    let path = format!("/events/{event}");
    send(app, who, Method::PATCH, &path, tag, Some(&body)).await
}

async fn create(app: &TestApp, who: &Person) -> Reply {
    let body = json!({
        "title": "Planning", "description": "", "is_time_independent": false,
        "is_all_day": false, "password": "secret123",
        "starts_at": {"datetime": "2026-03-01T10:00:00Z", "timezone": "Europe/Berlin"},
        "ends_at": {"datetime": "2026-03-01T11:00:00Z", "timezone": "Europe/Berlin"},
    });
    let reply = send(app, who, Method::POST, "/events", None, Some(&body)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply
}

/// The revision a tag of the form `"r<revision>-<room>"` names.
fn tag_revision(tag: &str) -> i64 {
    let inner = tag.strip_prefix("\"r").expect("tag shape");
    let (revision, _) = inner.split_once('-').expect("tag shape");
    revision.parse().expect("revision number")
}

fn tag(reply: &Reply) -> String {
    reply.etag().expect("an ETag header").to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_event_response_carries_a_tag_that_follows_changes() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let created = create(&app, &alice).await;
    let eid = id(&created.body, "id");
    let first = tag(&created);
    assert!(
        first.starts_with("\"r0-") && first.ends_with('"'),
        "{first}"
    );
    assert_eq!(get(&app, &alice, &eid).await.etag(), Some(first.as_str()));

    let patched = patch(&app, &alice, &eid, None, json!({"title": "Renamed"})).await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.body);
    let second = tag(&patched);
    assert_eq!(tag_revision(&second), 1);
    assert_eq!(get(&app, &alice, &eid).await.etag(), Some(second.as_str()));

    // A room-only patch keeps the revision (rules.md §4.4) but changes the
    // representation, so the tag changes too.
    let room_only = patch(&app, &alice, &eid, None, json!({"password": "other456"})).await;
    assert_eq!(room_only.status, StatusCode::OK, "{}", room_only.body);
    assert_eq!(event_revision(&app, &eid).await, 1);
    let third = tag(&room_only);
    assert_ne!(third, second);
    assert_eq!(get(&app, &alice, &eid).await.etag(), Some(third.as_str()));

    // Changing the room through the room endpoint moves the tag as well.
    let room = id(&created.body["room"], "id");
    let body = json!({"waiting_room": true});
    let path = format!("/rooms/{room}");
    let room_patch = send(&app, &alice, Method::PATCH, &path, None, Some(&body)).await;
    assert_eq!(room_patch.status, StatusCode::OK, "{}", room_patch.body);
    let fourth = tag(&get(&app, &alice, &eid).await);
    assert_ne!(fourth, third);
    // The tag is a function of the state: the old settings give the old tag.
    let back = json!({"password": "secret123", "waiting_room": false});
    let restored = patch(&app, &alice, &eid, None, back).await;
    assert_eq!(restored.status, StatusCode::OK, "{}", restored.body);
    assert_eq!(tag(&restored), second);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn if_match_decides_whether_a_patch_runs() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let created = create(&app, &alice).await;
    let eid = id(&created.body, "id");
    let stale = tag(&created);
    let ok = patch(&app, &alice, &eid, Some(&stale), json!({"title": "One"})).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    let current = tag(&ok);
    assert_ne!(current, stale);

    // Non-matching preconditions: 412, and nothing changed.
    let weak = format!("W/{current}");
    let unrelated = "\"r1-0000000000000000\"".to_owned();
    for (tag, body) in [
        (stale.as_str(), json!({"title": "Two"})),
        (stale.as_str(), json!({"password": "changed1"})),
        (weak.as_str(), json!({"title": "Two"})),
        (unrelated.as_str(), json!({"title": "Two"})),
        ("", json!({"title": "Two"})),
        (stale.as_str(), json!({})),
    ] {
        let reply = patch(&app, &alice, &eid, Some(tag), body).await;
        assert_eq!(reply.status, StatusCode::PRECONDITION_FAILED, "{tag}");
        assert_eq!(reply.body["code"], "precondition_failed", "{tag}");
        assert!(reply.body["message"].is_string());
    }
    // Malformed fields: 400 before anything is looked at.
    for tag in ["r1", "\"open", "*, \"a\"", "w/\"a\""] {
        let reply = patch(&app, &alice, &eid, Some(tag), json!({"title": "Two"})).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{tag}: {}",
            reply.body
        );
        assert_eq!(reply.body["code"], "bad_request");
    }
    let after = get(&app, &alice, &eid).await;
    assert_eq!(
        (after.body["title"].as_str(), after.etag()),
        (Some("One"), Some(current.as_str()))
    );
    assert_eq!(after.body["room"]["password"], "secret123");
    assert_eq!(event_revision(&app, &eid).await, 1);

    // Matching preconditions run the patch and answer the new tag.
    let listed = format!("\"nope\", W/\"r9-x\", {current}");
    let two = patch(&app, &alice, &eid, Some(&listed), json!({"title": "Two"})).await;
    assert_eq!(two.status, StatusCode::OK, "{}", two.body);
    assert_eq!(two.body["title"], "Two");
    let star = patch(&app, &alice, &eid, Some("*"), json!({"title": "Three"})).await;
    assert_eq!(star.status, StatusCode::OK, "{}", star.body);
    assert_eq!(tag_revision(&tag(&star)), 3);
    let empty = patch(&app, &alice, &eid, Some(&tag(&star)), json!({})).await;
    assert_eq!(
        (empty.status, empty.etag()),
        (StatusCode::NO_CONTENT, star.etag())
    );
    // Without If-Match nothing is checked, as before.
    let plain = patch(&app, &alice, &eid, None, json!({"title": "Four"})).await;
    assert_eq!(plain.status, StatusCode::OK, "{}", plain.body);
    assert_eq!(tag_revision(&tag(&plain)), 4);
    let empty = patch(&app, &alice, &eid, None, json!({})).await;
    assert_eq!(empty.status, StatusCode::NO_CONTENT);
    assert_eq!(get(&app, &alice, &eid).await.etag(), plain.etag());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn of_fifty_patches_with_one_tag_exactly_one_wins() {
    let app = spawn_app_with(|s| s.database.pool_timeout_secs = 60).await;
    let alice = login(&app, "alice").await;
    let created = create(&app, &alice).await;
    let eid = id(&created.body, "id");
    let etag = tag(&created);
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..50 {
        let request = app
            .client
            .patch(format!("{}/v1/events/{eid}", app.url))
            .bearer_auth(&alice.token)
            .header("if-match", &etag)
            .json(&json!({"title": format!("t{i}")}));
        tasks.spawn(async move {
            let response = request.send().await.expect("request");
            let status = response.status();
            let tag = response
                .headers()
                .get("etag")
                .map(|v| v.to_str().unwrap().to_owned());
            (i, status, tag)
        });
    }
    let mut winners = Vec::new();
    let mut losers = 0;
    while let Some(result) = tasks.join_next().await {
        match result.expect("task") {
            (i, StatusCode::OK, tag) => winners.push((i, tag)),
            (_, StatusCode::PRECONDITION_FAILED, _) => losers += 1,
            (i, status, _) => panic!("request {i}: unexpected {status}"),
        }
    }
    assert_eq!((winners.len(), losers), (1, 49));
    let (winner, winner_tag) = winners.pop().expect("one winner");
    let now = get(&app, &alice, &eid).await;
    assert_eq!(now.body["title"], format!("t{winner}"));
    assert_eq!(now.etag(), winner_tag.as_deref());
    assert_eq!(event_revision(&app, &eid).await, 1);
}

/// Loops GET → PATCH with If-Match until a patch wins (at most 500 tries);
/// returns the tag it read before the winning patch and the tag the
/// winning answer carried.
async fn write_with_retries(
    app: &TestApp,
    who: &Person,
    event: &str,
    title: &str,
) -> (String, String) {
    for _ in 0..500 {
        let read = tag(&get(app, who, event).await);
        let reply = patch(app, who, event, Some(&read), json!({"title": title})).await;
        match reply.status {
            StatusCode::OK => return (read, tag(&reply)),
            StatusCode::PRECONDITION_FAILED => continue,
            other => panic!("{title}: unexpected {other}: {}", reply.body),
        }
    }
    panic!("{title}: no win in 500 attempts");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retrying_writers_each_win_exactly_one_revision() {
    let app = spawn_app_with(|s| s.database.pool_timeout_secs = 60).await;
    let alice = std::sync::Arc::new(login(&app, "alice").await);
    let app = std::sync::Arc::new(app);
    let created = create(&app, &alice).await;
    let eid = id(&created.body, "id");
    let start = event_revision(&app, &eid).await;
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..50 {
        let (app, alice, eid) = (app.clone(), alice.clone(), eid.clone());
        tasks.spawn(async move {
            let title = format!("writer {i}");
            let (read, won) = write_with_retries(&app, &alice, &eid, &title).await;
            // A win is based on exactly the state its writer read.
            assert_eq!(tag_revision(&won), tag_revision(&read) + 1, "{title}");
            (tag_revision(&won), title)
        });
    }
    let mut wins = Vec::new();
    while let Some(result) = tasks.join_next().await {
        wins.push(result.expect("task"));
    }
    wins.sort();
    // Every writer's success is its own revision: 50 distinct, consecutive.
    let revisions: Vec<i64> = wins.iter().map(|(r, _)| *r).collect();
    assert_eq!(revisions, (start + 1..=start + 50).collect::<Vec<_>>());
    let titles: BTreeSet<&str> = wins.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(titles.len(), 50);
    assert_eq!(event_revision(&app, &eid).await, start + 50);
    // The last revision's writer is the one whose title stayed.
    let last = get(&app, &alice, &eid).await;
    assert_eq!(last.body["title"], wins[49].1.as_str());
    assert_eq!(last.etag().map(tag_revision), Some(start + 50));
}

/// The operation with `operation_id` in the served OpenAPI document.
fn operation<'a>(doc: &'a Value, operation_id: &str) -> &'a Value {
    let paths = doc["paths"].as_object().expect("paths");
    paths
        .values()
        .flat_map(|item| item.as_object().into_iter().flat_map(|ops| ops.values()))
        .find(|op| op["operationId"] == operation_id)
        .unwrap_or_else(|| panic!("no operation {operation_id}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_document_declares_tags_preconditions_and_the_412() {
    let app = spawn_app().await;
    let url = format!("{}/v1/openapi.json", app.url);
    let doc: Value = app
        .client
        .get(url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for (op, status) in [
        ("new_event", "201"),
        ("get_event", "200"),
        ("patch_event", "200"),
    ] {
        let headers = &operation(&doc, op)["responses"][status]["headers"];
        assert!(headers["ETag"].is_object(), "{op}: {headers}");
    }
    let patch = operation(&doc, "patch_event");
    assert!(patch["responses"]["412"].is_object(), "{patch}");
    let if_match = patch["parameters"]
        .as_array()
        .expect("parameters")
        .iter()
        .find(|p| p["name"] == "If-Match")
        .expect("If-Match parameter");
    assert_eq!(if_match["in"], "header");
}
