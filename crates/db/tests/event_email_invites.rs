//! Queries of `event_email_invites`, including the migration into user
//! invites at first login.

use chrono::{Duration, Utc};
use conclave_db::models::event::Event;
use conclave_db::models::event_email_invite::{
    ConvertedInvite, EventEmailInvite, NewEventEmailInvite,
};
use conclave_db::models::event_invite::{EventInvite, InviteInsert, NewEventInvite};
use conclave_db::models::user::User;
use conclave_db::paging::PageRequest;
use conclave_db::schema::{event_email_invites, events};
use conclave_db::testing::event_fixtures::event;
use conclave_db::testing::{fixtures, test_transaction};
use conclave_db::{DbConnection, DbError};
use conclave_domain::invite::{EmailInviteRole, EventInviteStatus, InviteRole};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

fn invite(event: &Event, email: &str, by: &User, role: EmailInviteRole) -> NewEventEmailInvite {
    NewEventEmailInvite {
        event_id: event.id,
        email: email.to_owned(),
        created_by: by.id,
        role,
    }
}

#[tokio::test]
async fn insert_read_update_and_delete() {
    let mut conn = test_transaction().await;
    let alice = fixtures::user(&mut conn).await;
    let event = event(&mut conn, &alice).await;
    let new = invite(&event, "guest@example.org", &alice, EmailInviteRole::Guest);
    let row = new.insert(&mut conn).await.unwrap();
    assert_eq!(
        (row.role, row.created_by),
        (EmailInviteRole::Guest, alice.id)
    );
    assert_eq!(
        EventEmailInvite::get(&mut conn, event.id, "guest@example.org")
            .await
            .unwrap(),
        row
    );
    let other = EventEmailInvite::find(&mut conn, event.id, "other@example.org").await;
    assert_eq!(other.unwrap(), None);

    let moderator = EmailInviteRole::Moderator;
    let updated =
        EventEmailInvite::update_role(&mut conn, event.id, "guest@example.org", moderator);
    assert_eq!(updated.await.unwrap().role, EmailInviteRole::Moderator);
    let missing = EventEmailInvite::update_role(&mut conn, event.id, "x@example.org", moderator);
    assert!(matches!(missing.await, Err(DbError::NotFound)));

    let deleted = EventEmailInvite::delete(&mut conn, event.id, "guest@example.org").await;
    assert_eq!(deleted.unwrap().role, EmailInviteRole::Moderator);
    let again = EventEmailInvite::delete(&mut conn, event.id, "guest@example.org").await;
    assert!(matches!(again, Err(DbError::NotFound)));
}

#[tokio::test]
async fn every_role_round_trips() {
    let mut conn = test_transaction().await;
    let alice = fixtures::user(&mut conn).await;
    let event = event(&mut conn, &alice).await;
    for (i, &role) in EmailInviteRole::ALL.iter().enumerate() {
        let email = format!("r{i}@example.org");
        invite(&event, &email, &alice, role)
            .insert(&mut conn)
            .await
            .unwrap();
        assert_eq!(
            EventEmailInvite::get(&mut conn, event.id, &email)
                .await
                .unwrap()
                .role,
            role
        );
    }
    assert_eq!(EmailInviteRole::ALL.len(), 2);
}

#[tokio::test]
async fn addresses_must_be_lower_case() {
    let mut conn = test_transaction().await;
    let alice = fixtures::user(&mut conn).await;
    let event = event(&mut conn, &alice).await;
    let upper = invite(&event, "Guest@Example.org", &alice, EmailInviteRole::Guest);
    match upper.insert(&mut conn).await {
        Err(DbError::CheckViolation { constraint }) => {
            assert_eq!(constraint.as_deref(), Some("check_email_lowercase"))
        }
        other => panic!("expected a check violation, got {other:?}"),
    }
}

#[tokio::test]
async fn one_invite_per_event_and_address() {
    let mut conn = test_transaction().await;
    let alice = fixtures::user(&mut conn).await;
    let event = event(&mut conn, &alice).await;
    let new = invite(&event, "guest@example.org", &alice, EmailInviteRole::Guest);
    let first = new.clone().insert_if_absent(&mut conn).await.unwrap();
    assert!(matches!(first, InviteInsert::Inserted(_)));
    let mut second = new.clone();
    second.role = EmailInviteRole::Moderator;
    assert_eq!(
        second.insert_if_absent(&mut conn).await.unwrap(),
        InviteInsert::AlreadyExists
    );
    let kept = EventEmailInvite::get(&mut conn, event.id, "guest@example.org").await;
    assert_eq!(kept.unwrap().role, EmailInviteRole::Guest);
    match new.insert(&mut conn).await {
        Err(DbError::UniqueViolation { constraint }) => {
            assert_eq!(constraint.as_deref(), Some("event_email_invites_pkey"))
        }
        other => panic!("expected a unique violation, got {other:?}"),
    }
}

#[tokio::test]
async fn lists_page_newest_first() {
    let mut conn = test_transaction().await;
    let alice = fixtures::user(&mut conn).await;
    let event = event(&mut conn, &alice).await;
    for email in ["a@example.org", "c@example.org", "b@example.org"] {
        invite(&event, email, &alice, EmailInviteRole::Guest)
            .insert(&mut conn)
            .await
            .unwrap();
    }
    // Same creator and (transaction) time: the address decides, descending.
    let emails =
        |page: &[EventEmailInvite]| page.iter().map(|i| i.email.clone()).collect::<Vec<_>>();
    let first = EventEmailInvite::list_for_event(&mut conn, event.id, PageRequest::new(1, 2));
    let first = first.await.unwrap();
    assert_eq!(
        (first.total, emails(&first.items)),
        (
            3,
            vec!["c@example.org".to_owned(), "b@example.org".to_owned()]
        )
    );
    let second = EventEmailInvite::list_for_event(&mut conn, event.id, PageRequest::new(2, 2));
    assert_eq!(emails(&second.await.unwrap().items), ["a@example.org"]);

    let older = Utc::now() - Duration::days(1);
    diesel::update(
        event_email_invites::table.filter(event_email_invites::email.eq("c@example.org")),
    )
    .set(event_email_invites::created_at.eq(older))
    .execute(&mut conn)
    .await
    .unwrap();
    let page = EventEmailInvite::list_for_event(&mut conn, event.id, PageRequest::new(1, 3));
    let expected = ["b@example.org", "a@example.org", "c@example.org"];
    assert_eq!(emails(&page.await.unwrap().items), expected, "newest first");
    assert_eq!(
        EventEmailInvite::count_for_event(&mut conn, event.id)
            .await
            .unwrap(),
        3
    );
}

async fn user_in_tenant_of(conn: &mut DbConnection, other: &User) -> User {
    let tariff = fixtures::default_tariff(conn).await;
    fixtures::user_in(conn, other.tenant_id, tariff.id).await
}

#[tokio::test]
async fn email_invites_become_user_invites_within_the_tenant() {
    let mut conn = test_transaction().await;
    let tenant = fixtures::tenant(&mut conn).await;
    let tariff = fixtures::default_tariff(&mut conn).await;
    let alice = fixtures::user_in(&mut conn, tenant.id, tariff.id).await;
    let carol = user_in_tenant_of(&mut conn, &alice).await;
    let stranger = fixtures::user(&mut conn).await;
    let email = "new.user@example.org";
    let guest_event = event(&mut conn, &alice).await;
    let moderated = event(&mut conn, &carol).await;
    let already = event(&mut conn, &alice).await;
    let elsewhere = event(&mut conn, &stranger).await;
    invite(&guest_event, email, &alice, EmailInviteRole::Guest)
        .insert(&mut conn)
        .await
        .unwrap();
    invite(&moderated, email, &carol, EmailInviteRole::Moderator)
        .insert(&mut conn)
        .await
        .unwrap();
    invite(&already, email, &alice, EmailInviteRole::Moderator)
        .insert(&mut conn)
        .await
        .unwrap();
    invite(&elsewhere, email, &stranger, EmailInviteRole::Guest)
        .insert(&mut conn)
        .await
        .unwrap();
    let in_tenant =
        EventEmailInvite::list_by_email_in_tenant(&mut conn, "New.User@example.org", tenant.id);
    assert_eq!(in_tenant.await.unwrap().len(), 3);

    let new_user = fixtures::user_in(&mut conn, tenant.id, tariff.id).await;
    let existing = NewEventInvite::pending(already.id, new_user.id, alice.id, InviteRole::User)
        .insert(&mut conn)
        .await
        .unwrap();
    let converted =
        EventEmailInvite::convert_to_user_invites(&mut conn, email, new_user.id, tenant.id);
    let mut converted = converted.await.unwrap();
    converted.sort_by_key(|c| c.event_id);
    let mut expected: Vec<_> = [&guest_event, &moderated, &already]
        .iter()
        .map(|e| ConvertedInvite {
            event_id: e.id,
            room: e.room,
        })
        .collect();
    expected.sort_by_key(|c| c.event_id);
    assert_eq!(converted, expected);

    let check = |event: &Event, role: InviteRole, by: &User| (event.id, role, by.id);
    for (event_id, role, created_by) in [
        check(&guest_event, InviteRole::User, &alice),
        check(&moderated, InviteRole::Moderator, &carol),
    ] {
        let row = EventInvite::get_for(&mut conn, event_id, new_user.id)
            .await
            .unwrap();
        assert_eq!(
            (row.role, row.created_by, row.status),
            (role, created_by, EventInviteStatus::Pending)
        );
    }
    let kept = EventInvite::get_for(&mut conn, already.id, new_user.id)
        .await
        .unwrap();
    assert_eq!(kept, existing, "an existing user invite is left alone");
    let left = EventEmailInvite::list_by_email_in_tenant(&mut conn, email, tenant.id).await;
    assert!(left.unwrap().is_empty());
    let other_tenant = EventEmailInvite::find(&mut conn, elsewhere.id, email)
        .await
        .unwrap();
    assert!(other_tenant.is_some(), "invites of other tenants stay");
    let nothing =
        EventEmailInvite::convert_to_user_invites(&mut conn, email, new_user.id, tenant.id);
    assert!(nothing.await.unwrap().is_empty());
}

#[tokio::test]
async fn email_invites_cascade_with_the_event() {
    let mut conn = test_transaction().await;
    let alice = fixtures::user(&mut conn).await;
    let event = event(&mut conn, &alice).await;
    invite(&event, "guest@example.org", &alice, EmailInviteRole::Guest)
        .insert(&mut conn)
        .await
        .unwrap();
    diesel::delete(events::table.find(Uuid::from(event.id)))
        .execute(&mut conn)
        .await
        .unwrap();
    let left = EventEmailInvite::find(&mut conn, event.id, "guest@example.org").await;
    assert_eq!(left.unwrap(), None);
}
