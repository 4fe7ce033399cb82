//! Invitations: statuses, roles and their rules.

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
