//! The reference listing scenarios of rules.md §6.5 through real HTTP
//! (`GET /v1/events?…`, following `rel="after"` links), plus keyset paging
//! while events are inserted between page fetches: no item is skipped or
//! repeated. The database layer runs the same scenarios in
//! `crates/db/tests/events_list.rs`; `events_list.rs` covers visibility,
//! favourites, errors and exceptions.

use std::collections::BTreeSet;

use conclave_db::models::event_invite::NewEventInvite;
use conclave_domain::ids::EventId;
use conclave_domain::invite::{EventInviteStatus, InviteRole};
use conclave_e2e::{Person, after_url, call_with, create_event, id, login};
use conclave_e2e::{TestApp, spawn_app};
use reqwest::{Method, StatusCode};
use serde_json::json;

/// `2020-01-01T<hour>:<minute>:00Z`, the fixture day of §6.5.
fn at(hour: u32, minute: u32) -> String {
    format!("2020-01-01T{hour:02}:{minute:02}:00Z")
}

/// What an event is created with: times (`None` = time-independent) and
/// the ad-hoc flag.
#[derive(Clone, Copy, Default)]
struct Spec {
    times: Option<((u32, u32), (u32, u32))>,
    adhoc: bool,
}

/// Timed from `hour` to the same instant (`ends_at = starts_at`, as §6.5).
fn hour(hour: u32) -> Spec {
    Spec {
        times: Some(((hour, 0), (hour, 0))),
        adhoc: false,
    }
}

/// Time-independent.
fn ti() -> Spec {
    Spec::default()
}

/// `POST /v1/events`, asserting 201; returns the id.
async fn create(app: &TestApp, who: &Person, spec: Spec) -> String {
    let mut body = json!({
        "title": "scenario", "description": "", "is_time_independent": true,
        "is_adhoc": spec.adhoc,
    });
    if let Some(((sh, sm), (eh, em))) = spec.times {
        let zoned = |text: String| json!({"datetime": text, "timezone": "UTC"});
        body["is_time_independent"] = json!(false);
        body["is_all_day"] = json!(false);
        body["starts_at"] = zoned(at(sh, sm));
        body["ends_at"] = zoned(at(eh, em));
    }
    id(&create_event(app, who, &body).await, "id")
}

/// Creates one event per spec, in order.
async fn create_all(app: &TestApp, who: &Person, specs: &[Spec]) -> Vec<String> {
    let mut ids = Vec::new();
    for spec in specs {
        ids.push(create(app, who, *spec).await);
    }
    ids
}

/// The ids of one page and the next page's URL (`None` on an empty page).
async fn page(app: &TestApp, who: &Person, url: &str) -> (Vec<String>, Option<String>) {
    let absolute = match url.starts_with("http") {
        true => url.to_owned(),
        false => app.v1(url),
    };
    let reply = call_with(app, Method::GET, &absolute, who.auth(), &[], None).await;
    let (status, body) = (reply.status, &reply.body);
    assert_eq!(status, StatusCode::OK, "{url}: {body}");
    let ids: Vec<String> = body
        .as_array()
        .expect("array")
        .iter()
        .map(|item| item["id"].as_str().expect("id").to_owned())
        .collect();
    let next = reply.header("link").map(after_url);
    assert_eq!(
        ids.is_empty(),
        next.is_none(),
        "a link exactly on non-empty pages"
    );
    (ids, next)
}

/// The first page of `GET /v1/events{query}`.
async fn list(app: &TestApp, who: &Person, query: &str) -> Vec<String> {
    page(app, who, &format!("/events{query}")).await.0
}

/// Every page of `GET /v1/events{query}` up to the empty last one.
async fn pages(app: &TestApp, who: &Person, query: &str) -> Vec<Vec<String>> {
    let mut url = format!("/events{query}");
    let mut pages = Vec::new();
    for _ in 0..100 {
        let (ids, next) = page(app, who, &url).await;
        let Some(next) = next else {
            return pages;
        };
        pages.push(ids);
        url = next;
    }
    panic!("{query}: the listing did not end");
}

/// `ids[i]` for each `i`.
fn pick(ids: &[String], indexes: &[usize]) -> Vec<String> {
    indexes.iter().map(|&i| ids[i].clone()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenarios_1_to_4_order_cursor_and_time_filters() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let specs: Vec<Spec> = [2, 1, 10, 3, 3, 3, 3, 3].map(hour).to_vec();
    let created = create_all(&app, &alice, &specs).await;
    // 1h, 2h, the five 3h events in creation order, then 10h.
    let order = pick(&created, &[1, 0, 3, 4, 5, 6, 7, 2]);
    assert_eq!(list(&app, &alice, "").await, order);
    let pairs: Vec<Vec<String>> = order.chunks(2).map(<[_]>::to_vec).collect();
    assert_eq!(pages(&app, &alice, "?per_page=2").await, pairs);

    let check = async |query: String, expected: &[usize]| {
        let expected: Vec<String> = expected.iter().map(|&i| order[i].clone()).collect();
        assert_eq!(list(&app, &alice, &query).await, expected, "{query}");
    };
    check(format!("?time_min={}", at(5, 0)), &[7]).await;
    check(format!("?time_max={}", at(5, 0)), &[0, 1, 2, 3, 4, 5, 6]).await;
    let three = at(3, 0);
    check(
        format!("?time_min={three}&time_max={three}"),
        &[2, 3, 4, 5, 6],
    )
    .await;
}

/// Inserts `invitee`'s invite row to `event` with `status`.
async fn invite(app: &TestApp, event: &str, by: &Person, to: &Person, status: EventInviteStatus) {
    let mut conn = app.db.connect().await;
    let event = EventId::from(event.parse::<uuid::Uuid>().expect("uuid"));
    NewEventInvite {
        status,
        ..NewEventInvite::pending(event, to.id, by.id, InviteRole::User)
    }
    .insert(&mut conn)
    .await
    .expect("invite");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenario_5_invite_status_filter() {
    let app = spawn_app().await;
    let inviter = login(&app, "inviter").await;
    let invitee = login(&app, "invitee").await;
    let events = create_all(&app, &inviter, &[hour(1), hour(2), hour(3), hour(4)]).await;
    // No invite rows: the inviter's own events count as accepted.
    assert_eq!(
        list(&app, &inviter, "?invite_status=accepted").await,
        events
    );
    assert_eq!(
        list(&app, &inviter, "?invite_status=declined").await,
        Vec::<String>::new()
    );
    assert_eq!(list(&app, &invitee, "").await, Vec::<String>::new());

    let statuses = [
        ("accepted", EventInviteStatus::Accepted),
        ("declined", EventInviteStatus::Declined),
        ("tentative", EventInviteStatus::Tentative),
        ("pending", EventInviteStatus::Pending),
    ];
    for (event, (_, status)) in events.iter().zip(statuses) {
        invite(&app, event, &inviter, &invitee, status).await;
    }
    for (i, (name, _)) in statuses.iter().enumerate() {
        let query = format!("?invite_status={name}");
        assert_eq!(
            list(&app, &invitee, &query).await,
            pick(&events, &[i]),
            "{name}"
        );
    }
    assert_eq!(list(&app, &invitee, "").await, events);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenarios_6_and_7_adhoc_and_time_independent() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let adhoc = |adhoc| Spec { adhoc, ..hour(1) };
    let flags = [true, false, false, true, true];
    let created = create_all(&app, &alice, &flags.map(adhoc)).await;
    assert_eq!(list(&app, &alice, "").await, created);
    assert_eq!(
        list(&app, &alice, "?adhoc=true").await,
        pick(&created, &[0, 3, 4])
    );
    assert_eq!(
        list(&app, &alice, "?adhoc=false").await,
        pick(&created, &[1, 2])
    );

    let bob = login(&app, "bob").await;
    let created = create_all(&app, &bob, &[ti(), ti(), hour(1), ti(), hour(2)]).await;
    let order = pick(&created, &[0, 1, 3, 2, 4]);
    assert_eq!(list(&app, &bob, "").await, order);
    let only_ti = list(&app, &bob, "?time_independent=true").await;
    assert_eq!(only_ti, pick(&created, &[0, 1, 3]));
    let timed = list(&app, &bob, "?time_independent=false").await;
    assert_eq!(timed, pick(&created, &[2, 4]));
}

/// `(time_min, time_max)` as optional `(hour, minute)` pairs.
type Window = (Option<(u32, u32)>, Option<(u32, u32)>);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenario_8_overlap_is_inclusive_and_skips_null_times() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let timed = Spec {
        times: Some(((10, 0), (11, 0))),
        adhoc: false,
    };
    let created = create_all(&app, &alice, &[timed, ti()]).await;
    let (event, untimed) = (&created[0], &created[1]);
    assert_eq!(
        list(&app, &alice, "").await,
        vec![untimed.clone(), event.clone()]
    );
    let query = |min: Option<(u32, u32)>, max: Option<(u32, u32)>| {
        let mut parts = Vec::new();
        if let Some((h, m)) = min {
            parts.push(format!("time_min={}", at(h, m)));
        }
        if let Some((h, m)) = max {
            parts.push(format!("time_max={}", at(h, m)));
        }
        format!("?{}", parts.join("&"))
    };
    let none: [Window; 4] = [
        (None, Some((9, 0))),
        (Some((8, 0)), Some((9, 0))),
        (Some((12, 0)), None),
        (Some((12, 0)), Some((13, 0))),
    ];
    for (min, max) in none {
        let q = query(min, max);
        assert_eq!(list(&app, &alice, &q).await, Vec::<String>::new(), "{q}");
    }
    let hit = [
        (None, Some((10, 0))),
        (Some((11, 0)), None),
        (None, Some((10, 30))),
        (Some((9, 30)), Some((10, 30))),
        (Some((10, 30)), None),
        (Some((10, 30)), Some((11, 30))),
        (Some((10, 20)), Some((10, 40))),
        (Some((9, 0)), Some((12, 0))),
    ];
    for (min, max) in hit {
        let q = query(min, max);
        assert_eq!(list(&app, &alice, &q).await, vec![event.clone()], "{q}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenario_9_a_time_independent_cursor_keeps_earlier_timed_events() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let created = create_all(&app, &alice, &[ti(), hour(1), hour(2), ti()]).await;
    let expected: Vec<Vec<String>> = [0, 3, 1, 2].iter().map(|&i| pick(&created, &[i])).collect();
    assert_eq!(pages(&app, &alice, "?per_page=1").await, expected);
}

/// An event of the concurrent-paging test: its sort key (rules.md §6.3:
/// start with NULLs first, then creation order) and whether the walk must
/// return it.
struct Known {
    id: String,
    key: (Option<u32>, usize),
    expected: bool,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inserts_between_pages_skip_and_repeat_nothing() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let mut known: Vec<Known> = Vec::new();
    let initial: Vec<Option<u32>> = [None, None, None]
        .into_iter()
        .chain((1..=6).flat_map(|h| [Some(h), Some(h)]))
        .collect();
    for start in initial {
        let id = create(&app, &alice, start.map_or_else(ti, hour)).await;
        let key = (start, known.len());
        known.push(Known {
            id,
            key,
            expected: true,
        });
    }
    let mut seen: Vec<String> = Vec::new();
    let mut url = "/events?per_page=2".to_owned();
    for round in 0..100 {
        let (ids, next) = page(&app, &alice, &url).await;
        let Some(next) = next else { break };
        seen.extend(ids);
        url = next;
        if round >= 6 {
            continue;
        }
        // New events before and after the cursor: one time-independent,
        // one at 00:00, one at the cursor's own start, one at 23:00.
        let cursor = known
            .iter()
            .find(|k| Some(&k.id) == seen.last())
            .expect("known");
        let cursor_start = cursor.key.0;
        for start in [None, Some(0), Some(cursor_start.unwrap_or(3)), Some(23)] {
            let id = create(&app, &alice, start.map_or_else(ti, hour)).await;
            // Created last, so it sorts after the cursor exactly when its
            // start is not before the cursor's (NULLs first).
            let expected = match (cursor_start, start) {
                (None, _) => true,
                (Some(_), None) => false,
                (Some(c), Some(s)) => s >= c,
            };
            let key = (start, known.len());
            known.push(Known { id, key, expected });
        }
    }
    let unique: BTreeSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "an item was repeated: {seen:?}");
    let expected: BTreeSet<&String> = known.iter().filter(|k| k.expected).map(|k| &k.id).collect();
    assert_eq!(unique, expected, "skipped or unexpected items");
    assert!(
        known.iter().any(|k| !k.expected),
        "some inserts were behind the cursor"
    );
    // And the walk returned them in the listing order.
    let key = |id: &String| known.iter().find(|k| &k.id == id).expect("known").key;
    let keys: Vec<_> = seen.iter().map(key).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}
