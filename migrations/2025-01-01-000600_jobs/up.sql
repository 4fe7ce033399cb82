-- Maintenance jobs, their executions and execution logs.

-- All seven labels at once: a label added later could not be used in the
-- same transaction (each diesel migration is one).
CREATE TYPE job_type AS ENUM (
    'adhoc_event_cleanup',
    'event_cleanup',
    'invite_cleanup',
    'self_check',
    'sync_storage_files',
    'room_cleanup',
    'keycloak_account_sync'
);

CREATE TYPE job_status AS ENUM ('started', 'succeeded', 'failed');

CREATE TYPE log_level AS ENUM ('trace', 'debug', 'info', 'warn', 'error');

CREATE TABLE jobs (
    id bigserial PRIMARY KEY,
    name text NOT NULL,
    kind job_type NOT NULL,
    parameters jsonb NOT NULL,
    timeout_secs integer NOT NULL CHECK (timeout_secs > 0),
    recurrence text NOT NULL
);

CREATE TABLE job_executions (
    id bigserial PRIMARY KEY,
    job_id bigint NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    started_at timestamptz NOT NULL,
    ended_at timestamptz,
    job_status job_status NOT NULL
);

CREATE TABLE job_execution_logs (
    id bigserial PRIMARY KEY,
    execution_id bigint NOT NULL REFERENCES job_executions (id) ON DELETE CASCADE,
    logged_at timestamptz NOT NULL,
    log_level log_level NOT NULL,
    log_message text NOT NULL
);
