//! Room wire types (api.md §6.3): the room resource, the create and patch
//! bodies, and the event info of `GET /rooms/{id}/event` (rules.md §19).

use chrono::{DateTime, Utc};
use conclave_db::models::room::Room;
use conclave_domain::ids::{EventId, InviteCodeId, RoomId};
use conclave_domain::room::RoomPassword;
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;

use crate::dto::user::PublicUserProfile;

/// A room as clients see it. There is no `e2e_encryption` field (api.md §6.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RoomResource {
    /// The room id.
    #[schema(value_type = uuid::Uuid)]
    pub id: RoomId,
    /// The room's creator (R-31: also in the PATCH answer).
    pub created_by: PublicUserProfile,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// The guest password; omitted when the room has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// Whether sessions start with the waiting room enabled.
    pub waiting_room: bool,
}

impl RoomResource {
    /// Renders `room` with its creator's profile.
    pub fn of(room: &Room, created_by: PublicUserProfile) -> Self {
        Self {
            id: room.id,
            created_by,
            created_at: room.created_at,
            password: room.password.clone(),
            waiting_room: room.waiting_room,
        }
    }
}

/// `POST /rooms`. Broken limits (a password of 0 or more than 255 bytes)
/// and wrong types are JSON errors, 400 `invalid_json` (api.md §2.2).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct PostRoomsRequestBody {
    /// The guest password, if any (1..=255 bytes).
    #[schema(value_type = Option<String>, min_length = 1, max_length = 255)]
    #[serde(default)]
    pub password: Option<RoomPassword>,
    /// Create a SIP (call-in) configuration for the room.
    #[serde(default)]
    pub enable_sip: bool,
    /// Start sessions with the waiting room enabled.
    #[serde(default)]
    pub waiting_room: bool,
    /// End-to-end encrypt the room.
    #[serde(default)]
    pub e2e_encryption: bool,
}

/// `PATCH /rooms/{id}`: absent fields stay unchanged; `password: null`
/// clears the password (a double option, api.md §2.3).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct PatchRoomsRequestBody {
    /// Absent = unchanged, `null` = clear, string = set (1..=255 bytes).
    #[schema(value_type = Option<String>, min_length = 1, max_length = 255)]
    #[serde(default, deserialize_with = "double_option")]
    pub password: Option<Option<RoomPassword>>,
    /// New waiting room flag; absent or `null` = unchanged.
    #[serde(default)]
    pub waiting_room: Option<bool>,
    /// New end-to-end encryption flag; absent or `null` = unchanged.
    #[serde(default)]
    pub e2e_encryption: Option<bool>,
}

/// Tells a present `null` (`Some(None)`) from an absent field (`None`, via
/// `#[serde(default)]`).
fn double_option<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// Dial-in data of a room (meeting details and event room info).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CallInInfo {
    /// The dial-in phone number (configuration `call_in.tel`).
    pub tel: String,
    /// The room's 10-digit call-in id.
    pub id: String,
    /// The room's 10-digit call-in pin.
    pub password: String,
}

/// A public streaming link of a room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct StreamingLink {
    /// The target's name.
    pub name: String,
    /// The target's public URL.
    pub url: String,
}

/// What participants and guests need to join (rules.md §19).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MeetingDetails {
    /// The room's most recently updated valid invite code (R-22).
    #[schema(value_type = Option<uuid::Uuid>)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite_code_id: Option<InviteCodeId>,
    /// Dial-in data, under the call-in conditions of rules.md §19.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_in: Option<CallInInfo>,
    /// Public streaming links; none for end-to-end encrypted rooms.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub streaming_links: Vec<StreamingLink>,
}

/// `GET /rooms/{id}/event`: the room's event for participants and guests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct EventInfo {
    /// The event id.
    #[schema(value_type = uuid::Uuid)]
    pub id: EventId,
    /// The event's room.
    #[schema(value_type = uuid::Uuid)]
    pub room_id: RoomId,
    /// The event title.
    pub title: String,
    /// Whether the event was created ad hoc.
    pub is_adhoc: bool,
    /// Whether the room is end-to-end encrypted.
    pub e2e_encryption: bool,
    /// Present only when the event shows meeting details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_details: Option<MeetingDetails>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patch(json: &str) -> Result<PatchRoomsRequestBody, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn patch_password_is_a_double_option() {
        let check = |json: &str, expected: Option<Option<&str>>| {
            let body = patch(json).unwrap();
            let got = body
                .password
                .as_ref()
                .map(|p| p.as_ref().map(RoomPassword::as_str));
            assert_eq!(got, expected, "{json}");
        };
        check("{}", None);
        check(r#"{"password": null}"#, Some(None));
        check(r#"{"password": "pw"}"#, Some(Some("pw")));
    }

    #[test]
    fn limits_and_types_are_json_errors() {
        let long = "x".repeat(256);
        for json in [
            r#"{"password": ""}"#.to_owned(),
            format!(r#"{{"password": "{long}"}}"#),
            r#"{"waiting_room": "yes"}"#.to_owned(),
            r#"{"password": 5}"#.to_owned(),
        ] {
            assert!(patch(&json).is_err(), "{json}");
            assert!(
                serde_json::from_str::<PostRoomsRequestBody>(&json).is_err(),
                "{json}"
            );
        }
        let max = "é".repeat(127) + "x";
        assert_eq!(max.len(), 255);
        let body: PostRoomsRequestBody =
            serde_json::from_str(&format!(r#"{{"password": "{max}"}}"#)).unwrap();
        assert!(body.password.is_some() && !body.enable_sip && !body.e2e_encryption);
    }

    #[test]
    fn empty_meeting_details_fields_are_omitted() {
        let json = serde_json::to_value(MeetingDetails::default()).unwrap();
        assert_eq!(json, serde_json::json!({}));
    }
}
