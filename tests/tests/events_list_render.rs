//! `GET /v1/events` renders each page with one query per kind of row
//! (exceptions, invites, profiles, folders, …); every listed event must
//! still equal what `GET /v1/events/{id}` shows with the same
//! `invitees_max`, except the fields list items never carry (api.md §6.2).

use conclave_domain::access::Subject;
use conclave_domain::access::grants::event_read;
use conclave_domain::ids::EventId;
use conclave_e2e::{Person, call, execute, grant, id, login, post_event, seed_invite};
use conclave_e2e::{TestApp, spawn_app};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

async fn email_invite(app: &TestApp, event: &str, email: &str) {
    let sql = format!(
        "INSERT INTO event_email_invites (event_id, email, created_by, created_at, role) \
         SELECT id, '{email}', created_by, now(), 'guest'::email_invite_role \
         FROM events WHERE id::text = $1"
    );
    assert_eq!(execute(app, &sql, event).await, 1);
}

async fn create(app: &TestApp, who: &Person, body: Value) -> String {
    let reply = post_event(app, who, &body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    id(&reply.body, "id")
}

/// `resource` without the fields only single-event answers carry.
fn comparable(mut resource: Value) -> Value {
    let object = resource.as_object_mut().expect("object");
    object.remove("streaming_targets");
    object.remove("training_participation_report");
    resource
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_items_equal_the_single_event_answers() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let bob = login(&app, "bob").await;
    let carol = login(&app, "carol").await;
    let crowded = create(
        &app,
        &alice,
        json!({"title": "crowded", "description": "", "is_time_independent": true}),
    )
    .await;
    seed_invite(&app, &crowded, &bob, "tentative", "user", 10).await;
    seed_invite(&app, &crowded, &carol, "declined", "user", 5).await;
    email_invite(&app, &crowded, "dave@example.org").await;
    email_invite(&app, &crowded, "erin@example.org").await;
    let only_email = create(
        &app,
        &alice,
        json!({"title": "emails", "description": "", "is_time_independent": true}),
    )
    .await;
    email_invite(&app, &only_email, "frank@example.org").await;
    create(
        &app,
        &alice,
        json!({"title": "alone", "description": "", "is_time_independent": true}),
    )
    .await;
    let series = create(
        &app,
        &alice,
        json!({"title": "weekly", "description": "", "is_time_independent": false,
               "is_all_day": false,
               "starts_at": {"datetime": "2026-03-02T09:00:00Z", "timezone": "Europe/Berlin"},
               "ends_at": {"datetime": "2026-03-02T10:00:00Z", "timezone": "Europe/Berlin"},
               "recurrence_pattern": ["RRULE:FREQ=WEEKLY;COUNT=4"]}),
    )
    .await;
    let sql = "INSERT INTO event_exceptions (event_id, exception_date, exception_date_tz, \
               created_by, kind, title) SELECT id, starts_at + interval '1 week', \
               'Europe/Berlin', created_by, 'modified', 'moved' FROM events WHERE id::text = $1";
    assert_eq!(execute(&app, sql, &series).await, 1);
    seed_invite(&app, &series, &bob, "accepted", "user", 1).await;
    // bob's event with alice invited: her status shows, she cannot edit.
    let foreign = create(
        &app,
        &bob,
        json!({"title": "bob's", "description": "", "is_time_independent": true}),
    )
    .await;
    seed_invite(&app, &foreign, &alice, "pending", "user", 3).await;
    let foreign_id = EventId::from(Uuid::parse_str(&foreign).unwrap());
    grant(&app, event_read(&Subject::User(alice.id), foreign_id)).await;

    for max in [
        "",
        "?invitees_max=0",
        "?invitees_max=1",
        "?invitees_max=3",
        "?invitees_max=9",
    ] {
        let listed = call(
            &app,
            Method::GET,
            &format!("/events{max}"),
            alice.auth(),
            None,
        )
        .await;
        assert_eq!(listed.status, StatusCode::OK, "{max}: {}", listed.body);
        let items = listed.body.as_array().expect("array");
        let events: Vec<&Value> = items.iter().filter(|i| i["type"] != "exception").collect();
        assert_eq!(events.len(), 5, "{max}");
        for item in events {
            let path = format!("/events/{}{max}", id(item, "id"));
            let single = call(&app, Method::GET, &path, alice.auth(), None).await;
            assert_eq!(single.status, StatusCode::OK, "{path}");
            assert_eq!(comparable(item.clone()), comparable(single.body), "{path}");
        }
        let exceptions: Vec<&Value> = items.iter().filter(|i| i["type"] == "exception").collect();
        assert_eq!(exceptions.len(), 1, "{max}");
        assert_eq!(exceptions[0]["title"], "moved");
        assert_eq!(exceptions[0]["created_by"]["id"], alice.id.to_string());
    }
}
