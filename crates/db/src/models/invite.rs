//! `invite` model (in progress).
