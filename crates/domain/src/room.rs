//! Room values: passwords, the guest password check and the meeting role at join.

use crate::invite::InviteRole;
use crate::text::bounded_text;

bounded_text!(
    /// A room password: 1 to 255 bytes (api.md §2.3), compared by exact equality.
    RoomPassword, 1, 255
);

/// A guest gave no password, or a wrong one, for a room that has one
/// (401 `wrong_room_password`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("The provided password does not match the rooms password")]
pub struct WrongRoomPassword;

/// Checks the password a guest supplies to `start_invited` (rules.md §12.1).
///
/// A room without a password ignores whatever is supplied; a room with one
/// needs an exactly equal password, and a missing one counts as wrong.
/// Registered users and call-in participants are never asked, so this is
/// only called for invite-code guests.
pub fn check_guest_password(
    room_password: Option<&RoomPassword>,
    supplied: Option<&str>,
) -> Result<(), WrongRoomPassword> {
    match room_password {
        None => Ok(()),
        Some(expected) if supplied == Some(expected.as_str()) => Ok(()),
        Some(_) => Err(WrongRoomPassword),
    }
}

/// The role a participant has inside a meeting (signaling; rules.md §12.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MeetingRole {
    /// An anonymous invite-code guest.
    Guest,
    /// A registered participant.
    User,
    /// A moderator.
    Moderator,
}

impl From<InviteRole> for MeetingRole {
    fn from(role: InviteRole) -> Self {
        match role {
            InviteRole::User => MeetingRole::User,
            InviteRole::Moderator => MeetingRole::Moderator,
        }
    }
}

/// Who is joining a room, as far as the meeting role is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Joiner {
    /// A registered user; `is_room_creator` and the role of their invite to
    /// the room's event (any status, declined included) decide the role.
    Registered {
        /// The user created the room.
        is_room_creator: bool,
        /// The role of the user's `event_invites` row for the room's event.
        invite_role: Option<InviteRole>,
    },
    /// A guest holding a room invite code. The role of an external email
    /// invite does not carry over to the guest session.
    InviteCodeGuest,
}

/// The meeting role at join time (rules.md §12.4).
pub fn meeting_role(joiner: Joiner) -> MeetingRole {
    match joiner {
        Joiner::InviteCodeGuest => MeetingRole::Guest,
        Joiner::Registered {
            is_room_creator: true,
            ..
        } => MeetingRole::Moderator,
        Joiner::Registered {
            invite_role: Some(role),
            ..
        } => role.into(),
        Joiner::Registered {
            invite_role: None, ..
        } => MeetingRole::User,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_is_one_to_255_bytes() {
        let check = |s: String, ok: bool| assert_eq!(RoomPassword::try_from(s).is_ok(), ok);
        check(String::new(), false);
        check("x".into(), true);
        check("x".repeat(255), true);
        check("x".repeat(256), false);
        check("€".repeat(85), true); // 255 bytes
        check("€".repeat(86), false);
    }

    #[test]
    fn guest_password_check() {
        let pw: RoomPassword = "s3cret".parse().unwrap();
        let check = |room: Option<&RoomPassword>, given: Option<&str>, ok: bool| {
            assert_eq!(
                check_guest_password(room, given).is_ok(),
                ok,
                "{room:?} {given:?}"
            );
        };
        check(None, None, true);
        check(None, Some("anything"), true);
        check(Some(&pw), Some("s3cret"), true);
        check(Some(&pw), None, false);
        check(Some(&pw), Some("S3cret"), false);
        check(Some(&pw), Some("s3cret "), false);
        check(Some(&pw), Some(""), false);
    }

    #[test]
    fn meeting_roles() {
        let reg = |creator, role| Joiner::Registered {
            is_room_creator: creator,
            invite_role: role,
        };
        let check = |joiner, want| assert_eq!(meeting_role(joiner), want, "{joiner:?}");
        check(reg(true, None), MeetingRole::Moderator);
        check(reg(true, Some(InviteRole::User)), MeetingRole::Moderator);
        check(
            reg(false, Some(InviteRole::Moderator)),
            MeetingRole::Moderator,
        );
        check(reg(false, Some(InviteRole::User)), MeetingRole::User);
        check(reg(false, None), MeetingRole::User);
        check(Joiner::InviteCodeGuest, MeetingRole::Guest);
    }
}
