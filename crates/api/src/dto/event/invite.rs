//! Wire types of event invitations (api.md §7.10).
