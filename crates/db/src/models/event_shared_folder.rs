//! `event_shared_folder` model (in progress).
