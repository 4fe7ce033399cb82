//! `job_execution` model (in progress).
