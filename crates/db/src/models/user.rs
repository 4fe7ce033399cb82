//! `user` model (in progress).
