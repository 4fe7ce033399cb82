//! Room wire types (api.md §6.3).
