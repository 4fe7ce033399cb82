//! Wire types of event instances (api.md §7.9).
