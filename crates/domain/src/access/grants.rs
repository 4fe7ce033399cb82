//! The grant builders of rules.md §11.3 and §11.4, and the resource paths they use.
//!
//! Each builder returns its policies in the table order of rules.md §11.4;
//! combining several builders in one operation goes through
//! [`merge`](crate::access::policy::merge), which yields exactly the rows of
//! schema.md §10.5–§10.9.

use crate::access::policy::{Action, Policy};
use crate::access::subject::Subject;
use crate::ids::{EventId, ModuleResourceId, RoomId};

use Action::{Delete, Get, Patch, Post, Put};

/// `/rooms/<id>`.
pub fn room_path(room: RoomId) -> String {
    format!("/rooms/{room}")
}

/// `/events/<id>`.
pub fn event_path(event: EventId) -> String {
    format!("/events/{event}")
}

/// `/users/me/event_favorites/<id>`.
pub fn favorite_path(event: EventId) -> String {
    format!("/users/me/event_favorites/{event}")
}

/// `/module_resources/<id>`.
pub fn module_resource_path(resource: ModuleResourceId) -> String {
    format!("/module_resources/{resource}")
}

fn build(subject: &Subject, base: &str, rows: &[(&str, &[Action])]) -> Vec<Policy> {
    rows.iter()
        .map(|(suffix, actions)| Policy::new(subject.clone(), format!("{base}{suffix}"), actions))
        .collect()
}

/// Room read: see the room, its codes, targets and assets, start it.
pub fn room_read(subject: &Subject, room: RoomId) -> Vec<Policy> {
    build(
        subject,
        &room_path(room),
        &[
            ("", &[Get]),
            ("/invites", &[Get]),
            ("/streaming_targets", &[Get]),
            ("/start", &[Post]),
            ("/tariff", &[Get]),
            ("/event", &[Get]),
            ("/assets", &[Get]),
            ("/assets/*", &[Get]),
        ],
    )
}

/// Room write, including Conclave's `/rooms/<id>/sip` rule, which
/// lets the room owner manage the SIP config.
pub fn room_write(subject: &Subject, room: RoomId) -> Vec<Policy> {
    build(
        subject,
        &room_path(room),
        &[
            ("", &[Patch, Delete]),
            ("/invites", &[Post]),
            ("/streaming_targets", &[Post]),
            ("/invites/*", &[Get, Put, Delete]),
            ("/streaming_targets/*", &[Get, Patch, Delete]),
            ("/assets", &[Post, Delete]),
            ("/assets/*", &[Delete]),
            ("/sip", &[Get, Put, Delete]),
        ],
    )
}

/// Room guest read, for the holder of a room invite code.
pub fn room_guest_read(subject: &Subject, room: RoomId) -> Vec<Policy> {
    build(
        subject,
        &room_path(room),
        &[("/tariff", &[Get]), ("/event", &[Get])],
    )
}

/// Event read, including the favourite toggle.
pub fn event_read(subject: &Subject, event: EventId) -> Vec<Policy> {
    let mut policies = build(
        subject,
        &event_path(event),
        &[
            ("", &[Get]),
            ("/instances", &[Get]),
            ("/instances/*", &[Get]),
            ("/invites", &[Get]),
            ("/shared_folder", &[Get]),
        ],
    );
    policies.push(Policy::new(
        subject.clone(),
        favorite_path(event),
        &[Put, Delete],
    ));
    policies
}

/// Event write. `/reschedule` is not routed; the rule exists anyway.
pub fn event_write(subject: &Subject, event: EventId) -> Vec<Policy> {
    build(
        subject,
        &event_path(event),
        &[
            ("", &[Patch, Delete]),
            ("/reschedule", &[Post]),
            ("/instances/*", &[Patch]),
            ("/invites", &[Post]),
            ("/invites/*", &[Patch, Delete]),
            ("/shared_folder", &[Put, Delete]),
        ],
    )
}

/// Event invitee: accept or decline the own invite.
pub fn event_invitee(subject: &Subject, event: EventId) -> Vec<Policy> {
    build(
        subject,
        &event_path(event),
        &[("/invite", &[Patch, Delete])],
    )
}

/// Module resource access (written only when rebuilding all rules), for
/// the resource's creator and the room owner alike.
pub fn module_resource(subject: &Subject, resource: ModuleResourceId) -> Vec<Policy> {
    vec![Policy::new(
        subject.clone(),
        module_resource_path(resource),
        &[Get, Put, Delete],
    )]
}

/// The rules of `role::user`, written at every start if missing; the
/// method order (`POST|GET`, `PATCH|GET`) is part of the row text.
pub fn default_role_policies() -> Vec<Policy> {
    build(
        &Subject::user_role(),
        "",
        &[
            ("/rooms", &[Post, Get]),
            ("/users/me", &[Patch, Get]),
            ("/users/me/assets", &[Get]),
            ("/users/me/tariff", &[Get]),
            ("/users/find", &[Get]),
            ("/users/me/pending_invites", &[Get]),
            ("/events", &[Post, Get]),
        ],
    )
}

/// The admin option "users have access to all rooms".
pub fn all_rooms_policies() -> Vec<Policy> {
    build(
        &Subject::user_role(),
        "/rooms/*",
        &[("", &[Get]), ("/start", &[Post])],
    )
}
