//! The keyset-paged event listing (rules.md §6), following the reference
//! scenarios of §6.5.

use chrono::{DateTime, Duration, TimeZone, Utc};
use conclave_db::DbConnection;
use conclave_db::models::event::{
    Event, EventCursor, EventListEntry, EventListFilter, EventListQuery, MAX_EVENT_PAGE,
};
use conclave_db::models::event_favorite::EventFavorite;
use conclave_db::models::event_invite::{EventInvite, NewEventInvite, UpdateEventInvite};
use conclave_db::models::user::User;
use conclave_db::schema::events;
use conclave_db::testing::event_fixtures::new_event;
use conclave_db::testing::{fixtures, test_transaction};
use conclave_domain::ids::EventId;
use conclave_domain::invite::{EventInviteStatus, InviteRole};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

fn at(hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2020, 1, 1, hour, 0, 0).unwrap()
}

/// A user in a tenant of their own, so no other test's rows are visible.
async fn isolated_user(conn: &mut DbConnection) -> User {
    let tenant = fixtures::tenant(conn).await;
    let tariff = fixtures::default_tariff(conn).await;
    fixtures::user_in(conn, tenant.id, tariff.id).await
}

/// Creates an event starting and ending at `start` (time-independent for
/// `None`). Rows inserted in one transaction share `now()`, so creation
/// times are spread out explicitly to make creation order observable.
struct Events<'a> {
    creator: &'a User,
    created: usize,
}

impl Events<'_> {
    async fn create(&mut self, conn: &mut DbConnection, start: Option<DateTime<Utc>>) -> Event {
        let room = fixtures::room(conn, self.creator).await;
        let mut new = new_event(self.creator, room.id, start);
        new.ends_at = start;
        let event = new.insert(conn).await.unwrap();
        self.created += 1;
        let created_at = at(0) - Duration::days(30) + Duration::seconds(self.created as i64);
        diesel::update(events::table.find(Uuid::from(event.id)))
            .set(events::created_at.eq(created_at))
            .returning(Event::as_select())
            .get_result(conn)
            .await
            .unwrap()
    }

    async fn adhoc(&mut self, conn: &mut DbConnection, adhoc: bool) -> Event {
        let event = self.create(conn, Some(at(1))).await;
        diesel::update(events::table.find(Uuid::from(event.id)))
            .set(events::is_adhoc.eq(adhoc))
            .returning(Event::as_select())
            .get_result(conn)
            .await
            .unwrap()
    }
}

fn query(user: &User, filter: EventListFilter) -> EventListQuery {
    EventListQuery {
        user: user.id,
        tenant: user.tenant_id,
        filter,
        after: None,
        limit: MAX_EVENT_PAGE,
    }
}

async fn entries(conn: &mut DbConnection, query: &EventListQuery) -> Vec<EventListEntry> {
    Event::list_for_user(conn, query).await.unwrap()
}

async fn ids(conn: &mut DbConnection, query: &EventListQuery) -> Vec<EventId> {
    let entries = Event::list_for_user(conn, query).await.unwrap();
    entries.iter().map(|e| e.event.id).collect()
}

/// Pages through the whole listing; returns the pages' ids.
async fn pages(conn: &mut DbConnection, mut query: EventListQuery) -> Vec<Vec<EventId>> {
    let mut pages = Vec::new();
    for _ in 0..100 {
        let entries = Event::list_for_user(conn, &query).await.unwrap();
        let Some(last) = entries.last() else {
            return pages;
        };
        // Without concurrent writers the key that chose an entry is its
        // row's position; the listing continues after the key.
        for entry in &entries {
            assert_eq!(entry.key, EventCursor::from(&entry.event));
        }
        query.after = Some(last.key);
        pages.push(entries.iter().map(|e| e.event.id).collect());
    }
    panic!("the listing did not end");
}

fn window(min: Option<u32>, max: Option<u32>) -> EventListFilter {
    EventListFilter {
        time_min: min.map(at),
        time_max: max.map(at),
        ..EventListFilter::default()
    }
}

#[tokio::test]
async fn order_cursor_and_time_filters() {
    let mut conn = test_transaction().await;
    let user = isolated_user(&mut conn).await;
    let mut make = Events {
        creator: &user,
        created: 0,
    };
    let mut by_hour = Vec::new();
    for hour in [2, 1, 10, 3, 3, 3, 3, 3] {
        by_hour.push(make.create(&mut conn, Some(at(hour))).await.id);
    }
    let expected: Vec<EventId> = [1, 0, 3, 4, 5, 6, 7, 2]
        .iter()
        .map(|&i| by_hour[i])
        .collect();
    assert_eq!(
        ids(&mut conn, &query(&user, EventListFilter::default())).await,
        expected
    );

    let mut paged = query(&user, EventListFilter::default());
    paged.limit = 2;
    let expected_pages: Vec<Vec<EventId>> = expected.chunks(2).map(<[_]>::to_vec).collect();
    assert_eq!(pages(&mut conn, paged).await, expected_pages);

    let check = |min: Option<u32>, max: Option<u32>, want: &[usize]| {
        (
            window(min, max),
            want.iter().map(|&i| expected[i]).collect::<Vec<_>>(),
        )
    };
    for (filter, want) in [
        check(Some(5), None, &[7]),
        check(None, Some(5), &[0, 1, 2, 3, 4, 5, 6]),
        check(Some(3), Some(3), &[2, 3, 4, 5, 6]),
    ] {
        let got = ids(&mut conn, &query(&user, filter.clone())).await;
        assert_eq!(got, want, "{filter:?}");
    }
}

#[tokio::test]
async fn overlap_filters_are_inclusive_and_skip_null_times() {
    let mut conn = test_transaction().await;
    let user = isolated_user(&mut conn).await;
    let mut make = Events {
        creator: &user,
        created: 0,
    };
    let timed = make.create(&mut conn, Some(at(10))).await;
    diesel::update(events::table.find(Uuid::from(timed.id)))
        .set(events::ends_at.eq(at(11)))
        .execute(&mut conn)
        .await
        .unwrap();
    let untimed = make.create(&mut conn, None).await;
    let minutes = |h: u32, m: i64| at(h) + Duration::minutes(m);
    let cases = [
        (None, None, vec![untimed.id, timed.id]),
        (None, Some(at(9)), vec![]),
        (Some(at(8)), Some(at(9)), vec![]),
        (Some(at(12)), None, vec![]),
        (Some(at(12)), Some(at(13)), vec![]),
        (None, Some(at(10)), vec![timed.id]),
        (Some(at(11)), None, vec![timed.id]),
        (None, Some(minutes(10, 30)), vec![timed.id]),
        (Some(minutes(9, 30)), Some(minutes(10, 30)), vec![timed.id]),
        (Some(minutes(10, 30)), None, vec![timed.id]),
        (Some(minutes(10, 30)), Some(minutes(11, 30)), vec![timed.id]),
        (Some(minutes(10, 20)), Some(minutes(10, 40)), vec![timed.id]),
        (Some(at(9)), Some(at(12)), vec![timed.id]),
    ];
    for (min, max, want) in cases {
        let filter = EventListFilter {
            time_min: min,
            time_max: max,
            ..EventListFilter::default()
        };
        assert_eq!(
            ids(&mut conn, &query(&user, filter)).await,
            want,
            "{min:?}..{max:?}"
        );
    }
}

#[tokio::test]
async fn cursor_after_a_time_independent_event_keeps_earlier_timed_events() {
    let mut conn = test_transaction().await;
    let user = isolated_user(&mut conn).await;
    let mut make = Events {
        creator: &user,
        created: 0,
    };
    let a = make.create(&mut conn, None).await.id;
    let b = make.create(&mut conn, Some(at(1))).await.id;
    let c = make.create(&mut conn, Some(at(2))).await.id;
    let d = make.create(&mut conn, None).await.id;
    let mut paged = query(&user, EventListFilter::default());
    paged.limit = 1;
    assert_eq!(pages(&mut conn, paged).await, [[a], [d], [b], [c]]);

    let filter = |ti| EventListFilter {
        time_independent: Some(ti),
        ..EventListFilter::default()
    };
    assert_eq!(ids(&mut conn, &query(&user, filter(true))).await, [a, d]);
    assert_eq!(ids(&mut conn, &query(&user, filter(false))).await, [b, c]);
}

#[tokio::test]
async fn adhoc_and_creation_time_filters() {
    let mut conn = test_transaction().await;
    let user = isolated_user(&mut conn).await;
    let mut make = Events {
        creator: &user,
        created: 0,
    };
    let mut all = Vec::new();
    for adhoc in [true, false, false, true, true] {
        all.push(make.adhoc(&mut conn, adhoc).await);
    }
    let all_ids: Vec<_> = all.iter().map(|e| e.id).collect();
    assert_eq!(
        ids(&mut conn, &query(&user, EventListFilter::default())).await,
        all_ids
    );
    for (adhoc, want) in [(true, vec![0, 3, 4]), (false, vec![1, 2])] {
        let filter = EventListFilter {
            adhoc: Some(adhoc),
            ..EventListFilter::default()
        };
        let want: Vec<_> = want.iter().map(|&i| all_ids[i]).collect();
        assert_eq!(ids(&mut conn, &query(&user, filter)).await, want);
    }
    let filter = EventListFilter {
        created_after: Some(all[1].created_at),
        created_before: Some(all[3].created_at),
        ..EventListFilter::default()
    };
    assert_eq!(ids(&mut conn, &query(&user, filter)).await, &all_ids[1..=3]);
}

#[tokio::test]
async fn invite_status_filter_and_visibility() {
    let mut conn = test_transaction().await;
    let inviter = isolated_user(&mut conn).await;
    let tariff = fixtures::default_tariff(&mut conn).await;
    let invitee = fixtures::user_in(&mut conn, inviter.tenant_id, tariff.id).await;
    let mut make = Events {
        creator: &inviter,
        created: 0,
    };
    let mut events = Vec::new();
    for _ in 0..4 {
        events.push(make.create(&mut conn, Some(at(1))).await.id);
    }
    let by_status = |statuses: &[EventInviteStatus]| EventListFilter {
        invite_status: statuses.to_vec(),
        ..EventListFilter::default()
    };
    let accepted = by_status(&[EventInviteStatus::Accepted]);
    let declined = by_status(&[EventInviteStatus::Declined]);
    assert_eq!(ids(&mut conn, &query(&inviter, accepted)).await, events);
    assert!(ids(&mut conn, &query(&inviter, declined)).await.is_empty());
    assert!(
        ids(&mut conn, &query(&invitee, EventListFilter::default()))
            .await
            .is_empty()
    );

    let statuses = [
        EventInviteStatus::Accepted,
        EventInviteStatus::Declined,
        EventInviteStatus::Tentative,
        EventInviteStatus::Pending,
    ];
    for (&event, status) in events.iter().zip(statuses) {
        let invite = NewEventInvite::pending(event, invitee.id, inviter.id, InviteRole::User);
        invite.insert(&mut conn).await.unwrap();
        let changes = UpdateEventInvite {
            status: Some(status),
            role: None,
        };
        EventInvite::update(&mut conn, event, invitee.id, changes)
            .await
            .unwrap();
    }
    for (&event, status) in events.iter().zip(statuses) {
        let got = ids(&mut conn, &query(&invitee, by_status(&[status]))).await;
        assert_eq!(got, [event], "{status}");
    }
    let all = entries(&mut conn, &query(&invitee, EventListFilter::default())).await;
    let seen: Vec<_> = all.iter().map(|e| (e.event.id, e.invite_status)).collect();
    let want: Vec<_> = events.iter().copied().zip(statuses.map(Some)).collect();
    assert_eq!(seen, want, "declined invitees still see the event");

    // The inviter has no invite rows: the status is reported as accepted.
    let own = entries(&mut conn, &query(&inviter, EventListFilter::default())).await;
    assert!(own.iter().all(|e| e.invite_status.is_none()));
    assert!(
        own.iter()
            .all(|e| e.effective_invite_status() == EventInviteStatus::Accepted)
    );

    // Another tenant's user with an invite row still sees nothing.
    let stranger = isolated_user(&mut conn).await;
    let invite = NewEventInvite::pending(events[0], stranger.id, inviter.id, InviteRole::User);
    invite.insert(&mut conn).await.unwrap();
    assert!(
        ids(&mut conn, &query(&stranger, EventListFilter::default()))
            .await
            .is_empty()
    );

    // Events of a disabled creator disappear for everybody.
    User::disable(&mut conn, inviter.id, Utc::now())
        .await
        .unwrap();
    assert!(
        ids(&mut conn, &query(&invitee, EventListFilter::default()))
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn favorites_filter_and_flag() {
    let mut conn = test_transaction().await;
    let user = isolated_user(&mut conn).await;
    let mut make = Events {
        creator: &user,
        created: 0,
    };
    let plain = make.create(&mut conn, Some(at(1))).await.id;
    let liked = make.create(&mut conn, Some(at(2))).await.id;
    EventFavorite::put(&mut conn, user.id, liked).await.unwrap();
    let all = entries(&mut conn, &query(&user, EventListFilter::default())).await;
    let flags: Vec<_> = all.iter().map(|e| (e.event.id, e.is_favorite)).collect();
    assert_eq!(flags, [(plain, false), (liked, true)]);
    assert!(
        all.iter().all(|e| e.room.id == e.event.room),
        "each entry carries its room"
    );
    let filter = EventListFilter {
        favorites: true,
        ..EventListFilter::default()
    };
    assert_eq!(ids(&mut conn, &query(&user, filter)).await, [liked]);
}

#[tokio::test]
async fn page_size_is_clamped() {
    let mut conn = test_transaction().await;
    let user = isolated_user(&mut conn).await;
    let mut make = Events {
        creator: &user,
        created: 0,
    };
    for hour in 0..3 {
        make.create(&mut conn, Some(at(hour))).await;
    }
    for (limit, want) in [(0, 1), (-5, 1), (2, 2), (1_000, 3)] {
        let mut q = query(&user, EventListFilter::default());
        q.limit = limit;
        assert_eq!(ids(&mut conn, &q).await.len(), want, "limit {limit}");
    }
}
