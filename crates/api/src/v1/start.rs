//! Room start: /v1/rooms/{id}/start and start_invited (api.md §7.3).
