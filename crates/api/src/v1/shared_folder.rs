//! Shared folders: /v1/events/{id}/shared_folder (api.md §7.11).
