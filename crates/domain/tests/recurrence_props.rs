//! Property tests of recurrence expansion (rules.md §2): counts, order,
//! windows, DST wall-clock time, stored `ends_at` and parser robustness.

use chrono::{DateTime, LocalResult, NaiveTime, TimeDelta, TimeZone, Utc};
use conclave_domain::recurrence::{RecurrencePattern, Series, TimeWindow};
use conclave_domain::time::{DateTimeTz, Tz};
use proptest::prelude::*;

const ZONES: [Tz; 4] = [
    Tz::UTC,
    Tz::Europe__Berlin,
    Tz::America__New_York,
    Tz::Australia__Lord_Howe,
];

fn build(start: DateTime<Utc>, zone: Tz, duration: i64, lines: &[String]) -> Option<Series> {
    let pattern = RecurrencePattern::parse(lines).ok()??;
    Series::new(DateTimeTz::new(start, zone), duration, pattern).ok()
}

fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    // 2000-01-01 .. 2040-01-01, whole minutes.
    (946_684_800i64 / 60..2_208_988_800i64 / 60)
        .prop_map(|m| DateTime::<Utc>::from_timestamp(m * 60, 0).unwrap_or_default())
}

fn zone() -> impl Strategy<Value = Tz> {
    (0..ZONES.len()).prop_map(|i| ZONES[i])
}

/// Patterns built from realistic parts; all are bounded by COUNT.
fn bounded_pattern() -> impl Strategy<Value = Vec<String>> {
    let freq = prop_oneof![
        Just("DAILY"),
        Just("WEEKLY"),
        Just("MONTHLY"),
        Just("YEARLY")
    ];
    let byday = prop_oneof![Just(""), Just(";BYDAY=MO,WE,FR"), Just(";BYDAY=SA,SU")];
    (
        freq,
        1u16..4,
        byday,
        1u32..120,
        proptest::option::of(1u32..40),
    )
        .prop_map(|(freq, interval, byday, count, extra)| {
            let mut lines = vec![format!(
                "FREQ={freq};INTERVAL={interval};COUNT={count}{byday}"
            )];
            if let Some(n) = extra {
                lines.push(format!("RRULE:FREQ=WEEKLY;COUNT={n}"));
            }
            lines
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn count_n_yields_n_instances(start in instant(), zone in zone(), n in 1u32..400,
                                  freq in prop_oneof![Just("DAILY"), Just("WEEKLY"), Just("MONTHLY")]) {
        let series = build(start, zone, 0, &[format!("FREQ={freq};COUNT={n}")]);
        let series = series.expect("valid pattern");
        prop_assert_eq!(series.occurrences().count(), n as usize);
    }

    #[test]
    fn instances_are_strictly_increasing_and_unique(start in instant(), zone in zone(),
                                                     lines in bounded_pattern()) {
        let series = build(start, zone, 0, &lines).expect("generated patterns are valid");
        let all: Vec<_> = series.occurrences().collect();
        prop_assert!(all.windows(2).all(|w| w[0] < w[1]), "{:?}", lines);
    }

    #[test]
    fn window_expansion_equals_filtered_full_expansion(
        start in instant(), zone in zone(), lines in bounded_pattern(),
        duration in 0i64..200_000, a in 0i64..400 * 86_400, b in 0i64..400 * 86_400,
        open_min in any::<bool>(), open_max in any::<bool>(),
    ) {
        let series = build(start, zone, duration, &lines).expect("generated patterns are valid");
        let (lo, hi) = (a.min(b), a.max(b));
        let window = TimeWindow::new(
            (!open_min).then(|| start + TimeDelta::seconds(lo)),
            (!open_max).then(|| start + TimeDelta::seconds(hi)),
        );
        let windowed: Vec<_> = series.instances_in(window).map(|o| o.start).collect();
        let filtered: Vec<_> = series
            .occurrences()
            .filter(|s| window.overlaps(*s, *s + TimeDelta::seconds(duration)))
            .collect();
        prop_assert_eq!(windowed, filtered);
    }

    #[test]
    fn local_wall_clock_is_kept_across_dst(
        day in instant(), zone in prop_oneof![
            Just(Tz::Europe__Berlin), Just(Tz::America__New_York), Just(Tz::Australia__Lord_Howe)],
        hour in 0u32..24, quarter in 0u32..4, weekly in any::<bool>(),
    ) {
        let wanted = NaiveTime::from_hms_opt(hour, quarter * 15, 0).expect("valid time");
        let local_day = day.with_timezone(&zone).date_naive();
        let Some(start) = zone.from_local_datetime(&local_day.and_time(wanted)).earliest() else {
            return Ok(());
        };
        let freq = if weekly { "WEEKLY" } else { "DAILY" };
        let series = build(start.with_timezone(&Utc), zone, 0, &[format!("FREQ={freq};COUNT=120")]);
        let step = if weekly { 7 } else { 1 };
        for (i, occurrence) in series.expect("valid").occurrences().enumerate() {
            let date = local_day + TimeDelta::days(step * i as i64);
            let local = occurrence.with_timezone(&zone);
            prop_assert_eq!(local.date_naive(), date);
            match zone.from_local_datetime(&date.and_time(wanted)) {
                LocalResult::Single(x) | LocalResult::Ambiguous(x, _) => {
                    prop_assert_eq!(occurrence, x.with_timezone(&Utc));
                }
                // A nonexistent local time moves forward, never back.
                LocalResult::None => prop_assert!(local.time() > wanted),
            }
        }
    }

    #[test]
    fn stored_ends_at_is_end_of_last_instance(start in instant(), zone in zone(),
                                              lines in bounded_pattern(), duration in 0i64..100_000) {
        let series = build(start, zone, duration, &lines).expect("generated patterns are valid");
        prop_assert!(series.is_bounded());
        let last = series.occurrences().last().expect("bounded patterns here yield dates");
        prop_assert_eq!(series.stored_ends_at(), last + TimeDelta::seconds(duration));
    }

    #[test]
    fn arbitrary_text_never_panics(entries in proptest::collection::vec(".{0,80}", 0..6),
                                   start in instant(), zone in zone()) {
        if let Some(series) = build(start, zone, 60, &entries) {
            let _ = series.occurrences().take(20).count();
            let _ = series.is_bounded();
        }
    }

    #[test]
    fn rule_like_text_never_panics(
        parts in proptest::collection::vec(prop_oneof![
            Just("FREQ=".to_string()), Just("DAILY".to_string()), Just("YEARLY".to_string()),
            Just(";COUNT=".to_string()), Just(";UNTIL=".to_string()), Just(";BYSETPOS=".to_string()),
            Just(";BYMONTHDAY=".to_string()), Just(";BYDAY=".to_string()), Just(";BYWEEKNO=".to_string()),
            Just(";INTERVAL=".to_string()), Just("RDATE:".to_string()), Just("EXDATE;TZID=".to_string()),
            Just("EXRULE:".to_string()), Just(":".to_string()), Just(",".to_string()),
            "-?[0-9]{1,6}", "[0-9]{8}T[0-9]{6}Z?", "[A-Z]{2}", "[^\\x00-\\x7f]{1,2}[A-Z]?",
        ], 1..14),
        start in instant(), zone in zone(),
    ) {
        let line = parts.concat();
        if let Some(series) = build(start, zone, 60, &[line]) {
            let _ = series.occurrences().take(20).count();
        }
    }
}
