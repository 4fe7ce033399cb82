//! Invitations: statuses, roles and their rules (rules.md §7).
//!
//! * [`code`]: room invite codes (guest links) and their validity.
//! * [`answer`]: user invites: creating, answering, role changes, counting.
//! * [`email`]: email invites: resolving an address and migrating at registration.

pub mod answer;
pub mod code;
pub mod email;

crate::sql_label_enum! {
    /// `event_invite_status`: the answer of a registered invitee.
    pub enum EventInviteStatus {
        /// Not answered yet.
        Pending = "pending",
        /// Accepted.
        Accepted = "accepted",
        /// Tentatively accepted.
        Tentative = "tentative",
        /// Declined.
        Declined = "declined",
    }
}

crate::sql_label_enum! {
    /// `invite_role`: the meeting role of a registered invitee.
    pub enum InviteRole {
        /// An ordinary participant.
        User = "user",
        /// A moderator.
        Moderator = "moderator",
    }
}

crate::sql_label_enum! {
    /// `email_invite_role`: the meeting role of an email invitee.
    pub enum EmailInviteRole {
        /// A guest.
        Guest = "guest",
        /// A moderator.
        Moderator = "moderator",
    }
}

impl Default for EventInviteStatus {
    /// New rows start as `pending`.
    fn default() -> Self {
        EventInviteStatus::Pending
    }
}

impl Default for InviteRole {
    /// A user invite without a role is a `user` invite.
    fn default() -> Self {
        InviteRole::User
    }
}

impl Default for EmailInviteRole {
    /// An email invite without a role is a `guest` invite.
    fn default() -> Self {
        EmailInviteRole::Guest
    }
}

impl From<EmailInviteRole> for InviteRole {
    /// The role a user invite gets when an email invite turns into one
    /// (rules.md §7.2): `guest` → `user`, `moderator` → `moderator`.
    fn from(role: EmailInviteRole) -> Self {
        match role {
            EmailInviteRole::Guest => InviteRole::User,
            EmailInviteRole::Moderator => InviteRole::Moderator,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_the_column_defaults() {
        assert_eq!(EventInviteStatus::default(), EventInviteStatus::Pending);
        assert_eq!(InviteRole::default(), InviteRole::User);
        assert_eq!(EmailInviteRole::default(), EmailInviteRole::Guest);
    }

    #[test]
    fn email_roles_map_to_user_roles() {
        let check = |from: EmailInviteRole, to: InviteRole| assert_eq!(InviteRole::from(from), to);
        check(EmailInviteRole::Guest, InviteRole::User);
        check(EmailInviteRole::Moderator, InviteRole::Moderator);
    }

    #[test]
    fn invite_roles_are_ordered_user_below_moderator() {
        assert!(InviteRole::User < InviteRole::Moderator);
        assert_eq!(InviteRole::ALL, &[InviteRole::User, InviteRole::Moderator]);
    }

    #[test]
    fn labels_match_sql() {
        let labels: Vec<_> = EventInviteStatus::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(labels, ["pending", "accepted", "tentative", "declined"]);
        assert_eq!(
            "guest".parse::<EmailInviteRole>(),
            Ok(EmailInviteRole::Guest)
        );
        assert!("admin".parse::<InviteRole>().is_err());
    }
}
