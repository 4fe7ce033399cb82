//! One module per table: a row struct, insert and update structs, and the
//! queries of that table.

pub mod asset;
pub mod casbin_rule;
pub mod event;
pub mod event_email_invite;
pub mod event_exception;
pub mod event_favorite;
pub mod event_invite;
pub mod event_shared_folder;
pub mod event_training_report;
pub mod external_tariff;
pub mod group;
pub mod invite;
pub mod job;
pub mod job_execution;
pub mod job_execution_log;
pub mod module_resource;
pub mod room;
pub mod room_asset;
pub mod room_streaming_target;
pub mod sip_config;
pub mod tariff;
pub mod tenant;
pub mod user;
pub mod user_group;
