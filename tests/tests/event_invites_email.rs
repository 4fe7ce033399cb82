//! Email invitations and the invitee list end to end (rules.md §7.5,
//! §7.6, §7.7, §7.11, R-20, R-33): the setting for external addresses, the
//! email-invite row and room invite code, addresses of registered users,
//! role changes and removal by address, and paging over both kinds.

#[path = "event_invites_support/helpers.rs"]
mod helpers;

use conclave_e2e::{call, count, login};
use conclave_e2e::{spawn_app, spawn_app_with};
use helpers::{
    assert_invitees_conform, assert_post_conforms, emails, invite, new_event, req, view,
};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn external_addresses_need_the_setting() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let (event, _) = new_event(&app, &alice).await;
    let reply = invite(&app, &alice, &event, json!({"email": "ext@example.net"})).await;
    assert_eq!(reply.error(), (StatusCode::CONFLICT, Some("unknown_email")));
    let sql = "SELECT count(*) AS n FROM event_email_invites WHERE event_id::text = $1";
    assert_eq!(count(&app, sql, &event).await, 0);
    for body in [
        json!({"email": "not an address"}),
        json!({"email": "a@b.c", "role": "user"}),
    ] {
        let reply = invite(&app, &alice, &event, body).await;
        assert_eq!(
            reply.error(),
            (StatusCode::BAD_REQUEST, Some("invalid_json"))
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_invites_create_rows_codes_and_user_invites() {
    let app = spawn_app_with(|s| s.endpoints.event_invite_external_email_address = true).await;
    let alice = login(&app, "alice").await;
    let bob = login(&app, "bob").await;
    let (event, room) = new_event(&app, &alice).await;
    let codes = "SELECT count(*) AS n FROM invites WHERE active AND room::text = $1";

    let reply = invite(&app, &alice, &event, json!({"email": "Ext@Example.NET"})).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_post_conforms(&reply.body);
    let row = "SELECT count(*) AS n FROM event_email_invites WHERE email = 'ext@example.net' \
               AND role = 'guest' AND event_id::text = $1";
    assert_eq!(count(&app, row, &event).await, 1);
    assert_eq!(count(&app, codes, &room).await, 1);
    let guest_rules = "SELECT count(*) AS n FROM casbin_rule r JOIN invites i \
                       ON r.v0 = 'invite::' || i.id WHERE i.room::text = $1";
    assert_eq!(count(&app, guest_rules, &room).await, 2);
    let again = invite(
        &app,
        &alice,
        &event,
        json!({"email": "ext@example.net", "role": "moderator"}),
    )
    .await;
    assert_eq!(again.status, StatusCode::NO_CONTENT);
    assert_eq!(count(&app, codes, &room).await, 1);
    // Without mails each new external address still gets its own code.
    let quiet = "?suppress_email_notification=true";
    let body = json!({"email": "other@example.net"}).to_string();
    let path = format!("/events/{event}/invites{quiet}");
    let reply = call(&app, Method::POST, &path, alice.auth(), Some(&body)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(count(&app, codes, &room).await, 2);

    // A registered address becomes a user invite with the mapped role.
    let bob_mail = json!({"email": "BOB@example.org", "role": "moderator"});
    let reply = invite(&app, &alice, &event, bob_mail).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let mut conn = app.db.connect().await;
    let rows = conclave_e2e::rows::event_invites_of(&mut conn, bob.id).await;
    assert_eq!(rows[0].2, "moderator");
    assert_eq!(view(&app, &bob, &event).await.0, StatusCode::OK);
    let alice_mail = invite(&app, &alice, &event, json!({"email": "alice@example.org"})).await;
    assert_eq!(alice_mail.status, StatusCode::NO_CONTENT);

    // Role change and removal by address.
    let email = |e: &str, role: Value| json!({"email": e, "role": role});
    let patch = req(
        &app,
        &alice,
        Method::PATCH,
        &event,
        "/invites/email",
        Some(email("ext@example.net", json!("moderator"))),
    )
    .await;
    assert_eq!(patch.status, StatusCode::NO_CONTENT, "{}", patch.body);
    let moderated = row.replace("'guest'", "'moderator'");
    assert_eq!(count(&app, &moderated, &event).await, 1);
    let null_role = req(
        &app,
        &alice,
        Method::PATCH,
        &event,
        "/invites/email",
        Some(email("ext@example.net", Value::Null)),
    )
    .await;
    assert_eq!(null_role.status, StatusCode::NO_CONTENT);
    assert_eq!(count(&app, &moderated, &event).await, 1);
    let unknown = req(
        &app,
        &alice,
        Method::PATCH,
        &event,
        "/invites/email",
        Some(email("no@example.net", json!("guest"))),
    )
    .await;
    assert_eq!(unknown.error(), (StatusCode::NOT_FOUND, Some("not_found")));

    let body = json!({"email": "ext@example.net"});
    let gone = req(
        &app,
        &alice,
        Method::DELETE,
        &event,
        "/invites/email",
        Some(body.clone()),
    )
    .await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT, "{}", gone.body);
    assert_eq!(count(&app, &moderated, &event).await, 0);
    // The code created for the address stays active.
    assert_eq!(count(&app, codes, &room).await, 2);
    let twice = req(
        &app,
        &alice,
        Method::DELETE,
        &event,
        "/invites/email",
        Some(body),
    )
    .await;
    assert_eq!(twice.error(), (StatusCode::NOT_FOUND, Some("not_found")));
    let bob_gone = req(
        &app,
        &alice,
        Method::DELETE,
        &event,
        "/invites/email",
        Some(json!({"email": "bob@example.org"})),
    )
    .await;
    assert_eq!(bob_gone.status, StatusCode::NO_CONTENT);
    assert_eq!(view(&app, &bob, &event).await.0, StatusCode::FORBIDDEN);
    let bad = req(
        &app,
        &alice,
        Method::DELETE,
        &event,
        "/invites/email",
        Some(json!({"email": 5})),
    )
    .await;
    assert_eq!(bad.error(), (StatusCode::BAD_REQUEST, Some("invalid_json")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_list_pages_over_both_kinds() {
    let app = spawn_app_with(|s| s.endpoints.event_invite_external_email_address = true).await;
    let alice = login(&app, "alice").await;
    let (event, _) = new_event(&app, &alice).await;
    for sub in ["bob", "carol", "dave"] {
        let who = login(&app, sub).await;
        invite(&app, &alice, &event, json!({"invitee": who.id})).await;
        if sub == "carol" {
            req(&app, &who, Method::PATCH, &event, "/invite", None).await;
        }
    }
    for address in ["x@example.net", "y@example.net"] {
        invite(&app, &alice, &event, json!({"email": address})).await;
    }
    // Newest first within each kind: registered, then email invites.
    let all = ["dave", "carol", "bob"].map(|s| format!("{s}@example.org"));
    let mut expected: Vec<&str> = all.iter().map(String::as_str).collect();
    expected.extend(["y@example.net", "x@example.net"]);

    let full = req(&app, &alice, Method::GET, &event, "/invites", None).await;
    assert_eq!(full.status, StatusCode::OK);
    assert_invitees_conform(&full.body);
    assert_eq!(emails(&full.body), expected);
    assert_eq!(full.body[1]["status"], "accepted");
    assert_eq!(full.body[4]["profile"]["kind"], "email");
    assert_eq!(full.link(), "");

    let mut paged = Vec::new();
    for page in 1..=3 {
        let query = format!("/invites?per_page=2&page={page}");
        let reply = req(&app, &alice, Method::GET, &event, &query, None).await;
        assert_eq!(
            reply.link().contains("rel=\"next\""),
            page < 3,
            "{}",
            reply.link()
        );
        paged.extend(emails(&reply.body).into_iter().map(str::to_owned));
    }
    assert_eq!(paged, expected);

    let cases: [(&str, &[&str]); 3] = [
        ("accepted", &["carol@example.org"]),
        (
            "pending",
            &[
                "dave@example.org",
                "bob@example.org",
                "y@example.net",
                "x@example.net",
            ],
        ),
        ("declined", &[]),
    ];
    for (status, want) in cases {
        let query = format!("/invites?status={status}");
        let reply = req(&app, &alice, Method::GET, &event, &query, None).await;
        assert_eq!(emails(&reply.body), want, "{status}");
    }
    let last = req(
        &app,
        &alice,
        Method::GET,
        &event,
        "/invites?status=pending&per_page=3&page=2",
        None,
    )
    .await;
    assert_eq!(emails(&last.body), ["x@example.net"]);
    assert!(last.link().contains("rel=\"first\""));

    for query in ["?per_page=0", "?per_page=101", "?page=0", "?status=maybe"] {
        let reply = req(
            &app,
            &alice,
            Method::GET,
            &event,
            &format!("/invites{query}"),
            None,
        )
        .await;
        assert_eq!(
            reply.error(),
            (StatusCode::BAD_REQUEST, Some("bad_request")),
            "{query}"
        );
    }
}
