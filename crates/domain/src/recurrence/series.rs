//! A recurring series: the one rule set built from start, zone and pattern,
//! and the capped computations on it (occurrences, bounds, stored `ends_at`).

use std::collections::BTreeSet;

use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use rrule::{RRuleSet, RRuleSetIter};

use super::{
    BOUNDED_COUNT, BOUNDED_UNTIL_DAYS, MAX_ITERATIONS, RecurrenceError, RecurrencePattern,
};
use crate::time::{DateTimeTz, Tz, unbounded_series_end};

/// A recurrence pattern anchored at a start instant in a zone.
///
/// Built once with [`Series::new`]; DTSTART is the start as wall-clock time in
/// its zone, followed by every line of the pattern. The set is
/// built from the instant directly rather than from a formatted
/// `DTSTART;TZID=…` line, so a start inside a fall-back hour is not refused as
/// ambiguous; the wall-clock time is the same.
#[derive(Debug, Clone)]
pub struct Series {
    start: DateTime<Utc>,
    zone: Tz,
    duration_secs: i64,
    pattern: RecurrencePattern,
    set: RRuleSet,
}

impl Series {
    /// Builds the rule set. Fails with "Invalid recurrence pattern" when the
    /// set does not parse for this start (for example `UNTIL` before the
    /// start, or a date that does not exist in the zone).
    ///
    /// The start is truncated to whole seconds, the resolution of instance
    /// ids; a negative duration counts as zero.
    pub fn new(
        start: DateTimeTz,
        duration_secs: i64,
        pattern: RecurrencePattern,
    ) -> Result<Self, RecurrenceError> {
        let instant = start
            .instant()
            .duration_trunc(TimeDelta::seconds(1))
            .unwrap_or(start.instant());
        let zone = start.zone();
        let dt_start = instant.with_timezone(&rrule::Tz::Tz(zone));
        let text = pattern
            .parsed_lines()
            .iter()
            .map(|line| line.render(zone.name()))
            .collect::<Vec<_>>()
            .join("\n");
        // `limit` turns on rrule's loop guard for rules that never match.
        let set = RRuleSet::new(dt_start)
            .limit()
            .set_from_string(&text)
            .map_err(RecurrenceError::invalid)?;
        Ok(Self {
            start: instant,
            zone,
            duration_secs: duration_secs.max(0),
            pattern,
            set,
        })
    }

    /// [`Series::new`] plus the creation-time check of rules.md §2.2: a
    /// bounded series must yield at least one date.
    pub fn validated(
        start: DateTimeTz,
        duration_secs: i64,
        pattern: RecurrencePattern,
    ) -> Result<Self, RecurrenceError> {
        let series = Self::new(start, duration_secs, pattern)?;
        if series.is_bounded() && series.occurrences().next().is_none() {
            return Err(RecurrenceError::NoDates);
        }
        Ok(series)
    }

    /// The series start (DTSTART) in UTC.
    pub fn start(&self) -> DateTime<Utc> {
        self.start
    }

    /// The zone the series is expanded in (`starts_at_tz`).
    pub fn zone(&self) -> Tz {
        self.zone
    }

    /// Seconds from an occurrence's start to its end.
    pub fn duration_secs(&self) -> i64 {
        self.duration_secs
    }

    /// The pattern the series was built from.
    pub fn pattern(&self) -> &RecurrencePattern {
        &self.pattern
    }

    /// The underlying rrule set (DTSTART plus all lines), for benchmarks and
    /// diagnostics. Iterating it directly is unbounded: prefer
    /// [`Series::occurrences`].
    pub fn rule_set(&self) -> &RRuleSet {
        &self.set
    }

    /// Occurrence starts in UTC, strictly increasing, at most
    /// [`MAX_ITERATIONS`] scanned.
    pub fn occurrences(&self) -> Occurrences {
        Occurrences {
            inner: self.set.into_iter(),
            last: None,
            scanned: 0,
        }
    }

    /// True when every RRULE has `COUNT` < 1000 or an `UNTIL` at most 36 525
    /// days after the start (rules.md §2.4). A set of RDATEs only is bounded.
    pub fn is_bounded(&self) -> bool {
        let limit = self.start + TimeDelta::days(BOUNDED_UNTIL_DAYS);
        self.set.get_rrule().iter().all(|rule| {
            rule.get_count().is_some_and(|c| c < BOUNDED_COUNT)
                || rule
                    .get_until()
                    .is_some_and(|u| u.with_timezone(&Utc) <= limit)
        })
    }

    /// Start of the last occurrence of a bounded series. `None` for an
    /// unbounded series, one without dates, or one whose end lies beyond the
    /// iteration cap (then the last occurrence is unknown).
    pub fn last_occurrence(&self) -> Option<DateTime<Utc>> {
        if !self.is_bounded() {
            return None;
        }
        let mut occurrences = self.occurrences();
        let last = occurrences.by_ref().last();
        if occurrences.hit_cap() {
            return None;
        }
        last
    }

    /// The value for `events.ends_at`: the end of the last occurrence of a
    /// bounded series, or the sentinel `9999-12-31T23:59:59Z` for an
    /// unbounded one.
    ///
    /// A bounded series with more occurrences than the cap (for example
    /// twice daily for 100 years) also gets the sentinel: a stored end that
    /// is too early would hide the rest of the series from overlap queries,
    /// while a late one only costs an extra expansion.
    pub fn stored_ends_at(&self) -> DateTime<Utc> {
        if !self.is_bounded() {
            return unbounded_series_end();
        }
        match self.last_occurrence() {
            Some(last) => self.end_of(last),
            None if self.occurrences().next().is_none() => self.end_of(self.start),
            None => unbounded_series_end(),
        }
    }

    /// True when `instant` is exactly an occurrence start. Scans at most
    /// [`MAX_ITERATIONS`] occurrences and stops after `instant` (rules.md §5.2).
    pub fn contains(&self, instant: DateTime<Utc>) -> bool {
        for start in self.occurrences() {
            if start >= instant {
                return start == instant;
            }
        }
        false
    }

    /// Which of `instants` are occurrences, in one capped pass over the
    /// series: checking many instants with [`Series::contains`] would walk
    /// the series once per instant.
    pub fn occurrences_among(
        &self,
        instants: impl IntoIterator<Item = DateTime<Utc>>,
    ) -> BTreeSet<DateTime<Utc>> {
        let wanted: BTreeSet<DateTime<Utc>> = instants.into_iter().collect();
        let Some(last) = wanted.last().copied() else {
            return BTreeSet::new();
        };
        self.occurrences()
            .take_while(|start| *start <= last)
            .filter(|start| wanted.contains(start))
            .collect()
    }

    /// The end of the occurrence starting at `start`.
    pub fn end_of(&self, start: DateTime<Utc>) -> DateTime<Utc> {
        DateTimeTz::new(start, self.zone)
            .plus_secs(self.duration_secs)
            .instant()
    }
}

impl PartialEq for Series {
    /// Two series are equal when start, zone, duration and pattern are: the
    /// rule set is derived from exactly these.
    fn eq(&self, other: &Self) -> bool {
        self.start == other.start
            && self.zone == other.zone
            && self.duration_secs == other.duration_secs
            && self.pattern == other.pattern
    }
}

/// Occurrence starts of a [`Series`] in UTC.
///
/// The rrule set iterator can repeat a date (two rules, or an RDATE equal to
/// a rule date) and, with several times per day, a DST shift can yield a date
/// before the previous one. Such dates are skipped, so the sequence is
/// strictly increasing and instance ids are unique.
#[derive(Debug)]
pub struct Occurrences {
    inner: RRuleSetIter,
    last: Option<DateTime<Utc>>,
    scanned: usize,
}

impl Occurrences {
    /// True once the iteration cap stopped the sequence early.
    pub fn hit_cap(&self) -> bool {
        self.scanned >= MAX_ITERATIONS
    }
}

impl Iterator for Occurrences {
    type Item = DateTime<Utc>;

    fn next(&mut self) -> Option<Self::Item> {
        while self.scanned < MAX_ITERATIONS {
            let next = self.inner.next()?.with_timezone(&Utc);
            self.scanned += 1;
            if self.last.is_some_and(|last| next <= last) {
                continue;
            }
            self.last = Some(next);
            return Some(next);
        }
        None
    }
}
