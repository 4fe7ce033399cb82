//! `ETag` / `If-Match` for event resources, derived from `revision`.
