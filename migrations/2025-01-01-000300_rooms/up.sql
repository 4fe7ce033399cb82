-- Rooms and their satellites: invite codes, SIP dial-in, streaming targets
-- and module resources.

-- rooms_id_seq and invites_id_seq keep the names they had when id_serial was
-- the bigserial primary key `id`, so they are created by hand.
CREATE SEQUENCE rooms_id_seq;

CREATE TABLE rooms (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    id_serial bigint NOT NULL DEFAULT nextval('rooms_id_seq'),
    created_by uuid NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    password varchar(255),
    waiting_room boolean NOT NULL DEFAULT false,
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    e2e_encryption boolean NOT NULL DEFAULT false
);

ALTER SEQUENCE rooms_id_seq OWNED BY rooms.id_serial;

CREATE SEQUENCE invites_id_seq;

CREATE TABLE invites (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    id_serial bigint NOT NULL DEFAULT nextval('invites_id_seq'),
    created_by uuid NOT NULL CONSTRAINT invites_created_by_new_fkey REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_by uuid NOT NULL CONSTRAINT invites_updated_by_new_fkey REFERENCES users (id),
    updated_at timestamptz NOT NULL DEFAULT now(),
    room uuid NOT NULL CONSTRAINT invites_room_new_fkey REFERENCES rooms (id) ON DELETE CASCADE,
    active boolean NOT NULL,
    expiration timestamptz
);

ALTER SEQUENCE invites_id_seq OWNED BY invites.id_serial;

CREATE TABLE sip_configs (
    id bigserial PRIMARY KEY,
    room uuid NOT NULL UNIQUE CONSTRAINT sip_config_room_fkey REFERENCES rooms (id) ON DELETE CASCADE,
    sip_id varchar(10) NOT NULL UNIQUE,
    password varchar(10) NOT NULL,
    enable_lobby boolean NOT NULL
);

CREATE TYPE streaming_kind AS ENUM ('custom');

CREATE TABLE room_streaming_targets (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    room_id uuid NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    name text NOT NULL,
    kind streaming_kind NOT NULL,
    streaming_endpoint text NOT NULL,
    streaming_key text NOT NULL,
    public_url text NOT NULL
);

CREATE TABLE module_resources (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    room_id uuid NOT NULL REFERENCES rooms (id),
    created_by uuid NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    namespace varchar(255) NOT NULL,
    tag varchar(255),
    data jsonb NOT NULL
);
