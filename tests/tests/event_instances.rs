//! Event instances end to end (rules.md §5, api.md §7.9): listing with
//! overlap windows and page cursors, the three instance id forms
//! single events, exceptions through instance PATCH with
//! per-instance defaults, their fate on event PATCH, local
//! wall-clock time across DST, and the upstream schemas.

#[path = "rooms_support/http.rs"]
mod http;

use conclave_e2e::schema::{Declared, OpenApiDoc};
use conclave_e2e::{TestApp, spawn_app};
use http::{Person, Reply, call, count, id, login};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn berlin(datetime: &str) -> Value {
    json!({"datetime": datetime, "timezone": "Europe/Berlin"})
}

/// A one-hour event in Europe/Berlin; `pattern` empty = single event.
fn event_body(start: &str, end: &str, pattern: &[&str]) -> Value {
    let mut body = json!({
        "title": "Daily", "description": "standup", "is_time_independent": false,
        "is_all_day": false, "starts_at": berlin(start), "ends_at": berlin(end),
    });
    if !pattern.is_empty() {
        body["recurrence_pattern"] = json!(pattern);
    }
    body
}

/// `POST /events`, asserting 201; returns the event id.
async fn create(app: &TestApp, who: &Person, body: &Value) -> String {
    let reply = call(
        app,
        Method::POST,
        "/events",
        who.auth(),
        Some(&body.to_string()),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    id(&reply.body, "id")
}

async fn get(app: &TestApp, who: &Person, path: &str) -> Reply {
    call(app, Method::GET, path, who.auth(), None).await
}

/// `GET /events/{event}/instances{query}`, asserting 200.
async fn list(app: &TestApp, who: &Person, event: &str, query: &str) -> Reply {
    let reply = get(app, who, &format!("/events/{event}/instances{query}")).await;
    assert_eq!(reply.status, StatusCode::OK, "{query}: {}", reply.body);
    reply
}

async fn patch_instance(
    app: &TestApp,
    who: &Person,
    event: &str,
    instance: &str,
    body: &Value,
) -> Reply {
    let path = format!("/events/{event}/instances/{instance}");
    call(
        app,
        Method::PATCH,
        &path,
        who.auth(),
        Some(&body.to_string()),
    )
    .await
}

/// `instance_id`s of a listing.
fn instance_ids(body: &Value) -> Vec<String> {
    body.as_array()
        .expect("array")
        .iter()
        .map(|i| id(i, "instance_id"))
        .collect()
}

/// `(starts_at, ends_at)` UTC texts of a listing.
fn times(body: &Value) -> Vec<(String, String)> {
    body.as_array()
        .expect("array")
        .iter()
        .map(|i| {
            (
                id(&i["starts_at"], "datetime"),
                id(&i["ends_at"], "datetime"),
            )
        })
        .collect()
}

/// The schema problems of `body` against the upstream 200 answer of the
/// operation (missing required fields, wrong types, undeclared fields).
fn problems(method: &str, path: &str, body: &Value) -> Vec<String> {
    let doc = OpenApiDoc::load().unwrap_or_else(|e| panic!("{e}"));
    let Declared::Schema { schema, .. } = doc.declared(method, path, 200) else {
        panic!("{method} {path} declares no 200 schema");
    };
    let mut found = doc.validate(&schema, body).expect("schema compiles");
    found.extend(doc.undeclared(&schema, body));
    found.into_iter().map(|p| format!("{p:?}")).collect()
}

fn assert_conforms(method: &str, path: &str, body: &Value) {
    let found = problems(method, path, body);
    assert!(found.is_empty(), "{method} {path}: {found:?}\n{body}");
}

const LIST: &str = "/events/{event_id}/instances";
const ONE: &str = "/events/{event_id}/instances/{instance_id}";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn daily_series_keeps_local_time_across_both_dst_changes() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    // 09:00 Berlin daily; summer time starts on 2026-03-29.
    let march = event_body(
        "2026-03-25T08:00:00Z",
        "2026-03-25T09:00:00Z",
        &["RRULE:FREQ=DAILY;COUNT=9"],
    );
    let march = create(&app, &alice, &march).await;
    let reply = list(&app, &alice, &march, "").await;
    assert_conforms("get", LIST, &reply.body);
    let mut expected = Vec::new();
    for day in 25..=31 {
        let hour = if day < 29 { 8 } else { 7 };
        expected.push((
            format!("2026-03-{day}T{hour:02}:00:00Z"),
            format!("2026-03-{day}T{:02}:00:00Z", hour + 1),
        ));
    }
    for day in 1..=2 {
        expected.push((
            format!("2026-04-0{day}T07:00:00Z"),
            format!("2026-04-0{day}T08:00:00Z"),
        ));
    }
    assert_eq!(times(&reply.body), expected);
    let first = &reply.body[0];
    assert_eq!(first["type"], "instance");
    assert_eq!(first["status"], "ok");
    assert_eq!(first["instance_id"], "20260325T080000Z");
    assert_eq!(first["id"], format!("{march}_20260325T080000Z"));
    assert_eq!(first["recurring_event_id"], march.as_str());
    assert_eq!(first["starts_at"]["timezone"], "Europe/Berlin");
    assert_eq!(reply.body[4]["instance_id"], "20260329T070000Z");

    // Winter time returns on 2026-10-25.
    let october = event_body(
        "2026-10-22T07:00:00Z",
        "2026-10-22T08:00:00Z",
        &["RRULE:FREQ=DAILY;COUNT=7"],
    );
    let october = create(&app, &alice, &october).await;
    let reply = list(&app, &alice, &october, "").await;
    let starts: Vec<String> = times(&reply.body).into_iter().map(|t| t.0).collect();
    let expected: Vec<String> = (22..=28)
        .map(|day| format!("2026-10-{day}T{:02}:00:00Z", if day < 25 { 7 } else { 8 }))
        .collect();
    assert_eq!(starts, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_instance_by_every_id_form_and_the_404s() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let body = event_body(
        "2026-03-25T08:00:00Z",
        "2026-03-25T09:00:00Z",
        &["RRULE:FREQ=DAILY;COUNT=9"],
    );
    let series = create(&app, &alice, &body).await;
    // compact UTC, compact with offset, RFC 3339; output is compact UTC.
    for form in [
        "20260330T070000Z",
        "20260330T090000%2B0200",
        "20260330T090000+0200",
        "2026-03-30T07:00:00%2B00:00",
        "2026-03-30T09:00:00%2B02:00",
    ] {
        let reply = get(&app, &alice, &format!("/events/{series}/instances/{form}")).await;
        assert_eq!(reply.status, StatusCode::OK, "{form}: {}", reply.body);
        assert_eq!(reply.body["instance_id"], "20260330T070000Z", "{form}");
        assert_eq!(reply.body["starts_at"], berlin("2026-03-30T07:00:00Z"));
        assert_eq!(reply.body["ends_at"], berlin("2026-03-30T08:00:00Z"));
        assert_conforms("get", ONE, &reply.body);
    }
    // Not an occurrence (the pre-DST UTC hour, after the series, garbage).
    for bad in [
        "20260330T080000Z",
        "20260403T070000Z",
        "20260330T070000.5Z",
        "yesterday",
        "2026-13-01T00:00:00Z",
    ] {
        let reply = get(&app, &alice, &format!("/events/{series}/instances/{bad}")).await;
        assert_eq!(
            reply.error(),
            (StatusCode::NOT_FOUND, Some("not_found")),
            "{bad}"
        );
    }
    // Unknown events: the ACL answers first (api.md §3.5).
    let unknown = "/events/00000000-0000-0000-0000-000000000001/instances";
    assert_eq!(
        get(&app, &alice, unknown).await.status,
        StatusCode::FORBIDDEN
    );

    // a single event has exactly one instance, at its own start.
    let single = event_body("2026-05-04T10:00:00Z", "2026-05-04T11:30:00Z", &[]);
    let single = create(&app, &alice, &single).await;
    let reply = list(&app, &alice, &single, "").await;
    assert_eq!(instance_ids(&reply.body), vec!["20260504T100000Z"]);
    assert_eq!(reply.body[0]["ends_at"], berlin("2026-05-04T11:30:00Z"));
    assert_conforms("get", LIST, &reply.body);
    let outside = list(&app, &alice, &single, "?time_min=2026-05-05T00:00:00Z").await;
    assert_eq!(outside.body, json!([]));
    let one = get(
        &app,
        &alice,
        &format!("/events/{single}/instances/20260504T100000Z"),
    )
    .await;
    assert_eq!(one.status, StatusCode::OK, "{}", one.body);
    assert_eq!(one.body["recurring_event_id"], single.as_str());
    let other = get(
        &app,
        &alice,
        &format!("/events/{single}/instances/20260505T100000Z"),
    )
    .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    // …but it cannot get an exception (rules.md §5.2).
    let cancel = json!({"status": "cancelled"});
    let reply = patch_instance(&app, &alice, &single, "20260504T100000Z", &cancel).await;
    assert_eq!(reply.error(), (StatusCode::NOT_FOUND, Some("not_found")));

    // Time-independent events have no instances.
    let free = json!({"title": "free", "description": "", "is_time_independent": true});
    let free = create(&app, &alice, &free).await;
    for path in [
        format!("/events/{free}/instances"),
        format!("/events/{free}/instances/20260504T100000Z"),
    ] {
        let reply = get(&app, &alice, &path).await;
        assert_eq!(
            reply.error(),
            (StatusCode::NOT_FOUND, Some("not_found")),
            "{path}"
        );
    }
}

/// The URL path (below `/v1`) inside `<…>; rel="after"`.
fn after_path(app: &TestApp, link: &str) -> String {
    assert!(link.ends_with("rel=\"after\""), "{link}");
    let start = link.find('<').expect("<") + 1;
    let end = link.find('>').expect(">");
    let prefix = format!("{}/v1", app.url);
    let url = &link[start..end];
    url.strip_prefix(&prefix)
        .unwrap_or_else(|| panic!("{url} is not below {prefix}"))
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn window_bounds_and_paging_return_every_instance_once() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    // Unbounded daily series, 09:00–10:00 Berlin.
    let body = event_body(
        "2026-03-25T08:00:00Z",
        "2026-03-25T09:00:00Z",
        &["RRULE:FREQ=DAILY"],
    );
    let series = create(&app, &alice, &body).await;
    // Inclusive overlap: 1 April is running at time_min, 10 April starts
    // exactly at time_max, 11 April is after it.
    let window = "?time_min=2026-04-01T07:30:00Z&time_max=2026-04-10T07:00:00Z";
    let all = list(&app, &alice, &series, window).await;
    let expected: Vec<String> = (1..=10).map(|d| format!("202604{d:02}T070000Z")).collect();
    assert_eq!(instance_ids(&all.body), expected);
    for (start, end) in times(&all.body) {
        assert!(start.as_str() <= "2026-04-10T07:00:00Z", "{start}");
        assert!(end.as_str() >= "2026-04-01T07:30:00Z", "{end}");
    }
    let only_min = list(
        &app,
        &alice,
        &series,
        "?time_min=2026-04-01T08:00:01Z&per_page=2",
    )
    .await;
    assert_eq!(
        instance_ids(&only_min.body),
        ["20260402T070000Z", "20260403T070000Z"]
    );
    let only_max = list(&app, &alice, &series, "?time_max=2026-03-26T07:59:59Z").await;
    assert_eq!(instance_ids(&only_max.body), ["20260325T080000Z"]);

    // Pages of 3 through the `after` links: 3, 3, 3, 1, then empty.
    let mut path = format!("/events/{series}/instances{window}&per_page=3");
    let (mut seen, mut sizes) = (Vec::new(), Vec::new());
    loop {
        let page = get(&app, &alice, &path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.body);
        let ids = instance_ids(&page.body);
        sizes.push(ids.len());
        if ids.is_empty() {
            assert_eq!(page.link(), "", "no link on an empty page");
            break;
        }
        seen.extend(ids);
        path = after_path(&app, page.link());
        assert!(
            path.contains("per_page=3") && path.contains("time_max="),
            "{path}"
        );
        assert!(sizes.len() < 10, "paging does not end");
    }
    assert_eq!(sizes, [3, 3, 3, 1, 0]);
    assert_eq!(seen, expected, "every instance once, in order");

    // Without time_max the default page is 30 and per_page is clamped.
    let default = list(&app, &alice, &series, "").await;
    assert_eq!(default.body.as_array().map(Vec::len), Some(30));
    assert!(default.link().contains("after="), "{}", default.link());
    let clamped = list(&app, &alice, &series, "?per_page=1000").await;
    assert_eq!(clamped.body.as_array().map(Vec::len), Some(100));

    // Bad query values and cursors are 400, never 500.
    for bad in [
        "?time_min=yesterday",
        "?time_max=2026-02-30T00:00:00Z",
        "?after=not-a-cursor",
        "?after=AAAAAAAAAAA",
        "?per_page=many",
        "?invitees_max=-1",
    ] {
        let reply = get(&app, &alice, &format!("/events/{series}/instances{bad}")).await;
        assert_eq!(
            reply.error(),
            (StatusCode::BAD_REQUEST, Some("bad_request")),
            "{bad}"
        );
    }
    // Page 4 of the documented example cursor (api.md §4.3).
    let page4 = list(&app, &alice, &series, "?per_page=2&after=BAAAAAAAAAA").await;
    assert_eq!(
        instance_ids(&page4.body),
        ["20260331T070000Z", "20260401T070000Z"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instance_patch_writes_exceptions_with_the_instances_own_defaults() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let bob = login(&app, "bob").await;
    let body = event_body(
        "2026-03-25T08:00:00Z",
        "2026-03-25T09:00:00Z",
        &["RRULE:FREQ=DAILY;COUNT=9"],
    );
    let series = create(&app, &alice, &body).await;
    let rows = "SELECT count(*) AS n FROM event_exceptions WHERE event_id::text = $1";
    let revision = "SELECT revision::bigint AS n FROM events WHERE id::text = $1";

    // Empty body: 204, nothing written.
    let reply = patch_instance(&app, &alice, &series, "20260331T070000Z", &json!({})).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    assert_eq!(count(&app, rows, &series).await, 0);

    // a title-only patch keeps that instance's own times.
    let renamed = json!({"title": "Retro"});
    let reply = patch_instance(&app, &alice, &series, "20260331T070000Z", &renamed).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_conforms("patch", ONE, &reply.body);
    assert_eq!(reply.body["title"], "Retro");
    assert_eq!(reply.body["description"], "standup");
    assert_eq!(reply.body["starts_at"], berlin("2026-03-31T07:00:00Z"));
    assert_eq!(reply.body["ends_at"], berlin("2026-03-31T08:00:00Z"));
    assert_eq!(reply.body["status"], "ok");
    assert_eq!(count(&app, rows, &series).await, 1);

    // Only `starts_at` of a later instance: checked against its own end,
    // not the first occurrence's. The title stays.
    let later = json!({"starts_at": berlin("2026-03-31T07:30:00Z")});
    let reply = patch_instance(&app, &alice, &series, "20260331T070000Z", &later).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["title"], "Retro");
    assert_eq!(reply.body["starts_at"], berlin("2026-03-31T07:30:00Z"));
    assert_eq!(reply.body["ends_at"], berlin("2026-03-31T08:00:00Z"));
    assert_eq!(reply.body["instance_id"], "20260331T070000Z");
    // Past its own end without a new end: 422.
    let past_end = json!({"starts_at": berlin("2026-04-01T09:00:00Z")});
    let reply = patch_instance(&app, &alice, &series, "20260401T070000Z", &past_end).await;
    assert_eq!(
        reply.error(),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_event"))
    );
    assert_eq!(
        count(&app, rows, &series).await,
        1,
        "nothing written on 422"
    );

    // Cancel one: listed with status cancelled (rules.md §5.3), and so is
    // the single instance.
    let cancel = json!({"status": "cancelled"});
    let reply = patch_instance(&app, &alice, &series, "20260327T080000Z", &cancel).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["status"], "cancelled");
    let listed = list(&app, &alice, &series, "").await;
    assert_conforms("get", LIST, &listed.body);
    let statuses: Vec<&str> = listed
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        ["ok", "ok", "cancelled", "ok", "ok", "ok", "ok", "ok", "ok"]
    );
    assert_eq!(listed.body[6]["title"], "Retro");
    assert_eq!(listed.body[6]["starts_at"], berlin("2026-03-31T07:30:00Z"));
    let one = get(
        &app,
        &alice,
        &format!("/events/{series}/instances/20260327T080000Z"),
    )
    .await;
    assert_eq!(one.body["status"], "cancelled");
    assert_eq!(one.body["title"], "Daily");
    // A later patch without status keeps the kind; `ok` un-cancels.
    let retitle = json!({"title": "Off"});
    let reply = patch_instance(&app, &alice, &series, "20260327T080000Z", &retitle).await;
    assert_eq!(
        (reply.body["status"].as_str(), reply.body["title"].as_str()),
        (Some("cancelled"), Some("Off"))
    );
    let ok = json!({"status": "ok"});
    let reply = patch_instance(&app, &alice, &series, "20260327T080000Z", &ok).await;
    assert_eq!(
        (reply.body["status"].as_str(), reply.body["title"].as_str()),
        (Some("ok"), Some("Off"))
    );
    assert_eq!(count(&app, rows, &series).await, 2);
    // an all-day override shows; exceptions never bump the revision.
    let all_day = json!({"is_all_day": true, "starts_at": berlin("2026-03-28T00:00:00Z"),
        "ends_at": berlin("2026-03-29T00:00:00Z")});
    let reply = patch_instance(&app, &alice, &series, "20260328T080000Z", &all_day).await;
    assert_eq!(reply.body["is_all_day"], true, "{}", reply.body);
    assert_eq!(count(&app, revision, &series).await, 0);

    // Errors: not an occurrence, bad id, bad body, not the creator.
    for instance in ["20260331T080000Z", "garbage"] {
        let reply = patch_instance(&app, &alice, &series, instance, &renamed).await;
        assert_eq!(
            reply.error(),
            (StatusCode::NOT_FOUND, Some("not_found")),
            "{instance}"
        );
    }
    let reply = patch_instance(
        &app,
        &alice,
        &series,
        "20260331T070000Z",
        &json!({"status": "maybe"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let reply = patch_instance(&app, &bob, &series, "20260331T070000Z", &renamed).await;
    assert_eq!(reply.error(), (StatusCode::FORBIDDEN, Some("forbidden")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exceptions_survive_title_patches_and_go_when_the_start_moves() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let body = event_body(
        "2026-03-25T08:00:00Z",
        "2026-03-25T09:00:00Z",
        &["RRULE:FREQ=DAILY;COUNT=9"],
    );
    let series = create(&app, &alice, &body).await;
    let instance = format!("/events/{series}/instances/20260330T070000Z");
    let moved = json!({"title": "Moved", "starts_at": berlin("2026-03-30T12:00:00Z"),
        "ends_at": berlin("2026-03-30T13:00:00Z")});
    let reply = patch_instance(&app, &alice, &series, "20260330T070000Z", &moved).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    // The moved instance is found by a window around its new time only.
    let window = "?time_min=2026-03-30T11:00:00Z&time_max=2026-03-30T12:30:00Z";
    let found = list(&app, &alice, &series, window).await;
    assert_eq!(instance_ids(&found.body), ["20260330T070000Z"]);

    // A title-only event PATCH keeps the exception.
    let path = format!("/events/{series}");
    let title = json!({"title": "Renamed series"}).to_string();
    let reply = call(&app, Method::PATCH, &path, alice.auth(), Some(&title)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let kept = get(&app, &alice, &instance).await;
    assert_eq!(kept.body["title"], "Moved");
    assert_eq!(kept.body["starts_at"], berlin("2026-03-30T12:00:00Z"));
    let listed = list(&app, &alice, &series, "").await;
    assert_eq!(listed.body[0]["title"], "Renamed series");
    assert_eq!(listed.body[5]["title"], "Moved");

    // Moving the series start by an hour drops it: the instant is no
    // longer an occurrence.
    let start = json!({"starts_at": berlin("2026-03-25T09:00:00Z"),
        "ends_at": berlin("2026-03-25T10:00:00Z")})
    .to_string();
    let reply = call(&app, Method::PATCH, &path, alice.auth(), Some(&start)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        get(&app, &alice, &instance).await.status,
        StatusCode::NOT_FOUND
    );
    let rows = "SELECT count(*) AS n FROM event_exceptions WHERE event_id::text = $1";
    assert_eq!(count(&app, rows, &series).await, 0);
    let listed = list(&app, &alice, &series, "").await;
    for item in listed.body.as_array().unwrap() {
        assert_eq!(item["title"], "Renamed series", "{item}");
        assert!(item.get("updated_by").is_some());
    }
    assert_eq!(listed.body[5]["starts_at"], berlin("2026-03-30T08:00:00Z"));
    assert_eq!(list(&app, &alice, &series, window).await.body, json!([]));
}
