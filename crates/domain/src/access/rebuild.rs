//! The full intended rule set, as the admin command `fix-acl` rebuilds it
//! (rules.md §11.8). Each entry of the result is one grant operation, so
//! rows are merged exactly as when the rules were first written.

use chrono::{DateTime, Utc};

use crate::access::change::{
    AccessChange, create_invite_code, first_login, invite_user, sync_groups,
};
use crate::access::grants::{event_read, event_write, module_resource, room_read, room_write};
use crate::access::policy::merge;
use crate::access::subject::Subject;
use crate::ids::{EventId, GroupId, ModuleResourceId, RoomId, UserId};
use crate::invite::code::RoomInviteCode;

/// What the database holds, reduced to what the rules depend on.
#[derive(Debug, Clone, Default)]
pub struct AclInventory {
    /// Every user with the groups they belong to.
    pub users: Vec<(UserId, Vec<GroupId>)>,
    /// Every room with its creator.
    pub rooms: Vec<(RoomId, UserId)>,
    /// Every room invite code; only valid ones get rules.
    pub codes: Vec<RoomInviteCode>,
    /// Every module resource with its creator and its room's owner.
    pub module_resources: Vec<(ModuleResourceId, UserId, UserId)>,
    /// Every event with its creator.
    pub events: Vec<(EventId, UserId)>,
    /// Every user invite: event, the event's room, invitee.
    pub invitees: Vec<(EventId, RoomId, UserId)>,
}

/// The grant operations that restore every intended rule.
pub fn rebuild(inventory: &AclInventory, now: DateTime<Utc>) -> Vec<AccessChange> {
    let mut ops = Vec::new();
    for (user, groups) in &inventory.users {
        ops.push(first_login(*user));
        ops.push(sync_groups(*user, &[], groups));
    }
    for (room, creator) in &inventory.rooms {
        let s = Subject::User(*creator);
        ops.push(grant(
            room_read(&s, *room)
                .into_iter()
                .chain(room_write(&s, *room)),
        ));
    }
    for code in inventory.codes.iter().filter(|c| c.is_valid(now)) {
        ops.push(create_invite_code(code.id, code.room));
    }
    for (resource, creator, owner) in &inventory.module_resources {
        let policies = [creator, owner]
            .into_iter()
            .flat_map(|u| module_resource(&Subject::User(*u), *resource));
        ops.push(grant(policies));
    }
    for (event, creator) in &inventory.events {
        let s = Subject::User(*creator);
        ops.push(grant(
            event_read(&s, *event)
                .into_iter()
                .chain(event_write(&s, *event)),
        ));
    }
    for (event, room, invitee) in &inventory.invitees {
        ops.push(invite_user(*invitee, *event, *room));
    }
    ops.retain(|op| *op != AccessChange::default());
    ops
}

fn grant(policies: impl IntoIterator<Item = crate::access::policy::Policy>) -> AccessChange {
    AccessChange {
        grants: merge(policies),
        ..AccessChange::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::change::create_event;
    use crate::access::store::RuleSet;
    use crate::ids::InviteCodeId;
    use chrono::TimeDelta;

    #[test]
    fn rebuild_restores_what_the_api_wrote() {
        let now: DateTime<Utc> = "2024-07-20T14:16:19Z".parse().unwrap();
        let (creator, invitee) = (UserId::generate(), UserId::generate());
        let (event, room, group) = (EventId::generate(), RoomId::generate(), GroupId::generate());
        let code = |active: bool, expires: Option<i64>| RoomInviteCode {
            id: InviteCodeId::generate(),
            room,
            active,
            expiration: expires.map(|s| now + TimeDelta::seconds(s)),
            updated_at: now,
        };
        let (valid, expired, inactive) = (
            code(true, Some(60)),
            code(true, Some(-60)),
            code(false, None),
        );

        let mut written = RuleSet::new();
        for change in [
            first_login(creator),
            first_login(invitee),
            sync_groups(invitee, &[], &[group]),
            create_event(creator, event, room),
            invite_user(invitee, event, room),
            create_invite_code(valid.id, room),
        ] {
            written.apply(&change);
        }

        let inventory = AclInventory {
            users: vec![(creator, vec![]), (invitee, vec![group])],
            rooms: vec![(room, creator)],
            codes: vec![valid, expired.clone(), inactive.clone()],
            module_resources: vec![],
            events: vec![(event, creator)],
            invitees: vec![(event, room, invitee)],
        };
        let mut rebuilt = RuleSet::new();
        rebuild(&inventory, now)
            .iter()
            .for_each(|op| rebuilt.apply(op));
        assert_eq!(rebuilt, written);
        assert!(!rebuilt.mentions(&expired.id.to_string()));
        assert!(!rebuilt.mentions(&inactive.id.to_string()));
    }

    #[test]
    fn module_resources_go_to_creator_and_room_owner() {
        let (creator, owner, resource) = (
            UserId::generate(),
            UserId::generate(),
            ModuleResourceId::generate(),
        );
        let inventory = AclInventory {
            module_resources: vec![(resource, creator, owner), (resource, owner, owner)],
            ..AclInventory::default()
        };
        let ops = rebuild(&inventory, Utc::now());
        assert_eq!(ops.len(), 2);
        assert_eq!(ops[0].grants.len(), 2);
        assert_eq!(ops[1].grants.len(), 1);
    }
}
