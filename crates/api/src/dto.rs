//! Wire types: the JSON shapes of requests and responses, with upstream's
//! type names (api.md §6).

pub mod tariff;
pub mod user;
