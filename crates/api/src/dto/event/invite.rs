//! Wire types of event invitations (api.md §7.10).
//!
//! Addresses deserialize into [`Email`], which lower-cases and checks them,
//! and roles into the domain enums, so a bad address or role is a body
//! error (400 `invalid_json`) before any handler runs.

use conclave_domain::email::Email;
use conclave_domain::ids::UserId;
use conclave_domain::invite::{EmailInviteRole, EventInviteStatus, InviteRole};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::dto::user::PublicUserProfile;

/// The body of `POST /events/{id}/invites`: the keys select the variant
/// (upstream's untagged `PostEventInviteBody`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum PostEventInviteBody {
    /// Invite a registered user (`UserInvite`).
    User {
        /// The user to invite.
        #[schema(value_type = uuid::Uuid)]
        invitee: UserId,
        /// Meeting role, `user` (default) or `moderator`.
        #[serde(default)]
        #[schema(value_type = Option<String>)]
        role: Option<InviteRole>,
    },
    /// Invite an email address (`EmailInvite`).
    Email {
        /// The address (lower-cased).
        #[schema(value_type = String, format = "email")]
        email: Email,
        /// Meeting role, `guest` (default) or `moderator`.
        #[serde(default)]
        #[schema(value_type = Option<String>)]
        role: Option<EmailInviteRole>,
    },
}

/// The body of `PATCH /events/{id}/invites/{user_id}` (`PatchInviteBody`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, ToSchema)]
pub struct PatchInviteBody {
    /// The new role; absent leaves it unchanged.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub role: Option<InviteRole>,
}

/// The body of `PATCH /events/{id}/invites/email` (`PatchEmailInviteBody`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ToSchema)]
pub struct PatchEmailInviteBody {
    /// Whose invite.
    #[schema(value_type = String, format = "email")]
    pub email: Email,
    /// The new role; absent or `null` leaves it unchanged.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub role: Option<EmailInviteRole>,
}

/// The body of `DELETE /events/{id}/invites/email` (`DeleteEmailInviteBody`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ToSchema)]
pub struct DeleteEmailInviteBody {
    /// Whose invite.
    #[schema(value_type = String, format = "email")]
    pub email: Email,
}

/// `?suppress_email_notification=` of the writing invite operations.
/// Conclave has no mail provider, so it only decides what is logged (and,
/// per rules.md §7.5, what an email invite would create).
#[derive(Debug, Clone, Copy, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationQuery {
    /// Do not send the invite or uninvite mail.
    pub suppress_email_notification: Option<bool>,
}

impl NotificationQuery {
    /// Whether mails are suppressed (default: no).
    pub fn suppressed(&self) -> bool {
        self.suppress_email_notification.unwrap_or(false)
    }
}

/// `GET /events/{id}/invites`: page and optional status filter.
#[derive(Debug, Clone, Copy, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListInvitesQuery {
    /// Items per page, 1..=100 (default 30).
    pub per_page: Option<i64>,
    /// The 1-based page (default 1).
    pub page: Option<i64>,
    /// Only invitees with this status (email invitees count as `pending`).
    #[param(value_type = Option<String>)]
    pub status: Option<EventInviteStatus>,
}

/// One entry of the invitee list (`EventInvitee`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct EventInvitee {
    /// Who.
    pub profile: EventInviteeProfile,
    /// The answer; always `pending` for email invitees.
    #[schema(value_type = String)]
    pub status: EventInviteStatus,
}

/// An invitee's profile, told apart by `kind` (api.md §6.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventInviteeProfile {
    /// A registered user with the invite's role.
    Registered(RegisteredInvitee),
    /// An address without a user (no directory knows it).
    Email(EmailInvitee),
}

/// A registered invitee: the public profile plus the meeting role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct RegisteredInvitee {
    /// The public profile.
    #[serde(flatten)]
    pub user: PublicUserProfile,
    /// `user` or `moderator`.
    #[schema(value_type = String)]
    pub role: InviteRole,
}

/// An email invitee (`EmailOnlyUser`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct EmailInvitee {
    /// The lower-case address.
    pub email: String,
    /// Libravatar's URL for the address.
    pub avatar_url: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn post(body: serde_json::Value) -> Option<PostEventInviteBody> {
        serde_json::from_value(body).ok()
    }

    #[test]
    fn post_body_variants_follow_the_keys() {
        let user = UserId::from(uuid::Uuid::from_u128(7));
        let check = |body: serde_json::Value, expected: Option<PostEventInviteBody>| {
            assert_eq!(post(body.clone()), expected, "{body}");
        };
        let email = |s: &str| Email::try_from(s.to_owned()).unwrap();
        check(
            json!({"invitee": uuid::Uuid::from_u128(7)}),
            Some(PostEventInviteBody::User {
                invitee: user,
                role: None,
            }),
        );
        check(
            json!({"invitee": uuid::Uuid::from_u128(7), "role": "moderator"}),
            Some(PostEventInviteBody::User {
                invitee: user,
                role: Some(InviteRole::Moderator),
            }),
        );
        check(
            json!({"email": "Bob@Example.ORG", "role": "guest"}),
            Some(PostEventInviteBody::Email {
                email: email("bob@example.org"),
                role: Some(EmailInviteRole::Guest),
            }),
        );
        check(
            json!({"invitee": uuid::Uuid::from_u128(7), "role": "guest"}),
            None,
        );
        check(json!({"email": "bob@example.org", "role": "user"}), None);
        check(json!({"email": "not-an-address"}), None);
        check(json!({"invitee": "nope"}), None);
        check(json!({}), None);
    }

    #[test]
    fn invitees_serialize_with_their_kind() {
        let entry = EventInvitee {
            profile: EventInviteeProfile::Email(EmailInvitee {
                email: "a@b.c".into(),
                avatar_url: "u".into(),
            }),
            status: EventInviteStatus::Pending,
        };
        assert_eq!(
            serde_json::to_value(&entry).unwrap(),
            json!({"profile": {"kind": "email", "email": "a@b.c", "avatar_url": "u"},
                   "status": "pending"})
        );
    }
}
