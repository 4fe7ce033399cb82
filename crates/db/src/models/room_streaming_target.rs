//! `room_streaming_target` model (in progress).
