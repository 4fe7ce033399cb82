//! `GET|PUT|DELETE /v1/events/{event_id}/shared_folder` end to end
//! (api.md §7.11, rules.md §16, A-15), without a provider and with a fake
//! one plugged into the state.

#[path = "meeting_extras_support/setup.rs"]
mod setup;

use conclave_db::models::event_shared_folder::{EventSharedFolder, NewEventSharedFolder};
use conclave_domain::access::create_event;
use conclave_domain::ids::{EventId, RoomId};
use conclave_domain::invite::EventInviteStatus;
use conclave_e2e::folders::app_with_fake_folders;
use conclave_e2e::{Auth, assert_conforms, call, login};
use conclave_e2e::{TestApp, spawn_app};
use reqwest::Method;
use serde_json::json;
use setup::{invite, meeting};

fn folder_path(event: impl std::fmt::Display) -> String {
    format!("/events/{event}/shared_folder")
}

/// A stored folder row for `event` (as an earlier provider would leave it).
async fn store_folder(app: &TestApp, event: EventId, path: &str) {
    let mut conn = app.db.connect().await;
    NewEventSharedFolder {
        event_id: event,
        path: path.to_owned(),
        write_share_id: "w1".into(),
        write_url: "https://cloud.example.com/s/w1".into(),
        write_password: "wpw".into(),
        read_share_id: "r1".into(),
        read_url: "https://cloud.example.com/s/r1".into(),
        read_password: "rpw".into(),
    }
    .insert(&mut conn)
    .await
    .expect("insert folder");
}

async fn stored(app: &TestApp, event: EventId) -> Option<EventSharedFolder> {
    let mut conn = app.db.connect().await;
    EventSharedFolder::find(&mut conn, event).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_shows_read_write_only_to_the_creator() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let bob = login(&app, "bob").await;
    let m = meeting(&app, &alice).await;
    invite(&app, m, &alice, &bob, EventInviteStatus::Pending).await;
    let path = folder_path(m.event);
    let missing = call(&app, Method::GET, &path, alice.auth(), None).await;
    assert_eq!(missing.answer(), (404, Some("not_found")));
    store_folder(&app, m.event, "opentalk/x").await;
    let read = json!({"url": "https://cloud.example.com/s/r1", "password": "rpw"});
    let write = json!({"url": "https://cloud.example.com/s/w1", "password": "wpw"});
    let creator = call(&app, Method::GET, &path, alice.auth(), None).await;
    assert_eq!(creator.status.as_u16(), 200);
    assert_eq!(creator.body, json!({"read": read, "read_write": write}));
    let invitee = call(&app, Method::GET, &path, bob.auth(), None).await;
    assert_eq!(invitee.status.as_u16(), 200);
    assert_eq!(invitee.body, json!({"read": read}), "no read_write key");
    for body in [&creator.body, &invitee.body] {
        assert_conforms("GET", "/events/{event_id}/shared_folder", 200, body);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_provider_writes_are_bad_requests() {
    let app = spawn_app().await;
    let alice = login(&app, "alice").await;
    let m = meeting(&app, &alice).await;
    let path = folder_path(m.event);
    let put = call(&app, Method::PUT, &path, alice.auth(), None).await;
    assert_eq!(put.answer(), (400, Some("bad_request")));
    assert_eq!(
        put.body["message"],
        "No shared folder configured for this server"
    );
    assert!(stored(&app, m.event).await.is_none());
    // Nothing to delete: 204 whatever the configuration.
    let nothing = call(&app, Method::DELETE, &path, alice.auth(), None).await;
    assert_eq!(nothing.status.as_u16(), 204);
    // An existing row is returned by PUT, but cannot be deleted.
    store_folder(&app, m.event, "opentalk/x").await;
    let existing = call(&app, Method::PUT, &path, alice.auth(), None).await;
    assert_eq!(existing.status.as_u16(), 200);
    assert_eq!(existing.body["read_write"]["password"], "wpw");
    let delete = call(&app, Method::DELETE, &path, alice.auth(), None).await;
    assert_eq!(delete.answer(), (400, Some("bad_request")));
    assert!(stored(&app, m.event).await.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn put_creates_once_and_delete_removes_at_the_provider() {
    let (app, fake) = app_with_fake_folders().await;
    let alice = login(&app, "alice").await;
    let bob = login(&app, "bob").await;
    let m = meeting(&app, &alice).await;
    invite(&app, m, &alice, &bob, EventInviteStatus::Accepted).await;
    let path = folder_path(m.event);
    let created = call(&app, Method::PUT, &path, alice.auth(), None).await;
    assert_eq!(created.status.as_u16(), 200, "A-15: 200 when created");
    let url = |kind: &str| format!("https://cloud.example.com/s/{kind}-{}", m.event);
    assert_eq!(
        created.body,
        json!({"read": {"url": url("ro"), "password": "pw-ro"},
               "read_write": {"url": url("rw"), "password": "pw-rw"}})
    );
    let again = call(
        &app,
        Method::PUT,
        &format!("{path}?suppress_email_notification=true"),
        alice.auth(),
        None,
    )
    .await;
    assert_eq!(again.status.as_u16(), 200, "A-15: 200 when present");
    assert_eq!(again.body, created.body);
    assert_conforms(
        "PUT",
        "/events/{event_id}/shared_folder",
        200,
        &created.body,
    );
    assert_eq!(*fake.created.lock().unwrap(), vec![m.event], "created once");
    let row = stored(&app, m.event).await.expect("row");
    assert_eq!(row.path, format!("opentalk/opentalk-event-{}", m.event));
    let seen = call(&app, Method::GET, &path, bob.auth(), None).await;
    assert_eq!(
        seen.body,
        json!({"read": {"url": url("ro"), "password": "pw-ro"}})
    );

    let deleted = call(&app, Method::DELETE, &path, alice.auth(), None).await;
    assert_eq!(deleted.status.as_u16(), 204);
    assert!(stored(&app, m.event).await.is_none());
    let removed = fake.deleted.lock().unwrap().clone();
    assert_eq!(removed.len(), 1);
    assert_eq!(removed[0].path, row.path);
    assert_eq!(removed[0].read_share_id, format!("ro-{}", m.event));
    let twice = call(&app, Method::DELETE, &path, alice.auth(), None).await;
    assert_eq!(twice.status.as_u16(), 204);
    assert_eq!(
        fake.deleted.lock().unwrap().len(),
        1,
        "nothing left to delete"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn provider_failures_are_500_unless_deletion_is_forced() {
    let (app, fake) = app_with_fake_folders().await;
    let alice = login(&app, "alice").await;
    let m = meeting(&app, &alice).await;
    let path = folder_path(m.event);
    fake.set_failing(true);
    let put = call(&app, Method::PUT, &path, alice.auth(), None).await;
    assert_eq!(put.answer(), (500, Some("internal_server_error")));
    assert!(stored(&app, m.event).await.is_none());

    store_folder(&app, m.event, "opentalk/x").await;
    let refused = call(&app, Method::DELETE, &path, alice.auth(), None).await;
    assert_eq!(refused.answer(), (500, Some("internal_server_error")));
    assert!(stored(&app, m.event).await.is_some(), "row kept");
    let forced = format!("{path}?force_delete_reference_if_shared_folder_deletion_fails=true");
    let done = call(&app, Method::DELETE, &forced, alice.auth(), None).await;
    assert_eq!(done.status.as_u16(), 204);
    assert!(stored(&app, m.event).await.is_none(), "row removed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn root_like_paths_are_never_handed_to_the_provider() {
    let (app, fake) = app_with_fake_folders().await;
    let alice = login(&app, "alice").await;
    let m = meeting(&app, &alice).await;
    let path = folder_path(m.event);
    store_folder(&app, m.event, "/").await;
    let refused = call(&app, Method::DELETE, &path, alice.auth(), None).await;
    assert_eq!(refused.answer(), (500, Some("internal_server_error")));
    assert!(fake.deleted.lock().unwrap().is_empty());
    let forced = format!("{path}?force_delete_reference_if_shared_folder_deletion_fails=true");
    assert_eq!(
        call(&app, Method::DELETE, &forced, alice.auth(), None)
            .await
            .status
            .as_u16(),
        204
    );
    assert!(fake.deleted.lock().unwrap().is_empty());
    assert!(stored(&app, m.event).await.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn access_rules_bad_ids_and_bad_queries() {
    let (app, fake) = app_with_fake_folders().await;
    let alice = login(&app, "alice").await;
    let bob = login(&app, "bob").await;
    let mallory = login(&app, "mallory").await;
    let m = meeting(&app, &alice).await;
    invite(&app, m, &alice, &bob, EventInviteStatus::Accepted).await;
    let path = folder_path(m.event);
    for method in [Method::GET, Method::PUT, Method::DELETE] {
        let foreign = call(&app, method.clone(), &path, mallory.auth(), None).await;
        assert_eq!(
            foreign.answer(),
            (403, Some("forbidden")),
            "{method} foreign"
        );
        let anonymous = call(&app, method.clone(), &path, Auth::Anonymous, None).await;
        assert_eq!(
            anonymous.answer(),
            (401, Some("unauthorized")),
            "{method} anon"
        );
        for bad in ["not-a-uuid", "42", &uuid::Uuid::new_v4().to_string()] {
            let result = call(&app, method.clone(), &folder_path(bad), alice.auth(), None).await;
            assert_eq!(result.answer(), (403, Some("forbidden")), "{method} {bad}");
        }
    }
    // Invitees may read but not write (event write is the creator's).
    for method in [Method::PUT, Method::DELETE] {
        let invitee = call(&app, method.clone(), &path, bob.auth(), None).await;
        assert_eq!(
            invitee.answer(),
            (403, Some("forbidden")),
            "{method} invitee"
        );
    }
    let wrong_type = format!("{path}?suppress_email_notification=maybe");
    let bad_query = call(&app, Method::PUT, &wrong_type, alice.auth(), None).await;
    assert_eq!(bad_query.answer(), (400, Some("bad_request")));
    let wrong_force = format!("{path}?force_delete_reference_if_shared_folder_deletion_fails=1x");
    let bad_force = call(&app, Method::DELETE, &wrong_force, alice.auth(), None).await;
    assert_eq!(bad_force.answer(), (400, Some("bad_request")));
    assert!(fake.created.lock().unwrap().is_empty());
    assert!(stored(&app, m.event).await.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_events_and_disabled_creators_are_not_found() {
    let (app, fake) = app_with_fake_folders().await;
    let alice = login(&app, "alice").await;
    let ghost = EventId::from(uuid::Uuid::new_v4());
    let room = RoomId::from(uuid::Uuid::new_v4());
    app.state
        .authz
        .apply(&create_event(alice.id, ghost, room))
        .await
        .unwrap();
    for method in [Method::GET, Method::PUT, Method::DELETE] {
        let result = call(
            &app,
            method.clone(),
            &folder_path(ghost),
            alice.auth(),
            None,
        )
        .await;
        assert_eq!(result.answer(), (404, Some("not_found")), "{method} ghost");
    }
    let bob = login(&app, "bob").await;
    let m = meeting(&app, &bob).await;
    store_folder(&app, m.event, "opentalk/x").await;
    setup::disable(&app, bob.id).await;
    // Bob's token keeps working for the ACL, but his events are hidden.
    invite(&app, m, &bob, &alice, EventInviteStatus::Accepted).await;
    let hidden = call(&app, Method::GET, &folder_path(m.event), alice.auth(), None).await;
    assert_eq!(hidden.answer(), (404, Some("not_found")));
    assert!(fake.created.lock().unwrap().is_empty());
}
