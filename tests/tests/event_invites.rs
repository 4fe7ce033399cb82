//! Event invitations end to end (rules.md §7.3–§7.7, §7.11, api.md §7.10):
//! inviting users and addresses, answers, role changes, removal with its
//! access and favourite effects, the paged invitee list
//! and the documented errors, checked against the upstream schemas.

#[path = "rooms_support/http.rs"]
mod http;

use conclave_domain::access::Subject;
use conclave_domain::access::grants::{event_invitee, event_read, event_write};
use conclave_domain::ids::EventId;
use conclave_e2e::schema::{Declared, OpenApiDoc};
use conclave_e2e::{TestApp, spawn_app, spawn_app_with};
use http::{Person, Reply, call, count, execute, grant, id, login};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

/// Alice's new time-independent event: (event id, room id).
async fn new_event(app: &TestApp, alice: &Person) -> (String, String) {
    let body = json!({"title": "Sync", "description": "", "is_time_independent": true});
    let reply = call(
        app,
        Method::POST,
        "/events",
        alice.auth(),
        Some(&body.to_string()),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    (id(&reply.body, "id"), id(&reply.body["room"], "id"))
}

/// `method /events/{event}{suffix}` with an optional JSON body.
async fn req(
    app: &TestApp,
    who: &Person,
    method: Method,
    event: &str,
    suffix: &str,
    body: Option<Value>,
) -> Reply {
    let path = format!("/events/{event}{suffix}");
    let text = body.map(|b| b.to_string());
    call(app, method, &path, who.auth(), text.as_deref()).await
}

/// `POST /events/{event}/invites` with `body`.
async fn invite(app: &TestApp, who: &Person, event: &str, body: Value) -> Reply {
    req(app, who, Method::POST, event, "/invites", Some(body)).await
}

/// The caller's view of the event: (status, `invite_status`).
async fn view(app: &TestApp, who: &Person, event: &str) -> (StatusCode, Value) {
    let reply = req(app, who, Method::GET, event, "", None).await;
    (reply.status, reply.body["invite_status"].clone())
}

/// How many rules of `who` mention the event or its room.
async fn rules_on(app: &TestApp, who: &Person, event: &str, room: &str) -> i64 {
    let sql = format!(
        "SELECT count(*) AS n FROM casbin_rule WHERE v0 = 'user::{}' \
         AND (v1 LIKE '%' || $1 || '%' OR v1 LIKE '%{room}%')",
        who.id
    );
    count(app, &sql, event).await
}

/// Schema violations of `body` against `schema` of the upstream document.
fn problems(doc: &OpenApiDoc, schema: &Value, body: &Value) -> Vec<String> {
    let mut found = doc.validate(schema, body).expect("schema compiles");
    found.extend(doc.undeclared(schema, body));
    found.into_iter().map(|p| format!("{p:?}")).collect()
}

/// The 201 body of `POST /events/{id}/invites` conforms to the document.
fn assert_post_conforms(body: &Value) {
    let doc = OpenApiDoc::load().unwrap_or_else(|e| panic!("{e}"));
    let Declared::Schema { schema, .. } = doc.declared("post", "/events/{event_id}/invites", 201)
    else {
        panic!("POST invites declares no 201 schema");
    };
    let found = problems(&doc, &schema, body);
    assert!(found.is_empty(), "{found:?}\n{body}");
    assert!(!problems(&doc, &schema, &json!([{"id": 1}])).is_empty());
}

/// Every list entry is an upstream `EventInvitee` (the document's 200
/// schema of the list is a slip, A-13).
fn assert_invitees_conform(list: &Value) {
    let doc = OpenApiDoc::load().unwrap_or_else(|e| panic!("{e}"));
    let schema = doc.component("EventInvitee").expect("EventInvitee");
    for entry in list.as_array().expect("array") {
        let found = problems(&doc, &schema, entry);
        assert!(found.is_empty(), "{found:?}\n{entry}");
    }
    let broken = json!({"profile": {"kind": "email"}, "status": "pending"});
    assert!(!problems(&doc, &schema, &broken).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inviting_a_user_grants_access_once() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let bob = login(&app, "bob").await;
    let (event, room) = new_event(&app, &alice).await;
    assert_eq!(view(&app, &bob, &event).await.0, StatusCode::FORBIDDEN);

    let first = invite(&app, &alice, &event, json!({"invitee": bob.id})).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    assert_post_conforms(&first.body);
    assert_eq!(first.body[0]["id"], event.as_str());
    assert_eq!(first.body[0]["invitees"], json!([]));
    assert_eq!(
        view(&app, &bob, &event).await,
        (StatusCode::OK, json!("pending"))
    );
    assert_eq!(rules_on(&app, &bob, &event, &room).await, 15);
    let mut conn = app.db.connect().await;
    let rows = conclave_e2e::rows::event_invites_of(&mut conn, bob.id).await;
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].1, rows[0].2.as_str()), (alice.id, "user"));

    // Twice, or the creator: 204 and nothing stored.
    let again = invite(
        &app,
        &alice,
        &event,
        json!({"invitee": bob.id, "role": "moderator"}),
    )
    .await;
    assert_eq!(
        (again.status, again.body.clone()),
        (StatusCode::NO_CONTENT, Value::Null)
    );
    let me = invite(&app, &alice, &event, json!({"invitee": alice.id})).await;
    assert_eq!(me.status, StatusCode::NO_CONTENT);
    let rows = conclave_e2e::rows::event_invites_of(&mut conn, bob.id).await;
    assert_eq!((rows.len(), rows[0].2.as_str()), (1, "user"));
    let count_sql = "SELECT count(*) AS n FROM event_invites WHERE event_id::text = $1";
    assert_eq!(count(&app, count_sql, &event).await, 1);

    // Unknown and disabled users are 404; the invitee may not invite.
    let ghost = invite(&app, &alice, &event, json!({"invitee": Uuid::new_v4()})).await;
    assert_eq!(ghost.error(), (StatusCode::NOT_FOUND, Some("not_found")));
    let carol = login(&app, "carol").await;
    let sql = "UPDATE users SET disabled_since = now() WHERE id::text = $1";
    execute(&app, sql, &carol.id.to_string()).await;
    let disabled = invite(&app, &alice, &event, json!({"invitee": carol.id})).await;
    assert_eq!(disabled.status, StatusCode::NOT_FOUND);
    let by_bob = invite(&app, &bob, &event, json!({"invitee": alice.id})).await;
    assert_eq!(by_bob.error(), (StatusCode::FORBIDDEN, Some("forbidden")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_overwrite_the_status_and_keep_access() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let bob = login(&app, "bob").await;
    let carol = login(&app, "carol").await;
    let (event, room) = new_event(&app, &alice).await;
    invite(&app, &alice, &event, json!({"invitee": bob.id})).await;

    for (method, status) in [
        (Method::PATCH, "accepted"),
        (Method::DELETE, "declined"),
        (Method::DELETE, "declined"),
        (Method::PATCH, "accepted"),
        (Method::DELETE, "declined"),
    ] {
        let reply = req(&app, &bob, method.clone(), &event, "/invite", None).await;
        assert_eq!(
            reply.status,
            StatusCode::NO_CONTENT,
            "{method} {}",
            reply.body
        );
        // Declining removes no access (rules.md §7.3).
        assert_eq!(
            view(&app, &bob, &event).await,
            (StatusCode::OK, json!(status))
        );
    }
    assert_eq!(rules_on(&app, &bob, &event, &room).await, 15);
    // Re-inviting a declined invitee is 204 and keeps `declined`.
    let again = invite(&app, &alice, &event, json!({"invitee": bob.id})).await;
    assert_eq!(again.status, StatusCode::NO_CONTENT);
    assert_eq!(view(&app, &bob, &event).await.1, json!("declined"));

    // Without the invitee rule the ACL answers; with it but no row, 404.
    let denied = req(&app, &carol, Method::PATCH, &event, "/invite", None).await;
    assert_eq!(denied.error(), (StatusCode::FORBIDDEN, Some("forbidden")));
    let eid = EventId::from(Uuid::parse_str(&event).unwrap());
    grant(&app, event_invitee(&Subject::User(carol.id), eid)).await;
    for method in [Method::PATCH, Method::DELETE] {
        let reply = req(&app, &carol, method, &event, "/invite", None).await;
        assert_eq!(reply.error(), (StatusCode::NOT_FOUND, Some("not_found")));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn removal_revokes_the_invitee_not_the_remover() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let bob = login(&app, "bob").await;
    let (event, room) = new_event(&app, &alice).await;
    invite(&app, &alice, &event, json!({"invitee": bob.id})).await;
    for who in [&alice, &bob] {
        let path = format!("/users/me/event_favorites/{event}");
        let reply = call(&app, Method::PUT, &path, who.auth(), None).await;
        assert_eq!(reply.status, StatusCode::CREATED);
    }

    let path = format!("/invites/{}", bob.id);
    let removed = req(&app, &alice, Method::DELETE, &event, &path, None).await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT, "{}", removed.body);
    assert_eq!(view(&app, &bob, &event).await.0, StatusCode::FORBIDDEN);
    assert_eq!(rules_on(&app, &bob, &event, &room).await, 0);
    let favorites = "SELECT count(*) AS n FROM event_favorites WHERE event_id::text = $1";
    let sql = format!("{favorites} AND user_id = '{}'", bob.id);
    assert_eq!(count(&app, &sql, &event).await, 0);
    let sql = format!("{favorites} AND user_id = '{}'", alice.id);
    assert_eq!(count(&app, &sql, &event).await, 1);
    let get = req(&app, &alice, Method::GET, &event, "", None).await;
    assert_eq!(
        (get.status, get.body["is_favorite"].clone()),
        (StatusCode::OK, json!(true))
    );

    let twice = req(&app, &alice, Method::DELETE, &event, &path, None).await;
    assert_eq!(twice.error(), (StatusCode::NOT_FOUND, Some("not_found")));
    // Re-inviting after removal starts over as pending.
    let back = invite(&app, &alice, &event, json!({"invitee": bob.id})).await;
    assert_eq!(back.status, StatusCode::CREATED);
    assert_eq!(
        view(&app, &bob, &event).await,
        (StatusCode::OK, json!("pending"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_creator_changes_roles() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let bob = login(&app, "bob").await;
    let dave = login(&app, "dave").await;
    let (event, _) = new_event(&app, &alice).await;
    invite(&app, &alice, &event, json!({"invitee": bob.id})).await;
    let path = format!("/invites/{}", bob.id);

    let role = json!({"role": "moderator"});
    let ok = req(
        &app,
        &alice,
        Method::PATCH,
        &event,
        &path,
        Some(role.clone()),
    )
    .await;
    assert_eq!(ok.status, StatusCode::NO_CONTENT, "{}", ok.body);
    let list = req(&app, &alice, Method::GET, &event, "/invites", None).await;
    assert_eq!(list.body[0]["profile"]["role"], "moderator");
    let none = req(&app, &alice, Method::PATCH, &event, &path, Some(json!({}))).await;
    assert_eq!(none.status, StatusCode::NO_CONTENT);

    // The explicit creator check answers even when the ACL lets through.
    let eid = EventId::from(Uuid::parse_str(&event).unwrap());
    grant(&app, event_write(&Subject::User(dave.id), eid)).await;
    let by_dave = req(
        &app,
        &dave,
        Method::PATCH,
        &event,
        &path,
        Some(role.clone()),
    )
    .await;
    assert_eq!(by_dave.error(), (StatusCode::FORBIDDEN, Some("forbidden")));
    let by_bob = req(&app, &bob, Method::PATCH, &event, &path, Some(role.clone())).await;
    assert_eq!(by_bob.status, StatusCode::FORBIDDEN);

    let other = format!("/invites/{}", dave.id);
    let missing = req(&app, &alice, Method::PATCH, &event, &other, Some(role)).await;
    assert_eq!(missing.error(), (StatusCode::NOT_FOUND, Some("not_found")));
    let bad_role = req(
        &app,
        &alice,
        Method::PATCH,
        &event,
        &path,
        Some(json!({"role": "guest"})),
    )
    .await;
    assert_eq!(
        bad_role.error(),
        (StatusCode::BAD_REQUEST, Some("invalid_json"))
    );
    let raw = format!("/events/{event}{path}");
    let broken = call(&app, Method::PATCH, &raw, alice.auth(), Some("{\"role\":")).await;
    assert_eq!(
        broken.error(),
        (StatusCode::BAD_REQUEST, Some("invalid_json"))
    );
    let broken = call(
        &app,
        Method::POST,
        &format!("/events/{event}/invites"),
        alice.auth(),
        Some("["),
    )
    .await;
    assert_eq!(
        broken.error(),
        (StatusCode::BAD_REQUEST, Some("invalid_json"))
    );
}

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
    assert_eq!(count(&app, codes, &room).await, 1);
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

/// The emails of a list page, in order.
fn emails(list: &Value) -> Vec<&str> {
    list.as_array()
        .expect("array")
        .iter()
        .map(|e| e["profile"]["email"].as_str().expect("email"))
        .collect()
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_events_are_404_past_the_acl() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let bob = login(&app, "bob").await;
    let ghost = EventId::from(Uuid::new_v4());
    let me = Subject::User(alice.id);
    let mut rules = event_read(&me, ghost);
    rules.extend(event_write(&me, ghost));
    rules.extend(event_invitee(&me, ghost));
    grant(&app, rules).await;
    let event = Uuid::from(ghost).to_string();
    let user = format!("/invites/{}", bob.id);
    let email = json!({"email": "bob@example.org"});
    let cases = [
        (Method::GET, "/invites", None),
        (Method::POST, "/invites", Some(json!({"invitee": bob.id}))),
        (Method::PATCH, user.as_str(), Some(json!({"role": "user"}))),
        (Method::DELETE, user.as_str(), None),
        (Method::PATCH, "/invites/email", Some(email.clone())),
        (Method::DELETE, "/invites/email", Some(email)),
        (Method::PATCH, "/invite", None),
        (Method::DELETE, "/invite", None),
    ];
    for (method, suffix, body) in cases {
        let reply = req(&app, &alice, method.clone(), &event, suffix, body).await;
        assert_eq!(
            reply.error(),
            (StatusCode::NOT_FOUND, Some("not_found")),
            "{method} {suffix}"
        );
    }
    // A user id that is no UUID is a path error.
    let reply = req(&app, &alice, Method::DELETE, &event, "/invites/nope", None).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
}
