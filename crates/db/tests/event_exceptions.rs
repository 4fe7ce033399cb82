//! Queries of `event_exceptions`.

use chrono::{DateTime, Duration, TimeZone, Utc};
use conclave_db::DbError;
use conclave_db::models::event::Event;
use conclave_db::models::event_exception::{
    EventException, ExceptionUpsert, NewEventException, UpdateEventException,
};
use conclave_db::models::user::User;
use conclave_db::schema::events;
use conclave_db::testing::event_fixtures::event;
use conclave_db::testing::{fixtures, test_transaction};
use conclave_domain::exception::EventExceptionKind;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

fn day(n: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2030, 1, 1, 9, 0, 0).unwrap() + Duration::days(n)
}

fn new_exception(event: &Event, by: &User, date: DateTime<Utc>) -> NewEventException {
    NewEventException {
        event_id: event.id,
        exception_date: date,
        exception_date_tz: "Europe/Berlin".to_owned(),
        created_by: by.id,
        kind: EventExceptionKind::Modified,
        title: None,
        description: None,
        is_all_day: None,
        starts_at: None,
        starts_at_tz: None,
        ends_at: None,
        ends_at_tz: None,
    }
}

#[tokio::test]
async fn insert_read_update_and_delete() {
    let mut conn = test_transaction().await;
    let alice = fixtures::user(&mut conn).await;
    let event = event(&mut conn, &alice).await;
    let mut new = new_exception(&event, &alice, day(7));
    new.title = Some("Moved".to_owned());
    new.starts_at = Some(day(7) + Duration::hours(2));
    new.starts_at_tz = Some("Europe/Berlin".to_owned());
    let row = new.insert(&mut conn).await.unwrap();
    assert_eq!(
        (row.kind, row.title.as_deref()),
        (EventExceptionKind::Modified, Some("Moved"))
    );
    assert_eq!(row.description, None);
    assert_eq!(EventException::get(&mut conn, row.id).await.unwrap(), row);
    assert_eq!(
        EventException::get_by_date(&mut conn, event.id, day(7))
            .await
            .unwrap(),
        row
    );
    assert_eq!(
        EventException::find_by_date(&mut conn, event.id, day(8))
            .await
            .unwrap(),
        None
    );
    let missing = EventException::get_by_date(&mut conn, event.id, day(8)).await;
    assert!(matches!(missing, Err(DbError::NotFound)));

    let changes = UpdateEventException {
        kind: Some(EventExceptionKind::Cancelled),
        title: Some(None),
        description: Some(Some("Why".to_owned())),
        ..UpdateEventException::default()
    };
    let updated = EventException::update(&mut conn, row.id, changes)
        .await
        .unwrap();
    assert_eq!(updated.kind, EventExceptionKind::Cancelled);
    assert_eq!(
        (updated.title, updated.description.as_deref()),
        (None, Some("Why"))
    );
    assert_eq!(updated.starts_at, row.starts_at, "absent fields stay");
    let same = EventException::update(&mut conn, row.id, UpdateEventException::default()).await;
    assert_eq!(same.unwrap().kind, EventExceptionKind::Cancelled);

    assert_eq!(
        EventException::delete_by_ids(&mut conn, event.id, &[row.id])
            .await
            .unwrap(),
        1
    );
    assert!(matches!(
        EventException::get(&mut conn, row.id).await,
        Err(DbError::NotFound)
    ));
}

#[tokio::test]
async fn every_kind_round_trips() {
    let mut conn = test_transaction().await;
    let alice = fixtures::user(&mut conn).await;
    let event = event(&mut conn, &alice).await;
    for (i, &kind) in EventExceptionKind::ALL.iter().enumerate() {
        let mut new = new_exception(&event, &alice, day(i as i64));
        new.kind = kind;
        let row = new.insert(&mut conn).await.unwrap();
        assert_eq!(
            EventException::get(&mut conn, row.id).await.unwrap().kind,
            kind
        );
    }
    assert_eq!(EventExceptionKind::ALL.len(), 2);
}

#[tokio::test]
async fn one_exception_per_date_and_zone() {
    let mut conn = test_transaction().await;
    let alice = fixtures::user(&mut conn).await;
    let event = event(&mut conn, &alice).await;
    new_exception(&event, &alice, day(1))
        .insert(&mut conn)
        .await
        .unwrap();
    let mut other_zone = new_exception(&event, &alice, day(1));
    other_zone.exception_date_tz = "UTC".to_owned();
    other_zone.insert(&mut conn).await.unwrap();
    let duplicate = new_exception(&event, &alice, day(1))
        .insert(&mut conn)
        .await;
    match duplicate {
        Err(DbError::UniqueViolation { constraint }) => assert_eq!(
            constraint.as_deref(),
            Some("event_exceptions_event_id_exception_date_exception_date_tz_key")
        ),
        other => panic!("expected a unique violation, got {other:?}"),
    }
}

#[tokio::test]
async fn upsert_inserts_then_only_overwrites_present_fields() {
    let mut conn = test_transaction().await;
    let alice = fixtures::user(&mut conn).await;
    let bob = fixtures::user(&mut conn).await;
    let event = event(&mut conn, &alice).await;
    let mut first = new_exception(&event, &alice, day(3));
    first.title = Some("First".to_owned());
    first.is_all_day = Some(true);
    let ExceptionUpsert::Inserted(inserted) = first.upsert(&mut conn).await.unwrap() else {
        panic!("expected an insert");
    };

    let mut second = new_exception(&event, &bob, day(3));
    second.kind = EventExceptionKind::Cancelled;
    second.description = Some("Second".to_owned());
    let ExceptionUpsert::Updated(updated) = second.upsert(&mut conn).await.unwrap() else {
        panic!("expected an update");
    };
    assert_eq!(updated.id, inserted.id);
    assert_eq!(updated.kind, EventExceptionKind::Cancelled);
    assert_eq!(
        updated.title.as_deref(),
        Some("First"),
        "absent fields are kept"
    );
    assert_eq!(updated.is_all_day, Some(true));
    assert_eq!(updated.description.as_deref(), Some("Second"));
    assert_eq!(
        (updated.created_by, updated.created_at),
        (alice.id, inserted.created_at)
    );
    assert_eq!(
        EventException::list_for_event(&mut conn, event.id)
            .await
            .unwrap(),
        [updated]
    );
}

#[tokio::test]
async fn bulk_deletes_and_zone_rewrite() {
    let mut conn = test_transaction().await;
    let alice = fixtures::user(&mut conn).await;
    let event = event(&mut conn, &alice).await;
    let other = self::event(&mut conn, &alice).await;
    let mut rows = Vec::new();
    for n in [4, 1, 3, 2] {
        rows.push(
            new_exception(&event, &alice, day(n))
                .insert(&mut conn)
                .await
                .unwrap(),
        );
    }
    let foreign = new_exception(&other, &alice, day(1))
        .insert(&mut conn)
        .await
        .unwrap();
    let dates = |list: &[EventException]| list.iter().map(|e| e.exception_date).collect::<Vec<_>>();
    let listed = EventException::list_for_event(&mut conn, event.id)
        .await
        .unwrap();
    assert_eq!(
        dates(&listed),
        [day(1), day(2), day(3), day(4)],
        "ordered by date"
    );
    let both = EventException::list_for_events(&mut conn, &[event.id, other.id])
        .await
        .unwrap();
    assert_eq!(both.len(), 5);

    // Ids of another event are not touched.
    let wrong = EventException::delete_by_ids(&mut conn, event.id, &[foreign.id])
        .await
        .unwrap();
    assert_eq!(wrong, 0);
    let keep = [day(2), day(4)];
    let deleted = EventException::delete_except_dates(&mut conn, event.id, &keep);
    assert_eq!(deleted.await.unwrap(), 2);
    let listed = EventException::list_for_event(&mut conn, event.id)
        .await
        .unwrap();
    assert_eq!(dates(&listed), [day(2), day(4)]);

    let rewritten = EventException::set_zone_for_event(&mut conn, event.id, "America/New_York");
    assert_eq!(rewritten.await.unwrap(), 2);
    let listed = EventException::list_for_event(&mut conn, event.id)
        .await
        .unwrap();
    assert!(
        listed
            .iter()
            .all(|e| e.exception_date_tz == "America/New_York")
    );
    assert_eq!(
        EventException::get(&mut conn, foreign.id)
            .await
            .unwrap()
            .exception_date_tz,
        "Europe/Berlin"
    );

    assert_eq!(
        EventException::delete_for_event(&mut conn, event.id)
            .await
            .unwrap(),
        2
    );
    assert!(
        EventException::list_for_event(&mut conn, event.id)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        EventException::list_for_event(&mut conn, other.id)
            .await
            .unwrap(),
        [foreign]
    );
}

#[tokio::test]
async fn exceptions_cascade_with_their_event() {
    let mut conn = test_transaction().await;
    let alice = fixtures::user(&mut conn).await;
    let event = event(&mut conn, &alice).await;
    let row = new_exception(&event, &alice, day(1))
        .insert(&mut conn)
        .await
        .unwrap();
    // A plain DELETE of the event row: the foreign key itself cascades.
    diesel::delete(events::table.find(Uuid::from(event.id)))
        .execute(&mut conn)
        .await
        .unwrap();
    assert!(matches!(
        EventException::get(&mut conn, row.id).await,
        Err(DbError::NotFound)
    ));
}

#[tokio::test]
async fn rows_convert_to_domain_exceptions() {
    let mut conn = test_transaction().await;
    let alice = fixtures::user(&mut conn).await;
    let event = event(&mut conn, &alice).await;
    let mut new = new_exception(&event, &alice, day(7));
    new.title = Some("Moved".to_owned());
    new.starts_at = Some(day(7) + Duration::hours(2));
    new.starts_at_tz = Some("America/New_York".to_owned());
    // An end without a zone is half a time: it converts to no end at all.
    new.ends_at = Some(day(7) + Duration::hours(3));
    let row = new.insert(&mut conn).await.unwrap();
    let domain = row.to_domain().unwrap();
    assert_eq!((domain.id, domain.exception_date), (row.id, day(7)));
    assert_eq!(domain.exception_date_tz.name(), "Europe/Berlin");
    assert_eq!(domain.title.as_deref(), Some("Moved"));
    let start = domain.starts_at.expect("start");
    assert_eq!(
        (start.instant(), start.zone_name()),
        (day(7) + Duration::hours(2), "America/New_York")
    );
    assert_eq!(domain.ends_at, None);
    assert_eq!(
        (domain.created_by, domain.created_at),
        (alice.id, row.created_at)
    );

    let mut broken = row.clone();
    broken.exception_date_tz = "Mars/Olympus".to_owned();
    assert!(broken.to_domain().is_err());
    let mut broken = row;
    broken.starts_at_tz = Some("Nowhere/Else".to_owned());
    assert!(broken.to_domain().is_err());
}
