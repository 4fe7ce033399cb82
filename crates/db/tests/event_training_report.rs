//! Queries of `event_training_participation_report_parameter_sets`.

use conclave_db::DbError;
use conclave_db::models::event_training_report::EventTrainingReport;
use conclave_db::schema::events;
use conclave_db::testing::event_fixtures::event;
use conclave_db::testing::{fixtures, test_transaction};
use conclave_domain::ids::EventId;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

fn params(event_id: EventId, base: i64) -> EventTrainingReport {
    EventTrainingReport {
        event_id,
        initial_checkpoint_delay_after: base,
        initial_checkpoint_delay_within: base + 1,
        checkpoint_interval_after: base + 2,
        checkpoint_interval_within: i64::MAX,
    }
}

#[tokio::test]
async fn insert_read_upsert_and_delete() {
    let mut conn = test_transaction().await;
    let alice = fixtures::user(&mut conn).await;
    let event = event(&mut conn, &alice).await;
    assert_eq!(
        EventTrainingReport::find(&mut conn, event.id)
            .await
            .unwrap(),
        None
    );
    let missing = EventTrainingReport::get(&mut conn, event.id).await;
    assert!(matches!(missing, Err(DbError::NotFound)));

    let row = params(event.id, 100).insert(&mut conn).await.unwrap();
    assert_eq!(
        row,
        params(event.id, 100),
        "all four values round-trip, bigint max included"
    );
    assert_eq!(
        EventTrainingReport::get(&mut conn, event.id).await.unwrap(),
        row
    );

    let replaced = params(event.id, 300).upsert(&mut conn).await.unwrap();
    assert_eq!(replaced, params(event.id, 300));
    EventTrainingReport::delete(&mut conn, event.id)
        .await
        .unwrap();
    assert_eq!(
        EventTrainingReport::find(&mut conn, event.id)
            .await
            .unwrap(),
        None
    );
    let again = EventTrainingReport::delete(&mut conn, event.id).await;
    assert!(matches!(again, Err(DbError::NotFound)));
    let inserted = params(event.id, 7).upsert(&mut conn).await.unwrap();
    assert_eq!(inserted, params(event.id, 7), "upsert inserts when absent");
}

#[tokio::test]
async fn duplicates_are_rejected_or_swallowed() {
    let mut conn = test_transaction().await;
    let alice = fixtures::user(&mut conn).await;
    let event = event(&mut conn, &alice).await;
    assert!(
        params(event.id, 1)
            .insert_if_absent(&mut conn)
            .await
            .unwrap()
    );
    assert!(
        !params(event.id, 2)
            .insert_if_absent(&mut conn)
            .await
            .unwrap()
    );
    assert_eq!(
        EventTrainingReport::get(&mut conn, event.id).await.unwrap(),
        params(event.id, 1)
    );
    match params(event.id, 3).insert(&mut conn).await {
        Err(DbError::UniqueViolation { constraint }) => assert_eq!(
            constraint.as_deref(),
            Some("event_training_participation_report_parameter_sets_pkey")
        ),
        other => panic!("expected a unique violation, got {other:?}"),
    }
}

#[tokio::test]
async fn parameters_cascade_with_the_event() {
    let mut conn = test_transaction().await;
    let alice = fixtures::user(&mut conn).await;
    let event = event(&mut conn, &alice).await;
    params(event.id, 1).insert(&mut conn).await.unwrap();
    diesel::delete(events::table.find(Uuid::from(event.id)))
        .execute(&mut conn)
        .await
        .unwrap();
    assert_eq!(
        EventTrainingReport::find(&mut conn, event.id)
            .await
            .unwrap(),
        None
    );
    let orphan = params(EventId::generate(), 1).insert(&mut conn).await;
    assert!(
        matches!(orphan, Err(DbError::ForeignKeyViolation { .. })),
        "{orphan:?}"
    );
}
