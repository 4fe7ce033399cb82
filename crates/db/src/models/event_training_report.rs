//! `event_training_participation_report_parameter_sets`: the optional
//! training participation report parameters of an event (rules.md §17).

use conclave_domain::ids::EventId;
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use crate::schema::event_training_participation_report_parameter_sets as sets;
use crate::{DbConnection, DbError, Result};

/// A row of the parameter sets: two time ranges in seconds.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable, Insertable)]
#[diesel(table_name = sets, primary_key(event_id), check_for_backend(diesel::pg::Pg))]
pub struct EventTrainingReport {
    /// The event (primary key).
    #[diesel(deserialize_as = Uuid, serialize_as = Uuid)]
    pub event_id: EventId,
    /// Earliest first checkpoint after presence logging starts.
    pub initial_checkpoint_delay_after: i64,
    /// Random window added to the first checkpoint.
    pub initial_checkpoint_delay_within: i64,
    /// Minimum time between later checkpoints.
    pub checkpoint_interval_after: i64,
    /// Random window added to each later checkpoint.
    pub checkpoint_interval_within: i64,
}

/// The insert form is the row itself: every column is supplied.
pub type NewEventTrainingReport = EventTrainingReport;

impl EventTrainingReport {
    /// The event's parameters, or `NotFound`.
    pub async fn get(conn: &mut DbConnection, event_id: EventId) -> Result<EventTrainingReport> {
        EventTrainingReport::find(conn, event_id)
            .await?
            .ok_or(DbError::NotFound)
    }

    /// The event's parameters, if any.
    pub async fn find(
        conn: &mut DbConnection,
        event_id: EventId,
    ) -> Result<Option<EventTrainingReport>> {
        Ok(sets::table
            .find(Uuid::from(event_id))
            .select(EventTrainingReport::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// Inserts the parameters; a second set for the event is a `UniqueViolation`.
    pub async fn insert(self, conn: &mut DbConnection) -> Result<EventTrainingReport> {
        Ok(diesel::insert_into(sets::table)
            .values(self)
            .returning(EventTrainingReport::as_select())
            .get_result(conn)
            .await?)
    }

    /// Inserts the parameters unless the event has some (`POST /events`
    /// swallows duplicates); returns whether a row was inserted.
    pub async fn insert_if_absent(self, conn: &mut DbConnection) -> Result<bool> {
        let inserted = diesel::insert_into(sets::table)
            .values(self)
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
        Ok(inserted == 1)
    }

    /// Inserts the parameters or overwrites the existing ones (`PATCH`).
    pub async fn upsert(self, conn: &mut DbConnection) -> Result<EventTrainingReport> {
        Ok(diesel::insert_into(sets::table)
            .values(self)
            .on_conflict(sets::event_id)
            .do_update()
            .set((
                sets::initial_checkpoint_delay_after
                    .eq(excluded(sets::initial_checkpoint_delay_after)),
                sets::initial_checkpoint_delay_within
                    .eq(excluded(sets::initial_checkpoint_delay_within)),
                sets::checkpoint_interval_after.eq(excluded(sets::checkpoint_interval_after)),
                sets::checkpoint_interval_within.eq(excluded(sets::checkpoint_interval_within)),
            ))
            .returning(EventTrainingReport::as_select())
            .get_result(conn)
            .await?)
    }

    /// Deletes the event's parameters, or `NotFound` when it has none.
    pub async fn delete(conn: &mut DbConnection, event_id: EventId) -> Result<()> {
        let deleted = diesel::delete(sets::table.find(Uuid::from(event_id)))
            .execute(conn)
            .await?;
        crate::models::expect_one(deleted)
    }
}
