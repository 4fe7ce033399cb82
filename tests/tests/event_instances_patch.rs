//! `PATCH /events/{id}/instances/{instance_id}` end to end (rules.md §5.6):
//! exceptions with the instance's own defaults, cancelling, the
//! invite-code side effect, and exceptions across event PATCH.

#[path = "instances_support/calls.rs"]
mod calls;

use calls::*;
use conclave_e2e::spawn_app;
use conclave_e2e::{assert_conforms, call, count, execute, id, login};
use reqwest::{Method, StatusCode};
use serde_json::json;

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
    let codes = "SELECT count(*) AS n FROM invites i JOIN events e ON e.room = i.room \
                 WHERE e.id::text = $1";
    assert_eq!(count(&app, codes, &series).await, 0);
    let revision = "SELECT revision::bigint AS n FROM events WHERE id::text = $1";

    // Suppressed notifications: the exception only, no invite code.
    let quiet =
        format!("/events/{series}/instances/20260402T070000Z?suppress_email_notification=true");
    let body = json!({"description": "quiet"}).to_string();
    let reply = call(&app, Method::PATCH, &quiet, alice.auth(), Some(&body)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["description"], "quiet");
    assert_eq!(count(&app, codes, &series).await, 0);
    assert_eq!(count(&app, rows, &series).await, 1);
    let quiet_row = "DELETE FROM event_exceptions WHERE event_id::text = $1";
    assert_eq!(conclave_e2e::execute(&app, quiet_row, &series).await, 1);

    // Empty body: 204, nothing written.
    let reply = patch_instance(&app, &alice, &series, "20260331T070000Z", &json!({})).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    assert_eq!(count(&app, rows, &series).await, 0);

    // a title-only patch keeps that instance's own times.
    let renamed = json!({"title": "Retro"});
    let reply = patch_instance(&app, &alice, &series, "20260331T070000Z", &renamed).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_conforms("patch", ONE, 200, &reply.body);
    assert_eq!(reply.body["title"], "Retro");
    assert_eq!(reply.body["description"], "standup");
    assert_eq!(reply.body["starts_at"], berlin("2026-03-31T07:00:00Z"));
    assert_eq!(reply.body["ends_at"], berlin("2026-03-31T08:00:00Z"));
    assert_eq!(reply.body["status"], "ok");
    assert_eq!(count(&app, rows, &series).await, 1);
    // Unless suppressed, the room gets a valid invite code (rules.md §5.6).
    assert_eq!(count(&app, codes, &series).await, 1);

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
    assert_conforms("get", LIST, 200, &listed.body);
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
    // …and no longer by one around its original time.
    let original = "?time_min=2026-03-30T06:30:00Z&time_max=2026-03-30T07:30:00Z";
    assert_eq!(list(&app, &alice, &series, original).await.body, json!([]));
    // It shows who wrote the exception and when (rules.md §5.4).
    let sql = "SELECT (extract(epoch FROM created_at) * 1000000)::bigint AS n \
               FROM event_exceptions WHERE event_id::text = $1";
    let written = count(&app, sql, &series).await;
    let shown: chrono::DateTime<chrono::Utc> = id(&found.body[0], "updated_at")
        .parse()
        .expect("updated_at");
    assert_eq!(shown.timestamp_micros(), written);
    assert_eq!(found.body[0]["updated_by"]["id"], alice.id.to_string());

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn patch_updates_the_exception_the_instance_shows() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let body = event_body(
        "2026-03-25T08:00:00Z",
        "2026-03-25T09:00:00Z",
        &["RRULE:FREQ=DAILY;COUNT=3"],
    );
    let series = create(&app, &alice, &body).await;
    // Two rows for one occurrence, as a zone change can leave behind: an
    // older one in UTC and a newer one in the series zone, which the
    // instance shows (series zone first, rules.md §5.4).
    let insert = "INSERT INTO event_exceptions \
                  (event_id, exception_date, exception_date_tz, created_by, created_at, kind, title) \
                  SELECT e.id, '2026-03-26T08:00:00Z', r.zone, e.created_by, r.at, 'modified', r.title \
                  FROM events e, (VALUES ('UTC', now() - interval '1 hour', 'old'), \
                                       ('Europe/Berlin', now(), 'shown')) AS r(zone, at, title) \
                  WHERE e.id::text = $1";
    assert_eq!(execute(&app, insert, &series).await, 2);
    let instance = format!("/events/{series}/instances/20260326T080000Z");
    assert_eq!(get(&app, &alice, &instance).await.body["title"], "shown");
    let reply = patch_instance(
        &app,
        &alice,
        &series,
        "20260326T080000Z",
        &json!({"title": "X"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["title"], "X");
    assert_eq!(get(&app, &alice, &instance).await.body["title"], "X");
    let untouched = "SELECT count(*) AS n FROM event_exceptions \
                     WHERE event_id::text = $1 AND exception_date_tz = 'UTC' AND title = 'old'";
    assert_eq!(count(&app, untouched, &series).await, 1);
}
