//! Wire types: the JSON shapes of requests and responses, with upstream's
//! type names (api.md §6).

pub mod asset;
pub mod event;
pub mod invite;
pub mod room;
pub mod shared_folder;
pub mod sip;
pub mod streaming;
pub mod tariff;
pub mod user;
