//! `user_group` model (in progress).
