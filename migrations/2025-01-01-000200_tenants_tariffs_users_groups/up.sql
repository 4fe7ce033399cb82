-- Tenants, tariffs, users and OIDC groups, plus the two seed rows.

CREATE TABLE tenants (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    oidc_tenant_id text NOT NULL UNIQUE
);

-- Redundant next to the unique constraint's index; kept for schema parity.
CREATE INDEX tenants_oidc_tenant_id_index ON tenants (oidc_tenant_id);

CREATE TABLE tariffs (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    quotas jsonb NOT NULL,
    disabled_modules text[] NOT NULL,
    disabled_features text[] NOT NULL DEFAULT ARRAY[]::text[]
);

CREATE TABLE external_tariffs (
    external_id text PRIMARY KEY,
    tariff_id uuid NOT NULL REFERENCES tariffs (id)
);

CREATE TYPE tariff_status AS ENUM ('default', 'paid', 'downgraded');

-- The id_serial sequence keeps the name it had when the column was the
-- bigserial primary key `id`, so it is created by hand.
CREATE SEQUENCE users_id_seq;

CREATE TABLE users (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    id_serial bigint NOT NULL DEFAULT nextval('users_id_seq'),
    oidc_sub varchar(255) NOT NULL,
    email varchar(255) NOT NULL CONSTRAINT check_email_lowercase CHECK (email = lower(email)),
    title varchar(255) NOT NULL,
    firstname varchar(255) NOT NULL,
    lastname varchar(255) NOT NULL,
    id_token_exp bigint NOT NULL,
    language varchar(35) NOT NULL,
    display_name varchar(511) NOT NULL,
    dashboard_theme varchar(128) NOT NULL DEFAULT 'system',
    conference_theme varchar(128) NOT NULL DEFAULT 'system',
    phone varchar(30) DEFAULT NULL,
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    tariff_id uuid NOT NULL REFERENCES tariffs (id),
    tariff_status tariff_status NOT NULL DEFAULT 'default',
    disabled_since timestamptz,
    avatar_url varchar(2048),
    UNIQUE (oidc_sub, tenant_id)
);

ALTER SEQUENCE users_id_seq OWNED BY users.id_serial;

CREATE INDEX firstname_lastname_txt_like
    ON users ((lower(firstname || ' ' || lastname)) text_pattern_ops);
CREATE INDEX firstname_lastname_txt_soundex
    ON users (soundex(lower(firstname || ' ' || lastname)));
CREATE INDEX display_name_txt_soundex
    ON users (soundex(lower(display_name)));

CREATE TABLE groups (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    id_serial bigserial NOT NULL,
    name text NOT NULL,
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    UNIQUE (tenant_id, name)
);

CREATE TABLE user_groups (
    user_id uuid NOT NULL REFERENCES users (id),
    group_id uuid NOT NULL REFERENCES groups (id),
    PRIMARY KEY (user_id, group_id)
);

-- The defaults of the static tenant and tariff assignment settings.
INSERT INTO tenants (oidc_tenant_id) VALUES ('OpenTalkDefaultTenant');
INSERT INTO tariffs (name, quotas, disabled_modules)
    VALUES ('OpenTalkDefaultTariff', '{}', ARRAY[]::text[]);
