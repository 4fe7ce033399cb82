//! `GET /v1/users/me/pending_invites` end to end (api.md §7.2, rules.md
//! §7.10, R-24: upstream never routes it, Conclave does).

#[path = "meeting_extras_support/setup.rs"]
mod setup;

use conclave_db::models::user::User;
use conclave_domain::invite::EventInviteStatus;
use conclave_e2e::{Auth, assert_conforms, call, login};
use conclave_e2e::{rows, spawn_app};
use reqwest::Method;
use serde_json::json;
use setup::{invite, meeting};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn counts_only_the_callers_pending_user_invites() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let bob = login(&app, "bob").await;
    let carol = login(&app, "carol").await;
    let path = "/users/me/pending_invites";

    let none = call(&app, Method::GET, path, bob.auth(), None).await;
    assert_eq!(none.status.as_u16(), 200);
    assert_eq!(none.body, json!({"total_pending_invites": 0}));

    let statuses = [
        EventInviteStatus::Pending,
        EventInviteStatus::Pending,
        EventInviteStatus::Accepted,
        EventInviteStatus::Declined,
        EventInviteStatus::Tentative,
    ];
    for status in statuses {
        let m = meeting(&app, &alice).await;
        invite(&app, m, &alice, &bob, status).await;
    }
    // Carol's pending invite is not bob's; an email invite to bob's address
    // is not counted either.
    let other = meeting(&app, &alice).await;
    invite(&app, other, &alice, &carol, EventInviteStatus::Pending).await;
    let mut conn = app.db.connect().await;
    let bob_email = User::get(&mut conn, bob.id).await.unwrap().email;
    rows::insert_email_invite(&mut conn, other.event, &bob_email, alice.id).await;

    let bobs = call(&app, Method::GET, path, bob.auth(), None).await;
    assert_eq!(bobs.status.as_u16(), 200);
    assert_eq!(bobs.body, json!({"total_pending_invites": 2}));
    assert_conforms("GET", path, 200, &bobs.body);
    let carols = call(&app, Method::GET, path, carol.auth(), None).await;
    assert_eq!(carols.body, json!({"total_pending_invites": 1}));
    let alices = call(&app, Method::GET, path, alice.auth(), None).await;
    assert_eq!(alices.body, json!({"total_pending_invites": 0}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn needs_authentication_and_takes_no_other_method() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let path = "/users/me/pending_invites";
    let anonymous = call(&app, Method::GET, path, Auth::Anonymous, None).await;
    assert_eq!(anonymous.answer(), (401, Some("unauthorized")));
    let bad_token = call(&app, Method::GET, path, Auth::Bearer("not-a-jwt"), None).await;
    assert_eq!(bad_token.status.as_u16(), 401);
    // The default role rule grants GET only.
    for method in [Method::POST, Method::PUT, Method::DELETE] {
        let result = call(&app, method.clone(), path, alice.auth(), None).await;
        assert_eq!(result.answer(), (403, Some("forbidden")), "{method}");
    }
}
