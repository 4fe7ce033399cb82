//! Length-limited titles and descriptions.
