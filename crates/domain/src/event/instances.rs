//! Instances of any event shape (rules.md §5.2, §5.3, api.md A-12).

use super::EventTimes;
use crate::exception::{EventException, ExceptionIndex};
use crate::instance::{Instance, InstanceId, InstanceQuery, list_instances};

impl EventTimes {
    /// Looks up one instance (`GET /events/{id}/instances/{instance_id}`).
    ///
    /// * Time-independent: `None` (404).
    /// * Single: exactly one instance, whose id is the event's start.
    /// * Recurring: `id` must be an exact occurrence (scan capped at 36 525,
    ///   stopping after `id`); its exception, if any, is applied.
    pub fn instance(&self, id: InstanceId, exceptions: &[EventException]) -> Option<Instance> {
        match self {
            Self::TimeIndependent => None,
            Self::Single(s) => (s.starts_at.instant() == id.instant())
                .then(|| Instance::single(s.starts_at, s.ends_at, s.is_all_day)),
            Self::Recurring(r) => r.series.contains(id.instant()).then(|| {
                ExceptionIndex::new(exceptions, r.series.zone())
                    .instance(&r.instance_template(), id.instant())
            }),
        }
    }

    /// Lists instances (`GET /events/{id}/instances`): `None` for a
    /// time-independent event (404), the one instance of a single event if
    /// it overlaps the window, or the series listing of
    /// [`list_instances`].
    pub fn instances(
        &self,
        exceptions: &[EventException],
        query: &InstanceQuery,
    ) -> Option<Vec<Instance>> {
        match self {
            Self::TimeIndependent => None,
            Self::Single(s) => {
                let single = Instance::single(s.starts_at, s.ends_at, s.is_all_day);
                let visible = query
                    .window
                    .overlaps(s.starts_at.instant(), s.ends_at.instant());
                Some(
                    std::iter::once(single)
                        .filter(|_| visible)
                        .skip(query.skip)
                        .take(query.take)
                        .collect(),
                )
            }
            Self::Recurring(r) => Some(list_instances(
                &r.series,
                &r.instance_template(),
                exceptions,
                query,
            )),
        }
    }
}
