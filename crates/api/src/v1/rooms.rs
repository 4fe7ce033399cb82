//! Rooms: /v1/rooms, /v1/rooms/{id}, its tariff and event (api.md §7.3).
