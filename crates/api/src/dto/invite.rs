//! Room invite code wire types (api.md §6.3).
