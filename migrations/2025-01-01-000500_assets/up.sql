-- Asset metadata (the bytes live in object storage) and their room links.

CREATE TABLE assets (
    -- No default: the application picks the id, which is also the storage key.
    id uuid PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    namespace varchar(255),
    kind varchar(255) NOT NULL,
    filename varchar(512) NOT NULL,
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    size bigint NOT NULL CHECK (size >= 0)
);

CREATE TABLE room_assets (
    room_id uuid NOT NULL REFERENCES rooms (id),
    asset_id uuid NOT NULL UNIQUE REFERENCES assets (id) ON DELETE CASCADE,
    PRIMARY KEY (room_id, asset_id)
);
