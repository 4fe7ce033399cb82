//! Lower-case email addresses.
