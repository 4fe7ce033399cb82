//! The claims inside signaling tickets and resumption tokens.

use conclave_domain::room::MeetingRole;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Who a ticket admits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Participant {
    /// A registered user (`POST /rooms/{id}/start`).
    User {
        /// The user id.
        id: Uuid,
    },
    /// An invite-code guest (`POST /rooms/{id}/start_invited`).
    Guest {
        /// The invite code the guest presented.
        invite_code: Uuid,
    },
}

/// The meeting role carried by a ticket (rules.md §12.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// An anonymous invite-code guest.
    Guest,
    /// A registered participant.
    User,
    /// A moderator.
    Moderator,
}

impl From<MeetingRole> for Role {
    fn from(role: MeetingRole) -> Self {
        match role {
            MeetingRole::Guest => Role::Guest,
            MeetingRole::User => Role::User,
            MeetingRole::Moderator => Role::Moderator,
        }
    }
}

/// Which kind of token a JWT is; a resumption token never passes as a
/// ticket and vice versa.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// A signaling ticket.
    Ticket,
    /// A resumption token.
    Resumption,
}

/// The payload of a signaling ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketClaims {
    /// Always [`TokenKind::Ticket`].
    pub typ: TokenKind,
    /// The room to join.
    pub room: Uuid,
    /// Who joins.
    pub participant: Participant,
    /// The meeting participant id; kept across a resumption.
    pub participant_id: Uuid,
    /// The role at join time.
    pub role: Role,
    /// The resumption token handed out together with this ticket.
    pub resumption: String,
    /// Issued at (unix seconds).
    pub iat: i64,
    /// Expires at (unix seconds).
    pub exp: i64,
    /// Issuer, always [`super::ISSUER`].
    pub iss: String,
    /// Audience, always [`super::AUDIENCE`].
    pub aud: String,
}

/// The payload of a resumption token: lets a participant who reconnects
/// keep their participant id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResumptionClaims {
    /// Always [`TokenKind::Resumption`].
    pub typ: TokenKind,
    /// The room it was issued for.
    pub room: Uuid,
    /// Who it was issued to.
    pub participant: Participant,
    /// The participant id to keep.
    pub participant_id: Uuid,
    /// Issued at (unix seconds).
    pub iat: i64,
    /// Expires at (unix seconds).
    pub exp: i64,
    /// Issuer, always [`super::ISSUER`].
    pub iss: String,
    /// Audience, always [`super::AUDIENCE`].
    pub aud: String,
}
