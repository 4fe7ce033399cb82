//! Room invite code wire types (api.md §6.3, §7.4).

use chrono::{DateTime, Utc};
use conclave_db::models::invite::Invite;
use conclave_domain::ids::{InviteCodeId, RoomId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::dto::user::PublicUserProfile;

/// A room invite code. Note the field names `created` and `updated`, and
/// `expiration`, which is always present and may be `null`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct InviteResource {
    /// The code.
    #[schema(value_type = uuid::Uuid)]
    pub invite_code: InviteCodeId,
    /// Creation time.
    pub created: DateTime<Utc>,
    /// Who created the code.
    pub created_by: PublicUserProfile,
    /// Last change.
    pub updated: DateTime<Utc>,
    /// Who changed the code last.
    pub updated_by: PublicUserProfile,
    /// The room the code opens.
    #[schema(value_type = uuid::Uuid)]
    pub room_id: RoomId,
    /// False once the code was deleted.
    pub active: bool,
    /// When the code stops working; `null` = never.
    pub expiration: Option<DateTime<Utc>>,
}

impl InviteResource {
    /// Renders `invite` with the profiles of its creator and last editor.
    pub fn of(
        invite: &Invite,
        created_by: PublicUserProfile,
        updated_by: PublicUserProfile,
    ) -> Self {
        Self {
            invite_code: invite.id,
            created: invite.created_at,
            created_by,
            updated: invite.updated_at,
            updated_by,
            room_id: invite.room,
            active: invite.active,
            expiration: invite.expiration,
        }
    }
}

/// `POST /rooms/{id}/invites`: an optional expiration (a past one is
/// accepted, rules.md §7.9).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct PostInviteRequestBody {
    /// When the code stops working; absent or `null` = never.
    #[serde(default)]
    pub expiration: Option<DateTime<Utc>>,
}

/// `PUT /rooms/{id}/invites/{code}`: the new expiration; `null` (or an
/// absent field) clears it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct PutInviteRequestBody {
    /// When the code stops working; `null` = never.
    #[serde(default)]
    pub expiration: Option<DateTime<Utc>>,
}

/// `POST /invite/verify`. The code is read as text and parsed by the
/// handler, so a non-UUID code is a 422 with an `invalid_value` entry, not
/// a JSON error (A-8).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PostInviteVerifyRequestBody {
    /// The invite code (a UUID).
    #[schema(value_type = uuid::Uuid)]
    pub invite_code: String,
}

/// The answer of `POST /invite/verify` for a valid code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PostInviteVerifyResponseBody {
    /// The room the code opens.
    #[schema(value_type = uuid::Uuid)]
    pub room_id: RoomId,
    /// Whether the room has a guest password.
    pub password_required: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiration_bodies_accept_absent_null_and_offsets() {
        let check = |json: &str, expected: Option<&str>| {
            let body: PutInviteRequestBody = serde_json::from_str(json).unwrap();
            let expected = expected.map(|s| s.parse::<DateTime<Utc>>().unwrap());
            assert_eq!(body.expiration, expected, "{json}");
        };
        check("{}", None);
        check(r#"{"expiration": null}"#, None);
        check(
            r#"{"expiration": "2030-01-01T12:00:00+02:00"}"#,
            Some("2030-01-01T10:00:00Z"),
        );
        for bad in [
            r#"{"expiration": "tomorrow"}"#,
            r#"{"expiration": 5}"#,
            r#""x""#,
        ] {
            assert!(
                serde_json::from_str::<PostInviteRequestBody>(bad).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn verify_body_needs_a_string_code() {
        let parse = serde_json::from_str::<PostInviteVerifyRequestBody>;
        assert_eq!(
            parse(r#"{"invite_code": "abc"}"#).unwrap().invite_code,
            "abc"
        );
        assert!(parse("{}").is_err());
        assert!(parse(r#"{"invite_code": 7}"#).is_err());
    }
}
