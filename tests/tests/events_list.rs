//! `GET /v1/events` end to end (api.md §7.8, rules.md §6): visibility,
//! filters, keyset paging through `rel="after"` links, and errors.

use conclave_api::config::TenantAssignment;
use conclave_db::models::event_exception::NewEventException;
use conclave_db::models::event_invite::NewEventInvite;
use conclave_domain::exception::EventExceptionKind;
use conclave_domain::ids::EventId;
use conclave_domain::invite::{EventInviteStatus, InviteRole};

use conclave_e2e::{
    Auth, Person, Reply, TestApp, after_url, call_with, create_event, id, person, spawn_app,
    spawn_app_with,
};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// `method url` (absolute) with an optional bearer token and JSON body.
async fn send(
    app: &TestApp,
    method: Method,
    url: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> Reply {
    let auth = token.map_or(Auth::Anonymous, Auth::Bearer);
    let text = body.map(|body| body.to_string());
    call_with(app, method, url, auth, &[], text.as_deref()).await
}

async fn list(app: &TestApp, who: &Person, query: &str) -> Reply {
    let url = format!("{}/v1/events{query}", app.url);
    send(app, Method::GET, &url, Some(&who.token), None).await
}

/// The ids of a listing, in order, asserting 200.
async fn ids(app: &TestApp, who: &Person, query: &str) -> Vec<String> {
    let reply = list(app, who, query).await;
    assert_eq!(reply.status, StatusCode::OK, "{query}: {}", reply.body);
    item_ids(&reply.body)
}

fn item_ids(body: &Value) -> Vec<String> {
    body.as_array()
        .expect("array")
        .iter()
        .map(|item| item["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Creates an event through `POST /v1/events`; `None` = time-independent.
async fn create(app: &TestApp, who: &Person, title: &str, times: Option<(&str, &str)>) -> String {
    let mut body = json!({"title": title, "description": "", "is_time_independent": true});
    if let Some((start, end)) = times {
        body = json!({
            "title": title, "description": "", "is_time_independent": false, "is_all_day": false,
            "starts_at": {"datetime": start, "timezone": "Europe/Berlin"},
            "ends_at": {"datetime": end, "timezone": "Europe/Berlin"},
        });
    }
    id(&create_event(app, who, &body).await, "id")
}

/// Inserts an invite row of `status` for `invitee`.
async fn invite(
    app: &TestApp,
    event: &str,
    creator: &Person,
    invitee: &Person,
    status: EventInviteStatus,
) {
    let mut conn = app.db.connect().await;
    let (creator, invitee) = (creator.id, invitee.id);
    let event = EventId::from(event.parse::<uuid::Uuid>().unwrap());
    NewEventInvite {
        status,
        ..NewEventInvite::pending(event, invitee, creator, InviteRole::User)
    }
    .insert(&mut conn)
    .await
    .expect("invite");
}

fn sorted(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn visibility_and_invite_status_filter() {
    let app = spawn_app_with(|s| s.tenants.assignment = TenantAssignment::ByExternalTenantId).await;
    let alice = person(&app, "alice", "t1").await;
    let bob = person(&app, "bob", "t1").await;
    let carol = person(&app, "carol", "t2").await;
    let own = create(&app, &alice, "own", None).await;
    let declined = create(&app, &bob, "declined", None).await;
    let pending = create(&app, &bob, "pending", None).await;
    let foreign = create(&app, &carol, "foreign", None).await;
    create(&app, &bob, "not invited", None).await;
    invite(&app, &declined, &bob, &alice, EventInviteStatus::Declined).await;
    invite(&app, &pending, &bob, &alice, EventInviteStatus::Pending).await;
    // An invite across tenants grants nothing (rules.md §6.1).
    invite(&app, &foreign, &carol, &alice, EventInviteStatus::Accepted).await;

    let all = sorted(vec![own.clone(), declined.clone(), pending.clone()]);
    assert_eq!(sorted(ids(&app, &alice, "").await), all);
    assert_eq!(ids(&app, &carol, "").await, vec![foreign.clone()]);
    assert_eq!(ids(&app, &bob, "").await.len(), 3, "bob's own events");

    let check = async |query: &str, expected: Vec<String>| {
        assert_eq!(
            sorted(ids(&app, &alice, query).await),
            sorted(expected),
            "{query}"
        );
    };
    check("?invite_status=accepted", vec![own.clone()]).await;
    check("?invite_status=declined", vec![declined.clone()]).await;
    check(
        "?invite_status=accepted,declined",
        vec![own.clone(), declined.clone()],
    )
    .await;
    check(
        "?invite_status=pending&invite_status=declined",
        vec![pending.clone(), declined.clone()],
    )
    .await;
    let bad = list(&app, &alice, "?invite_status=maybe").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.body["code"], "bad_request");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn time_window_favourites_and_order() {
    let app = spawn_app().await;
    let alice = person(&app, "alice", "t1").await;
    let early = create(
        &app,
        &alice,
        "early",
        Some(("2026-03-01T10:00:00Z", "2026-03-01T11:00:00Z")),
    )
    .await;
    let late = create(
        &app,
        &alice,
        "late",
        Some(("2026-03-05T10:00:00Z", "2026-03-05T11:00:00Z")),
    )
    .await;
    let free = create(&app, &alice, "free", None).await;
    // Time-independent events come first (starts_at NULLS FIRST).
    let reply = list(&app, &alice, "").await;
    assert_eq!(
        item_ids(&reply.body),
        vec![free.clone(), early.clone(), late.clone()]
    );
    for item in reply.body.as_array().unwrap() {
        let object = item.as_object().unwrap();
        assert!(!object.contains_key("streaming_targets"), "{item}");
        assert!(
            !object.contains_key("training_participation_report"),
            "{item}"
        );
    }
    // Overlap: an event that started before time_min but ends after it counts.
    let window = "?time_min=2026-03-01T10:30:00Z&time_max=2026-03-02T00:00:00Z";
    assert_eq!(ids(&app, &alice, window).await, vec![early.clone()]);
    assert_eq!(
        ids(&app, &alice, "?time_min=2026-03-04T00:00:00Z").await,
        vec![late.clone()]
    );
    assert_eq!(
        ids(&app, &alice, "?time_max=2026-03-02T00:00:00Z").await,
        vec![early.clone()]
    );

    let url = format!("{}/v1/users/me/event_favorites/{late}", app.url);
    let put = send(&app, Method::PUT, &url, Some(&alice.token), None).await;
    assert_eq!(put.status, StatusCode::CREATED);
    let favourites = list(&app, &alice, "?favorites=true").await;
    assert_eq!(item_ids(&favourites.body), vec![late.clone()]);
    assert_eq!(favourites.body[0]["is_favorite"], true);
    assert_eq!(ids(&app, &alice, "?favorites=false").await.len(), 3);
    let bad = list(&app, &alice, "?time_min=yesterday").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_follow_after_links_without_gaps() {
    let app = spawn_app().await;
    let alice = person(&app, "alice", "t1").await;
    let mut created = Vec::new();
    for n in 0..7 {
        created.push(create(&app, &alice, &format!("event {n}"), None).await);
    }
    let mut url = format!("{}/v1/events?per_page=3", app.url);
    let mut seen = Vec::new();
    let mut sizes = Vec::new();
    loop {
        let page = send(&app, Method::GET, &url, Some(&alice.token), None).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let page_ids = item_ids(&page.body);
        sizes.push(page_ids.len());
        if page_ids.is_empty() {
            assert_eq!(page.header("link"), None, "no link on an empty page");
            break;
        }
        seen.extend(page_ids);
        url = after_url(page.header("link").expect("link on a non-empty page"));
        assert!(url.contains("per_page=3"), "{url}");
        assert!(sizes.len() < 10, "paging does not end");
    }
    assert_eq!(sizes, vec![3, 3, 1, 0]);
    assert_eq!(seen.len(), 7);
    assert_eq!(sorted(seen), sorted(created));

    let bad = list(&app, &alice, "?after=not-a-cursor").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.body["code"], "bad_request");
    let url = format!("{}/v1/events", app.url);
    let anonymous = send(&app, Method::GET, &url, None, None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

/// Inserts an exception of `series` for the occurrence at `date`.
async fn exception(
    app: &TestApp,
    series: &str,
    creator: &Person,
    date: &str,
    kind: EventExceptionKind,
    moved: Option<(&str, &str, &str)>,
) {
    let mut conn = app.db.connect().await;
    let created_by = creator.id;
    let at = |text: &str| text.parse::<chrono::DateTime<chrono::Utc>>().unwrap();
    NewEventException {
        event_id: EventId::from(series.parse::<uuid::Uuid>().unwrap()),
        exception_date: at(date),
        exception_date_tz: "Europe/Berlin".to_owned(),
        created_by,
        kind,
        title: moved.map(|(title, _, _)| title.to_owned()),
        description: None,
        is_all_day: None,
        starts_at: moved.map(|(_, start, _)| at(start)),
        starts_at_tz: moved.map(|_| "Europe/Berlin".to_owned()),
        ends_at: moved.map(|(_, _, end)| at(end)),
        ends_at_tz: moved.map(|_| "Europe/Berlin".to_owned()),
    }
    .insert(&mut conn)
    .await
    .expect("exception");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn series_are_followed_by_all_their_exceptions() {
    let app = spawn_app().await;
    let alice = person(&app, "alice", "t1").await;
    let url = format!("{}/v1/events", app.url);
    let body = json!({
        "title": "Weekly", "description": "", "is_time_independent": false, "is_all_day": false,
        "starts_at": {"datetime": "2024-07-22T08:00:00Z", "timezone": "Europe/Berlin"},
        "ends_at": {"datetime": "2024-07-22T09:00:00Z", "timezone": "Europe/Berlin"},
        "recurrence_pattern": ["RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO"],
    });
    let created = send(&app, Method::POST, &url, Some(&alice.token), Some(body)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let series = created.body["id"].as_str().unwrap().to_owned();
    let single = create(
        &app,
        &alice,
        "single",
        Some(("2024-07-25T10:00:00Z", "2024-07-25T11:00:00Z")),
    )
    .await;
    let moved = ("Moved", "2024-07-29T12:00:00Z", "2024-07-29T13:00:00Z");
    exception(
        &app,
        &series,
        &alice,
        "2024-07-29T08:00:00Z",
        EventExceptionKind::Modified,
        Some(moved),
    )
    .await;
    exception(
        &app,
        &series,
        &alice,
        "2024-08-05T08:00:00Z",
        EventExceptionKind::Cancelled,
        None,
    )
    .await;

    // The time window matches only the series' first week; its exceptions
    // are listed anyway (rules.md §5.7), the single event is not.
    for query in [
        "",
        "?time_min=2024-07-22T00:00:00Z&time_max=2024-07-23T00:00:00Z",
    ] {
        let reply = list(&app, &alice, query).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let items = reply.body.as_array().unwrap();
        let kinds: Vec<&str> = items.iter().map(|i| i["type"].as_str().unwrap()).collect();
        let expected: &[&str] = if query.is_empty() {
            &["recurring", "exception", "exception", "single"]
        } else {
            &["recurring", "exception", "exception"]
        };
        assert_eq!(kinds, expected, "{query}");
        assert_conforms(&reply.body);
        assert_eq!(items[0]["id"], series.as_str());
        let first = &items[1];
        assert_eq!(first["id"], format!("{series}_20240729T080000Z"));
        assert_eq!(first["recurring_event_id"], series.as_str());
        assert_eq!(first["instance_id"], "20240729T080000Z");
        assert_eq!(first["status"], "ok");
        assert_eq!(first["title"], "Moved");
        assert_eq!(first["starts_at"]["timezone"], "Europe/Berlin");
        assert_eq!(first["original_starts_at"]["timezone"], "Europe/Berlin");
        assert_eq!(first["can_edit"], true);
        let second = items[2].as_object().unwrap();
        assert_eq!(second["status"], "cancelled");
        assert_eq!(second["instance_id"], "20240805T080000Z");
        for absent in ["title", "description", "is_all_day", "starts_at", "ends_at"] {
            assert!(!second.contains_key(absent), "{absent}");
        }
        if query.is_empty() {
            assert_eq!(items[3]["id"], single.as_str());
        }
    }
}

/// What is wrong with a listing against the upstream `GET /events` 200
/// schema (missing required fields, undeclared properties).
fn problems(body: &Value) -> Vec<String> {
    conclave_e2e::problems("get", "/events", 200, body)
}

fn assert_conforms(body: &Value) {
    let found = problems(body);
    assert!(found.is_empty(), "{found:?}\n{body}");
    // The check itself notices a broken exception item.
    let mut broken = body.clone();
    broken[1]
        .as_object_mut()
        .unwrap()
        .remove("original_starts_at");
    assert!(!problems(&broken).is_empty(), "{broken}");
}
