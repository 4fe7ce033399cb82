//! Favourites and pending invites: /v1/users/me/event_favorites/{id}, /v1/users/me/pending_invites (api.md §7.2).
