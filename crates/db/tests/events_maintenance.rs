//! The event queries of the maintenance jobs (rules.md §9.5).

use chrono::{Duration, Utc};
use conclave_db::models::event::{Event, UpdateEvent};
use conclave_db::models::user::User;
use conclave_db::schema::events;
use conclave_db::testing::event_fixtures::{event, event_at};
use conclave_db::testing::{fixtures, test_transaction};
use conclave_db::{DbConnection, DbError};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

/// A user in a tenant of their own (the job queries scan all tenants, so
/// assertions only look at this user's events).
async fn isolated_user(conn: &mut DbConnection) -> User {
    let tenant = fixtures::tenant(conn).await;
    let tariff = fixtures::default_tariff(conn).await;
    fixtures::user_in(conn, tenant.id, tariff.id).await
}

fn own(events: Vec<Event>, user: &User) -> Vec<conclave_domain::ids::EventId> {
    events
        .into_iter()
        .filter(|e| e.created_by == user.id)
        .map(|e| e.id)
        .collect()
}

async fn set_adhoc(conn: &mut DbConnection, event: &Event) {
    diesel::update(events::table.find(Uuid::from(event.id)))
        .set(events::is_adhoc.eq(true))
        .execute(conn)
        .await
        .unwrap();
}

#[tokio::test]
async fn adhoc_cleanup_candidates() {
    let mut conn = test_transaction().await;
    let user = isolated_user(&mut conn).await;
    let adhoc = event(&mut conn, &user).await;
    set_adhoc(&mut conn, &adhoc).await;
    event(&mut conn, &user).await;
    let cutoff = adhoc.created_at;
    let found = Event::list_adhoc_created_before(&mut conn, cutoff, 1_000)
        .await
        .unwrap();
    assert_eq!(own(found, &user), [adhoc.id]);
    let earlier = cutoff - Duration::seconds(1);
    let found = Event::list_adhoc_created_before(&mut conn, earlier, 1_000)
        .await
        .unwrap();
    assert!(own(found, &user).is_empty());
    User::disable(&mut conn, user.id, Utc::now()).await.unwrap();
    let found = Event::list_adhoc_created_before(&mut conn, cutoff, 1_000)
        .await
        .unwrap();
    assert!(
        own(found, &user).is_empty(),
        "disabled creators are skipped"
    );
}

#[tokio::test]
async fn ended_single_events_and_finite_series() {
    let mut conn = test_transaction().await;
    let user = isolated_user(&mut conn).await;
    let now = Utc::now();
    let old = event_at(&mut conn, &user, Some(now - Duration::days(40))).await;
    event_at(&mut conn, &user, Some(now - Duration::days(1))).await;
    event(&mut conn, &user).await;
    let cutoff = now - Duration::days(30);
    let found = Event::list_single_ended_before(&mut conn, cutoff, 1_000)
        .await
        .unwrap();
    assert_eq!(own(found, &user), [old.id]);

    let mut finite = Vec::new();
    for pattern in [
        "RRULE:FREQ=DAILY;COUNT=3",
        "FREQ=WEEKLY;until=20300101T000000Z",
        "FREQ=DAILY",
    ] {
        let series = event_at(&mut conn, &user, Some(now)).await;
        let mut changes = UpdateEvent::by(user.id);
        changes.is_recurring = Some(Some(true));
        changes.recurrence_pattern = Some(Some(pattern.to_owned()));
        Event::update(&mut conn, series.id, changes).await.unwrap();
        finite.push(series.id);
    }
    let found = Event::list_finite_recurring(&mut conn, 1_000)
        .await
        .unwrap();
    // Same creation time inside the test transaction: compare as sets.
    let mut found = own(found, &user);
    found.sort();
    let mut bounded = finite[..2].to_vec();
    bounded.sort();
    assert_eq!(found, bounded);
    let found = Event::list_single_ended_before(&mut conn, now + Duration::days(1), 1_000);
    assert!(
        !own(found.await.unwrap(), &user).contains(&finite[0]),
        "series are not single"
    );
}

#[tokio::test]
async fn user_cleanup_helpers() {
    let mut conn = test_transaction().await;
    let alice = isolated_user(&mut conn).await;
    let bob = fixtures::user(&mut conn).await;
    let first = event(&mut conn, &alice).await;
    let second = event(&mut conn, &alice).await;
    Event::update(&mut conn, first.id, UpdateEvent::by(bob.id))
        .await
        .unwrap();
    User::disable(&mut conn, alice.id, Utc::now())
        .await
        .unwrap();

    let created = Event::list_created_by_unfiltered(&mut conn, alice.id, 1_000)
        .await
        .unwrap();
    let mut ids: Vec<_> = created.iter().map(|e| e.id).collect();
    ids.sort();
    let mut expected = vec![first.id, second.id];
    expected.sort();
    assert_eq!(ids, expected, "found although the creator is disabled");
    let limited = Event::list_created_by_unfiltered(&mut conn, alice.id, 1)
        .await
        .unwrap();
    assert_eq!(limited.len(), 1);

    assert_eq!(Event::reset_updated_by(&mut conn, bob.id).await.unwrap(), 1);
    let reset = Event::get_unfiltered(&mut conn, first.id).await.unwrap();
    assert_eq!(
        (reset.updated_by, reset.revision),
        (alice.id, 2),
        "the reset bumps the revision"
    );
    assert_eq!(
        Event::get_unfiltered(&mut conn, second.id)
            .await
            .unwrap()
            .revision,
        0
    );
    assert!(matches!(
        Event::get(&mut conn, first.id).await,
        Err(DbError::NotFound)
    ));
}
