//! Fuzz target: arbitrary pattern text must never panic the recurrence parser,
//! the rule-set builder or the capped expansion.
//!
//! Input layout: byte 0 picks a zone, bytes 1..5 a start offset in seconds,
//! the rest is UTF-8 text split into entries at ASCII unit separators (0x1f),
//! so entries may themselves contain line breaks.
#![no_main]

use chrono::{DateTime, TimeDelta, Utc};
use conclave_domain::recurrence::{RecurrencePattern, Series, TimeWindow};
use conclave_domain::time::{DateTimeTz, Tz};
use libfuzzer_sys::fuzz_target;

const ZONES: [Tz; 5] = [
    Tz::UTC,
    Tz::Europe__Berlin,
    Tz::America__New_York,
    Tz::Australia__Lord_Howe,
    Tz::Pacific__Chatham,
];

fuzz_target!(|data: &[u8]| {
    if data.len() < 5 {
        return;
    }
    let zone = ZONES[usize::from(data[0]) % ZONES.len()];
    let offset = i32::from_le_bytes([data[1], data[2], data[3], data[4]]);
    let Ok(text) = std::str::from_utf8(&data[5..]) else {
        return;
    };
    let entries: Vec<&str> = text.split('\u{1f}').collect();
    let Ok(Some(pattern)) = RecurrencePattern::parse(&entries) else {
        return;
    };
    // Stored text must read back to the same pattern.
    assert_eq!(
        RecurrencePattern::from_stored(&pattern.to_stored())
            .ok()
            .flatten()
            .as_ref(),
        Some(&pattern)
    );
    let base = DateTime::<Utc>::from_timestamp(1_700_000_000, 0).unwrap_or_default();
    let start = base + TimeDelta::seconds(i64::from(offset));
    let Ok(series) = Series::validated(DateTimeTz::new(start, zone), 3600, pattern) else {
        return;
    };
    let mut last = None;
    for occurrence in series.occurrences().take(200) {
        assert!(
            last < Some(occurrence),
            "occurrences must strictly increase"
        );
        last = Some(occurrence);
    }
    let _ = series.stored_ends_at();
    if let Some(at) = last {
        assert!(series.contains(at));
        let window = TimeWindow::new(Some(at), Some(at));
        assert!(series.instances_in(window).any(|o| o.start == at));
    }
});
