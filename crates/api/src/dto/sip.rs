//! SIP configuration wire types (api.md §6.3, §7.5).

use conclave_db::models::sip_config::SipConfig;
use conclave_domain::ids::RoomId;
use conclave_domain::sip::SipPassword;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A room's dial-in configuration (`SipConfigResource`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SipConfigResource {
    /// The room id.
    #[schema(value_type = uuid::Uuid)]
    pub room: RoomId,
    /// The 10-digit call-in id.
    #[schema(min_length = 10, max_length = 10, pattern = "[0-9]+")]
    pub sip_id: String,
    /// The 10-digit call-in pin.
    #[schema(min_length = 10, max_length = 10, pattern = "[0-9]+")]
    pub password: String,
    /// Whether dial-in participants wait in the lobby.
    pub lobby: bool,
}

impl From<&SipConfig> for SipConfigResource {
    fn from(config: &SipConfig) -> Self {
        Self {
            room: config.room,
            sip_id: config.sip_id.clone(),
            password: config.password.clone(),
            lobby: config.enable_lobby,
        }
    }
}

/// The body of `PUT /rooms/{id}/sip` (`PutSipConfigRequestBody`). At least
/// one field must be present and non-null; a pin that is not exactly ten
/// ASCII digits fails deserialisation (400 `invalid_json`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ToSchema)]
pub struct PutSipConfigRequestBody {
    /// A new pin; a random one is drawn when a config is created without it.
    #[serde(default)]
    #[schema(value_type = Option<String>, min_length = 10, max_length = 10, pattern = "[0-9]+")]
    pub password: Option<SipPassword>,
    /// Whether dial-in participants wait in the lobby (false on creation
    /// when absent).
    #[serde(default)]
    pub lobby: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn put_body_parses_ten_digit_pins_only() {
        let check = |json: &str, ok: bool| {
            assert_eq!(
                serde_json::from_str::<PutSipConfigRequestBody>(json).is_ok(),
                ok,
                "{json}"
            );
        };
        check(r#"{"password":"0123456789"}"#, true);
        check(r#"{"lobby":true}"#, true);
        check(r#"{}"#, true); // refused later: nothing to set
        check(r#"{"password":null,"lobby":null}"#, true);
        check(r#"{"password":"012345678"}"#, false);
        check(r#"{"password":"01234567890"}"#, false);
        check(r#"{"password":1234567890}"#, false);
        check(r#"{"lobby":"yes"}"#, false);
    }
}
