//! Event queries of the maintenance jobs (rules.md §9.5). Each returns at
//! most `limit` rows, oldest first, so a job works through a backlog in
//! bounded batches.

use chrono::{DateTime, Utc};
use conclave_domain::ids::UserId;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use super::{Event, creator_is_active};
use crate::schema::events;
use crate::{DbConnection, Result};

impl Event {
    /// Ad-hoc events created at or before `cutoff` (`adhoc_event_cleanup`).
    pub async fn list_adhoc_created_before(
        conn: &mut DbConnection,
        cutoff: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<Event>> {
        Ok(events::table
            .filter(events::is_adhoc.eq(true))
            .filter(events::created_at.le(cutoff))
            .filter(creator_is_active())
            .select(Event::as_select())
            .order((events::created_at.asc(), events::id.asc()))
            .limit(limit.max(0))
            .load(conn)
            .await?)
    }

    /// Single (non-recurring, time-dependent) events whose stored end is at
    /// or before `cutoff` (`event_cleanup`).
    pub async fn list_single_ended_before(
        conn: &mut DbConnection,
        cutoff: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<Event>> {
        Ok(events::table
            .filter(events::is_time_independent.eq(false))
            .filter(events::is_recurring.eq(false))
            .filter(events::ends_at.le(cutoff))
            .filter(creator_is_active())
            .select(Event::as_select())
            .order((events::ends_at.asc(), events::id.asc()))
            .limit(limit.max(0))
            .load(conn)
            .await?)
    }

    /// Recurring events whose pattern is bounded by `UNTIL` or `COUNT`
    /// (case-insensitive); the job computes their last occurrence itself.
    pub async fn list_finite_recurring(conn: &mut DbConnection, limit: i64) -> Result<Vec<Event>> {
        Ok(events::table
            .filter(events::is_recurring.eq(true))
            .filter(
                events::recurrence_pattern
                    .ilike("%UNTIL%")
                    .or(events::recurrence_pattern.ilike("%COUNT%")),
            )
            .filter(creator_is_active())
            .select(Event::as_select())
            .order((events::created_at.asc(), events::id.asc()))
            .limit(limit.max(0))
            .load(conn)
            .await?)
    }

    /// Events the user created, whatever the user's state (user cleanup, R-25).
    pub async fn list_created_by_unfiltered(
        conn: &mut DbConnection,
        user: UserId,
        limit: i64,
    ) -> Result<Vec<Event>> {
        Ok(events::table
            .filter(events::created_by.eq(Uuid::from(user)))
            .select(Event::as_select())
            .order((events::created_at.asc(), events::id.asc()))
            .limit(limit.max(0))
            .load(conn)
            .await?)
    }

    /// Resets `updated_by` to the creator on every event the user last
    /// changed, bumping `revision` (user cleanup step 2); returns the count.
    pub async fn reset_updated_by(conn: &mut DbConnection, user: UserId) -> Result<usize> {
        Ok(
            diesel::update(events::table.filter(events::updated_by.eq(Uuid::from(user))))
                .set((
                    events::updated_by.eq(events::created_by),
                    events::updated_at.eq(diesel::dsl::now),
                    events::revision.eq(events::revision + 1),
                ))
                .execute(conn)
                .await?,
        )
    }
}
