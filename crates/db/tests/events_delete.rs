//! The event deleter (rules.md §10.1): what it removes, in which order, and
//! its shared-folder race check.

use chrono::{Duration, TimeZone, Utc};
use conclave_db::enums::{SqlStreamingKind, StreamingKind};
use conclave_db::models::event::{DeleteEventOutcome, Event};
use conclave_db::models::event_email_invite::{EventEmailInvite, NewEventEmailInvite};
use conclave_db::models::event_exception::{EventException, NewEventException};
use conclave_db::models::event_favorite::EventFavorite;
use conclave_db::models::event_invite::{EventInvite, NewEventInvite};
use conclave_db::models::event_shared_folder::{EventSharedFolder, NewEventSharedFolder};
use conclave_db::models::event_training_report::EventTrainingReport;
use conclave_db::models::room::Room;
use conclave_db::models::user::User;
use conclave_db::schema::{
    assets, invites, module_resources, room_assets, room_streaming_targets, sip_configs,
};
use conclave_db::testing::event_fixtures::{event, event_at};
use conclave_db::testing::{fixtures, test_transaction};
use conclave_db::{DbConnection, DbError};
use conclave_domain::exception::EventExceptionKind;
use conclave_domain::invite::{EmailInviteRole, InviteRole};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

fn folder(event: &Event) -> NewEventSharedFolder {
    NewEventSharedFolder {
        event_id: event.id,
        path: format!("conclave/opentalk-event-{}", event.id),
        write_share_id: "w1".to_owned(),
        write_url: "https://cloud.example.org/s/w1".to_owned(),
        write_password: "wpass".to_owned(),
        read_share_id: "r1".to_owned(),
        read_url: "https://cloud.example.org/s/r1".to_owned(),
        read_password: "rpass".to_owned(),
    }
}

/// Gives the event one row in every table the deleter has to clear.
async fn populate(conn: &mut DbConnection, event: &Event, creator: &User, guest: &User) -> Uuid {
    let room = Uuid::from(event.room);
    folder(event).insert(conn).await.unwrap();
    let insert = |conn| {
        NewEventInvite::pending(event.id, guest.id, creator.id, InviteRole::User).insert(conn)
    };
    insert(conn).await.unwrap();
    let email = NewEventEmailInvite {
        event_id: event.id,
        email: "guest@example.org".to_owned(),
        created_by: creator.id,
        role: EmailInviteRole::Guest,
    };
    email.insert(conn).await.unwrap();
    EventFavorite::put(conn, guest.id, event.id).await.unwrap();
    exception(event, creator).insert(conn).await.unwrap();
    report(event).insert(conn).await.unwrap();
    diesel::insert_into(module_resources::table)
        .values((
            module_resources::tenant_id.eq(Uuid::from(event.tenant_id)),
            module_resources::room_id.eq(room),
            module_resources::created_by.eq(Uuid::from(creator.id)),
            module_resources::namespace.eq("legal_vote"),
            module_resources::data.eq(serde_json::json!({})),
        ))
        .execute(conn)
        .await
        .unwrap();
    diesel::insert_into(sip_configs::table)
        .values((
            sip_configs::room.eq(room),
            sip_configs::sip_id.eq("1234567890"),
            sip_configs::password.eq("0987654321"),
            sip_configs::enable_lobby.eq(false),
        ))
        .execute(conn)
        .await
        .unwrap();
    let asset = Uuid::new_v4();
    diesel::insert_into(assets::table)
        .values((
            assets::id.eq(asset),
            assets::kind.eq("recording"),
            assets::filename.eq("a.webm"),
            assets::tenant_id.eq(Uuid::from(event.tenant_id)),
            assets::size.eq(10_i64),
        ))
        .execute(conn)
        .await
        .unwrap();
    diesel::insert_into(room_assets::table)
        .values((
            room_assets::room_id.eq(room),
            room_assets::asset_id.eq(asset),
        ))
        .execute(conn)
        .await
        .unwrap();
    diesel::insert_into(room_streaming_targets::table)
        .values((
            room_streaming_targets::room_id.eq(room),
            room_streaming_targets::name.eq("stream"),
            room_streaming_targets::kind.eq(SqlStreamingKind(StreamingKind::Custom)),
            room_streaming_targets::streaming_endpoint.eq("https://ingress.example.org/"),
            room_streaming_targets::streaming_key.eq("key"),
            room_streaming_targets::public_url.eq("https://live.example.org/"),
        ))
        .execute(conn)
        .await
        .unwrap();
    diesel::insert_into(invites::table)
        .values((
            invites::created_by.eq(Uuid::from(creator.id)),
            invites::updated_by.eq(Uuid::from(creator.id)),
            invites::room.eq(room),
            invites::active.eq(true),
        ))
        .execute(conn)
        .await
        .unwrap();
    asset
}

fn exception(event: &Event, creator: &User) -> NewEventException {
    NewEventException {
        event_id: event.id,
        exception_date: Utc.with_ymd_and_hms(2030, 1, 8, 10, 0, 0).unwrap(),
        exception_date_tz: "Europe/Berlin".to_owned(),
        created_by: creator.id,
        kind: EventExceptionKind::Cancelled,
        title: None,
        description: None,
        is_all_day: None,
        starts_at: None,
        starts_at_tz: None,
        ends_at: None,
        ends_at_tz: None,
    }
}

fn report(event: &Event) -> EventTrainingReport {
    EventTrainingReport {
        event_id: event.id,
        initial_checkpoint_delay_after: 600,
        initial_checkpoint_delay_within: 1200,
        checkpoint_interval_after: 6300,
        checkpoint_interval_within: 1800,
    }
}

async fn count_for_room(conn: &mut DbConnection, room: Uuid) -> [i64; 4] {
    let module = module_resources::table.filter(module_resources::room_id.eq(room));
    let sip = sip_configs::table.filter(sip_configs::room.eq(room));
    let codes = invites::table.filter(invites::room.eq(room));
    let targets = room_streaming_targets::table.filter(room_streaming_targets::room_id.eq(room));
    [
        module.count().get_result(conn).await.unwrap(),
        sip.count().get_result(conn).await.unwrap(),
        codes.count().get_result(conn).await.unwrap(),
        targets.count().get_result(conn).await.unwrap(),
    ]
}

#[tokio::test]
async fn delete_cascade_removes_the_event_and_everything_it_owns() {
    let mut conn = test_transaction().await;
    let alice = fixtures::user(&mut conn).await;
    let bob = fixtures::user(&mut conn).await;
    let event = event(&mut conn, &alice).await;
    let asset = populate(&mut conn, &event, &alice, &bob).await;
    let room = Uuid::from(event.room);
    assert_eq!(count_for_room(&mut conn, room).await, [1, 1, 1, 1]);

    let deleted = Event::delete_cascade(&mut conn, event.id).await.unwrap();
    assert_eq!(deleted.event, event);
    assert_eq!(deleted.room, event.room);
    assert_eq!(deleted.assets, [asset.into()]);
    assert_eq!(deleted.module_resources.len(), 1);
    assert_eq!(deleted.shared_folder.unwrap().read_password, "rpass");

    assert!(matches!(
        Event::get_unfiltered(&mut conn, event.id).await,
        Err(DbError::NotFound)
    ));
    assert!(matches!(
        Room::get(&mut conn, event.room).await,
        Err(DbError::NotFound)
    ));
    assert_eq!(
        EventSharedFolder::find(&mut conn, event.id).await.unwrap(),
        None
    );
    assert_eq!(
        EventInvite::find_for(&mut conn, event.id, bob.id)
            .await
            .unwrap(),
        None
    );
    let email = EventEmailInvite::find(&mut conn, event.id, "guest@example.org").await;
    assert_eq!(email.unwrap(), None);
    assert!(
        !EventFavorite::exists(&mut conn, bob.id, event.id)
            .await
            .unwrap()
    );
    assert!(
        EventException::list_for_event(&mut conn, event.id)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        EventTrainingReport::find(&mut conn, event.id)
            .await
            .unwrap(),
        None
    );
    assert_eq!(count_for_room(&mut conn, room).await, [0, 0, 0, 0]);
    let assets_left: i64 = assets::table
        .find(asset)
        .count()
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!(assets_left, 0);
    let again = Event::delete_cascade(&mut conn, event.id).await;
    assert!(matches!(again, Err(DbError::NotFound)));
}

#[tokio::test]
async fn delete_cascade_checks_the_shared_folder_first() {
    let mut conn = test_transaction().await;
    let alice = fixtures::user(&mut conn).await;
    let event = event(&mut conn, &alice).await;
    let stored = folder(&event).insert(&mut conn).await.unwrap();

    let outcome = Event::delete_cascade_if_folder_unchanged(&mut conn, event.id, None).await;
    assert_eq!(outcome.unwrap(), DeleteEventOutcome::SharedFolderChanged);
    let mut changed = stored.clone();
    changed.read_password = "other".to_owned();
    let outcome = Event::delete_cascade_if_folder_unchanged(&mut conn, event.id, Some(&changed));
    assert_eq!(
        outcome.await.unwrap(),
        DeleteEventOutcome::SharedFolderChanged
    );
    assert_eq!(
        Event::get(&mut conn, event.id).await.unwrap(),
        event,
        "nothing deleted"
    );
    assert_eq!(
        EventSharedFolder::get(&mut conn, event.id).await.unwrap(),
        stored
    );

    let outcome = Event::delete_cascade_if_folder_unchanged(&mut conn, event.id, Some(&stored));
    let DeleteEventOutcome::Deleted(deleted) = outcome.await.unwrap() else {
        panic!("expected a deletion");
    };
    assert_eq!(deleted.shared_folder, Some(stored));
    assert!(matches!(
        Event::get(&mut conn, event.id).await,
        Err(DbError::NotFound)
    ));

    let plain = event_fixture_without_folder(&mut conn, &alice).await;
    let outcome = Event::delete_cascade_if_folder_unchanged(&mut conn, plain.id, None).await;
    assert!(matches!(outcome.unwrap(), DeleteEventOutcome::Deleted(_)));
}

async fn event_fixture_without_folder(conn: &mut DbConnection, creator: &User) -> Event {
    event_at(conn, creator, Some(Utc::now() + Duration::days(1))).await
}
