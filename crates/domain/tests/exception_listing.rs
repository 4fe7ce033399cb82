//! Instance listing with exceptions (rules.md §5.3, R-13, R-14, R-15) and a
//! property test that merging does not depend on row order.

use chrono::{DateTime, Utc};
use conclave_domain::event::{EventTimes, NewEventTimes, RecurringTimes, validate_new_event};
use conclave_domain::exception::{EventException, EventExceptionKind, merge_exceptions};
use conclave_domain::ids::{EventExceptionId, UserId};
use conclave_domain::instance::{InstanceQuery, InstanceStatus, list_instances};
use conclave_domain::recurrence::TimeWindow;
use conclave_domain::time::{DateTimeTz, Tz};
use proptest::prelude::*;

fn utc(s: &str) -> DateTime<Utc> {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

/// Weekly on Mondays 10:00-11:00 Berlin from 2024-07-01, unbounded.
fn weekly() -> RecurringTimes {
    let times = validate_new_event(&NewEventTimes {
        is_time_independent: false,
        is_all_day: Some(false),
        starts_at: Some(DateTimeTz::new(
            utc("2024-07-01T08:00:00Z"),
            Tz::Europe__Berlin,
        )),
        ends_at: Some(DateTimeTz::new(
            utc("2024-07-01T09:00:00Z"),
            Tz::Europe__Berlin,
        )),
        recurrence_pattern: vec!["FREQ=WEEKLY".into()],
    });
    match times {
        Ok(EventTimes::Recurring(r)) => *r,
        other => panic!("{other:?}"),
    }
}

fn exception(date: &str, n: u128) -> EventException {
    EventException {
        id: EventExceptionId::from(uuid::Uuid::from_u128(n)),
        exception_date: utc(date),
        exception_date_tz: Tz::Europe__Berlin,
        kind: EventExceptionKind::Modified,
        title: None,
        description: None,
        is_all_day: None,
        starts_at: None,
        ends_at: None,
        created_by: UserId::from(uuid::Uuid::from_u128(1)),
        created_at: utc("2024-06-01T00:00:00Z"),
    }
}

fn ids(
    r: &RecurringTimes,
    exceptions: &[EventException],
    window: (Option<&str>, Option<&str>),
    skip: usize,
    take: usize,
) -> Vec<String> {
    let query = InstanceQuery {
        window: TimeWindow::new(window.0.map(utc), window.1.map(utc)),
        now: utc("2024-07-01T00:00:00Z"),
        skip,
        take,
    };
    list_instances(&r.series, &r.instance_template(), exceptions, &query)
        .iter()
        .map(|i| i.id.to_string())
        .collect()
}

#[test]
fn r13_listing_finds_running_and_moved_instances() {
    let r = weekly();
    let window = (Some("2024-07-15T08:30:00Z"), Some("2024-07-22T08:00:00Z"));
    // The 07-15 instance is running at time_min; 07-22 touches time_max.
    assert_eq!(
        ids(&r, &[], window, 0, 30),
        ["20240715T080000Z", "20240722T080000Z"]
    );
    // An instance from far in the future moved into the window is listed in
    // id order; one moved out of the window is not.
    let mut moved_in = exception("2025-01-06T09:00:00Z", 1);
    moved_in.starts_at = Some(DateTimeTz::new(utc("2024-07-16T12:00:00Z"), Tz::UTC));
    moved_in.ends_at = Some(DateTimeTz::new(utc("2024-07-16T13:00:00Z"), Tz::UTC));
    let mut moved_out = exception("2024-07-22T08:00:00Z", 2);
    moved_out.starts_at = Some(DateTimeTz::new(utc("2024-07-23T12:00:00Z"), Tz::UTC));
    moved_out.ends_at = Some(DateTimeTz::new(utc("2024-07-23T13:00:00Z"), Tz::UTC));
    let rows = [moved_out, moved_in];
    assert_eq!(
        ids(&r, &rows, window, 0, 30),
        ["20240715T080000Z", "20250106T090000Z"]
    );
    // An instance moved in from before the generated range comes first.
    let mut early = exception("2024-07-01T08:00:00Z", 3);
    early.ends_at = Some(DateTimeTz::new(utc("2024-07-15T09:00:00Z"), Tz::UTC));
    assert_eq!(
        ids(&r, &[early], window, 0, 30),
        ["20240701T080000Z", "20240715T080000Z", "20240722T080000Z"]
    );
}

#[test]
fn r13_cancelled_instances_are_listed_with_status() {
    let r = weekly();
    let mut cancelled = exception("2024-07-08T08:00:00Z", 1);
    cancelled.kind = EventExceptionKind::Cancelled;
    let query = InstanceQuery {
        window: TimeWindow::new(None, Some(utc("2024-07-08T08:00:00Z"))),
        now: utc("2024-07-01T00:00:00Z"),
        skip: 0,
        take: 10,
    };
    let listed = list_instances(&r.series, &r.instance_template(), &[cancelled], &query);
    let status: Vec<_> = listed.iter().map(|i| i.status).collect();
    assert_eq!(status, [InstanceStatus::Ok, InstanceStatus::Cancelled]);
}

#[test]
fn r13_pages_neither_overlap_nor_skip_and_stop_at_horizon() {
    let r = weekly();
    let all = ids(&r, &[], (None, None), 0, usize::MAX);
    // 40 years of weeks from 2024-07-01, the horizon measured from "now".
    assert_eq!(all.first().map(String::as_str), Some("20240701T080000Z"));
    assert_eq!(all.last().map(String::as_str), Some("20640630T080000Z"));
    let mut paged = Vec::new();
    for page in 0..all.len().div_ceil(30) {
        paged.extend(ids(&r, &[], (None, None), page * 30, 30));
    }
    assert_eq!(paged, all);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn r14_merge_is_order_independent(
        picks in proptest::collection::btree_set(0usize..60, 0..20),
        cancel in proptest::collection::vec(any::<bool>(), 20),
        order in any::<u64>(),
    ) {
        let r = weekly();
        let starts: Vec<_> = r.series.occurrences().take(60).collect();
        let mut rows: Vec<EventException> = picks
            .iter()
            .zip(&cancel)
            .map(|(i, c)| {
                let mut e = exception("2024-07-01T08:00:00Z", *i as u128 + 10);
                e.exception_date = starts[*i];
                e.title = Some(format!("#{i}"));
                if *c { e.kind = EventExceptionKind::Cancelled; }
                e
            })
            .collect();
        let sorted = merge_exceptions(&r.instance_template(), starts.clone(), &rows);
        // A deterministic shuffle driven by the generated seed.
        let mut seed = order;
        for i in (1..rows.len()).rev() {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            rows.swap(i, (seed >> 33) as usize % (i + 1));
        }
        let shuffled = merge_exceptions(&r.instance_template(), starts, &rows);
        prop_assert_eq!(&sorted, &shuffled);
        let titled = sorted.iter().filter(|i| i.title.is_some()).count();
        prop_assert_eq!(titled, picks.len());
    }
}
