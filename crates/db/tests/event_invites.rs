//! Queries of `event_invites`.

use chrono::{Duration, Utc};
use conclave_db::DbError;
use conclave_db::models::event_favorite::EventFavorite;
use conclave_db::models::event_invite::{
    EventInvite, InviteInsert, NewEventInvite, UpdateEventInvite,
};
use conclave_db::models::user::User;
use conclave_db::paging::PageRequest;
use conclave_db::schema::events;
use conclave_db::testing::event_fixtures::event;
use conclave_db::testing::{fixtures, test_transaction};
use conclave_domain::invite::{EventInviteStatus, InviteRole};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

#[tokio::test]
async fn insert_read_update_and_delete() {
    let mut conn = test_transaction().await;
    let alice = fixtures::user(&mut conn).await;
    let bob = fixtures::user(&mut conn).await;
    let event = event(&mut conn, &alice).await;
    let new = NewEventInvite::pending(event.id, bob.id, alice.id, InviteRole::User);
    let invite = new.insert(&mut conn).await.unwrap();
    assert_eq!(
        (invite.status, invite.role),
        (EventInviteStatus::Pending, InviteRole::User)
    );
    assert_eq!((invite.invitee, invite.created_by), (bob.id, alice.id));
    assert_eq!(
        EventInvite::get(&mut conn, invite.id).await.unwrap(),
        invite
    );
    assert_eq!(
        EventInvite::get_for(&mut conn, event.id, bob.id)
            .await
            .unwrap(),
        invite
    );
    assert_eq!(
        EventInvite::find_for(&mut conn, event.id, alice.id)
            .await
            .unwrap(),
        None
    );

    let accept = UpdateEventInvite {
        status: Some(EventInviteStatus::Accepted),
        role: None,
    };
    let accepted = EventInvite::update(&mut conn, event.id, bob.id, accept)
        .await
        .unwrap();
    assert_eq!(
        (accepted.status, accepted.role),
        (EventInviteStatus::Accepted, InviteRole::User)
    );
    let promote = UpdateEventInvite {
        status: None,
        role: Some(InviteRole::Moderator),
    };
    let promoted = EventInvite::update(&mut conn, event.id, bob.id, promote)
        .await
        .unwrap();
    assert_eq!(
        (promoted.status, promoted.role),
        (EventInviteStatus::Accepted, InviteRole::Moderator)
    );
    let none = UpdateEventInvite::default();
    assert_eq!(
        EventInvite::update(&mut conn, event.id, bob.id, none)
            .await
            .unwrap(),
        promoted
    );
    let missing = EventInvite::update(&mut conn, event.id, alice.id, promote).await;
    assert!(matches!(missing, Err(DbError::NotFound)));

    assert_eq!(
        EventInvite::delete(&mut conn, event.id, bob.id)
            .await
            .unwrap(),
        promoted
    );
    let again = EventInvite::delete(&mut conn, event.id, bob.id).await;
    assert!(matches!(again, Err(DbError::NotFound)));
}

#[tokio::test]
async fn every_status_and_role_round_trips() {
    let mut conn = test_transaction().await;
    let alice = fixtures::user(&mut conn).await;
    let event = event(&mut conn, &alice).await;
    for &status in EventInviteStatus::ALL {
        for &role in InviteRole::ALL {
            let invitee = fixtures::user(&mut conn).await;
            let new = NewEventInvite {
                status,
                ..NewEventInvite::pending(event.id, invitee.id, alice.id, role)
            };
            let row = new.insert(&mut conn).await.unwrap();
            let read = EventInvite::get(&mut conn, row.id).await.unwrap();
            assert_eq!((read.status, read.role), (status, role));
        }
    }
    assert_eq!(
        (EventInviteStatus::ALL.len(), InviteRole::ALL.len()),
        (4, 2)
    );
}

#[tokio::test]
async fn one_invite_per_event_and_invitee() {
    let mut conn = test_transaction().await;
    let alice = fixtures::user(&mut conn).await;
    let bob = fixtures::user(&mut conn).await;
    let event = event(&mut conn, &alice).await;
    let new = NewEventInvite::pending(event.id, bob.id, alice.id, InviteRole::User);
    let InviteInsert::Inserted(first) = new.clone().insert_if_absent(&mut conn).await.unwrap()
    else {
        panic!("expected an insert");
    };
    let decline = UpdateEventInvite {
        status: Some(EventInviteStatus::Declined),
        role: None,
    };
    EventInvite::update(&mut conn, event.id, bob.id, decline)
        .await
        .unwrap();
    let again = new.clone().insert_if_absent(&mut conn).await.unwrap();
    assert_eq!(again, InviteInsert::AlreadyExists);
    let kept = EventInvite::get(&mut conn, first.id).await.unwrap();
    assert_eq!(
        kept.status,
        EventInviteStatus::Declined,
        "re-inviting keeps the status"
    );
    match new.insert(&mut conn).await {
        Err(DbError::UniqueViolation { constraint }) => {
            assert_eq!(
                constraint.as_deref(),
                Some("event_invites_event_id_invitee_key")
            )
        }
        other => panic!("expected a unique violation, got {other:?}"),
    }
}

#[tokio::test]
async fn lists_page_newest_first_with_a_status_filter() {
    let mut conn = test_transaction().await;
    let alice = fixtures::user(&mut conn).await;
    let event = event(&mut conn, &alice).await;
    let now = Utc::now();
    let mut invites = Vec::new();
    for (i, status) in [
        EventInviteStatus::Pending,
        EventInviteStatus::Accepted,
        EventInviteStatus::Pending,
    ]
    .into_iter()
    .enumerate()
    {
        let invitee = fixtures::user(&mut conn).await;
        let new = NewEventInvite {
            created_at: Some(now + Duration::seconds(i as i64)),
            status,
            ..NewEventInvite::pending(event.id, invitee.id, alice.id, InviteRole::User)
        };
        invites.push(new.insert(&mut conn).await.unwrap());
    }
    let ids = |page: &[EventInvite]| page.iter().map(|i| i.id).collect::<Vec<_>>();
    let all = EventInvite::list_for_event(&mut conn, event.id, None, PageRequest::new(1, 2));
    let all = all.await.unwrap();
    assert_eq!(
        (all.total, ids(&all.items)),
        (3, vec![invites[2].id, invites[1].id])
    );
    let rest = EventInvite::list_for_event(&mut conn, event.id, None, PageRequest::new(2, 2));
    assert_eq!(ids(&rest.await.unwrap().items), [invites[0].id]);
    let pending = Some(EventInviteStatus::Pending);
    let page = EventInvite::list_for_event(&mut conn, event.id, pending, PageRequest::new(1, 10));
    let page = page.await.unwrap();
    assert_eq!(
        (page.total, ids(&page.items)),
        (2, vec![invites[2].id, invites[0].id])
    );
    let declined = Some(EventInviteStatus::Declined);
    assert_eq!(
        EventInvite::count_for_event(&mut conn, event.id, declined)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        EventInvite::count_for_event(&mut conn, event.id, None)
            .await
            .unwrap(),
        3
    );
}

#[tokio::test]
async fn pending_invites_are_counted_per_user() {
    let mut conn = test_transaction().await;
    let alice = fixtures::user(&mut conn).await;
    let bob = fixtures::user(&mut conn).await;
    for status in [
        EventInviteStatus::Pending,
        EventInviteStatus::Pending,
        EventInviteStatus::Tentative,
    ] {
        let event = event(&mut conn, &alice).await;
        let new = NewEventInvite {
            status,
            ..NewEventInvite::pending(event.id, bob.id, alice.id, InviteRole::User)
        };
        new.insert(&mut conn).await.unwrap();
    }
    assert_eq!(
        EventInvite::count_pending_for_user(&mut conn, bob.id)
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        EventInvite::count_pending_for_user(&mut conn, alice.id)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        EventInvite::delete_all_for_invitee(&mut conn, bob.id)
            .await
            .unwrap(),
        3
    );
    assert_eq!(
        EventInvite::count_pending_for_user(&mut conn, bob.id)
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn uninvite_removes_the_invitees_favourite_only() {
    let mut conn = test_transaction().await;
    let alice = fixtures::user(&mut conn).await;
    let bob = fixtures::user(&mut conn).await;
    let event = event(&mut conn, &alice).await;
    NewEventInvite::pending(event.id, bob.id, alice.id, InviteRole::User)
        .insert(&mut conn)
        .await
        .unwrap();
    EventFavorite::put(&mut conn, bob.id, event.id)
        .await
        .unwrap();
    EventFavorite::put(&mut conn, alice.id, event.id)
        .await
        .unwrap();

    let removed = EventInvite::uninvite(&mut conn, event.id, bob.id)
        .await
        .unwrap();
    assert_eq!(removed.invitee, bob.id);
    assert_eq!(
        EventInvite::find_for(&mut conn, event.id, bob.id)
            .await
            .unwrap(),
        None
    );
    assert!(
        !EventFavorite::exists(&mut conn, bob.id, event.id)
            .await
            .unwrap()
    );
    assert!(
        EventFavorite::exists(&mut conn, alice.id, event.id)
            .await
            .unwrap(),
        "R-18"
    );
    let again = EventInvite::uninvite(&mut conn, event.id, bob.id).await;
    assert!(matches!(again, Err(DbError::NotFound)));
}

#[tokio::test]
async fn invites_cascade_with_the_event_but_block_the_invitee() {
    let mut conn = test_transaction().await;
    let alice = fixtures::user(&mut conn).await;
    let bob = fixtures::user(&mut conn).await;
    let event = event(&mut conn, &alice).await;
    let invite = NewEventInvite::pending(event.id, bob.id, alice.id, InviteRole::User)
        .insert(&mut conn)
        .await
        .unwrap();
    diesel::delete(events::table.find(Uuid::from(event.id)))
        .execute(&mut conn)
        .await
        .unwrap();
    assert!(matches!(
        EventInvite::get(&mut conn, invite.id).await,
        Err(DbError::NotFound)
    ));

    let other = self::event(&mut conn, &alice).await;
    NewEventInvite::pending(other.id, bob.id, alice.id, InviteRole::User)
        .insert(&mut conn)
        .await
        .unwrap();
    match User::delete(&mut conn, bob.id).await {
        Err(DbError::ForeignKeyViolation { constraint }) => {
            assert_eq!(constraint.as_deref(), Some("event_invites_invitee_fkey"))
        }
        other => panic!("expected a foreign key violation, got {other:?}"),
    }
}
