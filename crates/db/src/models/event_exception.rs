//! `event_exception` model (in progress).
