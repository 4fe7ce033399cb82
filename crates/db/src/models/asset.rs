//! `asset` model (in progress).
