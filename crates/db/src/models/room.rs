//! `room` model (in progress).
