//! `event_training_report` model (in progress).
