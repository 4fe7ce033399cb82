//! Event shapes and validation.
