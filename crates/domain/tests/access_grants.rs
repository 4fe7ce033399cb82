//! The rows each grant writes, compared with schema.md §10.3–§10.9 row by row
//! (order and action text included), plus properties of the merge.

use conclave_domain::access::grants::{all_rooms_policies, module_resource};
use conclave_domain::access::{
    Action, Policy, RoleLink, Subject, create_event, create_invite_code, create_room,
    default_role_rules, first_login, invite_user, merge,
};
use conclave_domain::ids::{InviteCodeId, ModuleResourceId, RoomId, UserId};
use proptest::prelude::*;
use uuid::Uuid;

const U: &str = "00000000-0000-0000-0000-0000000000aa";
const R: &str = "00000000-0000-0000-0000-0000000000bb";
const E: &str = "00000000-0000-0000-0000-0000000000cc";
const I: &str = "00000000-0000-0000-0000-0000000000dd";
const M: &str = "00000000-0000-0000-0000-0000000000ee";

fn id<T: From<Uuid>>(s: &str) -> T {
    T::from(Uuid::parse_str(s).unwrap())
}

/// Compares policies with `v0 | v1 | v2` lines, where `U`, `R`, `E`, `I` and
/// `M` in the expected text stand for the ids above.
fn check(policies: &[Policy], expected: &str) {
    let got: Vec<String> = policies.iter().map(|p| p.to_row().join(" | ")).collect();
    let want: Vec<String> = expected
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            l.split('|')
                .map(str::trim)
                .collect::<Vec<_>>()
                .join("|")
                .replacen("|", " | ", 2)
                .replace("::U", &format!("::{U}"))
                .replace("::I", &format!("::{I}"))
                .replace("/R", &format!("/{R}"))
                .replace("/E", &format!("/{E}"))
                .replace("/M", &format!("/{M}"))
        })
        .collect();
    assert_eq!(got, want);
}

#[test]
fn default_role_rows_keep_method_order() {
    check(
        &default_role_rules().grants,
        "
        role::user | /rooms | POST|GET
        role::user | /users/me | PATCH|GET
        role::user | /users/me/assets | GET
        role::user | /users/me/tariff | GET
        role::user | /users/find | GET
        role::user | /users/me/pending_invites | GET
        role::user | /events | POST|GET
    ",
    );
}

const ROOM_CREATOR_ROWS: &str = "
    user::U | /rooms/R | GET|PATCH|DELETE
    user::U | /rooms/R/invites | GET|POST
    user::U | /rooms/R/streaming_targets | GET|POST
    user::U | /rooms/R/start | POST
    user::U | /rooms/R/tariff | GET
    user::U | /rooms/R/event | GET
    user::U | /rooms/R/assets | GET|POST|DELETE
    user::U | /rooms/R/assets/* | GET|DELETE
    user::U | /rooms/R/invites/* | GET|PUT|DELETE
    user::U | /rooms/R/streaming_targets/* | GET|PATCH|DELETE
    user::U | /rooms/R/sip | GET|PUT|DELETE
";

#[test]
fn room_creator_gets_eleven_rows_including_sip() {
    let change = create_room(id(U), id(R));
    assert_eq!(change.grants.len(), 11);
    check(&change.grants, ROOM_CREATOR_ROWS);
    assert!(change.revokes.is_empty() && change.links.is_empty());
}

#[test]
fn event_creator_gets_event_and_room_rows_in_one_operation() {
    let change = create_event(id(U), id(E), id(R));
    assert_eq!(change.grants.len(), 19);
    let event_rows = "
        user::U | /events/E | GET|PATCH|DELETE
        user::U | /events/E/instances | GET
        user::U | /events/E/instances/* | GET|PATCH
        user::U | /events/E/invites | GET|POST
        user::U | /events/E/shared_folder | GET|PUT|DELETE
        user::U | /users/me/event_favorites/E | PUT|DELETE
        user::U | /events/E/reschedule | POST
        user::U | /events/E/invites/* | PATCH|DELETE
    ";
    check(&change.grants, &format!("{event_rows}{ROOM_CREATOR_ROWS}"));
}

#[test]
fn invitee_rows() {
    let change = invite_user(id(U), id(E), id(R));
    assert_eq!(change.grants.len(), 15);
    check(
        &change.grants,
        "
        user::U | /events/E | GET
        user::U | /events/E/instances | GET
        user::U | /events/E/instances/* | GET
        user::U | /events/E/invites | GET
        user::U | /events/E/shared_folder | GET
        user::U | /users/me/event_favorites/E | PUT|DELETE
        user::U | /rooms/R | GET
        user::U | /rooms/R/invites | GET
        user::U | /rooms/R/streaming_targets | GET
        user::U | /rooms/R/start | POST
        user::U | /rooms/R/tariff | GET
        user::U | /rooms/R/event | GET
        user::U | /rooms/R/assets | GET
        user::U | /rooms/R/assets/* | GET
        user::U | /events/E/invite | PATCH|DELETE
    ",
    );
}

#[test]
fn invitees_get_nothing_on_sip_or_write_paths() {
    let change = invite_user(id(U), id(E), id(R));
    for p in &change.grants {
        assert!(!p.object.ends_with("/sip"), "{p:?}");
        assert!(!p.object.contains("/invites/*") || p.object.starts_with("/events/"));
        if p.object.starts_with("/rooms/") {
            assert!(
                p.actions
                    .iter()
                    .all(|a| matches!(a, Action::Get | Action::Post)),
                "{p:?}"
            );
        }
    }
}

#[test]
fn invite_code_rows() {
    check(
        &create_invite_code(id::<InviteCodeId>(I), id(R)).grants,
        "
        invite::I | /rooms/R/tariff | GET
        invite::I | /rooms/R/event | GET
    ",
    );
}

#[test]
fn module_resource_rows_for_creator_and_owner_merge_when_same_person() {
    let user = Subject::User(id(U));
    let m: ModuleResourceId = id(M);
    check(
        &module_resource(&user, m),
        "user::U | /module_resources/M | GET|PUT|DELETE",
    );
    let both = merge(
        module_resource(&user, m)
            .into_iter()
            .chain(module_resource(&user, m)),
    );
    assert_eq!(both.len(), 1);
}

#[test]
fn all_rooms_option_rows() {
    let rows: Vec<_> = all_rooms_policies()
        .iter()
        .map(|p| p.to_row().join(" "))
        .collect();
    assert_eq!(
        rows,
        ["role::user /rooms/* GET", "role::user /rooms/*/start POST"]
    );
}

#[test]
fn first_login_links_the_user_role() {
    let change = first_login(id(U));
    assert!(change.grants.is_empty());
    let links: Vec<_> = change.links.iter().map(|l| l.to_row().join(" ")).collect();
    assert_eq!(links, [format!("user::{U} role::user")]);
    let [v0, v1] = change.links[0].to_row();
    assert_eq!(RoleLink::from_row(&v0, &v1).unwrap(), change.links[0]);
    assert!(RoleLink::from_row(&v0, "group:x").is_err());
}

#[test]
fn rows_parse_back() {
    for p in create_event(id(U), id(E), id(R)).grants {
        let [v0, v1, v2] = p.to_row();
        assert_eq!(Policy::from_row(&v0, &v1, &v2).unwrap(), p);
    }
    assert!(Policy::from_row("user::x", "/rooms", "GET").is_err());
    assert!(Policy::from_row(&format!("user::{U}"), "/rooms", "GET|FETCH").is_err());
    assert!(Policy::from_row(&format!("user::{U}"), "/rooms", "read|write").is_ok());
}

#[test]
fn different_ids_give_disjoint_rows() {
    let a = create_room(UserId::generate(), RoomId::generate());
    let b = create_room(UserId::generate(), RoomId::generate());
    assert!(a.grants.iter().all(|p| !b.grants.contains(p)));
}

fn arb_policy() -> impl Strategy<Value = Policy> {
    let subject = prop_oneof![Just(Subject::user_role()), Just(Subject::User(id(U)))];
    let object = prop_oneof![Just("/a"), Just("/b"), Just("/a/*")];
    let action = prop_oneof![
        Just(Action::Get),
        Just(Action::Post),
        Just(Action::Put),
        Just(Action::Patch),
        Just(Action::Delete)
    ];
    (subject, object, prop::collection::vec(action, 1..4))
        .prop_map(|(s, o, a)| Policy::new(s, o, &a))
}

proptest! {
    #[test]
    fn merge_is_idempotent(policies in prop::collection::vec(arb_policy(), 0..12)) {
        let once = merge(policies);
        prop_assert_eq!(merge(once.clone()), once);
    }

    #[test]
    fn merge_keeps_every_method_once_per_resource(policies in prop::collection::vec(arb_policy(), 0..12)) {
        let merged = merge(policies.clone());
        for p in &policies {
            let row: Vec<_> = merged
                .iter()
                .filter(|m| m.subject == p.subject && m.object == p.object)
                .collect();
            prop_assert_eq!(row.len(), 1);
            for a in &p.actions {
                prop_assert_eq!(row[0].actions.iter().filter(|x| *x == a).count(), 1);
            }
        }
        // Nothing is invented: every merged method was asked for.
        for m in &merged {
            for a in &m.actions {
                prop_assert!(policies.iter().any(|p| p.subject == m.subject
                    && p.object == m.object && p.actions.contains(a)));
            }
        }
    }

    #[test]
    fn merge_orders_methods_by_first_appearance(policies in prop::collection::vec(arb_policy(), 0..12)) {
        for m in merge(policies.clone()) {
            let mut first_seen: Vec<Action> = Vec::new();
            for p in policies.iter().filter(|p| p.subject == m.subject && p.object == m.object) {
                for a in &p.actions {
                    if !first_seen.contains(a) {
                        first_seen.push(*a);
                    }
                }
            }
            prop_assert_eq!(&m.actions, &first_seen);
        }
    }
}
