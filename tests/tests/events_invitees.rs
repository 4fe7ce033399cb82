//! `invitees_max` on `GET` and `PATCH /v1/events/{id}` (rules.md §6.4):
//! registered invites first, newest first, then email invites (always
//! `pending`); `invitees_truncated` tells whether more exist. Also the
//! caller's own `invite_status`.

use conclave_domain::access::Subject;
use conclave_domain::access::grants::event_read;
use conclave_domain::ids::EventId;
use conclave_e2e::{Person, call, execute, grant, id, login, post_event, seed_invite};
use conclave_e2e::{TestApp, spawn_app};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

async fn get(app: &TestApp, who: &Person, event: &str, query: &str) -> (StatusCode, Value) {
    let path = format!("/events/{event}{query}");
    let reply = call(app, Method::GET, &path, who.auth(), None).await;
    (reply.status, reply.body)
}

fn emails_of(list: &Value) -> Vec<String> {
    list["invitees"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["profile"]["email"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invitees_are_capped_and_ordered() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let bob = login(&app, "bob").await;
    let carol = login(&app, "carol").await;
    let body = json!({"title": "t", "description": "", "is_time_independent": true});
    let reply = post_event(&app, &alice, &body).await;
    let eid = id(&reply.body, "id");
    seed_invite(&app, &eid, &bob, "tentative", "moderator", 10).await;
    seed_invite(&app, &eid, &carol, "pending", "user", 5).await;
    let sql = "INSERT INTO event_email_invites (event_id, email, created_by, created_at, role) \
               SELECT id, 'dave@example.org', created_by, now(), 'guest'::email_invite_role \
               FROM events WHERE id::text = $1";
    assert_eq!(execute(&app, sql, &eid).await, 1);

    let (status, all) = get(&app, &alice, &eid, "?invitees_max=10").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(all["invitees_truncated"], false);
    let bob_email = all["invitees"][1]["profile"]["email"]
        .as_str()
        .unwrap()
        .to_owned();
    let carol_email = all["invitees"][0]["profile"]["email"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        emails_of(&all),
        [
            carol_email.clone(),
            bob_email.clone(),
            "dave@example.org".into()
        ]
    );
    let carol_entry = &all["invitees"][0];
    assert_eq!(carol_entry["status"], "pending");
    assert_eq!(carol_entry["profile"]["kind"], "registered");
    assert_eq!(carol_entry["profile"]["role"], "user");
    assert_eq!(carol_entry["profile"]["id"], carol.id.to_string());
    assert_eq!(all["invitees"][1]["status"], "tentative");
    assert_eq!(all["invitees"][1]["profile"]["role"], "moderator");
    let dave = &all["invitees"][2];
    assert_eq!(dave["status"], "pending");
    assert_eq!(dave["profile"]["kind"], "email");
    assert!(
        dave["profile"]["avatar_url"]
            .as_str()
            .unwrap()
            .starts_with("http")
    );

    for (max, expected, truncated) in [
        ("0", vec![], true),
        ("1", vec![carol_email.clone()], true),
        ("2", vec![carol_email.clone(), bob_email.clone()], true),
        (
            "3",
            vec![
                carol_email.clone(),
                bob_email.clone(),
                "dave@example.org".into(),
            ],
            false,
        ),
    ] {
        let (status, event) = get(&app, &alice, &eid, &format!("?invitees_max={max}")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(emails_of(&event), expected, "max {max}");
        assert_eq!(event["invitees_truncated"], truncated, "max {max}");
    }
    // PATCH answers with the same list.
    let path = format!("/events/{eid}?invitees_max=1");
    let reply = call(
        &app,
        Method::PATCH,
        &path,
        alice.auth(),
        Some(r#"{"title": "u"}"#),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(emails_of(&reply.body), [carol_email]);
    // Bad values are query errors.
    for query in [
        "?invitees_max=-1",
        "?invitees_max=x",
        "?invitees_max=4294967296",
    ] {
        let (status, body) = get(&app, &alice, &eid, query).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("bad_request"))
        );
    }

    // An invitee sees their own status and cannot edit.
    let event: EventId = eid.parse::<Uuid>().unwrap().into();
    grant(&app, event_read(&Subject::User(bob.id), event)).await;
    let (status, seen) = get(&app, &bob, &eid, "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(seen["invite_status"], "tentative");
    assert_eq!(seen["can_edit"], false);
}
