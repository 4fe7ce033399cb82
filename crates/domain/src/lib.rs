//! Conclave's pure business rules.
//!
//! This crate performs no I/O: it knows nothing of databases, HTTP or async
//! runtimes, so other services can link it and every rule can be tested in
//! isolation. Each module holds the rules of one area.

pub mod access;
pub mod cursor;
pub mod email;
pub mod enum_str;
pub mod event;
pub mod exception;
pub mod ids;
pub mod instance;
pub mod invite;
pub mod job;
pub mod recurrence;
pub mod room;
pub mod sip;
pub mod streaming;
pub mod tariff;
pub mod text;
pub mod time;

pub use enum_str::UnknownVariant;
