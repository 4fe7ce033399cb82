//! `GET /events/{id}/instances`: the filtered, ordered instance sequence.

use chrono::{DateTime, TimeDelta, Utc};

use super::{Instance, InstanceTemplate};
use crate::exception::{EventException, ExceptionIndex};
use crate::recurrence::{Series, TimeWindow};

/// Filters and paging of an instance listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InstanceQuery {
    /// `time_min` / `time_max`, inclusive overlap on the effective interval.
    pub window: TimeWindow,
    /// The current time, for the 40-year horizon.
    pub now: DateTime<Utc>,
    /// Instances to skip (`per_page × (page − 1)`).
    pub skip: usize,
    /// Instances to return (`per_page`).
    pub take: usize,
}

/// Lists the instances of a series.
///
/// An instance is listed when its **effective** interval (after its
/// exception) overlaps the window. Order is by instance id (original start).
/// Occurrences are generated from `time_min − duration` up to
/// `min(time_max, now + 40 years)`; instances that an exception moved into
/// the window from outside that range are found through the exceptions, which
/// are matched by key, so their order does not matter.
pub fn list_instances(
    series: &Series,
    template: &InstanceTemplate,
    exceptions: &[EventException],
    query: &InstanceQuery,
) -> Vec<Instance> {
    let index = ExceptionIndex::new(exceptions, series.zone());
    let bounded = query.window.with_horizon(query.now);
    let from = query.window.min.map(|min| {
        min.checked_sub_signed(TimeDelta::seconds(series.duration_secs()))
            .unwrap_or(DateTime::<Utc>::MIN_UTC)
    });
    let to = bounded.max;
    let horizon = TimeWindow::unbounded().with_horizon(query.now).max;
    let in_range = |start: DateTime<Utc>| {
        from.is_none_or(|from| start >= from) && to.is_none_or(|to| start <= to)
    };
    let visible = |i: &Instance| {
        query
            .window
            .overlaps(i.starts_at.instant(), i.ends_at.instant())
    };

    // Exceptions outside the generated range that move their instance into
    // the window. Whether each is still on the grid is checked in one pass
    // over the series for all of them, so many moved exceptions cost one
    // capped expansion, not one each.
    let candidates: Vec<Instance> = index
        .iter()
        .filter(|e| !in_range(e.exception_date))
        .filter(|e| horizon.is_none_or(|h| e.exception_date <= h))
        .map(|e| index.instance(template, e.exception_date))
        .filter(visible)
        .collect();
    let on_grid = series.occurrences_among(candidates.iter().map(|i| i.id.instant()));
    let mut moved_in: Vec<Instance> = candidates
        .into_iter()
        .filter(|i| on_grid.contains(&i.id.instant()))
        .collect();
    moved_in.sort_by_key(|i| i.id);
    let split = moved_in.partition_point(|i| from.is_some_and(|from| i.id.instant() < from));
    let after = moved_in.split_off(split);

    let generated = series
        .occurrences()
        .skip_while(|start| from.is_some_and(|from| *start < from))
        .take_while(|start| to.is_none_or(|to| *start <= to))
        .map(|start| index.instance(template, start))
        .filter(visible);

    moved_in
        .into_iter()
        .chain(generated)
        .chain(after)
        .skip(query.skip)
        .take(query.take)
        .collect()
}
