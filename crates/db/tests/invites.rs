//! Queries of `invites` (room invite codes).

use chrono::{Duration, Utc};
use conclave_db::DbConnection;
use conclave_db::DbError;
use conclave_db::models::invite::{Invite, NewInvite};
use conclave_db::models::user::User;
use conclave_db::paging::PageRequest;
use conclave_db::testing::{fixtures, test_transaction};
use conclave_domain::ids::{InviteCodeId, RoomId, UserId};

async fn code(
    conn: &mut DbConnection,
    room: RoomId,
    actor: UserId,
    expiration: Option<chrono::DateTime<Utc>>,
) -> Invite {
    NewInvite {
        created_by: actor,
        room,
        expiration,
    }
    .insert(conn)
    .await
    .unwrap()
}

#[tokio::test]
async fn insert_read_update_and_soft_delete() {
    let mut conn = test_transaction().await;
    let owner = fixtures::user(&mut conn).await;
    let editor = fixtures::user(&mut conn).await;
    let room = fixtures::room(&mut conn, &owner).await;
    let invite = code(&mut conn, room.id, owner.id, None).await;
    assert!(invite.active);
    assert_eq!((invite.created_by, invite.updated_by), (owner.id, owner.id));
    assert_eq!((invite.room, invite.expiration), (room.id, None));
    assert_eq!(Invite::get(&mut conn, invite.id).await.unwrap(), invite);
    assert_eq!(
        Invite::get_for_room(&mut conn, room.id, invite.id)
            .await
            .unwrap(),
        invite
    );

    let expiration = Utc::now() + Duration::days(1);
    let updated =
        Invite::update_expiration(&mut conn, room.id, invite.id, Some(expiration), editor.id)
            .await
            .unwrap();
    assert_eq!(updated.updated_by, editor.id);
    assert!(updated.updated_at >= invite.updated_at);
    // PostgreSQL keeps microseconds.
    assert_eq!(
        updated.expiration.map(|e| e.timestamp_micros()),
        Some(expiration.timestamp_micros())
    );
    let cleared = Invite::update_expiration(&mut conn, room.id, invite.id, None, editor.id)
        .await
        .unwrap();
    assert_eq!(cleared.expiration, None);

    let deleted = Invite::deactivate(&mut conn, room.id, invite.id, editor.id)
        .await
        .unwrap();
    assert!(!deleted.active);
    // The row stays, and changing the expiry does not revive it.
    let still = Invite::update_expiration(&mut conn, room.id, invite.id, None, owner.id)
        .await
        .unwrap();
    assert!(!still.active);
    assert_eq!(
        Invite::find_valid(&mut conn, invite.id).await.unwrap(),
        None
    );
}

#[tokio::test]
async fn a_code_of_another_room_is_not_found() {
    let mut conn = test_transaction().await;
    let owner = fixtures::user(&mut conn).await;
    let room = fixtures::room(&mut conn, &owner).await;
    let other = fixtures::room(&mut conn, &owner).await;
    let invite = code(&mut conn, room.id, owner.id, None).await;
    assert!(matches!(
        Invite::get_for_room(&mut conn, other.id, invite.id).await,
        Err(DbError::NotFound)
    ));
    assert!(matches!(
        Invite::update_expiration(&mut conn, other.id, invite.id, None, owner.id).await,
        Err(DbError::NotFound)
    ));
    assert!(matches!(
        Invite::deactivate(&mut conn, other.id, invite.id, owner.id).await,
        Err(DbError::NotFound)
    ));
    assert!(Invite::get(&mut conn, invite.id).await.unwrap().active);
    assert_eq!(
        Invite::find(&mut conn, InviteCodeId::generate())
            .await
            .unwrap(),
        None
    );
}

#[tokio::test]
async fn validity_depends_on_active_and_expiration() {
    let mut conn = test_transaction().await;
    let owner = fixtures::user(&mut conn).await;
    let room = fixtures::room(&mut conn, &owner).await;
    let now = Utc::now();
    let forever = code(&mut conn, room.id, owner.id, None).await;
    let later = code(&mut conn, room.id, owner.id, Some(now + Duration::hours(1))).await;
    let expired = code(&mut conn, room.id, owner.id, Some(now - Duration::hours(1))).await;
    let inactive = code(&mut conn, room.id, owner.id, None).await;
    Invite::deactivate(&mut conn, room.id, inactive.id, owner.id)
        .await
        .unwrap();

    let cases = [
        (&forever, true),
        (&later, true),
        (&expired, false),
        (&inactive, false),
    ];
    for (invite, valid) in cases {
        let found = Invite::find_valid(&mut conn, invite.id).await.unwrap();
        assert_eq!(found.is_some(), valid, "{:?}", invite.expiration);
        let row = Invite::get(&mut conn, invite.id).await.unwrap();
        assert_eq!(row.is_valid_at(now), valid);
    }

    let mut valid: Vec<InviteCodeId> = Invite::list_valid_for_room(&mut conn, room.id)
        .await
        .unwrap()
        .into_iter()
        .map(|i| i.id)
        .collect();
    valid.sort();
    let mut expected = vec![forever.id, later.id];
    expected.sort();
    assert_eq!(valid, expected);

    let invalid: Vec<InviteCodeId> = Invite::list_invalid(&mut conn, now)
        .await
        .unwrap()
        .into_iter()
        .filter(|i| i.room == room.id)
        .map(|i| i.id)
        .collect();
    assert_eq!(invalid.len(), 2);
    assert!(invalid.contains(&expired.id) && invalid.contains(&inactive.id));
}

#[tokio::test]
async fn the_first_invite_is_the_latest_valid_code_or_a_new_one() {
    let mut conn = test_transaction().await;
    let owner = fixtures::user(&mut conn).await;
    let room = fixtures::room(&mut conn, &owner).await;
    assert_eq!(
        Invite::find_first_valid_for_room(&mut conn, room.id)
            .await
            .unwrap(),
        None
    );

    let created = Invite::get_first_valid_or_create(&mut conn, room.id, owner.id)
        .await
        .unwrap();
    assert!(created.active && created.expiration.is_none());
    let again = Invite::get_first_valid_or_create(&mut conn, room.id, owner.id)
        .await
        .unwrap();
    assert_eq!(again.id, created.id);

    // A deleted code is never the first invite, even when it changed last.
    let newer = code(&mut conn, room.id, owner.id, None).await;
    Invite::deactivate(&mut conn, room.id, created.id, owner.id)
        .await
        .unwrap();
    let first = Invite::find_first_valid_for_room(&mut conn, room.id)
        .await
        .unwrap();
    assert_eq!(first.map(|i| i.id), Some(newer.id));
}

#[tokio::test]
async fn list_for_room_pages_all_codes() {
    let mut conn = test_transaction().await;
    let owner = fixtures::user(&mut conn).await;
    let room = fixtures::room(&mut conn, &owner).await;
    let other = fixtures::room(&mut conn, &owner).await;
    let mut made = Vec::new();
    for _ in 0..3 {
        made.push(code(&mut conn, room.id, owner.id, None).await.id);
    }
    code(&mut conn, other.id, owner.id, None).await;
    Invite::deactivate(&mut conn, room.id, made[0], owner.id)
        .await
        .unwrap();

    let first = Invite::list_for_room(&mut conn, room.id, PageRequest::new(1, 2))
        .await
        .unwrap();
    let second = Invite::list_for_room(&mut conn, room.id, PageRequest::new(2, 2))
        .await
        .unwrap();
    assert_eq!(
        (first.total, first.items.len(), second.items.len()),
        (3, 2, 1)
    );
    let mut listed: Vec<InviteCodeId> = first
        .items
        .iter()
        .chain(&second.items)
        .map(|i| i.id)
        .collect();
    listed.sort();
    made.sort();
    assert_eq!(listed, made);
    let mut ids = Invite::list_ids_for_room(&mut conn, room.id).await.unwrap();
    ids.sort();
    assert_eq!(ids, made);
}

#[tokio::test]
async fn the_creator_of_a_code_cannot_be_deleted() {
    let mut conn = test_transaction().await;
    let owner = fixtures::user(&mut conn).await;
    let guest_host = fixtures::user(&mut conn).await;
    let room = fixtures::room(&mut conn, &owner).await;
    code(&mut conn, room.id, guest_host.id, None).await;
    let err = User::delete(&mut conn, guest_host.id).await.unwrap_err();
    assert!(
        matches!(&err, DbError::ForeignKeyViolation { constraint: Some(c) } if c == "invites_created_by_new_fkey"),
        "{err:?}"
    );
}
