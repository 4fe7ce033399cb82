//! Events: /v1/events and /v1/events/{id} (api.md §7.8).
