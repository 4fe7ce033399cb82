//! `event_email_invite` model (in progress).
