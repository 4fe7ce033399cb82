//! Room values: passwords.
