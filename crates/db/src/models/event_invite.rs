//! `event_invite` model (in progress).
