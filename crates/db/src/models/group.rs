//! `group` model (in progress).
