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

/// Turns an affected-row count of a statement on one primary key into
/// `Ok(())` or [`DbError::NotFound`](crate::DbError::NotFound).
pub(crate) fn expect_one(affected: usize) -> crate::Result<()> {
    if affected == 0 {
        Err(crate::DbError::NotFound)
    } else {
        Ok(())
    }
}

/// Escapes `%`, `_` and `\` so that `text` matches literally inside a LIKE
/// pattern (PostgreSQL's default escape character is the backslash).
pub(crate) fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}
