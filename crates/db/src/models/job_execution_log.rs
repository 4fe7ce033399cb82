//! `job_execution_logs`: the log lines of a job run, written in batches.

use chrono::{DateTime, Utc};
use conclave_domain::ids::{JobExecutionId, JobExecutionLogId};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};

use crate::enums::{LogLevel, SqlLogLevel};
use crate::paging::{Page, PageRequest};
use crate::schema::job_execution_logs;
use crate::{DbConnection, DbError, Result};

/// Rows per INSERT statement; four bind parameters per row keeps a chunk
/// far below PostgreSQL's limit of 65 535 parameters.
const INSERT_CHUNK: usize = 1_000;

/// A row of `job_execution_logs`.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = job_execution_logs, check_for_backend(diesel::pg::Pg))]
pub struct JobExecutionLog {
    /// Primary key.
    #[diesel(deserialize_as = i64)]
    pub id: JobExecutionLogId,
    /// The run this line belongs to.
    #[diesel(deserialize_as = i64)]
    pub execution_id: JobExecutionId,
    /// When the line was logged.
    pub logged_at: DateTime<Utc>,
    /// Its level.
    pub log_level: LogLevel,
    /// Its text.
    pub log_message: String,
}

/// Insert form of [`JobExecutionLog`].
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = job_execution_logs)]
pub struct NewJobExecutionLog {
    /// The run this line belongs to.
    #[diesel(serialize_as = i64)]
    pub execution_id: JobExecutionId,
    /// When the line was logged.
    pub logged_at: DateTime<Utc>,
    /// Its level.
    #[diesel(serialize_as = SqlLogLevel)]
    pub log_level: LogLevel,
    /// Its text.
    pub log_message: String,
}

impl NewJobExecutionLog {
    /// Inserts a batch of lines atomically and returns how many were written.
    /// Large batches are split into several statements inside one transaction.
    pub async fn insert_batch(
        conn: &mut DbConnection,
        lines: Vec<NewJobExecutionLog>,
    ) -> Result<usize> {
        if lines.is_empty() {
            return Ok(0);
        }
        conn.transaction::<_, DbError, _>(async |conn| {
            let mut written = 0;
            for chunk in lines.chunks(INSERT_CHUNK) {
                written += diesel::insert_into(job_execution_logs::table)
                    .values(chunk.to_vec())
                    .execute(conn)
                    .await?;
            }
            Ok(written)
        })
        .await
    }
}

impl JobExecutionLog {
    /// One page of a run's lines in logging order.
    pub async fn list_for_execution(
        conn: &mut DbConnection,
        execution_id: JobExecutionId,
        page: PageRequest,
    ) -> Result<Page<JobExecutionLog>> {
        let execution = i64::from(execution_id);
        let items = job_execution_logs::table
            .filter(job_execution_logs::execution_id.eq(execution))
            .select(JobExecutionLog::as_select())
            .order((
                job_execution_logs::logged_at.asc(),
                job_execution_logs::id.asc(),
            ))
            .offset(page.offset())
            .limit(page.limit())
            .load(conn)
            .await?;
        let total = JobExecutionLog::count_for_execution(conn, execution_id).await?;
        Ok(Page { items, total })
    }

    /// The number of lines of a run.
    pub async fn count_for_execution(
        conn: &mut DbConnection,
        execution_id: JobExecutionId,
    ) -> Result<i64> {
        Ok(job_execution_logs::table
            .filter(job_execution_logs::execution_id.eq(i64::from(execution_id)))
            .count()
            .get_result(conn)
            .await?)
    }
}
