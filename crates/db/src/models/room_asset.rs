//! `room_asset` model (in progress).
