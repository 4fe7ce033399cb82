//! Criterion benchmarks of recurrence expansion against raw rrule iteration.
//!
//! * `weekly_10y_50_exceptions`: list all instances of a 10-year weekly
//!   series with 50 exceptions; baseline `raw_weekly_10y` iterates the same
//!   rule set directly.
//! * `month_window_1000_series`: expand a one-month window for 1,000 series;
//!   baseline `raw_month_window_1000_series` iterates each rule set up to the
//!   window end and keeps the dates inside it.

use std::hint::black_box;

use chrono::{DateTime, TimeDelta, Utc};
use conclave_domain::exception::{EventException, EventExceptionKind};
use conclave_domain::ids::{EventExceptionId, UserId};
use conclave_domain::instance::{InstanceQuery, InstanceTemplate, list_instances};
use conclave_domain::recurrence::{RecurrencePattern, Series, TimeWindow};
use conclave_domain::time::{DateTimeTz, Tz};
use criterion::{Criterion, criterion_group, criterion_main};

fn utc(s: &str) -> DateTime<Utc> {
    s.parse().expect("benchmark instant")
}

fn series(start: DateTime<Utc>, zone: Tz, lines: &[&str]) -> Series {
    let pattern = RecurrencePattern::parse(lines)
        .expect("valid pattern")
        .expect("non-empty pattern");
    Series::new(DateTimeTz::new(start, zone), 3600, pattern).expect("valid series")
}

fn exceptions(series: &Series) -> Vec<EventException> {
    series
        .occurrences()
        .step_by(10)
        .take(50)
        .enumerate()
        .map(|(i, date)| EventException {
            id: EventExceptionId::from(uuid::Uuid::from_u128(i as u128 + 1)),
            exception_date: date,
            exception_date_tz: series.zone(),
            kind: if i % 5 == 0 {
                EventExceptionKind::Cancelled
            } else {
                EventExceptionKind::Modified
            },
            title: Some(format!("changed {i}")),
            description: None,
            is_all_day: None,
            starts_at: Some(DateTimeTz::new(date + TimeDelta::hours(2), Tz::UTC)),
            ends_at: Some(DateTimeTz::new(date + TimeDelta::hours(3), Tz::UTC)),
            created_by: UserId::from(uuid::Uuid::from_u128(99)),
            created_at: date,
        })
        .collect()
}

fn bench_weekly(c: &mut Criterion) {
    let start = utc("2024-01-01T09:00:00Z");
    let weekly = series(
        start,
        Tz::Europe__Berlin,
        &["FREQ=WEEKLY;BYDAY=MO;COUNT=522"],
    );
    let rows = exceptions(&weekly);
    let template = InstanceTemplate {
        starts_at_tz: Tz::Europe__Berlin,
        ends_at_tz: Tz::Europe__Berlin,
        duration_secs: 3600,
        is_all_day: false,
    };
    let query = InstanceQuery {
        window: TimeWindow::unbounded(),
        now: start,
        skip: 0,
        take: usize::MAX,
    };
    assert_eq!(list_instances(&weekly, &template, &rows, &query).len(), 522);
    let mut group = c.benchmark_group("recurrence");
    group.bench_function("weekly_10y_50_exceptions", |b| {
        b.iter(|| list_instances(black_box(&weekly), &template, black_box(&rows), &query))
    });
    group.bench_function("raw_weekly_10y", |b| {
        b.iter(|| black_box(weekly.rule_set()).into_iter().collect::<Vec<_>>())
    });
    group.finish();
}

fn many_series() -> Vec<Series> {
    let patterns: [&[&str]; 4] = [
        &["FREQ=WEEKLY;BYDAY=MO,TH"],
        &["FREQ=DAILY;INTERVAL=2"],
        &["FREQ=MONTHLY;BYMONTHDAY=15", "EXDATE:20250315T100000Z"],
        &["FREQ=WEEKLY;INTERVAL=2;COUNT=200"],
    ];
    let zones = [Tz::Europe__Berlin, Tz::America__New_York, Tz::UTC];
    (0..1000)
        .map(|i: i64| {
            // Starts spread over the two years before the window.
            let start = utc("2023-03-01T10:00:00Z") + TimeDelta::hours(17 * i);
            series(start, zones[i as usize % 3], patterns[i as usize % 4])
        })
        .collect()
}

fn bench_window(c: &mut Criterion) {
    let all = many_series();
    let window = TimeWindow::new(
        Some(utc("2025-03-01T00:00:00Z")),
        Some(utc("2025-04-01T00:00:00Z")),
    );
    let (min, max) = (utc("2025-03-01T00:00:00Z"), utc("2025-04-01T00:00:00Z"));
    let ours: usize = all.iter().map(|s| s.instances_in(window).count()).sum();
    assert!(ours > 1000, "window should contain instances, got {ours}");
    let mut group = c.benchmark_group("recurrence");
    group.bench_function("month_window_1000_series", |b| {
        b.iter(|| {
            black_box(&all)
                .iter()
                .map(|s| s.instances_in(window).collect::<Vec<_>>().len())
                .sum::<usize>()
        })
    });
    group.bench_function("raw_month_window_1000_series", |b| {
        b.iter(|| {
            black_box(&all)
                .iter()
                .map(|s| {
                    let end = TimeDelta::seconds(s.duration_secs());
                    s.rule_set()
                        .into_iter()
                        .map(|d| d.with_timezone(&Utc))
                        .take_while(|d| *d <= max)
                        .filter(|d| *d + end >= min)
                        .collect::<Vec<_>>()
                        .len()
                })
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, bench_weekly, bench_window);
criterion_main!(benches);
