//! Unit tests of ticket signing and verification.

use super::*;

fn secret(fill: u8) -> TicketSecret {
    TicketSecret::try_from(char::from(fill).to_string().repeat(MIN_SECRET_BYTES)).unwrap()
}

fn issuer() -> TicketIssuer {
    TicketIssuer::new(secret(b'k'), 60, 3600)
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn user(id: u128) -> Participant {
    Participant::User {
        id: Uuid::from_u128(id),
    }
}

const ROOM: Uuid = Uuid::from_u128(0xabc);

#[test]
fn a_fresh_ticket_verifies_with_its_claims() {
    let issued = issuer()
        .issue(ROOM, user(1), Role::Moderator, None, now())
        .unwrap();
    let claims = verify(&secret(b'k'), &issued.ticket).unwrap();
    assert_eq!(claims.room, ROOM);
    assert_eq!(claims.participant, user(1));
    assert_eq!(claims.role, Role::Moderator);
    assert_eq!(claims.participant_id, issued.participant_id);
    assert_eq!(claims.resumption, issued.resumption);
    assert_eq!(claims.exp - claims.iat, 60);
}

#[test]
fn expired_tampered_and_foreign_tickets_are_refused() {
    let issued = issuer()
        .issue(ROOM, user(1), Role::User, None, now() - 61)
        .unwrap();
    assert_eq!(
        verify(&secret(b'k'), &issued.ticket),
        Err(TicketError::Expired)
    );

    let fresh = issuer()
        .issue(ROOM, user(1), Role::User, None, now())
        .unwrap();
    assert!(matches!(
        verify(&secret(b'x'), &fresh.ticket),
        Err(TicketError::Invalid(_))
    ));

    // Flip one character of the payload: the signature no longer matches.
    let mut parts: Vec<String> = fresh.ticket.split('.').map(str::to_owned).collect();
    let payload = &mut parts[1];
    let last = payload.pop().unwrap();
    payload.push(if last == 'A' { 'B' } else { 'A' });
    let tampered = parts.join(".");
    assert_ne!(tampered, fresh.ticket);
    assert!(matches!(
        verify(&secret(b'k'), &tampered),
        Err(TicketError::Invalid(_))
    ));

    for garbage in ["", "abc", "a.b.c", "ticket#x"] {
        assert!(
            matches!(verify(&secret(b'k'), garbage), Err(TicketError::Invalid(_))),
            "{garbage:?}"
        );
    }
}

#[test]
fn a_resumption_token_is_not_a_ticket_and_vice_versa() {
    let issued = issuer()
        .issue(ROOM, user(1), Role::User, None, now())
        .unwrap();
    assert!(matches!(
        verify(&secret(b'k'), &issued.resumption),
        Err(TicketError::Invalid(_))
    ));
    assert!(matches!(
        verify_resumption(&secret(b'k'), &issued.ticket),
        Err(TicketError::Invalid(_))
    ));
    assert!(verify_resumption(&secret(b'k'), &issued.resumption).is_ok());
}

#[test]
fn resumption_keeps_the_participant_id_only_for_the_same_room_and_person() {
    let iss = issuer();
    let first = iss.issue(ROOM, user(1), Role::User, None, now()).unwrap();
    let token = Some(first.resumption.as_str());
    let check = |room: Uuid, who: Participant, resumption: Option<&str>, kept: bool| {
        let next = iss.issue(room, who, Role::User, resumption, now()).unwrap();
        assert_eq!(
            next.participant_id == first.participant_id,
            kept,
            "{room} {who:?}"
        );
    };
    check(ROOM, user(1), token, true);
    check(ROOM, user(2), token, false);
    check(Uuid::from_u128(0xdef), user(1), token, false);
    check(ROOM, user(1), None, false);
    check(ROOM, user(1), Some("not-a-token"), false);
    check(ROOM, user(1), Some(first.ticket.as_str()), false);
    let foreign = TicketIssuer::new(secret(b'z'), 60, 3600)
        .issue(ROOM, user(1), Role::User, None, now())
        .unwrap();
    check(ROOM, user(1), Some(foreign.resumption.as_str()), false);
}

#[test]
fn two_starts_without_resumption_get_distinct_tickets() {
    let iss = issuer();
    let guest = Participant::Guest {
        invite_code: Uuid::from_u128(9),
    };
    let a = iss.issue(ROOM, guest, Role::Guest, None, now()).unwrap();
    let b = iss.issue(ROOM, guest, Role::Guest, None, now()).unwrap();
    assert_ne!(a.ticket, b.ticket);
    assert_ne!(a.participant_id, b.participant_id);
    assert_eq!(verify(&secret(b'k'), &a.ticket).unwrap().participant, guest);
}

#[test]
fn short_secrets_are_refused_and_never_printed() {
    assert!(TicketSecret::try_from("x".repeat(MIN_SECRET_BYTES - 1)).is_err());
    let secret = TicketSecret::try_from("s".repeat(MIN_SECRET_BYTES)).unwrap();
    assert!(!format!("{secret:?}").contains('s'.to_string().repeat(8).as_str()));
    assert_ne!(TicketSecret::random(), TicketSecret::random());
}

#[test]
fn signaling_settings_refuse_a_short_secret_at_load_time() {
    let load = |value: serde_json::Value| serde_json::from_value::<SignalingSettings>(value);
    let defaults = load(serde_json::json!({})).unwrap();
    assert_eq!(
        (defaults.ticket_ttl_secs, defaults.resumption_ttl_secs),
        (60, 3600)
    );
    assert!(defaults.ticket_secret.is_none());
    let err = load(serde_json::json!({"ticket_secret": "short"})).unwrap_err();
    assert!(err.to_string().contains("at least 32 bytes"), "{err}");
    let ok = load(serde_json::json!({"ticket_secret": "k".repeat(32), "ticket_ttl_secs": 5}));
    let issuer = TicketIssuer::from_settings(&ok.unwrap());
    assert_eq!(issuer.secret(), &secret(b'k'));
    assert!(load(serde_json::json!({"ticket_secret_typo": "x"})).is_err());
}

#[test]
fn without_a_configured_secret_each_issuer_draws_its_own() {
    let settings = SignalingSettings::default();
    let a = TicketIssuer::from_settings(&settings);
    let b = TicketIssuer::from_settings(&settings);
    let ticket = a
        .issue(ROOM, user(1), Role::User, None, now())
        .unwrap()
        .ticket;
    assert!(verify(a.secret(), &ticket).is_ok());
    assert!(verify(b.secret(), &ticket).is_err());
}
