//! The exact rule changes of every action (rules.md §11.3, §11.5, §11.6, §10).
//!
//! An [`AccessChange`] is applied by running its revocations first, then
//! inserting its links and grants; inserting an identical row is a no-op
//! (the table's unique key), so grants are idempotent.

use crate::access::grants::{
    default_role_policies, event_invitee, event_path, event_read, event_write, favorite_path,
    module_resource_path, room_guest_read, room_path, room_read, room_write,
};
use crate::access::policy::{Policy, RoleLink, merge};
use crate::access::revoke::{ResourceScope, Revoke};
use crate::access::subject::Subject;
use crate::ids::{EventId, GroupId, InviteCodeId, ModuleResourceId, RoomId, UserId};

/// The rules one action writes and deletes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccessChange {
    /// Revocations, executed first.
    pub revokes: Vec<Revoke>,
    /// `g` rows to insert.
    pub links: Vec<RoleLink>,
    /// `p` rows to insert, already merged per (subject, resource).
    pub grants: Vec<Policy>,
}

impl AccessChange {
    fn grant(policies: impl IntoIterator<Item = Policy>) -> Self {
        Self {
            grants: merge(policies),
            ..Self::default()
        }
    }

    fn revoke(revokes: Vec<Revoke>) -> Self {
        Self {
            revokes,
            ..Self::default()
        }
    }

    /// The subjects whose rules change (for cache invalidation). A
    /// resource-wide revocation affects unknown subjects, so it yields `None`.
    pub fn affected_subjects(&self) -> Option<Vec<Subject>> {
        let mut out: Vec<Subject> = Vec::new();
        let mut push = |s: &Subject| {
            if !out.contains(s) {
                out.push(s.clone());
            }
        };
        for revoke in &self.revokes {
            match revoke {
                Revoke::SubjectOnResources { subject, .. } | Revoke::Subject(subject) => {
                    push(subject)
                }
                Revoke::Link(link) => push(&link.member),
                Revoke::Resources(_) => return None,
            }
        }
        self.links.iter().for_each(|l| push(&l.member));
        self.grants.iter().for_each(|p| push(&p.subject));
        Some(out)
    }
}

/// `POST /rooms`: room read + room write for the creator (11 rows).
pub fn create_room(creator: UserId, room: RoomId) -> AccessChange {
    let user = Subject::User(creator);
    AccessChange::grant(
        room_read(&user, room)
            .into_iter()
            .chain(room_write(&user, room)),
    )
}

/// `POST /events`: event read + write and room read + write for the creator,
/// in one operation (19 rows).
pub fn create_event(creator: UserId, event: EventId, room: RoomId) -> AccessChange {
    let user = Subject::User(creator);
    let policies = event_read(&user, event)
        .into_iter()
        .chain(event_write(&user, event))
        .chain(room_read(&user, room))
        .chain(room_write(&user, room));
    AccessChange::grant(policies)
}

/// A user invite (direct, by email match, or migrated at registration):
/// event read + room read + event invitee (15 rows).
pub fn invite_user(invitee: UserId, event: EventId, room: RoomId) -> AccessChange {
    let user = Subject::User(invitee);
    let policies = event_read(&user, event)
        .into_iter()
        .chain(room_read(&user, room))
        .chain(event_invitee(&user, event));
    AccessChange::grant(policies)
}

/// Removing an invitee: every rule of the invitee on the event or its
/// room, or below them, and on the event's favourite path.
pub fn remove_invitee(invitee: UserId, event: EventId, room: RoomId) -> AccessChange {
    AccessChange::revoke(vec![Revoke::SubjectOnResources {
        subject: Subject::User(invitee),
        resources: event_scopes(event, room),
    }])
}

/// A room invite code was created (or re-granted by the event or instance
/// PATCH): room guest read for `invite::<code>`. Only call it for valid codes.
pub fn create_invite_code(code: InviteCodeId, room: RoomId) -> AccessChange {
    AccessChange::grant(room_guest_read(&Subject::Invite(code), room))
}

/// A code was deleted, or found inactive or expired by the cleanup job:
/// its `/tariff` and `/event` rules go.
pub fn delete_invite_code(code: InviteCodeId, room: RoomId) -> AccessChange {
    let base = room_path(room);
    AccessChange::revoke(vec![Revoke::SubjectOnResources {
        subject: Subject::Invite(code),
        resources: vec![
            ResourceScope::Exact(format!("{base}/tariff")),
            ResourceScope::Exact(format!("{base}/event")),
        ],
    }])
}

fn event_scopes(event: EventId, room: RoomId) -> Vec<ResourceScope> {
    vec![
        ResourceScope::Tree(event_path(event)),
        ResourceScope::Exact(favorite_path(event)),
        ResourceScope::Tree(room_path(room)),
    ]
}

fn room_cleanup(
    mut scopes: Vec<ResourceScope>,
    codes: &[InviteCodeId],
    module_resources: &[ModuleResourceId],
) -> AccessChange {
    scopes.extend(
        module_resources
            .iter()
            .map(|m| ResourceScope::Exact(module_resource_path(*m))),
    );
    let mut revokes = vec![Revoke::Resources(scopes)];
    revokes.extend(codes.iter().map(|c| Revoke::Subject(Subject::Invite(*c))));
    AccessChange::revoke(revokes)
}

/// Deleting an event: all subjects' rules on the event, its favourite
/// path and its room (including `/sip`), every rule of the room's invite
/// codes, and the rules of the deleted module resources.
pub fn delete_event(
    event: EventId,
    room: RoomId,
    codes: &[InviteCodeId],
    module_resources: &[ModuleResourceId],
) -> AccessChange {
    room_cleanup(event_scopes(event, room), codes, module_resources)
}

/// Deleting a room without an event: all subjects' rules on the room and
/// below (including `/sip`), the invite-code subjects and the module resources.
pub fn delete_room(
    room: RoomId,
    codes: &[InviteCodeId],
    module_resources: &[ModuleResourceId],
) -> AccessChange {
    room_cleanup(
        vec![ResourceScope::Tree(room_path(room))],
        codes,
        module_resources,
    )
}

/// Deleting a user: every rule whose `v0` is `user::<id>`, `p` and `g`.
pub fn delete_user(user: UserId) -> AccessChange {
    AccessChange::revoke(vec![Revoke::Subject(Subject::User(user))])
}

/// The rules of `role::user` written at every start (one row per resource).
pub fn default_role_rules() -> AccessChange {
    AccessChange::grant(default_role_policies())
}

/// Account creation: `g user::<id> → role::user`.
pub fn first_login(user: UserId) -> AccessChange {
    AccessChange {
        links: vec![RoleLink::new(Subject::User(user), Subject::user_role())],
        ..AccessChange::default()
    }
}

/// Every login: synchronise the `g user → group` links with the token's
/// groups. `current` are the groups linked now; `wanted` those of the token.
pub fn sync_groups(user: UserId, current: &[GroupId], wanted: &[GroupId]) -> AccessChange {
    let link = |g: &GroupId| RoleLink::new(Subject::User(user), Subject::Group(*g));
    let mut links: Vec<RoleLink> = Vec::new();
    for group in wanted.iter().filter(|g| !current.contains(g)) {
        let l = link(group);
        if !links.contains(&l) {
            links.push(l);
        }
    }
    let revokes = current
        .iter()
        .filter(|g| !wanted.contains(g))
        .map(|g| Revoke::Link(link(g)))
        .collect();
    AccessChange {
        revokes,
        links,
        grants: Vec::new(),
    }
}
