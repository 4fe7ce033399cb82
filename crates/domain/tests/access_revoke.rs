//! Revocations applied to a populated rule set (rules.md §11.6; ).

use conclave_domain::access::grants::module_resource;
use conclave_domain::access::{
    AccessChange, Action, Policy, Revoke, RuleSet, Subject, create_event, create_invite_code,
    create_room, default_role_rules, delete_event, delete_invite_code, delete_room, delete_user,
    first_login, invite_user, remove_invitee, sync_groups,
};
use conclave_domain::ids::{EventId, GroupId, InviteCodeId, ModuleResourceId, RoomId, UserId};

/// Two users, two events with rooms, a standalone room, codes and a module resource.
struct World {
    creator: UserId,
    invitee: UserId,
    event: EventId,
    room: RoomId,
    other_event: EventId,
    other_room: RoomId,
    lone_room: RoomId,
    codes: Vec<InviteCodeId>,
    lone_code: InviteCodeId,
    module: ModuleResourceId,
    group: GroupId,
    rules: RuleSet,
}

fn world() -> World {
    let w = World {
        creator: UserId::generate(),
        invitee: UserId::generate(),
        event: EventId::generate(),
        room: RoomId::generate(),
        other_event: EventId::generate(),
        other_room: RoomId::generate(),
        lone_room: RoomId::generate(),
        codes: vec![InviteCodeId::generate(), InviteCodeId::generate()],
        lone_code: InviteCodeId::generate(),
        module: ModuleResourceId::generate(),
        group: GroupId::generate(),
        rules: RuleSet::new(),
    };
    let mut rules = RuleSet::new();
    let module_rules = AccessChange {
        grants: module_resource(&Subject::User(w.creator), w.module),
        ..AccessChange::default()
    };
    for change in [
        default_role_rules(),
        first_login(w.creator),
        first_login(w.invitee),
        sync_groups(w.invitee, &[], &[w.group]),
        create_event(w.creator, w.event, w.room),
        create_event(w.creator, w.other_event, w.other_room),
        create_room(w.invitee, w.lone_room),
        invite_user(w.invitee, w.event, w.room),
        invite_user(w.invitee, w.other_event, w.other_room),
        create_invite_code(w.codes[0], w.room),
        create_invite_code(w.codes[1], w.room),
        create_invite_code(w.lone_code, w.lone_room),
        module_rules,
    ] {
        rules.apply(&change);
    }
    World { rules, ..w }
}

fn count_subject(rules: &RuleSet, subject: &Subject) -> usize {
    rules
        .policies
        .iter()
        .filter(|p| p.subject == *subject)
        .count()
        + rules.links.iter().filter(|l| l.member == *subject).count()
}

#[test]
fn removing_an_invitee_revokes_all_their_event_and_room_rules() {
    let mut w = world();
    let invitee = Subject::User(w.invitee);
    // A rule upstream's fixed list would miss, added by hand.
    w.rules.policies.insert(Policy::new(
        invitee.clone(),
        format!("/rooms/{}/invites/*", w.room),
        &[Action::Get],
    ));
    let before = w.rules.clone();
    w.rules.apply(&remove_invitee(w.invitee, w.event, w.room));

    let invitee_rows = |rules: &RuleSet, needle: String| {
        rules
            .policies
            .iter()
            .filter(|p| p.subject == invitee && p.object.contains(&needle))
            .count()
    };
    assert_eq!(invitee_rows(&w.rules, w.event.to_string()), 0);
    assert_eq!(invitee_rows(&w.rules, w.room.to_string()), 0);
    assert_eq!(invitee_rows(&before, w.event.to_string()), 7);
    assert_eq!(invitee_rows(&before, w.room.to_string()), 9);
    // Only the invitee's rules on this event went; everything else stays.
    assert_eq!(before.len() - w.rules.len(), 16);
    assert_eq!(invitee_rows(&w.rules, w.other_event.to_string()), 7);
    assert_eq!(invitee_rows(&w.rules, w.other_room.to_string()), 8);
    let creator = Subject::User(w.creator);
    assert_eq!(
        count_subject(&w.rules, &creator),
        count_subject(&before, &creator)
    );
}

#[test]
fn deleting_an_event_removes_everything_it_created() {
    let mut w = world();
    let before = w.rules.clone();
    w.rules
        .apply(&delete_event(w.event, w.room, &w.codes, &[w.module]));
    for gone in [
        w.event.to_string(),
        w.room.to_string(),
        w.codes[0].to_string(),
        w.codes[1].to_string(),
        w.module.to_string(),
    ] {
        assert!(before.mentions(&gone), "{gone} was never there");
        assert!(!w.rules.mentions(&gone), "{gone} survived");
    }
    // creator: 19 rows + 1 module row; invitee: 15 rows; two codes: 2 rows each.
    assert_eq!(before.len() - w.rules.len(), 19 + 1 + 15 + 4);
    for kept in [
        w.other_event.to_string(),
        w.other_room.to_string(),
        w.lone_code.to_string(),
    ] {
        assert!(w.rules.mentions(&kept), "{kept} was removed");
    }
    assert_eq!(w.rules.links, before.links);
}

#[test]
fn deleting_a_room_removes_its_tree_codes_and_module_resources() {
    let mut w = world();
    let before = w.rules.clone();
    let sip = format!("/rooms/{}/sip", w.lone_room);
    assert!(before.policies.iter().any(|p| p.object == sip));
    w.rules
        .apply(&delete_room(w.lone_room, &[w.lone_code], &[]));
    assert!(!w.rules.mentions(&w.lone_room.to_string()));
    assert!(!w.rules.mentions(&w.lone_code.to_string()));
    assert_eq!(before.len() - w.rules.len(), 11 + 2);
}

#[test]
fn deleting_a_user_removes_all_their_p_and_g_rules() {
    let mut w = world();
    let invitee = Subject::User(w.invitee);
    let before = w.rules.clone();
    // 2 links (role, group) + 2 × 15 invitee rows + 11 room rows.
    assert_eq!(count_subject(&before, &invitee), 2 + 30 + 11);
    w.rules.apply(&delete_user(w.invitee));
    assert_eq!(count_subject(&w.rules, &invitee), 0);
    assert_eq!(before.len() - w.rules.len(), 43);
    let creator = Subject::User(w.creator);
    assert_eq!(
        count_subject(&w.rules, &creator),
        count_subject(&before, &creator)
    );
}

#[test]
fn deleting_a_code_removes_only_its_two_rules() {
    let mut w = world();
    let before = w.rules.clone();
    w.rules.apply(&delete_invite_code(w.codes[0], w.room));
    assert!(!w.rules.mentions(&w.codes[0].to_string()));
    assert_eq!(before.len() - w.rules.len(), 2);
    assert!(w.rules.mentions(&w.codes[1].to_string()));
}

#[test]
fn group_sync_adds_and_removes_the_difference() {
    let user = UserId::generate();
    let [a, b, c] = [
        GroupId::generate(),
        GroupId::generate(),
        GroupId::generate(),
    ];
    let change = sync_groups(user, &[a, b], &[b, c, c]);
    let linked: Vec<_> = change.links.iter().map(|l| l.role.clone()).collect();
    assert_eq!(linked, [Subject::Group(c)]);
    assert_eq!(change.revokes.len(), 1);
    assert!(matches!(&change.revokes[0], Revoke::Link(l) if l.role == Subject::Group(a)));
    assert!(change.grants.is_empty(), "groups never get policies (R-34)");

    let mut rules = RuleSet::new();
    rules.apply(&first_login(user));
    rules.apply(&sync_groups(user, &[], &[a, b]));
    rules.apply(&change);
    let groups: Vec<_> = rules.links.iter().map(|l| l.role.to_string()).collect();
    let mut want = vec![
        "role::user".to_owned(),
        format!("group::{b}"),
        format!("group::{c}"),
    ];
    want.sort();
    let mut got = groups.clone();
    got.sort();
    assert_eq!(got, want);
    assert_eq!(sync_groups(user, &[a], &[a]), AccessChange::default());
}

#[test]
fn affected_subjects_for_cache_invalidation() {
    let w = world();
    let subjects = remove_invitee(w.invitee, w.event, w.room).affected_subjects();
    assert_eq!(subjects, Some(vec![Subject::User(w.invitee)]));
    assert_eq!(
        create_invite_code(w.lone_code, w.lone_room).affected_subjects(),
        Some(vec![Subject::Invite(w.lone_code)])
    );
    assert_eq!(
        delete_event(w.event, w.room, &[], &[]).affected_subjects(),
        None
    );
    assert_eq!(
        delete_user(w.invitee).affected_subjects(),
        Some(vec![Subject::User(w.invitee)])
    );
}

#[test]
fn revocations_are_idempotent() {
    let mut w = world();
    let change = delete_event(w.event, w.room, &w.codes, &[w.module]);
    w.rules.apply(&change);
    let once = w.rules.clone();
    w.rules.apply(&change);
    assert_eq!(w.rules, once);
}
