//! Streaming targets: /v1/rooms/{id}/streaming_targets… (api.md §7.6).
