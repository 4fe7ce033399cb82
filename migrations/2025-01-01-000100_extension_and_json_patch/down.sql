DROP FUNCTION ot_patch_json(jsonb, jsonb);
DROP FUNCTION ot_jsonb_test(jsonb, text[], jsonb);
DROP FUNCTION ot_jsonb_copy(jsonb, text[], text[], boolean);
DROP FUNCTION ot_jsonb_remove(jsonb, text[]);
DROP FUNCTION ot_jsonb_add(jsonb, text[], jsonb, boolean);
DROP FUNCTION ot_jsonb_path_exists(jsonb, text[]);
DROP FUNCTION path_string_to_array(text);
DROP EXTENSION fuzzystrmatch;
