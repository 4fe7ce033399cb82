-- Events and their child tables: exceptions, invites (users and email
-- addresses), favourites, shared folders and training report parameters.

CREATE TABLE events (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    id_serial bigserial NOT NULL UNIQUE,
    title varchar(255) NOT NULL,
    description varchar(4096) NOT NULL,
    room uuid NOT NULL UNIQUE REFERENCES rooms (id),
    created_by uuid NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_by uuid NOT NULL REFERENCES users (id),
    updated_at timestamptz NOT NULL DEFAULT now(),
    is_time_independent boolean NOT NULL,
    is_all_day boolean,
    starts_at timestamptz,
    starts_at_tz varchar(255),
    ends_at timestamptz,
    ends_at_tz varchar(255),
    duration_secs integer,
    is_recurring boolean,
    -- 4094, not 4096: upstream's length, kept for parity.
    recurrence_pattern varchar(4094),
    is_adhoc boolean NOT NULL DEFAULT false,
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    revision integer NOT NULL DEFAULT 0,
    show_meeting_details boolean NOT NULL DEFAULT false
);

CREATE TYPE event_exception_kind AS ENUM ('modified', 'cancelled');

CREATE TABLE event_exceptions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_id uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    exception_date timestamptz NOT NULL,
    exception_date_tz varchar(255) NOT NULL,
    created_by uuid NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    kind event_exception_kind NOT NULL,
    title varchar(255),
    description varchar(4096),
    is_all_day boolean,
    starts_at timestamptz,
    starts_at_tz varchar(255),
    ends_at timestamptz,
    ends_at_tz varchar(255),
    UNIQUE (event_id, exception_date, exception_date_tz)
);

CREATE INDEX ON event_exceptions (event_id, exception_date);

CREATE TYPE event_invite_status AS ENUM ('pending', 'accepted', 'tentative', 'declined');

CREATE TYPE invite_role AS ENUM ('user', 'moderator');

CREATE TABLE event_invites (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_id uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    invitee uuid NOT NULL REFERENCES users (id),
    created_by uuid NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    status event_invite_status NOT NULL DEFAULT 'pending',
    role invite_role NOT NULL DEFAULT 'user',
    UNIQUE (event_id, invitee)
);

-- Redundant next to the unique constraint's index; kept for schema parity.
CREATE INDEX ON event_invites (event_id, invitee);

CREATE TYPE email_invite_role AS ENUM ('guest', 'moderator');

CREATE TABLE event_email_invites (
    event_id uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    email varchar(255) NOT NULL CONSTRAINT check_email_lowercase CHECK (email = lower(email)),
    created_by uuid NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    role email_invite_role NOT NULL DEFAULT 'guest',
    PRIMARY KEY (event_id, email)
);

CREATE TABLE event_favorites (
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    event_id uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, event_id)
);

-- Deliberately not cascading: the external folder must be removed first.
CREATE TABLE event_shared_folders (
    event_id uuid PRIMARY KEY REFERENCES events (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    path text NOT NULL,
    write_share_id text NOT NULL,
    write_url text NOT NULL,
    write_password text NOT NULL,
    read_share_id text NOT NULL,
    read_url text NOT NULL,
    read_password text NOT NULL
);

CREATE TABLE event_training_participation_report_parameter_sets (
    event_id uuid PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
    initial_checkpoint_delay_after bigint NOT NULL,
    initial_checkpoint_delay_within bigint NOT NULL,
    checkpoint_interval_after bigint NOT NULL,
    checkpoint_interval_within bigint NOT NULL
);
