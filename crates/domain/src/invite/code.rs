//! Room invite codes (guest links): parsing, validity and the guest start checks.
//!
//! Conclave checks validity everywhere a code is used: a code is
//! valid when it exists, is active, and has no expiration or one later than
//! now. "The room's first invite" only ever picks a valid code.

use chrono::{DateTime, Utc};

use crate::ids::{InviteCodeId, RoomId, UserId};
use crate::room::{RoomPassword, WrongRoomPassword, check_guest_password};

/// The text is not a UUID (422 with "Bad invite code format").
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("Bad invite code format")]
pub struct BadInviteCodeFormat;

/// A syntactically valid invite code as supplied by a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct InviteCode(InviteCodeId);

impl InviteCode {
    /// The id of the `invites` row this code names.
    pub fn id(self) -> InviteCodeId {
        self.0
    }
}

impl From<InviteCodeId> for InviteCode {
    fn from(id: InviteCodeId) -> Self {
        Self(id)
    }
}

impl TryFrom<String> for InviteCode {
    type Error = BadInviteCodeFormat;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl std::str::FromStr for InviteCode {
    type Err = BadInviteCodeFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse::<InviteCodeId>()
            .map(Self)
            .map_err(|_| BadInviteCodeFormat)
    }
}

impl From<InviteCode> for String {
    fn from(code: InviteCode) -> String {
        code.0.to_string()
    }
}

impl std::fmt::Display for InviteCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// The fields of an `invites` row that the validity rules need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomInviteCode {
    /// The code.
    pub id: InviteCodeId,
    /// The room it opens.
    pub room: RoomId,
    /// False after a (soft) delete; never set back to true.
    pub active: bool,
    /// When the code stops working; `None` = never.
    pub expiration: Option<DateTime<Utc>>,
    /// Last change; "first invite" means the most recently updated one.
    pub updated_at: DateTime<Utc>,
}

/// `active && (expiration is None || expiration > now)`.
pub fn is_valid(active: bool, expiration: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    active && expiration.is_none_or(|exp| exp > now)
}

impl RoomInviteCode {
    /// Whether the code may be used at `now`.
    pub fn is_valid(&self, now: DateTime<Utc>) -> bool {
        is_valid(self.active, self.expiration, now)
    }
}

/// The room's "first invite": the valid code with the most recent
/// `updated_at`, or `None` when the room has no valid code (then the PATCH
/// and mail paths create a fresh one, see [`new_room_code`]).
pub fn first_valid_code(codes: &[RoomInviteCode], now: DateTime<Utc>) -> Option<&RoomInviteCode> {
    codes
        .iter()
        .filter(|c| c.is_valid(now))
        .max_by_key(|c| c.updated_at)
}

/// The `invites` row written when a code is created: active, with
/// `created_by` = `updated_by` = the actor, and the given expiration, which
/// is deliberately not checked to lie in the future (rules.md §7.9).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRoomInviteCode {
    /// The room the code opens.
    pub room: RoomId,
    /// Creator and first updater.
    pub created_by: UserId,
    /// Optional expiration.
    pub expiration: Option<DateTime<Utc>>,
    /// Always true for a new code.
    pub active: bool,
}

/// Builds the row for a new code of `room`.
pub fn new_room_code(
    room: RoomId,
    actor: UserId,
    expiration: Option<DateTime<Utc>>,
) -> NewRoomInviteCode {
    NewRoomInviteCode {
        room,
        created_by: actor,
        expiration,
        active: true,
    }
}

/// Why `POST /rooms/{id}/start_invited` refuses a guest, in check order
/// (after the UUID format check, which [`InviteCode`] parsing covers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum StartInvitedRefusal {
    /// Unknown, inactive or expired code (404; R-21 adds "expired").
    #[error("invite code not found")]
    NotFound,
    /// The code belongs to another room (400 "Room id mismatch").
    #[error("Room id mismatch")]
    RoomMismatch,
    /// Missing or wrong room password (401 `wrong_room_password`).
    #[error(transparent)]
    WrongPassword(#[from] WrongRoomPassword),
}

/// The guest checks of `start_invited`, in upstream's order with Conclave's
/// expiry check added before the room comparison.
pub fn check_start_invited(
    code: Option<&RoomInviteCode>,
    requested_room: RoomId,
    room_password: Option<&RoomPassword>,
    supplied_password: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), StartInvitedRefusal> {
    let code = code
        .filter(|c| c.is_valid(now))
        .ok_or(StartInvitedRefusal::NotFound)?;
    if code.room != requested_room {
        return Err(StartInvitedRefusal::RoomMismatch);
    }
    check_guest_password(room_password, supplied_password)?;
    Ok(())
}

/// `POST /invite/verify` and the `InviteCode` authentication step: the code
/// must exist and be valid, else 404 (verify) or 403 (authentication).
pub fn verify_code(code: Option<&RoomInviteCode>, now: DateTime<Utc>) -> Option<RoomId> {
    code.filter(|c| c.is_valid(now)).map(|c| c.room)
}
