//! `job` model (in progress).
