//! Time zones and time values: DateTimeTz and IANA zone handling.
