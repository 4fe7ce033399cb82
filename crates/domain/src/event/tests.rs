//! Tests of rules.md §1, §2.2, §2.5, §2.6, §3 and.

use chrono::{DateTime, Utc};

use super::*;
use crate::recurrence::RecurrenceError;
use crate::time::{Tz, unbounded_series_end};

fn utc(s: &str) -> DateTime<Utc> {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn at(s: &str) -> Option<DateTimeTz> {
    Some(DateTimeTz::new(utc(s), Tz::Europe__Berlin))
}

fn timed(start: &str, end: &str, pattern: &[&str]) -> NewEventTimes {
    NewEventTimes {
        is_time_independent: false,
        is_all_day: Some(false),
        starts_at: at(start),
        ends_at: at(end),
        recurrence_pattern: pattern.iter().map(|s| s.to_string()).collect(),
    }
}

fn message(r: Result<EventTimes, EventError>) -> (String, String) {
    let e = r.expect_err("must fail");
    (e.code().to_owned(), e.message())
}

#[test]
fn shapes_are_checked_first_with_exact_messages() {
    let ti = |f: fn(&mut NewEventTimes)| {
        let mut input = NewEventTimes {
            is_time_independent: true,
            ..Default::default()
        };
        f(&mut input);
        validate_new_event(&input)
    };
    assert_eq!(ti(|_| ()), Ok(EventTimes::TimeIndependent));
    let ti_msg = "time independent events must not have is_all_day, starts_at, ends_at or recurrence_pattern set";
    for bad in [
        ti(|i| i.is_all_day = Some(false)),
        ti(|i| i.starts_at = at("2024-07-22T08:00:00Z")),
        ti(|i| i.ends_at = at("2024-07-22T08:00:00Z")),
        ti(|i| i.recurrence_pattern = vec!["FREQ=DAILY".into()]),
    ] {
        assert_eq!(message(bad), ("bad_request".into(), ti_msg.into()));
    }
    let td_msg =
        "time dependent events must have title, description, is_all_day, starts_at and ends_at set";
    let mut missing = timed("2024-07-22T08:00:00Z", "2024-07-22T09:00:00Z", &[]);
    missing.is_all_day = None;
    assert_eq!(
        message(validate_new_event(&missing)),
        ("bad_request".into(), td_msg.into())
    );
}

#[test]
fn single_event_columns() {
    let t = validate_new_event(&timed("2024-07-22T08:00:00Z", "2024-07-22T08:00:00Z", &[]));
    let c = t.expect("zero-length events are allowed").to_columns();
    assert_eq!(c.is_recurring, Some(false));
    assert_eq!(c.duration_secs, None);
    assert_eq!(c.ends_at, Some(utc("2024-07-22T08:00:00Z")));
    assert_eq!(c.recurrence_pattern, None);
    let ti = EventTimes::TimeIndependent.to_columns();
    assert_eq!(
        (ti.is_time_independent, ti.is_recurring, ti.starts_at),
        (true, None, None)
    );
}

#[test]
fn recurring_event_columns_r6_r7() {
    let mut input = timed(
        "2024-07-22T08:00:00Z",
        "2024-07-22T09:00:00Z",
        &["FREQ=WEEKLY;COUNT=3"],
    );
    input.ends_at = Some(DateTimeTz::new(
        utc("2024-07-22T09:00:00Z"),
        Tz::America__New_York,
    ));
    let c = validate_new_event(&input).expect("valid").to_columns();
    assert_eq!(c.is_recurring, Some(true));
    assert_eq!(c.duration_secs, Some(3600));
    assert_eq!(c.ends_at, Some(utc("2024-08-05T09:00:00Z")));
    assert_eq!(c.ends_at_tz.as_deref(), Some("America/New_York"));
    assert_eq!(c.starts_at_tz.as_deref(), Some("Europe/Berlin"));
    assert_eq!(c.recurrence_pattern.as_deref(), Some("FREQ=WEEKLY;COUNT=3"));
    let unbounded = timed(
        "2024-07-22T08:00:00Z",
        "2024-07-22T09:00:00Z",
        &["FREQ=WEEKLY", "EXDATE:20240729T080000Z"],
    );
    let c = validate_new_event(&unbounded).expect("valid").to_columns();
    assert_eq!(c.ends_at, Some(unbounded_series_end()));
    assert_eq!(
        c.recurrence_pattern.as_deref(),
        Some("FREQ=WEEKLY\nEXDATE:20240729T080000Z")
    );
}

#[test]
fn date_and_recurrence_errors_are_invalid_event() {
    let check = |input: NewEventTimes, code: &str, msg: &str| {
        assert_eq!(
            message(validate_new_event(&input)),
            (code.into(), msg.into()),
            "{input:?}"
        );
    };
    let start = "2024-07-22T08:00:00Z";
    check(
        timed(start, "2024-07-22T07:59:59Z", &[]),
        "invalid_event",
        "ends_at must not be before starts_at",
    );
    let all_day_msg = "is_all_day requires starts_at/ends_at to be set at the start of the day";
    let mut local_midnight = timed("2024-07-21T22:00:00Z", "2024-07-22T22:00:00Z", &[]);
    local_midnight.is_all_day = Some(true);
    check(local_midnight, "invalid_event", all_day_msg);
    check(
        timed(start, start, &["FREQ=HOURLY"]),
        "invalid_event",
        "Frequencies below 'DAILY' are not supported",
    );
    check(
        timed(start, start, &["FREQ=DAILY;UNTIL=20300101T000000"]),
        "invalid_event",
        "Invalid recurrence pattern",
    );
    check(
        timed(start, start, &["FREQ=DAILY", "DTSTART:20240101T000000Z"]),
        "invalid_event",
        "Invalid recurrence pattern",
    );
    check(
        timed(
            start,
            start,
            &["FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;COUNT=2"],
        ),
        "invalid_event",
        "recurrence_pattern does not yield any dates",
    );
    let pad = |n: usize| format!("FREQ=DAILY{}", ";".repeat(n - 10));
    let long = [pad(1024), pad(1024), pad(1024), pad(1024)];
    let long: Vec<&str> = long.iter().map(String::as_str).collect();
    check(
        timed(start, start, &long),
        "invalid_event",
        "recurrence_pattern is too long",
    );
    let five = ["FREQ=DAILY"; 5];
    let (code, _) = message(validate_new_event(&timed(start, start, &five)));
    assert_eq!(code, "invalid_json");
    let mut utc_midnights = timed(
        "2024-07-22T00:00:00Z",
        "2024-07-23T00:00:00Z",
        &["FREQ=DAILY;COUNT=2"],
    );
    utc_midnights.is_all_day = Some(true);
    assert!(validate_new_event(&utc_midnights).is_ok());
}

fn series_times() -> EventTimes {
    validate_new_event(&timed(
        "2024-07-22T08:00:00Z",
        "2024-07-22T09:00:00Z",
        &["FREQ=WEEKLY"],
    ))
    .expect("valid")
}

#[test]
fn r8_conversion_to_time_dependent_names_missing_fields() {
    let check = |patch: EventTimesPatch, fields: &[&str]| {
        let err = apply_times_patch(&EventTimes::TimeIndependent, &patch).expect_err("missing");
        let EventError::ValidationFailed(entries) = err else {
            panic!("{err:?}")
        };
        let got: Vec<_> = entries.iter().map(|e| (e.field, e.code.as_str())).collect();
        let want: Vec<_> = fields.iter().map(|f| (*f, "value_required")).collect();
        assert_eq!(got, want);
    };
    let base = EventTimesPatch {
        is_time_independent: Some(false),
        ..Default::default()
    };
    check(base.clone(), &["is_all_day", "starts_at", "ends_at"]);
    check(
        EventTimesPatch {
            starts_at: at("2024-07-22T08:00:00Z"),
            ..base.clone()
        },
        &["is_all_day", "ends_at"],
    );
    let full = EventTimesPatch {
        is_all_day: Some(false),
        starts_at: at("2024-07-22T08:00:00Z"),
        ends_at: at("2024-07-22T09:00:00Z"),
        recurrence_pattern: PatternPatch::Set(vec!["FREQ=DAILY;COUNT=2".into()]),
        ..base
    };
    let out = apply_times_patch(&EventTimes::TimeIndependent, &full).expect("valid");
    assert!(out.times.is_recurring() && out.rewrite_columns);
}

#[test]
fn to_time_independent_refuses_time_fields_and_ignores_pattern() {
    let patch = EventTimesPatch {
        is_time_independent: Some(true),
        starts_at: at("2024-07-22T08:00:00Z"),
        ends_at: at("2024-07-22T09:00:00Z"),
        ..Default::default()
    };
    let err = apply_times_patch(&series_times(), &patch).expect_err("ignored values");
    assert_eq!(err.code(), "validation_failed");
    let EventError::ValidationFailed(entries) = err else {
        panic!("{err:?}")
    };
    assert_eq!(
        entries,
        [
            FieldError::ignored("starts_at"),
            FieldError::ignored("ends_at")
        ]
    );
    assert_eq!(
        entries[0].message,
        Some("Value would be ignored in this request")
    );
    // Already time-independent, no flag: time fields are still refused.
    let no_flag = EventTimesPatch {
        is_all_day: Some(true),
        ..Default::default()
    };
    assert!(apply_times_patch(&EventTimes::TimeIndependent, &no_flag).is_err());
    let with_pattern = EventTimesPatch {
        is_time_independent: Some(true),
        recurrence_pattern: PatternPatch::Set(vec!["FREQ=DAILY".into()]),
        ..Default::default()
    };
    let out = apply_times_patch(&series_times(), &with_pattern).expect("pattern ignored");
    assert_eq!(
        (out.times, out.rewrite_columns),
        (EventTimes::TimeIndependent, true)
    );
}

#[test]
fn r9_absent_pattern_keeps_the_series() {
    let current = series_times();
    // A patch without time fields (a title-only patch) leaves the columns alone.
    let out = apply_times_patch(&current, &EventTimesPatch::default()).expect("valid");
    assert_eq!(
        (out.times.clone(), out.rewrite_columns),
        (current.clone(), false)
    );
    assert!(!current.grid_changed(&out.times));
    // A new end keeps the pattern and changes only the duration.
    let longer = EventTimesPatch {
        ends_at: at("2024-07-22T10:00:00Z"),
        ..Default::default()
    };
    let out = apply_times_patch(&current, &longer).expect("valid");
    let c = out.times.to_columns();
    assert_eq!((c.is_recurring, c.duration_secs), (Some(true), Some(7200)));
    assert!(!current.grid_changed(&out.times));
}

#[test]
fn r9_empty_or_null_pattern_clears_to_first_occurrence() {
    for clear in [PatternPatch::Clear, PatternPatch::Set(vec![])] {
        let patch = EventTimesPatch {
            recurrence_pattern: clear,
            ..Default::default()
        };
        let out = apply_times_patch(&series_times(), &patch).expect("valid");
        let c = out.times.to_columns();
        assert_eq!(c.is_recurring, Some(false));
        assert_eq!(c.duration_secs, None);
        assert_eq!(c.ends_at, Some(utc("2024-07-22T09:00:00Z")));
        assert!(series_times().grid_changed(&out.times));
    }
    let replace = EventTimesPatch {
        recurrence_pattern: PatternPatch::Set(vec!["FREQ=DAILY;COUNT=2".into()]),
        ..Default::default()
    };
    let out = apply_times_patch(&series_times(), &replace).expect("valid");
    assert_eq!(
        out.times.to_columns().recurrence_pattern.as_deref(),
        Some("FREQ=DAILY;COUNT=2")
    );
}

#[test]
fn grid_changes() {
    let base = series_times();
    let patched = |patch: EventTimesPatch| apply_times_patch(&base, &patch).expect("valid").times;
    let zone = DateTimeTz::new(utc("2024-07-22T08:00:00Z"), Tz::UTC);
    assert!(base.grid_changed(&patched(EventTimesPatch {
        starts_at: Some(zone),
        ..Default::default()
    })));
    assert!(base.grid_changed(&patched(EventTimesPatch {
        starts_at: at("2024-07-22T08:30:00Z"),
        ..Default::default()
    })));
    let all_day = validate_new_event(&NewEventTimes {
        is_all_day: Some(true),
        ..timed(
            "2024-07-22T00:00:00Z",
            "2024-07-23T00:00:00Z",
            &["FREQ=WEEKLY"],
        )
    });
    let all_day = all_day.expect("valid");
    let not_all_day = apply_times_patch(
        &all_day,
        &EventTimesPatch {
            is_all_day: Some(false),
            ..Default::default()
        },
    );
    assert!(all_day.grid_changed(&not_all_day.expect("valid").times));
    assert!(base.grid_changed(&EventTimes::TimeIndependent));
}

#[test]
fn r5_columns_round_trip_and_inconsistent_rows_are_errors() {
    for times in [series_times(), EventTimes::TimeIndependent] {
        assert_eq!(EventTimes::from_columns(&times.to_columns()), Ok(times));
    }
    let single = validate_new_event(&timed("2024-07-22T08:00:00Z", "2024-07-22T09:00:00Z", &[]));
    let single = single.expect("valid");
    assert_eq!(EventTimes::from_columns(&single.to_columns()), Ok(single));
    let good = series_times().to_columns();
    let broken = [
        EventTimeColumns {
            recurrence_pattern: None,
            ..good.clone()
        },
        EventTimeColumns {
            duration_secs: None,
            ..good.clone()
        },
        EventTimeColumns {
            starts_at: None,
            ..good.clone()
        },
        EventTimeColumns {
            starts_at_tz: Some("Nowhere".into()),
            ..good.clone()
        },
        EventTimeColumns {
            recurrence_pattern: Some("FREQ=SOMETIMES".into()),
            ..good.clone()
        },
        EventTimeColumns {
            recurrence_pattern: Some(String::new()),
            ..good
        },
    ];
    for columns in broken {
        assert!(EventTimes::from_columns(&columns).is_err(), "{columns:?}");
    }
    assert!(matches!(
        EventError::from(RecurrenceError::TooManyRules { count: 5 }),
        EventError::InvalidJson(_)
    ));
}

#[test]
fn a12_instances_by_shape() {
    use crate::instance::{InstanceId, InstanceQuery};
    use crate::recurrence::TimeWindow;
    let id = |s: &str| s.parse::<InstanceId>().expect("instance id");
    let query = |min: Option<&str>| InstanceQuery {
        window: TimeWindow::new(min.map(utc), None),
        now: utc("2024-07-01T00:00:00Z"),
        skip: 0,
        take: 3,
    };
    // Time-independent events have no instances at all (404).
    let ti = EventTimes::TimeIndependent;
    assert_eq!(ti.instance(id("20240722T080000Z"), &[]), None);
    assert_eq!(ti.instances(&[], &query(None)), None);
    // A single event has exactly one instance, at its start.
    let single = validate_new_event(&timed("2024-07-22T08:00:00Z", "2024-07-22T09:00:00Z", &[]));
    let single = single.expect("valid");
    assert!(single.instance(id("20240722T080000Z"), &[]).is_some());
    assert_eq!(single.instance(id("20240729T080000Z"), &[]), None);
    let listed = single.instances(&[], &query(Some("2024-07-22T09:00:00Z")));
    assert_eq!(listed.map(|l| l.len()), Some(1));
    let listed = single.instances(&[], &query(Some("2024-07-22T09:00:01Z")));
    assert_eq!(listed.map(|l| l.len()), Some(0));
    // A series answers only for exact occurrences (§5.2).
    let series = series_times();
    assert!(
        series
            .instance(id("2024-07-29T10:00:00+02:00"), &[])
            .is_some()
    );
    assert_eq!(series.instance(id("20240729T080001Z"), &[]), None);
    let page = series.instances(&[], &query(None)).expect("series");
    let ids: Vec<_> = page.iter().map(|i| i.id.to_string()).collect();
    assert_eq!(
        ids,
        ["20240722T080000Z", "20240729T080000Z", "20240805T080000Z"]
    );
}
