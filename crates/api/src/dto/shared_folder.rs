//! Shared folder wire types (api.md §6.2).
