//! Rule-by-rule tests of rules.md §2 (named after the R-ids where one applies).

use chrono::{DateTime, Utc};

use super::*;
use crate::time::{DateTimeTz, Tz, unbounded_series_end};

fn utc(s: &str) -> DateTime<Utc> {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn series(start: &str, zone: Tz, duration: i64, lines: &[&str]) -> Result<Series, RecurrenceError> {
    let pattern = RecurrencePattern::parse(lines)?.expect("non-empty pattern");
    Series::validated(DateTimeTz::new(utc(start), zone), duration, pattern)
}

fn starts(s: &Series, n: usize) -> Vec<String> {
    s.occurrences()
        .take(n)
        .map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .collect()
}

const BERLIN: Tz = Tz::Europe__Berlin;

#[test]
fn r2_dtstart_is_local_wall_clock_of_the_start_zone() {
    // 10:00 Berlin = 08:00Z. Upstream labelled 08:00 (the UTC clock) as
    // local time, which would put occurrences at 06:00Z.
    let s = series(
        "2024-07-22T08:00:00Z",
        BERLIN,
        3600,
        &["FREQ=DAILY;COUNT=2"],
    )
    .expect("valid");
    assert_eq!(
        starts(&s, 5),
        ["2024-07-22T08:00:00Z", "2024-07-23T08:00:00Z"]
    );
    // 09:00 local on the first day is before DTSTART (10:00 local), so the
    // series starts on the second day; with upstream's 08:00 it would not.
    let s = series(
        "2024-07-22T08:00:00Z",
        BERLIN,
        3600,
        &["FREQ=DAILY;BYHOUR=9;COUNT=1"],
    )
    .expect("valid");
    assert_eq!(starts(&s, 5), ["2024-07-23T07:00:00Z"]);
}

#[test]
fn r3_exrule_is_honoured() {
    // Monday 2024-07-22, two weeks of days minus weekends.
    let s = series(
        "2024-07-22T08:00:00Z",
        BERLIN,
        3600,
        &["FREQ=DAILY;COUNT=14", "EXRULE:FREQ=WEEKLY;BYDAY=SA,SU"],
    )
    .expect("valid");
    let all: Vec<_> = s.occurrences().collect();
    assert_eq!(all.len(), 10);
    use chrono::Datelike;
    assert!(all.iter().all(|d| d.weekday().number_from_monday() <= 5));
}

#[test]
fn r4_multi_line_patterns_expand() {
    let check = |lines: &[&str], expect: &[&str]| {
        let s = series("2024-07-22T08:00:00Z", BERLIN, 3600, lines).expect("valid");
        assert_eq!(starts(&s, 10), expect, "{lines:?}");
    };
    check(
        &["RRULE:FREQ=WEEKLY;COUNT=3", "EXDATE:20240729T080000Z"],
        &["2024-07-22T08:00:00Z", "2024-08-05T08:00:00Z"],
    );
    check(
        &["FREQ=WEEKLY;COUNT=2", "RDATE:20240724T120000Z"],
        &[
            "2024-07-22T08:00:00Z",
            "2024-07-24T12:00:00Z",
            "2024-07-29T08:00:00Z",
        ],
    );
    check(
        &["FREQ=WEEKLY;COUNT=2", "RRULE:FREQ=WEEKLY;BYDAY=WE;COUNT=2"],
        &[
            "2024-07-22T08:00:00Z",
            "2024-07-24T08:00:00Z",
            "2024-07-29T08:00:00Z",
            "2024-07-31T08:00:00Z",
        ],
    );
    // Two rules producing the same dates give each date once.
    check(
        &["FREQ=DAILY;COUNT=2", "FREQ=DAILY;COUNT=3"],
        &[
            "2024-07-22T08:00:00Z",
            "2024-07-23T08:00:00Z",
            "2024-07-24T08:00:00Z",
        ],
    );
    check(
        &["FREQ=MONTHLY;COUNT=2"],
        &["2024-07-22T08:00:00Z", "2024-08-22T08:00:00Z"],
    );
}

#[test]
fn floating_exdates_are_read_in_the_series_zone() {
    let s = series(
        "2024-07-22T08:00:00Z",
        BERLIN,
        0,
        &["FREQ=DAILY;COUNT=3", "EXDATE:20240723T100000"],
    )
    .expect("valid");
    assert_eq!(
        starts(&s, 5),
        ["2024-07-22T08:00:00Z", "2024-07-24T08:00:00Z"]
    );
}

#[test]
fn r6_bounded_series_ends_at_end_of_last_occurrence() {
    let check = |lines: &[&str], expect: &str| {
        let s = series("2024-07-22T08:00:00Z", BERLIN, 3600, lines).expect("valid");
        assert!(s.is_bounded(), "{lines:?}");
        assert_eq!(s.stored_ends_at(), utc(expect), "{lines:?}");
    };
    check(&["FREQ=WEEKLY;COUNT=3"], "2024-08-05T09:00:00Z");
    // Across the October DST change the local 10:00 becomes 09:00 UTC.
    check(&["FREQ=MONTHLY;COUNT=4"], "2024-10-22T09:00:00Z");
    check(&["FREQ=WEEKLY;COUNT=999"], "2043-09-07T09:00:00Z");
    check(
        &["FREQ=DAILY;UNTIL=20240725T000000Z"],
        "2024-07-24T09:00:00Z",
    );
    check(&["RDATE:20250101T120000Z"], "2025-01-01T13:00:00Z");
}

#[test]
fn r7_unbounded_series_ends_at_sentinel() {
    for lines in [
        &["FREQ=WEEKLY"][..],
        &["FREQ=WEEKLY;COUNT=1000"],
        &["FREQ=YEARLY;UNTIL=21300101T000000Z"],
        &["FREQ=WEEKLY;COUNT=3", "FREQ=DAILY"],
    ] {
        let s = series("2024-07-22T08:00:00Z", BERLIN, 3600, lines).expect("valid");
        assert!(!s.is_bounded(), "{lines:?}");
        assert_eq!(s.stored_ends_at(), unbounded_series_end());
        assert_eq!(s.last_occurrence(), None);
    }
}

#[test]
fn r6_bounded_series_beyond_the_cap_gets_the_sentinel() {
    let s = series(
        "2024-07-22T00:00:00Z",
        Tz::UTC,
        60,
        &["FREQ=DAILY;BYHOUR=0,12;UNTIL=21000101T000000Z"],
    )
    .expect("valid");
    assert!(s.is_bounded());
    assert_eq!(s.last_occurrence(), None);
    assert_eq!(s.stored_ends_at(), unbounded_series_end());
    // Below the cap the true end is kept.
    let s = series(
        "2024-07-22T00:00:00Z",
        Tz::UTC,
        60,
        &["FREQ=DAILY;COUNT=999;BYHOUR=0,12"],
    );
    assert_eq!(
        s.expect("valid").stored_ends_at(),
        utc("2025-12-03T00:01:00Z")
    );
}

#[test]
fn bounded_until_limit_is_36525_days() {
    // 2024-07-22 + 36 525 days = 2124-07-23.
    let at = series(
        "2024-07-22T08:00:00Z",
        Tz::UTC,
        0,
        &["FREQ=YEARLY;UNTIL=21240723T080000Z"],
    );
    assert!(at.expect("valid").is_bounded());
    let over = series(
        "2024-07-22T08:00:00Z",
        Tz::UTC,
        0,
        &["FREQ=YEARLY;UNTIL=21240723T080001Z"],
    );
    assert!(!over.expect("valid").is_bounded());
}

#[test]
fn bounded_pattern_without_dates_is_refused() {
    let check = |lines: &[&str], expect: Result<(), RecurrenceError>| {
        let got = series("2024-07-22T08:00:00Z", BERLIN, 0, lines).map(|_| ());
        assert_eq!(got, expect, "{lines:?}");
    };
    check(
        &["FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;COUNT=3"],
        Err(RecurrenceError::NoDates),
    );
    check(
        &["FREQ=DAILY;COUNT=2", "EXRULE:FREQ=DAILY"],
        Err(RecurrenceError::NoDates),
    );
    // Unbounded patterns are not checked, as upstream.
    check(&["FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"], Ok(()));
    assert_eq!(
        RecurrenceError::NoDates.message(),
        "recurrence_pattern does not yield any dates"
    );
}

#[test]
fn until_must_not_precede_start() {
    let got = series(
        "2024-07-22T08:00:00Z",
        BERLIN,
        0,
        &["FREQ=DAILY;UNTIL=20240101T000000Z"],
    );
    assert!(
        matches!(got, Err(RecurrenceError::Invalid { .. })),
        "{got:?}"
    );
}

#[test]
fn dst_keeps_local_wall_clock_and_shifts_nonexistent_times() {
    // Weekly 09:00 Berlin across the change on 2024-03-31 (+01 -> +02).
    let s = series("2024-03-25T08:00:00Z", BERLIN, 0, &["FREQ=WEEKLY;COUNT=3"]);
    assert_eq!(
        starts(&s.expect("valid"), 3),
        [
            "2024-03-25T08:00:00Z",
            "2024-04-01T07:00:00Z",
            "2024-04-08T07:00:00Z"
        ]
    );
    // 02:30 local does not exist on 2024-03-31 and moves to 03:30 (01:30Z).
    let s = series("2024-03-30T01:30:00Z", BERLIN, 0, &["FREQ=DAILY;COUNT=3"]).expect("valid");
    assert_eq!(
        starts(&s, 3),
        [
            "2024-03-30T01:30:00Z",
            "2024-03-31T01:30:00Z",
            "2024-04-01T00:30:00Z"
        ]
    );
}

#[test]
fn start_inside_a_fall_back_hour_is_accepted() {
    // 02:30 local on 2024-10-27 exists twice in Berlin; 00:30Z is the first.
    let s = series("2024-10-27T00:30:00Z", BERLIN, 0, &["FREQ=DAILY;COUNT=2"]).expect("valid");
    assert_eq!(starts(&s, 1), ["2024-10-27T00:30:00Z"]);
}

#[test]
fn exdate_with_tzid_and_short_months() {
    let s = series(
        "2024-07-22T08:00:00Z",
        BERLIN,
        0,
        &[
            "FREQ=WEEKLY;COUNT=3",
            "EXDATE;TZID=Europe/Berlin:20240729T100000",
        ],
    );
    assert_eq!(
        starts(&s.expect("valid"), 3),
        ["2024-07-22T08:00:00Z", "2024-08-05T08:00:00Z"]
    );
    let s = series(
        "2024-01-31T10:00:00Z",
        Tz::UTC,
        0,
        &["FREQ=MONTHLY;BYMONTHDAY=31;COUNT=3"],
    );
    assert_eq!(
        starts(&s.expect("valid"), 3),
        [
            "2024-01-31T10:00:00Z",
            "2024-03-31T10:00:00Z",
            "2024-05-31T10:00:00Z"
        ]
    );
}

#[test]
fn contains_is_exact_and_capped() {
    let s = series("2024-07-22T08:00:00Z", BERLIN, 3600, &["FREQ=WEEKLY"]).expect("valid");
    assert!(s.contains(utc("2024-07-29T08:00:00Z")));
    assert!(!s.contains(utc("2024-07-29T08:00:01Z")));
    assert!(!s.contains(utc("2024-07-15T08:00:00Z")));
    // Winter occurrences sit one hour later in UTC.
    assert!(s.contains(utc("2024-12-02T09:00:00Z")));
    // 36 525 weeks is about 700 years: beyond the cap, nothing is found.
    assert!(!s.contains(utc("2800-07-22T08:00:00Z")));
    let among = s.occurrences_among([
        utc("2024-12-02T09:00:00Z"),
        utc("2024-07-29T08:00:01Z"),
        utc("2024-07-29T08:00:00Z"),
        utc("2800-07-22T08:00:00Z"),
    ]);
    let found: Vec<_> = among.into_iter().collect();
    assert_eq!(
        found,
        [utc("2024-07-29T08:00:00Z"), utc("2024-12-02T09:00:00Z")]
    );
    assert!(s.occurrences_among([]).is_empty());
    let daily = series("2024-01-01T00:00:00Z", Tz::UTC, 0, &["FREQ=DAILY"]).expect("valid");
    let mut occ = daily.occurrences();
    assert_eq!(occ.by_ref().count(), MAX_ITERATIONS);
    assert!(occ.hit_cap());
}

#[test]
fn r13_window_uses_inclusive_overlap() {
    // Weekly Monday 10:00-11:00 Berlin (08:00-09:00Z in summer).
    let s = series(
        "2024-07-01T08:00:00Z",
        BERLIN,
        3600,
        &["FREQ=WEEKLY;COUNT=5"],
    )
    .expect("valid");
    let check = |min: Option<&str>, max: Option<&str>, expect: &[&str]| {
        let w = TimeWindow::new(min.map(utc), max.map(utc));
        let got: Vec<_> = s.instances_in(w).map(|o| o.start).collect();
        let expect: Vec<_> = expect.iter().map(|e| utc(e)).collect();
        assert_eq!(got, expect, "{min:?}..{max:?}");
    };
    // A running instance at time_min is found; upstream skipped it.
    check(
        Some("2024-07-08T08:30:00Z"),
        Some("2024-07-08T23:00:00Z"),
        &["2024-07-08T08:00:00Z"],
    );
    // Touching the end and the start counts (inclusive).
    check(
        Some("2024-07-08T09:00:00Z"),
        Some("2024-07-15T08:00:00Z"),
        &["2024-07-08T08:00:00Z", "2024-07-15T08:00:00Z"],
    );
    check(
        Some("2024-07-08T09:00:01Z"),
        Some("2024-07-15T07:59:59Z"),
        &[],
    );
    check(
        None,
        Some("2024-07-08T08:00:00Z"),
        &["2024-07-01T08:00:00Z", "2024-07-08T08:00:00Z"],
    );
    check(
        Some("2024-07-22T00:00:00Z"),
        None,
        &["2024-07-22T08:00:00Z", "2024-07-29T08:00:00Z"],
    );
}

#[test]
fn r13_listing_horizon_is_forty_years() {
    let s = series("2024-01-01T00:00:00Z", Tz::UTC, 0, &["FREQ=YEARLY"]).expect("valid");
    let w = TimeWindow::unbounded().with_horizon(utc("2024-06-01T00:00:00Z"));
    let got: Vec<_> = s.instances_in(w).collect();
    assert_eq!(got.len(), 41);
    assert_eq!(
        got.last().map(|o| o.start),
        Some(utc("2064-01-01T00:00:00Z"))
    );
    let narrower = TimeWindow::new(None, Some(utc("2030-01-01T00:00:00Z")));
    assert_eq!(narrower.with_horizon(utc("2024-06-01T00:00:00Z")), narrower);
}
