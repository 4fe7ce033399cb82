//! `event` model (in progress).
