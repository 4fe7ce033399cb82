//! Event instances end to end (rules.md §5.1–§5.4, api.md §7.9): local
//! wall-clock time across DST, the three instance id forms, single
//! events, overlap windows and page cursors, checked against
//! the upstream schemas. Instance PATCH is in `event_instances_patch.rs`.

#[path = "instances_support/calls.rs"]
mod calls;

use calls::*;
use conclave_db::models::event_invite::NewEventInvite;
use conclave_domain::ids::EventId;
use conclave_domain::invite::InviteRole;
use conclave_e2e::{TestApp, spawn_app};
use conclave_e2e::{assert_conforms, login};
use reqwest::StatusCode;
use serde_json::json;

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
    assert_conforms("get", LIST, 200, &reply.body);
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
    // Every instance carries the series' invitees, capped by invitees_max.
    assert_eq!(
        (
            first["invitees"].clone(),
            first["invitees_truncated"].clone()
        ),
        (json!([]), json!(true))
    );
    let bob = login(&app, "bob").await;
    let event = EventId::from(march.parse::<uuid::Uuid>().expect("uuid"));
    let mut conn = app.db.connect().await;
    NewEventInvite::pending(event, bob.id, alice.id, InviteRole::User)
        .insert(&mut conn)
        .await
        .expect("invite");
    let invited = list(&app, &alice, &march, "?invitees_max=5&per_page=2").await;
    assert_conforms("get", LIST, 200, &invited.body);
    for item in invited.body.as_array().expect("array") {
        assert_eq!(item["invitees_truncated"], false, "{item}");
        assert_eq!(item["invitees"][0]["profile"]["id"], bob.id.to_string());
        assert_eq!(item["invitees"][0]["status"], "pending");
    }

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
        assert_conforms("get", ONE, 200, &reply.body);
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
    assert_conforms("get", LIST, 200, &reply.body);
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

    // Beyond the 40-year horizon, or past the last page: empty, no link.
    let far = list(&app, &alice, &series, "?time_min=2200-01-01T00:00:00Z").await;
    assert_eq!((far.body.clone(), far.link()), (json!([]), ""));
    let last = list(&app, &alice, &series, "?after=__________8").await;
    assert_eq!((last.body.clone(), last.link()), (json!([]), ""));

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
async fn fractions_of_a_second_do_not_hide_an_instance() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    for pattern in [&[][..], &["RRULE:FREQ=DAILY;COUNT=3"][..]] {
        let body = event_body(
            "2026-03-25T08:00:00.250Z",
            "2026-03-25T09:00:00.5Z",
            pattern,
        );
        let event = create(&app, &alice, &body).await;
        let listed = list(&app, &alice, &event, "").await;
        assert_eq!(listed.body[0]["instance_id"], "20260325T080000Z");
        assert_eq!(
            listed.body[0]["starts_at"]["datetime"],
            "2026-03-25T08:00:00Z"
        );
        // The id the listing wrote addresses the instance.
        let one = get(
            &app,
            &alice,
            &format!("/events/{event}/instances/20260325T080000Z"),
        )
        .await;
        assert_eq!(one.status, StatusCode::OK, "{pattern:?}: {}", one.body);
        assert_eq!(one.body["ends_at"]["datetime"], "2026-03-25T09:00:00Z");
    }
}
