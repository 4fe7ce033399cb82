//! Queries of `jobs`, `job_executions` and `job_execution_logs`.

use chrono::{Duration, Utc};
use conclave_db::enums::{JobStatus, JobType, LogLevel};
use conclave_db::models::job::{Job, NewJob, UpdateJob};
use conclave_db::models::job_execution::{JobExecution, NewJobExecution};
use conclave_db::models::job_execution_log::{JobExecutionLog, NewJobExecutionLog};
use conclave_db::paging::PageRequest;
use conclave_db::testing::test_transaction;
use conclave_db::{DbConnection, DbError};
use serde_json::json;

fn new_job(kind: JobType) -> NewJob {
    NewJob {
        name: format!("{kind} job"),
        kind,
        parameters: json!({"days_since_last_occurrence": 7}),
        timeout_secs: 60,
        recurrence: "0 30 3 * * *".to_owned(),
    }
}

async fn job(conn: &mut DbConnection) -> Job {
    new_job(JobType::SelfCheck).insert(conn).await.unwrap()
}

fn log_line(execution: &JobExecution, level: LogLevel, message: &str) -> NewJobExecutionLog {
    NewJobExecutionLog {
        execution_id: execution.id,
        logged_at: Utc::now(),
        log_level: level,
        log_message: message.to_owned(),
    }
}

#[tokio::test]
async fn jobs_insert_read_update_and_delete() {
    let mut conn = test_transaction().await;
    let job = new_job(JobType::EventCleanup)
        .insert(&mut conn)
        .await
        .unwrap();
    assert_eq!(job.name, "event_cleanup job");
    assert_eq!(job.parameters, json!({"days_since_last_occurrence": 7}));
    assert_eq!(
        (job.timeout_secs, job.recurrence.as_str()),
        (60, "0 30 3 * * *")
    );
    assert_eq!(Job::get(&mut conn, job.id).await.unwrap(), job);
    assert_eq!(
        Job::find(&mut conn, job.id).await.unwrap(),
        Some(job.clone())
    );

    let changes = UpdateJob {
        name: Some("renamed".to_owned()),
        parameters: Some(json!({})),
        timeout_secs: Some(5),
        ..UpdateJob::default()
    };
    let updated = Job::update(&mut conn, job.id, changes).await.unwrap();
    assert_eq!(updated.name, "renamed");
    assert_eq!(updated.parameters, json!({}));
    assert_eq!(updated.timeout_secs, 5);
    assert_eq!(
        updated.kind,
        JobType::EventCleanup,
        "unchanged columns stay"
    );
    assert_eq!(updated.recurrence, job.recurrence);
    let unchanged = Job::update(&mut conn, job.id, UpdateJob::default())
        .await
        .unwrap();
    assert_eq!(unchanged, updated, "an empty change set only reads");

    Job::delete(&mut conn, job.id).await.unwrap();
    assert!(matches!(
        Job::get(&mut conn, job.id).await,
        Err(DbError::NotFound)
    ));
    assert_eq!(Job::find(&mut conn, job.id).await.unwrap(), None);
    assert!(matches!(
        Job::delete(&mut conn, job.id).await,
        Err(DbError::NotFound)
    ));
    let missing = Job::update(&mut conn, job.id, UpdateJob::default()).await;
    assert!(matches!(missing, Err(DbError::NotFound)));
}

#[tokio::test]
async fn every_job_type_round_trips() {
    let mut conn = test_transaction().await;
    assert_eq!(JobType::ALL.len(), 7);
    let mut ids = Vec::new();
    for &kind in JobType::ALL {
        let inserted = new_job(kind).insert(&mut conn).await.unwrap();
        assert_eq!(Job::get(&mut conn, inserted.id).await.unwrap().kind, kind);
        ids.push(inserted.id);
    }
    let kinds: Vec<JobType> = Job::list_all(&mut conn)
        .await
        .unwrap()
        .iter()
        .filter(|job| ids.contains(&job.id))
        .map(|job| job.kind)
        .collect();
    assert_eq!(kinds, JobType::ALL, "list_all orders by id");
    let first = ids[0];
    let changes = UpdateJob {
        kind: Some(JobType::KeycloakAccountSync),
        ..UpdateJob::default()
    };
    let updated = Job::update(&mut conn, first, changes).await.unwrap();
    assert_eq!(updated.kind, JobType::KeycloakAccountSync);
}

#[tokio::test]
async fn jobs_list_pages_by_id() {
    let mut conn = test_transaction().await;
    let before = Job::count(&mut conn).await.unwrap();
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(job(&mut conn).await.id);
    }
    assert_eq!(Job::count(&mut conn).await.unwrap(), before + 3);
    let all = Job::list_all(&mut conn).await.unwrap();
    let last_page = Job::list(&mut conn, PageRequest::new(2, all.len() as i64 - 1))
        .await
        .unwrap();
    assert_eq!(last_page.total, before + 3);
    assert_eq!(last_page.items.len(), 1);
    assert_eq!(last_page.items[0].id, *ids.last().unwrap());
}

#[tokio::test]
async fn timeout_must_be_positive() {
    let mut conn = test_transaction().await;
    for timeout_secs in [0, -1] {
        let mut invalid = new_job(JobType::SelfCheck);
        invalid.timeout_secs = timeout_secs;
        match invalid.insert(&mut conn).await {
            Err(DbError::CheckViolation { constraint }) => {
                assert_eq!(constraint.as_deref(), Some("jobs_timeout_secs_check"))
            }
            other => panic!("timeout {timeout_secs}: expected a check violation, got {other:?}"),
        }
        // A failed statement aborts the transaction; start a fresh one.
        conn = test_transaction().await;
    }
    let job = job(&mut conn).await;
    let changes = UpdateJob {
        timeout_secs: Some(0),
        ..UpdateJob::default()
    };
    let result = Job::update(&mut conn, job.id, changes).await;
    assert!(
        matches!(result, Err(DbError::CheckViolation { .. })),
        "{result:?}"
    );
}

#[tokio::test]
async fn executions_start_and_finish() {
    let mut conn = test_transaction().await;
    let job = job(&mut conn).await;
    assert!(!JobExecution::is_running(&mut conn, job.id).await.unwrap());
    let started = JobExecution::start(&mut conn, job.id).await.unwrap();
    assert_eq!(started.job_id, job.id);
    assert_eq!(started.job_status, JobStatus::Started);
    assert_eq!(started.ended_at, None);
    assert!(JobExecution::is_running(&mut conn, job.id).await.unwrap());

    let finished = JobExecution::finish(&mut conn, started.id, JobStatus::Succeeded)
        .await
        .unwrap();
    assert_eq!(finished.job_status, JobStatus::Succeeded);
    assert!(finished.ended_at.unwrap() >= finished.started_at);
    assert_eq!(
        JobExecution::get(&mut conn, started.id).await.unwrap(),
        finished
    );
    assert!(!JobExecution::is_running(&mut conn, job.id).await.unwrap());

    let other_job = self::job(&mut conn).await;
    let other = JobExecution::start(&mut conn, other_job.id).await.unwrap();
    assert!(!JobExecution::is_running(&mut conn, job.id).await.unwrap());
    JobExecution::delete(&mut conn, other.id).await.unwrap();
    let gone = JobExecution::get(&mut conn, other.id).await;
    assert!(matches!(gone, Err(DbError::NotFound)));
    let again = JobExecution::delete(&mut conn, other.id).await;
    assert!(matches!(again, Err(DbError::NotFound)));
    let missing = JobExecution::finish(&mut conn, other.id, JobStatus::Failed).await;
    assert!(matches!(missing, Err(DbError::NotFound)));
}

#[tokio::test]
async fn every_job_status_round_trips_and_lists_newest_first() {
    let mut conn = test_transaction().await;
    let job = job(&mut conn).await;
    let base = Utc::now() - Duration::hours(1);
    let mut ids = Vec::new();
    for (i, &status) in JobStatus::ALL.iter().enumerate() {
        let started_at = base + Duration::minutes(i as i64);
        let row = NewJobExecution {
            job_id: job.id,
            started_at,
            ended_at: (status != JobStatus::Started).then_some(started_at),
            job_status: status,
        }
        .insert(&mut conn)
        .await
        .unwrap();
        assert_eq!(
            JobExecution::get(&mut conn, row.id)
                .await
                .unwrap()
                .job_status,
            status
        );
        ids.push(row.id);
    }
    let page = JobExecution::list_for_job(&mut conn, job.id, PageRequest::new(1, 2))
        .await
        .unwrap();
    assert_eq!(page.total, 3);
    let listed: Vec<_> = page.items.iter().map(|e| e.id).collect();
    assert_eq!(listed, [ids[2], ids[1]]);
}

#[tokio::test]
async fn logs_are_written_in_batches_and_listed_in_order() {
    let mut conn = test_transaction().await;
    let job = job(&mut conn).await;
    let execution = JobExecution::start(&mut conn, job.id).await.unwrap();
    assert_eq!(
        NewJobExecutionLog::insert_batch(&mut conn, Vec::new())
            .await
            .unwrap(),
        0
    );

    let base = Utc::now();
    let lines: Vec<_> = LogLevel::ALL
        .iter()
        .enumerate()
        .map(|(i, &level)| NewJobExecutionLog {
            logged_at: base + Duration::milliseconds(i as i64),
            ..log_line(&execution, level, &format!("line {i}"))
        })
        .collect();
    assert_eq!(
        NewJobExecutionLog::insert_batch(&mut conn, lines)
            .await
            .unwrap(),
        5
    );
    let page =
        JobExecutionLog::list_for_execution(&mut conn, execution.id, PageRequest::new(1, 10))
            .await
            .unwrap();
    assert_eq!(page.total, 5);
    let read: Vec<_> = page
        .items
        .iter()
        .map(|l| (l.log_level, l.log_message.as_str(), l.execution_id))
        .collect();
    let expected: Vec<_> = LogLevel::ALL
        .iter()
        .enumerate()
        .map(|(i, &level)| (level, format!("line {i}"), execution.id))
        .collect();
    assert_eq!(read.len(), expected.len());
    for (got, want) in read.iter().zip(&expected) {
        assert_eq!((got.0, got.1, got.2), (want.0, want.1.as_str(), want.2));
    }
    let second =
        JobExecutionLog::list_for_execution(&mut conn, execution.id, PageRequest::new(2, 3))
            .await
            .unwrap();
    let messages: Vec<_> = second
        .items
        .iter()
        .map(|l| l.log_message.as_str())
        .collect();
    assert_eq!(messages, ["line 3", "line 4"]);
}

#[tokio::test]
async fn large_log_batches_are_split_into_statements() {
    let mut conn = test_transaction().await;
    let job = job(&mut conn).await;
    let execution = JobExecution::start(&mut conn, job.id).await.unwrap();
    let lines: Vec<_> = (0..2_345)
        .map(|i| log_line(&execution, LogLevel::Info, &format!("{i}")))
        .collect();
    assert_eq!(
        NewJobExecutionLog::insert_batch(&mut conn, lines)
            .await
            .unwrap(),
        2_345
    );
    let count = JobExecutionLog::count_for_execution(&mut conn, execution.id)
        .await
        .unwrap();
    assert_eq!(count, 2_345);
}

#[tokio::test]
async fn logs_need_an_existing_execution() {
    let mut conn = test_transaction().await;
    let job = job(&mut conn).await;
    let execution = JobExecution::start(&mut conn, job.id).await.unwrap();
    JobExecution::delete(&mut conn, execution.id).await.unwrap();
    let orphan = vec![log_line(&execution, LogLevel::Error, "orphan")];
    let result = NewJobExecutionLog::insert_batch(&mut conn, orphan).await;
    assert!(
        matches!(result, Err(DbError::ForeignKeyViolation { .. })),
        "{result:?}"
    );
}

#[tokio::test]
async fn deleting_a_job_cascades_to_executions_and_logs() {
    let mut conn = test_transaction().await;
    let job = job(&mut conn).await;
    let execution = JobExecution::start(&mut conn, job.id).await.unwrap();
    let lines = vec![log_line(
        &execution,
        LogLevel::Warn,
        "kept until the job goes",
    )];
    NewJobExecutionLog::insert_batch(&mut conn, lines)
        .await
        .unwrap();

    Job::delete(&mut conn, job.id).await.unwrap();
    let execution_left = JobExecution::get(&mut conn, execution.id).await;
    assert!(matches!(execution_left, Err(DbError::NotFound)));
    let logs_left = JobExecutionLog::count_for_execution(&mut conn, execution.id)
        .await
        .unwrap();
    assert_eq!(logs_left, 0);
}

#[tokio::test]
async fn deleting_an_execution_cascades_to_its_logs_only() {
    let mut conn = test_transaction().await;
    let job = job(&mut conn).await;
    let doomed = JobExecution::start(&mut conn, job.id).await.unwrap();
    let kept = JobExecution::start(&mut conn, job.id).await.unwrap();
    let lines = vec![
        log_line(&doomed, LogLevel::Debug, "a"),
        log_line(&kept, LogLevel::Trace, "b"),
    ];
    NewJobExecutionLog::insert_batch(&mut conn, lines)
        .await
        .unwrap();

    JobExecution::delete(&mut conn, doomed.id).await.unwrap();
    assert_eq!(
        JobExecutionLog::count_for_execution(&mut conn, doomed.id)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        JobExecutionLog::count_for_execution(&mut conn, kept.id)
            .await
            .unwrap(),
        1
    );
    assert_eq!(Job::get(&mut conn, job.id).await.unwrap(), job);
}
