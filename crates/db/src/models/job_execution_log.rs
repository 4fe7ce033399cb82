//! `job_execution_log` model (in progress).
