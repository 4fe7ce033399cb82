//! Room invite codes: /v1/rooms/{id}/invites… and /v1/invite/verify (api.md §7.4).
