//! Streaming target wire types (api.md §6.3).
