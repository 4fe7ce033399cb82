-- Extension used by the user search indexes, and the JSON Patch (RFC 6902)
-- functions that update module_resources.data.
--
-- All errors a client can cause carry SQLSTATE OTALK and one of the messages
-- ot_invalid_path, ot_value_not_equal or ot_invalid_from_path; DETAIL holds a
-- human-readable explanation. ot_patch_json adds the 1-based index of the
-- failing operation as HINT.

CREATE EXTENSION IF NOT EXISTS fuzzystrmatch WITH SCHEMA public;

-- Converts a JSON pointer ("/a/0/b") into a path array. "/" alone is the
-- whole document and yields an empty array; anything not starting with "/"
-- (including the empty string) is rejected.
CREATE FUNCTION path_string_to_array(path_string text)
RETURNS text[]
LANGUAGE plpgsql
AS $body$
BEGIN
    IF path_string IS NULL OR NOT (path_string ^@ '/') THEN
        RAISE 'ot_invalid_path' USING
            ERRCODE = 'OTALK',
            DETAIL = format('path "%s" must start with "/"', coalesce(path_string, ''));
    END IF;
    IF path_string = '/' THEN
        RETURN ARRAY[]::text[];
    END IF;
    RETURN string_to_array(substr(path_string, 2), '/');
END;
$body$;

-- True when the path addresses a value (a JSON null counts as a value).
CREATE FUNCTION ot_jsonb_path_exists(to_test jsonb, path text[])
RETURNS boolean
LANGUAGE plpgsql
AS $body$
BEGIN
    RETURN (to_test #> path) IS NOT NULL;
END;
$body$;

-- RFC 6902 "add". The parent must exist. Inside an array the last segment is
-- an insert position (0..length, or "-" to append); elsewhere the value is set
-- at the key, creating it when create_if_missing allows.
CREATE FUNCTION ot_jsonb_add(target jsonb, path text[], value jsonb, create_if_missing boolean)
RETURNS jsonb
LANGUAGE plpgsql
AS $body$
DECLARE
    parent jsonb;
    last_segment text;
BEGIN
    IF cardinality(path) = 0 THEN
        RETURN value;
    END IF;
    parent := target #> trim_array(path, 1);
    last_segment := path[cardinality(path)];
    IF parent IS NULL OR jsonb_typeof(parent) NOT IN ('object', 'array') THEN
        RAISE 'ot_invalid_path' USING
            ERRCODE = 'OTALK',
            DETAIL = format('the parent of path "%s" is missing or not an object or array', path);
    END IF;
    IF jsonb_typeof(parent) = 'object' THEN
        RETURN jsonb_set_lax(target, path, value, create_if_missing, 'use_json_null');
    END IF;
    IF last_segment = '-' THEN
        IF cardinality(path) = 1 THEN
            RETURN parent || jsonb_build_array(value);
        END IF;
        RETURN jsonb_set(target, trim_array(path, 1), parent || jsonb_build_array(value));
    END IF;
    IF last_segment !~ '^[0-9]{1,9}$' OR last_segment::integer > jsonb_array_length(parent) THEN
        RAISE 'ot_invalid_path' USING
            ERRCODE = 'OTALK',
            DETAIL = format('"%s" is not a valid array position in path "%s"', last_segment, path);
    END IF;
    RETURN jsonb_insert(target, path, value);
END;
$body$;

-- RFC 6902 "remove": the path must exist and must not be the whole document.
CREATE FUNCTION ot_jsonb_remove(target jsonb, path text[])
RETURNS jsonb
LANGUAGE plpgsql
AS $body$
BEGIN
    IF cardinality(path) = 0 OR NOT ot_jsonb_path_exists(target, path) THEN
        RAISE 'ot_invalid_path' USING
            ERRCODE = 'OTALK',
            DETAIL = format('path "%s" is empty or does not exist', path);
    END IF;
    RETURN target #- path;
END;
$body$;

-- RFC 6902 "copy", or "move" when move_instead is set. A move may not take
-- the whole document, nor move a value into itself or one of its children.
CREATE FUNCTION ot_jsonb_copy(target jsonb, from_path text[], target_path text[], move_instead boolean)
RETURNS jsonb
LANGUAGE plpgsql
AS $body$
DECLARE
    moved jsonb;
BEGIN
    IF cardinality(target_path) > 0
        AND NOT ot_jsonb_path_exists(target, trim_array(target_path, 1)) THEN
        RAISE 'ot_invalid_path' USING
            ERRCODE = 'OTALK',
            DETAIL = format('the parent of path "%s" does not exist', target_path);
    END IF;
    moved := target #> from_path;
    IF moved IS NULL THEN
        RAISE 'ot_invalid_from_path' USING
            ERRCODE = 'OTALK',
            DETAIL = format('from path "%s" does not exist', from_path);
    END IF;
    IF move_instead THEN
        IF cardinality(from_path) = 0
            OR target_path[1:cardinality(from_path)] = from_path THEN
            RAISE 'ot_invalid_from_path' USING
                ERRCODE = 'OTALK',
                DETAIL = format('from path "%s" is a prefix of path "%s"', from_path, target_path);
        END IF;
        target := target #- from_path;
    END IF;
    RETURN ot_jsonb_add(target, target_path, moved, true);
END;
$body$;

-- RFC 6902 "test": the value at the path must equal the given value.
CREATE FUNCTION ot_jsonb_test(target jsonb, path text[], value jsonb)
RETURNS jsonb
LANGUAGE plpgsql
AS $body$
BEGIN
    IF NOT ot_jsonb_path_exists(target, path) THEN
        RAISE 'ot_invalid_path' USING
            ERRCODE = 'OTALK',
            DETAIL = format('path "%s" does not exist', path);
    END IF;
    IF (target #> path) IS DISTINCT FROM value THEN
        RAISE 'ot_value_not_equal' USING
            ERRCODE = 'OTALK',
            DETAIL = format('the value at path "%s" differs', path);
    END IF;
    RETURN target;
END;
$body$;

-- Applies a changeset (a JSON array of RFC 6902 operations) in order. An
-- OTALK error is re-raised unchanged except for the HINT, which names the
-- 1-based position of the failing operation.
CREATE FUNCTION ot_patch_json(target jsonb, changeset jsonb)
RETURNS jsonb
LANGUAGE plpgsql
AS $body$
DECLARE
    operation jsonb;
    op_index bigint;
    op_path text[];
    failure_message text;
    failure_detail text;
BEGIN
    FOR operation, op_index IN
        SELECT elem, ord FROM jsonb_array_elements(changeset) WITH ORDINALITY AS t(elem, ord)
    LOOP
        BEGIN
            op_path := path_string_to_array(operation ->> 'path');
            CASE operation ->> 'op'
                WHEN 'add' THEN
                    target := ot_jsonb_add(target, op_path, operation -> 'value', true);
                WHEN 'remove' THEN
                    target := ot_jsonb_remove(target, op_path);
                WHEN 'replace' THEN
                    target := ot_jsonb_add(ot_jsonb_remove(target, op_path), op_path, operation -> 'value', true);
                WHEN 'move' THEN
                    target := ot_jsonb_copy(target, path_string_to_array(operation ->> 'from'), op_path, true);
                WHEN 'copy' THEN
                    target := ot_jsonb_copy(target, path_string_to_array(operation ->> 'from'), op_path, false);
                WHEN 'test' THEN
                    target := ot_jsonb_test(target, op_path, operation -> 'value');
                ELSE
                    -- Not a client path error: the caller sent an unknown op.
                    RAISE 'unknown JSON patch operation "%"', operation ->> 'op' USING
                        ERRCODE = 'invalid_parameter_value';
            END CASE;
        EXCEPTION WHEN SQLSTATE 'OTALK' THEN
            GET STACKED DIAGNOSTICS
                failure_message = MESSAGE_TEXT,
                failure_detail = PG_EXCEPTION_DETAIL;
            RAISE USING
                ERRCODE = 'OTALK',
                MESSAGE = failure_message,
                DETAIL = failure_detail,
                HINT = op_index::text;
        END;
    END LOOP;
    RETURN target;
END;
$body$;
