//! Room invite codes (rules.md §7.9): parsing, validity, the room's
//! first invite and the `start_invited` check order.

use chrono::{DateTime, TimeDelta, Utc};
use conclave_domain::ids::{InviteCodeId, RoomId, UserId};
use conclave_domain::invite::code::{
    BadInviteCodeFormat, InviteCode, RoomInviteCode, StartInvitedRefusal, check_start_invited,
    first_valid_code, is_valid, new_room_code, verify_code,
};
use conclave_domain::room::{RoomPassword, WrongRoomPassword};

fn now() -> DateTime<Utc> {
    "2024-07-20T14:16:19Z".parse().unwrap()
}

fn secs(n: i64) -> TimeDelta {
    TimeDelta::seconds(n)
}

fn code(room: RoomId, active: bool, expires_in: Option<i64>, updated_ago: i64) -> RoomInviteCode {
    RoomInviteCode {
        id: InviteCodeId::generate(),
        room,
        active,
        expiration: expires_in.map(|s| now() + secs(s)),
        updated_at: now() - secs(updated_ago),
    }
}

#[test]
fn parsing_requires_a_uuid() {
    let check = |text: &str, ok: bool| {
        assert_eq!(text.parse::<InviteCode>().is_ok(), ok, "{text:?}");
    };
    check("00000000-0000-0000-0000-000000000001", true);
    check("not-a-code", false);
    check("", false);
    check("00000000-0000-0000-0000-00000000000", false);
    assert_eq!("x".parse::<InviteCode>(), Err(BadInviteCodeFormat));
    assert_eq!(BadInviteCodeFormat.to_string(), "Bad invite code format");
    let id = InviteCodeId::generate();
    let json = format!("\"{id}\"");
    let parsed: InviteCode = serde_json::from_str(&json).unwrap();
    assert_eq!(parsed.id(), id);
    assert_eq!(serde_json::to_string(&parsed).unwrap(), json);
    assert!(serde_json::from_str::<InviteCode>("\"nope\"").is_err());
}

#[test]
fn validity_is_active_and_not_expired() {
    let check = |active: bool, expires_in: Option<i64>, want: bool| {
        let expiration = expires_in.map(|s| now() + secs(s));
        assert_eq!(
            is_valid(active, expiration, now()),
            want,
            "{active} {expires_in:?}"
        );
    };
    check(true, None, true);
    check(true, Some(1), true);
    check(true, Some(0), false); // expiring exactly now is expired
    check(true, Some(-1), false);
    check(false, None, false);
    check(false, Some(3600), false);
}

#[test]
fn verify_refuses_inactive_and_expired_codes() {
    let room = RoomId::generate();
    assert_eq!(
        verify_code(Some(&code(room, true, None, 0)), now()),
        Some(room)
    );
    assert_eq!(
        verify_code(Some(&code(room, true, Some(-5), 0)), now()),
        None
    );
    assert_eq!(verify_code(Some(&code(room, false, None, 0)), now()), None);
    assert_eq!(verify_code(None, now()), None);
}

#[test]
fn first_invite_is_the_most_recent_valid_code() {
    let room = RoomId::generate();
    let codes = vec![
        code(room, true, None, 300),      // valid, older
        code(room, false, None, 10),      // newest, but deleted
        code(room, true, Some(-60), 20),  // expired
        code(room, true, Some(600), 100), // valid, newest valid
    ];
    assert_eq!(first_valid_code(&codes, now()), Some(&codes[3]));
    assert_eq!(first_valid_code(&codes[1..3], now()), None);
    assert_eq!(first_valid_code(&[], now()), None);
}

#[test]
fn new_codes_are_active_and_keep_a_past_expiration() {
    let (room, actor) = (RoomId::generate(), UserId::generate());
    let past = now() - secs(10);
    let row = new_room_code(room, actor, Some(past));
    assert!(row.active);
    assert_eq!(
        (row.room, row.created_by, row.expiration),
        (room, actor, Some(past))
    );
}

#[test]
fn start_invited_checks_in_order() {
    let room = RoomId::generate();
    let other = RoomId::generate();
    let pw: RoomPassword = "pw".parse().unwrap();
    let valid = code(room, true, None, 0);
    let foreign = code(other, true, None, 0);
    let expired_foreign = code(other, true, Some(-1), 0);
    let inactive = code(room, false, None, 0);
    let check =
        |c: Option<&RoomInviteCode>, pw_room: Option<&RoomPassword>, given: Option<&str>, want| {
            assert_eq!(check_start_invited(c, room, pw_room, given, now()), want);
        };
    check(Some(&valid), None, None, Ok(()));
    check(Some(&valid), Some(&pw), Some("pw"), Ok(()));
    check(Some(&valid), Some(&pw), None, Err(WrongRoomPassword.into()));
    check(
        Some(&valid),
        Some(&pw),
        Some("PW"),
        Err(StartInvitedRefusal::WrongPassword(WrongRoomPassword)),
    );
    check(None, None, None, Err(StartInvitedRefusal::NotFound));
    check(
        Some(&inactive),
        None,
        None,
        Err(StartInvitedRefusal::NotFound),
    );
    check(
        Some(&foreign),
        Some(&pw),
        None,
        Err(StartInvitedRefusal::RoomMismatch),
    );
    // expiry is checked before the room comparison.
    check(
        Some(&expired_foreign),
        None,
        None,
        Err(StartInvitedRefusal::NotFound),
    );
}
