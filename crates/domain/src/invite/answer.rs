//! User invites (`event_invites`): creating, answering, changing roles,
//! removing, and counting pending ones (rules.md §7.3, §7.4, §7.6, §7.7).
//!
//! There is **no state machine**: the invitee may overwrite any status with
//! `accepted` or `declined` at any time, `tentative` is never set through the
//! API, and declining removes no access.

use chrono::{DateTime, Utc};

use crate::access::{AccessChange, remove_invitee};
use crate::ids::{EventId, RoomId, UserId};
use crate::invite::{EventInviteStatus, InviteRole};

/// The invitee's answer through `PATCH` (accept) or `DELETE` (decline)
/// `/events/{id}/invite`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InviteAnswer {
    /// `PATCH /events/{id}/invite`.
    Accept,
    /// `DELETE /events/{id}/invite`; the row stays.
    Decline,
}

impl InviteAnswer {
    /// The status the answer stores.
    pub fn status(self) -> EventInviteStatus {
        match self {
            InviteAnswer::Accept => EventInviteStatus::Accepted,
            InviteAnswer::Decline => EventInviteStatus::Declined,
        }
    }
}

/// The caller has no invite to the event (404).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("no invite for this event")]
pub struct NoInvite;

/// Applies the caller's own answer to the caller's own row. Any current
/// status may be overwritten; only a missing row is refused.
pub fn answer_invite(
    own_status: Option<EventInviteStatus>,
    answer: InviteAnswer,
) -> Result<EventInviteStatus, NoInvite> {
    own_status.map(|_| answer.status()).ok_or(NoInvite)
}

/// Whether the REST API can ever store `status` on an existing row: only
/// through the invitee's answers, so never `pending` or `tentative`.
pub fn settable_through_api(status: EventInviteStatus) -> bool {
    matches!(
        status,
        EventInviteStatus::Accepted | EventInviteStatus::Declined
    )
}

/// What `POST /events/{id}/invites` does for a registered invitee (§7.4),
/// once the invitee is known to be an active user of the event's tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserInvitePlan {
    /// The invitee created the event: answer 204 and store nothing.
    InviteeIsCreator,
    /// Insert this row; a duplicate (`event_id`, `invitee`) is swallowed
    /// with 204 and changes nothing (the status is **not** reset). Only a
    /// new row gets [`crate::access::invite_user`] grants, a mail and 201.
    Insert(NewEventInvite),
}

/// An `event_invites` row to insert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEventInvite {
    /// The event.
    pub event_id: EventId,
    /// The invited user.
    pub invitee: UserId,
    /// The meeting role.
    pub role: InviteRole,
    /// Who invited (for migrated email invites: the original inviter).
    pub created_by: UserId,
    /// `None` = the column default `now()`; migrated invites keep theirs.
    pub created_at: Option<DateTime<Utc>>,
    /// Always `pending` for a new row.
    pub status: EventInviteStatus,
}

/// Plans a user invite of `invitee` to `event` created by `event_creator`.
pub fn plan_user_invite(
    event_id: EventId,
    event_creator: UserId,
    invitee: UserId,
    role: Option<InviteRole>,
    actor: UserId,
) -> UserInvitePlan {
    if invitee == event_creator {
        return UserInvitePlan::InviteeIsCreator;
    }
    UserInvitePlan::Insert(NewEventInvite {
        event_id,
        invitee,
        role: role.unwrap_or_default(),
        created_by: actor,
        created_at: None,
        status: EventInviteStatus::Pending,
    })
}

/// Only the event's creator may change an invite's role (403 otherwise,
/// checked in addition to the ACL; rules.md §7.6).
pub fn may_change_invite_role(actor: UserId, event_creator: UserId) -> bool {
    actor == event_creator
}

/// Everything removing a registered invitee does (rules.md §7.7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UninvitePlan {
    /// The `event_invites` row (`event_id`, `invitee`) to delete; none → 404.
    pub invite: (EventId, UserId),
    /// The `event_favorites` row (`user_id`, `event_id`) to delete: the
    /// **invitee's** favourite, never the remover's.
    pub favorite: (UserId, EventId),
    /// Every rule of the invitee on the event and its room.
    pub access: AccessChange,
}

/// Plans removing `invitee` from `event` (whose room is `room`). The remover
/// only matters for authorization, never for what is deleted.
pub fn plan_uninvite(event: EventId, room: RoomId, invitee: UserId) -> UninvitePlan {
    UninvitePlan {
        invite: (event, invitee),
        favorite: (invitee, event),
        access: remove_invitee(invitee, event, room),
    }
}

/// Whether an uninvite (or cancellation) mail goes out: not when suppressed,
/// and never for an event that already ended (stored `ends_at` < now).
/// Time-independent events have no end and always qualify.
pub fn should_send_uninvite_mail(
    suppressed: bool,
    event_ends_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    !suppressed && event_ends_at.is_none_or(|end| end >= now)
}

/// `GET /users/me/pending_invites`: the number of the caller's
/// `event_invites` rows that are `pending`. Email invites never count.
pub fn count_pending(statuses: impl IntoIterator<Item = EventInviteStatus>) -> u64 {
    statuses
        .into_iter()
        .filter(|s| *s == EventInviteStatus::Pending)
        .map(|_| 1)
        .sum()
}
