//! Tests of rules.md §5.4–§5.6 and.

use chrono::{DateTime, Utc};

use super::*;
use crate::event::{EventTimes, InvalidEvent, NewEventTimes, validate_new_event};
use crate::instance::InstanceStatus;

fn utc(s: &str) -> DateTime<Utc> {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

const BERLIN: Tz = Tz::Europe__Berlin;

fn template() -> InstanceTemplate {
    InstanceTemplate {
        starts_at_tz: BERLIN,
        ends_at_tz: BERLIN,
        duration_secs: 3600,
        is_all_day: false,
    }
}

fn exception(date: &str, n: u128) -> EventException {
    EventException {
        id: EventExceptionId::from(uuid::Uuid::from_u128(n)),
        exception_date: utc(date),
        exception_date_tz: BERLIN,
        kind: EventExceptionKind::Modified,
        title: Some(format!("moved {n}")),
        description: None,
        is_all_day: None,
        starts_at: None,
        ends_at: None,
        created_by: UserId::from(uuid::Uuid::from_u128(7)),
        created_at: utc("2024-07-01T00:00:00Z"),
    }
}

fn weekly() -> [DateTime<Utc>; 3] {
    [
        utc("2024-07-22T08:00:00Z"),
        utc("2024-07-29T08:00:00Z"),
        utc("2024-08-05T08:00:00Z"),
    ]
}

#[test]
fn r14_merge_is_keyed_and_order_independent() {
    let a = exception("2024-07-22T08:00:00Z", 1);
    let mut c = exception("2024-08-05T08:00:00Z", 3);
    c.kind = EventExceptionKind::Cancelled;
    let forward = merge_exceptions(&template(), weekly(), &[a.clone(), c.clone()]);
    let backward = merge_exceptions(&template(), weekly(), &[c, a]);
    assert_eq!(forward, backward);
    let titles: Vec<_> = forward.iter().map(|i| i.title.as_deref()).collect();
    assert_eq!(titles, [Some("moved 1"), None, Some("moved 3")]);
    let status: Vec<_> = forward.iter().map(|i| i.status).collect();
    assert_eq!(
        status,
        [
            InstanceStatus::Ok,
            InstanceStatus::Ok,
            InstanceStatus::Cancelled
        ]
    );
    assert!(forward[1].updated.is_none());
    assert_eq!(
        forward[0].updated.map(|u| u.at),
        Some(utc("2024-07-01T00:00:00Z"))
    );
}

#[test]
fn r14_duplicate_dates_resolve_without_row_order() {
    let mut other_zone = exception("2024-07-29T08:00:00Z", 9);
    other_zone.exception_date_tz = Tz::UTC;
    let series_zone = exception("2024-07-29T08:00:00Z", 2);
    for rows in [
        vec![other_zone.clone(), series_zone.clone()],
        vec![series_zone.clone(), other_zone.clone()],
    ] {
        let merged = merge_exceptions(&template(), weekly(), &rows);
        assert_eq!(merged[1].title.as_deref(), Some("moved 2"));
    }
}

#[test]
fn r15_exception_is_all_day_is_rendered_and_overrides_apply_individually() {
    let mut e = exception("2024-07-29T08:00:00Z", 1);
    e.is_all_day = Some(true);
    e.starts_at = Some(DateTimeTz::new(utc("2024-07-30T00:00:00Z"), Tz::UTC));
    let merged = merge_exceptions(&template(), weekly(), &[e]);
    assert!(merged[1].is_all_day);
    assert!(!merged[0].is_all_day);
    assert_eq!(merged[1].starts_at.instant(), utc("2024-07-30T00:00:00Z"));
    // The end is not overridden, so it stays the instance's own end.
    assert_eq!(merged[1].ends_at.instant(), utc("2024-07-29T09:00:00Z"));
    assert_eq!(merged[1].id.instant(), utc("2024-07-29T08:00:00Z"));
}

fn times(start: &str, end: &str, zone: Tz, pattern: &[&str]) -> EventTimes {
    validate_new_event(&NewEventTimes {
        is_time_independent: false,
        is_all_day: Some(false),
        starts_at: Some(DateTimeTz::new(utc(start), zone)),
        ends_at: Some(DateTimeTz::new(utc(end), zone)),
        recurrence_pattern: pattern.iter().map(|s| s.to_string()).collect(),
    })
    .expect("valid times")
}

#[test]
fn r10_only_grid_changes_touch_exceptions() {
    let old = times(
        "2024-07-22T08:00:00Z",
        "2024-07-22T09:00:00Z",
        BERLIN,
        &["FREQ=WEEKLY"],
    );
    let rows = [
        exception("2024-07-29T08:00:00Z", 1),
        exception("2024-08-05T08:00:00Z", 2),
    ];
    let ids = |ns: &[u128]| -> Vec<EventExceptionId> {
        ns.iter()
            .map(|n| EventExceptionId::from(uuid::Uuid::from_u128(*n)))
            .collect()
    };
    let check = |new: &EventTimes, keep: &[u128], delete: &[u128], tz: Option<Tz>| {
        let plan = surviving_exceptions(&old, new, &rows);
        assert_eq!(
            (plan.keep, plan.delete, plan.rewrite_tz),
            (ids(keep), ids(delete), tz)
        );
    };
    // Same grid (a title-only patch leaves the times as they are): all kept.
    check(&old, &[1, 2], &[], None);
    // A longer duration moves no occurrence.
    let longer = times(
        "2024-07-22T08:00:00Z",
        "2024-07-22T10:00:00Z",
        BERLIN,
        &["FREQ=WEEKLY"],
    );
    check(&longer, &[1, 2], &[], None);
    // Every other week from the same start: 07-29 is gone, 08-05 stays.
    let biweekly = times(
        "2024-07-22T08:00:00Z",
        "2024-07-22T09:00:00Z",
        BERLIN,
        &["FREQ=WEEKLY;INTERVAL=2"],
    );
    check(&biweekly, &[2], &[1], Some(BERLIN));
    // Same instants in another zone: all kept, zone rewritten.
    let utc_zone = times(
        "2024-07-22T08:00:00Z",
        "2024-07-22T09:00:00Z",
        Tz::UTC,
        &["FREQ=WEEKLY"],
    );
    check(&utc_zone, &[1, 2], &[], Some(Tz::UTC));
    // Cleared pattern or time-independent: nothing can match.
    let single = times("2024-07-22T08:00:00Z", "2024-07-22T09:00:00Z", BERLIN, &[]);
    check(&single, &[], &[1, 2], None);
    check(&EventTimes::TimeIndependent, &[], &[1, 2], None);
}

#[test]
fn r16_instance_patch_defaults_come_from_that_instance() {
    let later = utc("2024-08-05T08:00:00Z");
    let at = |s: &str| Some(DateTimeTz::new(utc(s), BERLIN));
    let check = |existing: Option<&EventException>, patch: InstancePatch, ok: bool| {
        let got = resolve_instance_patch(&template(), later, existing, &patch);
        assert_eq!(got.is_ok(), ok, "{patch:?}: {got:?}");
        if !ok {
            assert_eq!(got, Err(InvalidEvent::EndsBeforeStarts));
        }
    };
    // Moving the later instance by 30 minutes with starts_at only works: the
    // end defaults to that instance's end (upstream compared with the first).
    check(
        None,
        InstancePatch {
            starts_at: at("2024-08-05T08:30:00Z"),
            ..Default::default()
        },
        true,
    );
    // Starting after its own end still needs both fields.
    check(
        None,
        InstancePatch {
            starts_at: at("2024-08-05T09:30:00Z"),
            ..Default::default()
        },
        false,
    );
    let both = InstancePatch {
        starts_at: at("2024-08-05T09:30:00Z"),
        ends_at: at("2024-08-05T10:30:00Z"),
        ..Default::default()
    };
    check(None, both, true);
    // An existing exception's end is the next default.
    let mut moved = exception("2024-08-05T08:00:00Z", 1);
    moved.ends_at = at("2024-08-05T12:00:00Z");
    check(
        Some(&moved),
        InstancePatch {
            starts_at: at("2024-08-05T11:00:00Z"),
            ..Default::default()
        },
        true,
    );
}

#[test]
fn instance_patch_all_day_chain_and_kinds() {
    let start = utc("2024-08-05T08:00:00Z");
    let cancelled = exception("2024-08-05T08:00:00Z", 1);
    let cancelled = EventException {
        kind: EventExceptionKind::Cancelled,
        ..cancelled
    };
    let check = |existing: Option<&EventException>, status: Option<InstanceStatus>, kind| {
        let patch = InstancePatch {
            status,
            title: Some("t".into()),
            ..Default::default()
        };
        let write = resolve_instance_patch(&template(), start, existing, &patch).expect("valid");
        assert_eq!(write.kind, kind, "{status:?}");
        assert_eq!(write.title.as_deref(), Some("t"));
        assert_eq!((write.starts_at, write.is_all_day), (None, None));
        assert_eq!(write.exception_date_tz, BERLIN);
    };
    check(None, None, EventExceptionKind::Modified);
    check(
        None,
        Some(InstanceStatus::Cancelled),
        EventExceptionKind::Cancelled,
    );
    check(Some(&cancelled), None, EventExceptionKind::Cancelled);
    check(
        Some(&cancelled),
        Some(InstanceStatus::Ok),
        EventExceptionKind::Modified,
    );
    // is_all_day from the patch requires UTC midnights of the instance times.
    let all_day = InstancePatch {
        is_all_day: Some(true),
        ..Default::default()
    };
    assert_eq!(
        resolve_instance_patch(&template(), start, None, &all_day),
        Err(InvalidEvent::AllDayNotMidnight)
    );
    assert!(InstancePatch::default().is_empty());
    assert!(!all_day.is_empty());
}
