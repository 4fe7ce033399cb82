//! Email invites (`event_email_invites`): how an address is resolved when
//! inviting (rules.md §7.5) and how the invites become user invites when the
//! addressee registers (§7.8).

use chrono::{DateTime, Utc};

use crate::email::Email;
use crate::ids::{EventId, UserId};
use crate::invite::answer::{NewEventInvite, UserInvitePlan, plan_user_invite};
use crate::invite::{EmailInviteRole, EventInviteStatus};

/// What is known about an invited address when `POST /events/{id}/invites`
/// gets `{email, role?}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmailLookup {
    /// An active user with this email in the **inviter's** tenant.
    pub active_user: Option<UserId>,
    /// The external user directory knows the address (false without one).
    pub directory_knows: bool,
    /// Setting `endpoints.event_invite_external_email_address`.
    pub allow_external: bool,
    /// `suppress_email_notification=true`.
    pub notifications_suppressed: bool,
}

/// What to do after a **new** `event_email_invites` row was inserted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailInviteFollowUp {
    /// Send the "unregistered invite" mail; no room code.
    UnregisteredMail,
    /// Create a new active, non-expiring room invite code, grant its
    /// guest-read policies, and send the external-invite mail with the code
    /// when `send_mail`.
    RoomCode {
        /// Notifications are not suppressed.
        send_mail: bool,
    },
}

/// The outcome of resolving an invited address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmailInvitePlan {
    /// The address belongs to an active user: invite that user with the
    /// mapped role, exactly as a user invite (§7.4).
    User(UserInvitePlan),
    /// Store an email invite with this role (a duplicate → 204, nothing
    /// else happens), then do the follow-up.
    Email {
        /// The stored role.
        role: EmailInviteRole,
        /// What a newly inserted row triggers.
        follow_up: EmailInviteFollowUp,
    },
    /// Refuse with 409 `unknown_email`.
    UnknownEmail,
}

/// Resolves an email invite (§7.5).
pub fn plan_email_invite(
    event_id: EventId,
    event_creator: UserId,
    actor: UserId,
    role: Option<EmailInviteRole>,
    lookup: EmailLookup,
) -> EmailInvitePlan {
    let role = role.unwrap_or_default();
    if let Some(user) = lookup.active_user {
        return EmailInvitePlan::User(plan_user_invite(
            event_id,
            event_creator,
            user,
            Some(role.into()),
            actor,
        ));
    }
    if !(lookup.directory_knows || lookup.allow_external) {
        return EmailInvitePlan::UnknownEmail;
    }
    let follow_up = if lookup.directory_knows && !lookup.notifications_suppressed {
        EmailInviteFollowUp::UnregisteredMail
    } else {
        EmailInviteFollowUp::RoomCode {
            send_mail: !lookup.notifications_suppressed,
        }
    };
    EmailInvitePlan::Email { role, follow_up }
}

/// The fields of an `event_email_invites` row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailInvite {
    /// The event.
    pub event_id: EventId,
    /// The lower-case address.
    pub email: Email,
    /// The role the invitee will get.
    pub role: EmailInviteRole,
    /// Who invited.
    pub created_by: UserId,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// The user invite an email invite becomes when `new_user` registers with
/// its address (§7.8): the mapped role, the original `created_by` and
/// `created_at`, status `pending`. Insert with "on conflict do nothing",
/// delete the email invite, and after commit grant
/// [`crate::access::invite_user`] for the event and its room.
pub fn migrate_email_invite(invite: &EmailInvite, new_user: UserId) -> NewEventInvite {
    NewEventInvite {
        event_id: invite.event_id,
        invitee: new_user,
        role: invite.role.into(),
        created_by: invite.created_by,
        created_at: Some(invite.created_at),
        status: EventInviteStatus::Pending,
    }
}
