DROP TABLE job_execution_logs;
DROP TABLE job_executions;
DROP TABLE jobs;
DROP TYPE log_level;
DROP TYPE job_status;
DROP TYPE job_type;
