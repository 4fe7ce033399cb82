//! Event invitations: `/events/{id}/invites…` and `/events/{id}/invite` (rules.md §7, api.md §7.10).
