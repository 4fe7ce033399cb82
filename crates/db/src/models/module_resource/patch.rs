//! The typed form of the `OTALK` errors raised by `ot_patch_json`
//! (schema.md §7.3).

use diesel::result::Error as DieselError;

/// Which JSON-patch rule an operation broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonPatchErrorCode {
    /// A path is malformed, or a parent, target or array index is missing.
    InvalidPath,
    /// A `test` operation found a different value.
    ValueNotEqual,
    /// `from` is the root or a prefix of `path`.
    InvalidFromPath,
}

impl JsonPatchErrorCode {
    /// The wire name: `invalid_path`, `value_not_equal` or `invalid_from_path`.
    pub const fn as_str(self) -> &'static str {
        match self {
            JsonPatchErrorCode::InvalidPath => "invalid_path",
            JsonPatchErrorCode::ValueNotEqual => "value_not_equal",
            JsonPatchErrorCode::InvalidFromPath => "invalid_from_path",
        }
    }

    /// The code of an `OTALK` error message, `None` for any other message.
    fn from_message(message: &str) -> Option<Self> {
        match message {
            "ot_invalid_path" => Some(JsonPatchErrorCode::InvalidPath),
            "ot_value_not_equal" => Some(JsonPatchErrorCode::ValueNotEqual),
            "ot_invalid_from_path" => Some(JsonPatchErrorCode::InvalidFromPath),
            _ => None,
        }
    }
}

/// A failed JSON-patch operation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("JSON patch operation {at_index:?} failed: {} ({details:?})", code.as_str())]
pub struct JsonPatchError {
    /// What went wrong.
    pub code: JsonPatchErrorCode,
    /// PostgreSQL's DETAIL text, if any.
    pub details: Option<String>,
    /// The 1-based index of the failing operation, from the error's HINT.
    pub at_index: Option<u32>,
}

impl JsonPatchError {
    /// Recognises an `OTALK` error by its message. diesel does not expose
    /// the SQLSTATE, but the three messages are unique to the patch
    /// functions; DETAIL and HINT are exposed and read directly.
    pub(crate) fn from_diesel(err: &DieselError) -> Option<Self> {
        let DieselError::DatabaseError(_, info) = err else {
            return None;
        };
        let code = JsonPatchErrorCode::from_message(info.message())?;
        Some(JsonPatchError {
            code,
            details: info.details().map(str::to_owned),
            at_index: info.hint().and_then(|hint| hint.trim().parse().ok()),
        })
    }
}
