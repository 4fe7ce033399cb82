//! `job_executions`: one row per run of a job (rules.md §9.3).

use chrono::{DateTime, Utc};
use conclave_domain::ids::{JobExecutionId, JobId};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use crate::enums::{JobStatus, SqlJobStatus};
use crate::paging::{Page, PageRequest};
use crate::schema::job_executions;
use crate::{DbConnection, DbError, Result};

/// A row of `job_executions`.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = job_executions, check_for_backend(diesel::pg::Pg))]
pub struct JobExecution {
    /// Primary key.
    #[diesel(deserialize_as = i64)]
    pub id: JobExecutionId,
    /// The job that ran.
    #[diesel(deserialize_as = i64)]
    pub job_id: JobId,
    /// When the run started.
    pub started_at: DateTime<Utc>,
    /// When the run ended; `None` while running (or if the process died).
    pub ended_at: Option<DateTime<Utc>>,
    /// `started` until the run ends, then `succeeded` or `failed`.
    pub job_status: JobStatus,
}

/// Insert form of [`JobExecution`], for importing or backfilling runs;
/// the scheduler uses [`JobExecution::start`].
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = job_executions)]
pub struct NewJobExecution {
    /// The job that ran.
    #[diesel(serialize_as = i64)]
    pub job_id: JobId,
    /// When the run started.
    pub started_at: DateTime<Utc>,
    /// When the run ended.
    pub ended_at: Option<DateTime<Utc>>,
    /// The run's status.
    #[diesel(serialize_as = SqlJobStatus)]
    pub job_status: JobStatus,
}

impl JobExecution {
    /// Records the start of a run: `started_at` = now, no end, status `started`.
    pub async fn start(conn: &mut DbConnection, job_id: JobId) -> Result<JobExecution> {
        NewJobExecution {
            job_id,
            started_at: Utc::now(),
            ended_at: None,
            job_status: JobStatus::Started,
        }
        .insert(conn)
        .await
    }

    /// Records the end of a run: `ended_at` = now and the final status.
    pub async fn finish(
        conn: &mut DbConnection,
        id: JobExecutionId,
        status: JobStatus,
    ) -> Result<JobExecution> {
        Ok(diesel::update(job_executions::table.find(i64::from(id)))
            .set((
                job_executions::ended_at.eq(Some(Utc::now())),
                job_executions::job_status.eq(SqlJobStatus(status)),
            ))
            .returning(JobExecution::as_select())
            .get_result(conn)
            .await?)
    }

    /// Looks an execution up by id.
    pub async fn get(conn: &mut DbConnection, id: JobExecutionId) -> Result<JobExecution> {
        Ok(job_executions::table
            .find(i64::from(id))
            .select(JobExecution::as_select())
            .get_result(conn)
            .await?)
    }

    /// One page of a job's executions, newest first.
    pub async fn list_for_job(
        conn: &mut DbConnection,
        job_id: JobId,
        page: PageRequest,
    ) -> Result<Page<JobExecution>> {
        let items = job_executions::table
            .filter(job_executions::job_id.eq(i64::from(job_id)))
            .select(JobExecution::as_select())
            .order((job_executions::started_at.desc(), job_executions::id.desc()))
            .offset(page.offset())
            .limit(page.limit())
            .load(conn)
            .await?;
        let total = job_executions::table
            .filter(job_executions::job_id.eq(i64::from(job_id)))
            .count()
            .get_result(conn)
            .await?;
        Ok(Page { items, total })
    }

    /// Whether the job has a run that has not ended, so the scheduler does
    /// not queue it twice.
    pub async fn is_running(conn: &mut DbConnection, job_id: JobId) -> Result<bool> {
        Ok(diesel::select(diesel::dsl::exists(
            job_executions::table
                .filter(job_executions::job_id.eq(i64::from(job_id)))
                .filter(job_executions::ended_at.is_null()),
        ))
        .get_result(conn)
        .await?)
    }

    /// Deletes the execution; its log lines go by cascade.
    pub async fn delete(conn: &mut DbConnection, id: JobExecutionId) -> Result<()> {
        let deleted = diesel::delete(job_executions::table.find(i64::from(id)))
            .execute(conn)
            .await?;
        if deleted == 0 {
            return Err(DbError::NotFound);
        }
        Ok(())
    }
}

impl NewJobExecution {
    /// Inserts the execution.
    pub async fn insert(self, conn: &mut DbConnection) -> Result<JobExecution> {
        Ok(diesel::insert_into(job_executions::table)
            .values(self)
            .returning(JobExecution::as_select())
            .get_result(conn)
            .await?)
    }
}
