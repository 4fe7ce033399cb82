//! `jobs`: maintenance jobs that the scheduler runs on a cron schedule.

use conclave_domain::ids::JobId;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use crate::enums::{JobType, SqlJobType};
use crate::paging::{Page, PageRequest};
use crate::schema::jobs;
use crate::{DbConnection, DbError, Result};

/// The most rows [`Job::list_all`] returns; the scheduler reads the whole
/// table every few seconds, so a runaway table must not stall it.
pub const MAX_JOBS: i64 = 10_000;

/// A row of `jobs`.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = jobs, check_for_backend(diesel::pg::Pg))]
pub struct Job {
    /// Primary key.
    #[diesel(deserialize_as = i64)]
    pub id: JobId,
    /// Free-form name (not unique).
    pub name: String,
    /// What the job does.
    pub kind: JobType,
    /// Job parameters, one JSON object per kind (schema.md §9.3).
    pub parameters: serde_json::Value,
    /// Run time limit in seconds (> 0).
    pub timeout_secs: i32,
    /// Six-field cron expression, evaluated in UTC.
    pub recurrence: String,
}

/// Insert form of [`Job`].
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = jobs)]
pub struct NewJob {
    /// Free-form name.
    pub name: String,
    /// What the job does.
    #[diesel(serialize_as = SqlJobType)]
    pub kind: JobType,
    /// Job parameters.
    pub parameters: serde_json::Value,
    /// Run time limit in seconds (> 0, enforced by `jobs_timeout_secs_check`).
    pub timeout_secs: i32,
    /// Six-field cron expression.
    pub recurrence: String,
}

/// Changes to a [`Job`]; `None` leaves a column unchanged.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = jobs)]
pub struct UpdateJob {
    /// New name.
    pub name: Option<String>,
    /// New kind.
    #[diesel(serialize_as = SqlJobType)]
    pub kind: Option<JobType>,
    /// New parameters.
    pub parameters: Option<serde_json::Value>,
    /// New timeout.
    pub timeout_secs: Option<i32>,
    /// New cron expression.
    pub recurrence: Option<String>,
}

impl UpdateJob {
    fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.kind.is_none()
            && self.parameters.is_none()
            && self.timeout_secs.is_none()
            && self.recurrence.is_none()
    }
}

impl Job {
    /// Looks a job up by id.
    pub async fn get(conn: &mut DbConnection, id: JobId) -> Result<Job> {
        Ok(jobs::table
            .find(i64::from(id))
            .select(Job::as_select())
            .get_result(conn)
            .await?)
    }

    /// Looks a job up by id, `None` when it does not exist.
    pub async fn find(conn: &mut DbConnection, id: JobId) -> Result<Option<Job>> {
        Ok(jobs::table
            .find(i64::from(id))
            .select(Job::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// One page of jobs, ordered by id.
    pub async fn list(conn: &mut DbConnection, page: PageRequest) -> Result<Page<Job>> {
        let items = jobs::table
            .select(Job::as_select())
            .order(jobs::id.asc())
            .offset(page.offset())
            .limit(page.limit())
            .load(conn)
            .await?;
        let total = Job::count(conn).await?;
        Ok(Page { items, total })
    }

    /// Every job (at most [`MAX_JOBS`]), ordered by id, for the scheduler.
    pub async fn list_all(conn: &mut DbConnection) -> Result<Vec<Job>> {
        Ok(jobs::table
            .select(Job::as_select())
            .order(jobs::id.asc())
            .limit(MAX_JOBS)
            .load(conn)
            .await?)
    }

    /// The number of jobs.
    pub async fn count(conn: &mut DbConnection) -> Result<i64> {
        Ok(jobs::table.count().get_result(conn).await?)
    }

    /// Applies `changes` and returns the updated row; an empty change set
    /// just reads the row.
    pub async fn update(conn: &mut DbConnection, id: JobId, changes: UpdateJob) -> Result<Job> {
        if changes.is_empty() {
            return Job::get(conn, id).await;
        }
        Ok(diesel::update(jobs::table.find(i64::from(id)))
            .set(changes)
            .returning(Job::as_select())
            .get_result(conn)
            .await?)
    }

    /// Deletes the job; its executions and their logs go by cascade.
    pub async fn delete(conn: &mut DbConnection, id: JobId) -> Result<()> {
        let deleted = diesel::delete(jobs::table.find(i64::from(id)))
            .execute(conn)
            .await?;
        if deleted == 0 {
            return Err(DbError::NotFound);
        }
        Ok(())
    }
}

impl NewJob {
    /// Inserts the job.
    pub async fn insert(self, conn: &mut DbConnection) -> Result<Job> {
        Ok(diesel::insert_into(jobs::table)
            .values(self)
            .returning(Job::as_select())
            .get_result(conn)
            .await?)
    }
}
