//! `POST /v1/events`, `GET` and `DELETE /v1/events/{id}` end to end: the
//! event resource's shape (api.md §6.2), the writes of creation (room, SIP
//! config, times, satellites, access rules) and the event deleter with its
//! rule removal. Refused creations are in `events_create_errors.rs`.

use conclave_api::config::CallInSettings;
use conclave_domain::access::{Action, Policy, Subject};
use conclave_domain::ids::RoomId;
use conclave_e2e::{
    call, count, create_event, create_invite, execute, grant, id, login, post_event,
    resource_and_asset, rules_mentioning,
};
use conclave_e2e::{spawn_app, spawn_app_with};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

fn weekly_series() -> Value {
    json!({
        "title": "Teammeeting", "description": "The weekly teammeeting",
        "is_time_independent": false, "is_all_day": false,
        "starts_at": {"datetime": "2024-07-22T08:00:00Z", "timezone": "Europe/Berlin"},
        "ends_at": {"datetime": "2024-07-22T09:00:00Z", "timezone": "Europe/Berlin"},
        "recurrence_pattern": ["RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO"],
        "password": "v3rys3cr3t", "waiting_room": true, "e2e_encryption": true,
        "streaming_targets": [{"name": "Stream", "kind": "custom",
            "streaming_endpoint": "https://ingress.example.com/", "streaming_key": "aabbcc",
            "public_url": "https://stream.example.com/live"}],
        "show_meeting_details": true,
        "training_participation_report": {"initial_checkpoint_delay": {"after": 100, "within": 200},
            "checkpoint_interval": {"after": 300, "within": 400}}
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn time_independent_event_is_created_with_room_sip_and_rules() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let bob = login(&app, "bob").await;
    let body = json!({"title": "Planning", "description": "", "is_time_independent": true});
    let event = create_event(&app, &alice, &body).await;
    let object = event.as_object().expect("object");
    for absent in [
        "is_all_day",
        "starts_at",
        "ends_at",
        "recurrence_pattern",
        "shared_folder",
        "streaming_targets",
        "training_participation_report",
    ] {
        assert!(!object.contains_key(absent), "{absent} in {event}");
    }
    assert!(!event["room"].as_object().unwrap().contains_key("password"));
    assert!(!event["room"].as_object().unwrap().contains_key("call_in"));
    assert_eq!(event["title"], "Planning");
    assert_eq!(event["description"], "");
    assert_eq!(event["is_time_independent"], true);
    assert_eq!(event["type"], "single");
    assert_eq!(event["invitees"], json!([]));
    assert_eq!(event["invitees_truncated"], false);
    assert_eq!(event["invite_status"], "accepted");
    assert_eq!(event["is_favorite"], false);
    assert_eq!(event["can_edit"], true);
    assert_eq!(event["is_adhoc"], false);
    assert_eq!(event["show_meeting_details"], false);
    assert_eq!(event["room"]["waiting_room"], false);
    assert_eq!(event["room"]["e2e_encryption"], false);
    assert_eq!(event["created_by"]["id"], alice.id.to_string());
    assert_eq!(event["updated_by"]["id"], alice.id.to_string());

    let eid = id(&event, "id");
    let rid = id(&event["room"], "id");
    let sql = "SELECT count(*) AS n FROM sip_configs WHERE room::text = $1";
    assert_eq!(count(&app, sql, &rid).await, 1);
    let sql = "SELECT count(*) AS n FROM events WHERE id::text = $1 AND revision = 0 \
               AND is_recurring IS NULL AND starts_at IS NULL";
    assert_eq!(count(&app, sql, &eid).await, 1);

    // GET shows the same event; invitees_max defaults to 0 → truncated.
    let path = format!("/events/{eid}");
    let got = call(&app, Method::GET, &path, alice.auth(), None).await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.body);
    let mut expected = event.clone();
    expected["invitees_truncated"] = json!(true);
    assert_eq!(got.body, expected);
    // The creator's rules cover the event and its room; others get 403.
    let other = call(&app, Method::GET, &path, bob.auth(), None).await;
    assert_eq!(other.error(), (StatusCode::FORBIDDEN, Some("forbidden")));
    let room = call(
        &app,
        Method::GET,
        &format!("/rooms/{rid}"),
        alice.auth(),
        None,
    )
    .await;
    assert_eq!(room.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recurring_event_keeps_first_occurrence_and_satellites() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let event = create_event(&app, &alice, &weekly_series()).await;
    assert_eq!(event["type"], "recurring");
    assert_eq!(event["is_all_day"], false);
    assert_eq!(
        event["starts_at"],
        json!({"datetime": "2024-07-22T08:00:00Z", "timezone": "Europe/Berlin"})
    );
    // The first occurrence's end, not the stored series end (rules.md §2.5).
    assert_eq!(
        event["ends_at"],
        json!({"datetime": "2024-07-22T09:00:00Z", "timezone": "Europe/Berlin"})
    );
    assert_eq!(
        event["recurrence_pattern"],
        json!(["RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO"])
    );
    assert_eq!(event["room"]["password"], "v3rys3cr3t");
    assert_eq!(event["room"]["waiting_room"], true);
    assert_eq!(event["room"]["e2e_encryption"], true);
    assert_eq!(event["show_meeting_details"], true);
    let targets = event["streaming_targets"].as_array().expect("targets");
    assert_eq!(targets.len(), 1);
    assert_eq!(targets[0]["streaming_key"], "aabbcc");
    assert_eq!(targets[0]["public_url"], "https://stream.example.com/live");
    assert_eq!(
        event["training_participation_report"],
        weekly_series()["training_participation_report"]
    );

    let eid = id(&event, "id");
    let rid = id(&event["room"], "id");
    // A SIP config even for an e2e room (rules.md §13); an unbounded series
    // stores the sentinel end and the occurrence length.
    let sql = "SELECT count(*) AS n FROM sip_configs WHERE room::text = $1";
    assert_eq!(count(&app, sql, &rid).await, 1);
    let sql = "SELECT count(*) AS n FROM events WHERE id::text = $1 AND duration_secs = 3600 \
               AND is_recurring AND ends_at = '9999-12-31T23:59:59Z'";
    assert_eq!(count(&app, sql, &eid).await, 1);

    let got = call(
        &app,
        Method::GET,
        &format!("/events/{eid}"),
        alice.auth(),
        None,
    )
    .await;
    assert_eq!(got.status, StatusCode::OK);
    let mut expected = event.clone();
    expected["invitees_truncated"] = json!(true);
    assert_eq!(got.body, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn single_all_day_event_and_adhoc_flag() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let body = json!({
        "title": "Offsite", "description": "d", "is_time_independent": false, "is_all_day": true,
        "starts_at": {"datetime": "2024-07-22T00:00:00Z", "timezone": "UTC"},
        "ends_at": {"datetime": "2024-07-24T00:00:00Z", "timezone": "Europe/Paris"},
        "is_adhoc": true
    });
    let event = create_event(&app, &alice, &body).await;
    assert_eq!(event["type"], "single");
    assert_eq!(event["is_all_day"], true);
    assert_eq!(event["is_adhoc"], true);
    assert_eq!(event["ends_at"]["timezone"], "Europe/Paris");
    assert!(
        !event
            .as_object()
            .unwrap()
            .contains_key("recurrence_pattern")
    );
    let sql = "SELECT count(*) AS n FROM events WHERE id::text = $1 AND is_recurring = false \
               AND duration_secs IS NULL AND recurrence_pattern IS NULL";
    assert_eq!(count(&app, sql, &id(&event, "id")).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_malformed_and_hidden_events() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let bob = login(&app, "bob").await;
    let unknown = "/events/00000000-0000-0000-0000-000000000001";
    // The ACL answers first: 403 for unknown and malformed ids (api.md §3.5).
    for path in [unknown, "/events/not-a-uuid"] {
        for method in [Method::GET, Method::DELETE] {
            let reply = call(&app, method, path, bob.auth(), None).await;
            assert_eq!(
                reply.error(),
                (StatusCode::FORBIDDEN, Some("forbidden")),
                "{path}"
            );
        }
    }
    // Past the ACL (wildcard rules for Bob) they are JSON 404s, never 500s.
    let all = Policy::new(
        Subject::User(bob.id),
        "/events/*",
        &[Action::Get, Action::Delete],
    );
    grant(&app, vec![all]).await;
    for path in [unknown, "/events/not-a-uuid", "/events/123"] {
        for method in [Method::GET, Method::DELETE] {
            let reply = call(&app, method, path, bob.auth(), None).await;
            assert_eq!(
                reply.error(),
                (StatusCode::NOT_FOUND, Some("not_found")),
                "{path}"
            );
        }
    }
    // A reader who is not the creator cannot edit and has no invite row.
    let event = create_event(&app, &alice, &weekly_series()).await;
    let path = format!("/events/{}", id(&event, "id"));
    let reply = call(&app, Method::GET, &path, bob.auth(), None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["can_edit"], false);
    assert_eq!(reply.body["invite_status"], "accepted");
    // Events of disabled creators are 404 (rules.md §6.1), and stay.
    let sql = "UPDATE users SET disabled_since = now() WHERE id::text = $1";
    assert_eq!(execute(&app, sql, &alice.id.to_string()).await, 1);
    for method in [Method::GET, Method::DELETE] {
        let reply = call(&app, method, &path, bob.auth(), None).await;
        assert_eq!(reply.error(), (StatusCode::NOT_FOUND, Some("not_found")));
    }
    let sql = "SELECT count(*) AS n FROM events WHERE id::text = $1";
    assert_eq!(count(&app, sql, &id(&event, "id")).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_removes_event_room_and_every_rule() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let bob = login(&app, "bob").await;
    let event = create_event(&app, &alice, &weekly_series()).await;
    let kept = create_event(&app, &alice, &weekly_series()).await;
    let eid = id(&event, "id");
    let rid = id(&event["room"], "id");
    let code = create_invite(&app, &alice, &rid, json!({})).await;
    let code = id(&code, "invite_code");
    assert!(rules_mentioning(&app, &code).await > 0);
    let room = RoomId::from(rid.parse::<Uuid>().expect("room id"));
    let (resource, asset) = resource_and_asset(&app, &alice, room, &[Action::Get]).await;

    let path = format!("/events/{eid}");
    let denied = call(&app, Method::DELETE, &path, bob.auth(), None).await;
    assert_eq!(denied.error(), (StatusCode::FORBIDDEN, Some("forbidden")));

    let reply = call(&app, Method::DELETE, &path, alice.auth(), None).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.body);
    for (table, column, value) in [
        ("events", "id", &eid),
        ("rooms", "id", &rid),
        ("sip_configs", "room", &rid),
        ("invites", "room", &rid),
        ("room_streaming_targets", "room_id", &rid),
        (
            "event_training_participation_report_parameter_sets",
            "event_id",
            &eid,
        ),
    ] {
        let sql = format!("SELECT count(*) AS n FROM {table} WHERE {column}::text = $1");
        assert_eq!(count(&app, &sql, value).await, 0, "{table}");
    }
    for (table, column, value) in [
        ("module_resources", "id", &resource),
        ("room_assets", "asset_id", &asset),
        ("assets", "id", &asset),
    ] {
        let sql = format!("SELECT count(*) AS n FROM {table} WHERE {column}::text = $1");
        assert_eq!(count(&app, &sql, value).await, 0, "{table}");
    }
    for needle in [eid.as_str(), rid.as_str(), code.as_str(), resource.as_str()] {
        assert_eq!(
            rules_mentioning(&app, needle).await,
            0,
            "casbin_rule mentions {needle}"
        );
    }
    // The other event keeps its rules and stays readable.
    assert!(rules_mentioning(&app, &id(&kept, "id")).await > 0);
    let other = format!("/events/{}", id(&kept, "id"));
    let reply = call(&app, Method::GET, &other, alice.auth(), None).await;
    assert_eq!(reply.status, StatusCode::OK);
    // The deleted event is gone for its creator too (no rule left: 403).
    let reply = call(&app, Method::GET, &path, alice.auth(), None).await;
    assert_eq!(reply.error(), (StatusCode::FORBIDDEN, Some("forbidden")));
    let reply = call(&app, Method::DELETE, &path, alice.auth(), None).await;
    assert_eq!(reply.error(), (StatusCode::FORBIDDEN, Some("forbidden")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn call_in_shows_for_plain_rooms_and_bodies_are_capped() {
    let app = spawn_app_with(|settings| {
        settings.call_in = Some(CallInSettings {
            tel: "+4930123456".into(),
            default_country_code: "DE".into(),
        });
        settings.http.json_body_limit = 4096;
    })
    .await;
    let alice = login(&app, "alice").await;
    let plain = json!({"title": "t", "description": "", "is_time_independent": true});
    let event = create_event(&app, &alice, &plain).await;
    let call_in = &event["room"]["call_in"];
    assert_eq!(call_in["tel"], "+4930123456");
    let sql = "SELECT count(*) AS n FROM sip_configs WHERE sip_id = $1";
    assert_eq!(count(&app, sql, call_in["id"].as_str().unwrap()).await, 1);
    assert_eq!(call_in["password"].as_str().unwrap().len(), 10);
    // End-to-end encrypted rooms never show call-in (rules.md §6.4).
    let mut e2e = plain.clone();
    e2e["e2e_encryption"] = json!(true);
    let event = create_event(&app, &alice, &e2e).await;
    assert!(!event["room"].as_object().unwrap().contains_key("call_in"));
    // A body over the configured limit is refused before parsing.
    let mut big = plain.clone();
    big["description"] = json!("a".repeat(5000));
    let reply = post_event(&app, &alice, &big).await;
    assert_eq!(
        reply.error(),
        (StatusCode::BAD_REQUEST, Some("payload_overflow"))
    );
}
