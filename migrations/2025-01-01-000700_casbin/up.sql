-- Authorization policy rows (casbin), in the layout of the kustos v1 schema.

CREATE TABLE casbin_rule (
    id serial PRIMARY KEY,
    ptype varchar(12) NOT NULL,
    v0 varchar NOT NULL,
    v1 varchar NOT NULL,
    v2 varchar NOT NULL,
    v3 varchar NOT NULL,
    v4 varchar NOT NULL,
    v5 varchar NOT NULL,
    -- Makes inserting an identical rule a no-op; its index also serves
    -- lookups by (ptype, v0).
    CONSTRAINT unique_key_diesel_adapter UNIQUE (ptype, v0, v1, v2, v3, v4, v5)
);
