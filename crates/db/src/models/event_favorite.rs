//! `event_favorite` model (in progress).
