//! Authorization decisions over realistic rule sets (rules.md §11.1–§11.5),
//! and properties of the object matcher.

use std::collections::BTreeSet;

use conclave_domain::access::AccessChange;
use conclave_domain::access::grants::all_rooms_policies;
use conclave_domain::access::{
    Policy, Request, RoleLink, RuleSet, Subject, action_matches, allowed, create_event,
    create_invite_code, default_role_rules, first_login, invite_user, object_matches, role_closure,
    strip_version_prefix, sync_groups,
};
use conclave_domain::ids::{EventId, GroupId, InviteCodeId, RoomId, UserId};
use proptest::prelude::*;

struct Fixture {
    rules: RuleSet,
    creator: Subject,
    invitee: Subject,
    stranger: Subject,
    code: Subject,
    event: EventId,
    room: RoomId,
}

fn fixture() -> Fixture {
    let [creator, invitee, stranger] = [UserId::generate(), UserId::generate(), UserId::generate()];
    let (event, room, code) = (
        EventId::generate(),
        RoomId::generate(),
        InviteCodeId::generate(),
    );
    let mut rules = RuleSet::new();
    for change in [
        default_role_rules(),
        first_login(creator),
        first_login(invitee),
        first_login(stranger),
        create_event(creator, event, room),
        invite_user(invitee, event, room),
        create_invite_code(code, room),
    ] {
        rules.apply(&change);
    }
    Fixture {
        rules,
        creator: Subject::User(creator),
        invitee: Subject::User(invitee),
        stranger: Subject::User(stranger),
        code: Subject::Invite(code),
        event,
        room,
    }
}

fn decide(rules: &RuleSet, subject: &Subject, method: &str, raw_path: &str) -> bool {
    let policies: Vec<Policy> = rules.policies.iter().cloned().collect();
    let links: Vec<RoleLink> = rules.links.iter().cloned().collect();
    let closure = role_closure(subject, &links);
    let request = Request {
        subject,
        path: strip_version_prefix(raw_path),
        method,
    };
    allowed(&policies, &closure, &request)
}

#[test]
fn who_may_do_what() {
    let f = fixture();
    let (r, e) = (f.room, f.event);
    let cases: Vec<(&Subject, &str, String, bool)> = vec![
        (&f.creator, "GET", format!("/v1/rooms/{r}"), true),
        (&f.creator, "DELETE", format!("/v1/events/{e}"), true),
        (
            &f.creator,
            "PATCH",
            format!("/v1/events/{e}/instances/20240101T100000Z"),
            true,
        ),
        (&f.creator, "PUT", format!("/v1/rooms/{r}/sip"), true),
        (&f.creator, "PATCH", format!("/v1/events/{e}/invite"), false),
        (&f.invitee, "GET", format!("/v1/events/{e}"), true),
        (&f.invitee, "POST", format!("/v1/rooms/{r}/start"), true),
        (&f.invitee, "DELETE", format!("/v1/events/{e}/invite"), true),
        (
            &f.invitee,
            "PUT",
            format!("/v1/users/me/event_favorites/{e}"),
            true,
        ),
        (&f.invitee, "GET", format!("/v1/rooms/{r}/sip"), false), // owner only
        (&f.invitee, "PATCH", format!("/v1/events/{e}"), false),
        (&f.invitee, "GET", format!("/v1/rooms/{r}/invites/x"), false),
        (&f.stranger, "GET", format!("/v1/events/{e}"), false),
        (&f.stranger, "POST", "/v1/events".to_owned(), true), // via role::user
        (
            &f.stranger,
            "GET",
            "/v1/users/me/pending_invites".to_owned(),
            true,
        ),
        (&f.stranger, "DELETE", "/v1/rooms".to_owned(), false),
        (&f.stranger, "OPTIONS", format!("/v1/rooms/{r}/sip"), true),
        (&f.code, "GET", format!("/v1/rooms/{r}/tariff"), true),
        (&f.code, "GET", format!("/v1/rooms/{r}/event"), true),
        (&f.code, "GET", format!("/v1/rooms/{r}"), false),
        (&f.code, "POST", "/v1/rooms".to_owned(), false), // codes have no role
    ];
    for (subject, method, path, want) in cases {
        assert_eq!(
            decide(&f.rules, subject, method, &path),
            want,
            "{subject} {method} {path}"
        );
    }
}

#[test]
fn all_rooms_option_opens_every_room_for_users() {
    let mut f = fixture();
    let other = RoomId::generate();
    assert!(!decide(
        &f.rules,
        &f.stranger,
        "GET",
        &format!("/rooms/{other}")
    ));
    f.rules.apply(&AccessChange {
        grants: all_rooms_policies(),
        ..AccessChange::default()
    });
    assert!(decide(
        &f.rules,
        &f.stranger,
        "GET",
        &format!("/rooms/{other}")
    ));
    assert!(decide(
        &f.rules,
        &f.stranger,
        "POST",
        &format!("/rooms/{other}/start")
    ));
    assert!(!decide(
        &f.rules,
        &f.stranger,
        "PATCH",
        &format!("/rooms/{other}")
    ));
    assert!(!decide(
        &f.rules,
        &f.code,
        "GET",
        &format!("/rooms/{other}")
    ));
}

#[test]
fn group_policies_are_inherited_transitively() {
    let user = UserId::generate();
    let group = GroupId::generate();
    let mut rules = RuleSet::new();
    rules.apply(&sync_groups(user, &[], &[group]));
    rules.links.insert(RoleLink::new(
        Subject::Group(group),
        Subject::Role("staff".into()),
    ));
    rules.policies.insert(Policy::new(
        Subject::Role("staff".into()),
        "/reports/*",
        &[conclave_domain::access::Action::Get],
    ));
    assert!(decide(&rules, &Subject::User(user), "GET", "/reports/1"));
    assert!(!decide(
        &rules,
        &Subject::User(UserId::generate()),
        "GET",
        "/reports/1"
    ));
}

#[test]
fn role_closure_is_capped_at_ten_links() {
    let chain: Vec<Subject> = (0..13).map(|i| Subject::Role(format!("r{i}"))).collect();
    let links: Vec<RoleLink> = chain
        .windows(2)
        .map(|w| RoleLink::new(w[0].clone(), w[1].clone()))
        .collect();
    let closure = role_closure(&chain[0], &links);
    assert!(closure.contains(&chain[10]));
    assert!(!closure.contains(&chain[11]));
    // Cycles terminate.
    let cyclic = vec![
        RoleLink::new(chain[0].clone(), chain[1].clone()),
        RoleLink::new(chain[1].clone(), chain[0].clone()),
    ];
    assert_eq!(
        role_closure(&chain[0], &cyclic),
        BTreeSet::from([chain[0].clone(), chain[1].clone()])
    );
}

fn segment() -> impl Strategy<Value = String> {
    "[a-z0-9-]{1,8}"
}

proptest! {
    #[test]
    fn wildcard_never_matches_an_extra_segment(
        prefix in prop::collection::vec(segment(), 0..3),
        seg in segment(),
        extra in segment(),
    ) {
        let base = prefix.iter().map(|s| format!("/{s}")).collect::<String>();
        let policy = format!("{base}/*");
        let one = format!("{base}/{seg}");
        let two = format!("{base}/{seg}/{extra}");
        prop_assert!(object_matches(&policy, &one));
        prop_assert!(!object_matches(&policy, &two));
        prop_assert!(!object_matches(&policy, &base));
    }

    #[test]
    fn wildcard_in_the_middle_matches_one_segment(
        a in segment(), id in segment(), b in segment(), other in segment(),
    ) {
        let policy = format!("/{a}/*/{b}");
        let exact = format!("/{a}/{id}/{b}");
        let longer = format!("/{a}/{id}/{other}/{b}");
        let different = format!("/{a}/{id}/{other}");
        prop_assert!(object_matches(&policy, &exact));
        prop_assert!(!object_matches(&policy, &longer));
        prop_assume!(other != b);
        prop_assert!(!object_matches(&policy, &different));
    }

    #[test]
    fn literal_policies_match_only_themselves(a in "[a-z/]{0,12}", b in "[a-z/]{0,12}") {
        prop_assert_eq!(object_matches(&a, &b), a == b);
    }

    #[test]
    fn action_lists_match_exact_elements(
        methods in prop::collection::vec(prop_oneof!["GET", "POST", "PUT", "PATCH", "DELETE"], 1..5),
        method in prop_oneof!["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"],
    ) {
        let list = methods.join("|");
        prop_assert_eq!(action_matches(&list, &method), methods.contains(&method));
    }

    #[test]
    fn decision_equals_the_row_level_model(
        rows in prop::collection::vec((0usize..3, 0usize..4, prop::collection::vec(0usize..5, 1..3)), 0..8),
        who in 0usize..3, path in 0usize..5, method in 0usize..6,
    ) {
        use conclave_domain::access::Action::{Delete, Get, Patch, Post, Put};
        let subjects = [Subject::User(UserId::nil()), Subject::user_role(), Subject::Invite(InviteCodeId::nil())];
        let objects = ["/rooms", "/rooms/*", "/rooms/*/start", "/rooms/1"];
        let actions = [Get, Post, Put, Patch, Delete];
        let paths = ["/rooms", "/rooms/1", "/rooms/1/start", "/rooms/2/start/x", "/events"];
        let methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
        let policies: Vec<Policy> = rows.iter().map(|(s, o, a)| {
            let acts: Vec<_> = a.iter().map(|i| actions[*i]).collect();
            Policy::new(subjects[*s].clone(), objects[*o], &acts)
        }).collect();
        let links = vec![RoleLink::new(subjects[0].clone(), subjects[1].clone())];
        let subject = &subjects[who];
        let closure = role_closure(subject, &links);
        let request = Request { subject, path: paths[path], method: methods[method] };
        // casbin's model over the stored row text.
        let expected = methods[method] == "OPTIONS" || policies.iter().any(|p| {
            let [v0, v1, v2] = p.to_row();
            closure.iter().any(|s| s.to_string() == v0)
                && object_matches(&v1, paths[path])
                && action_matches(&v2, methods[method])
        });
        prop_assert_eq!(allowed(&policies, &closure, &request), expected);
    }

    #[test]
    fn matcher_never_panics(policy in ".{0,20}", request in ".{0,20}") {
        let _ = object_matches(&policy, &request);
        let _ = strip_version_prefix(&request);
    }
}
