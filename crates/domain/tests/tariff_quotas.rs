//! Quotas (rules.md §8.1, §8.2, §8.6; schema.md §9.1; R-23).

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use conclave_domain::tariff::quota::{
    QuotaError, QuotaKey, Quotas, StorageExceeded, StrictQuotas, check_storage, may_join,
    parse_quota_setting, session_closes_at,
};
use proptest::prelude::*;

#[test]
fn reading_keeps_unknown_keys() {
    let json = r#"{"max_storage":1073741824,"room_time_limit_secs":3600,"legacy":7}"#;
    let quotas: Quotas = serde_json::from_str(json).unwrap();
    assert_eq!(quotas.max_storage, Some(1_073_741_824));
    assert_eq!(quotas.room_time_limit_secs, Some(3600));
    assert_eq!(quotas.room_participant_limit, None);
    assert_eq!(quotas.other, BTreeMap::from([("legacy".to_owned(), 7)]));
    // Written back, nothing is lost.
    let back: serde_json::Value = serde_json::to_value(&quotas).unwrap();
    assert_eq!(
        back,
        serde_json::from_str::<serde_json::Value>(json).unwrap()
    );
}

#[test]
fn the_default_tariff_has_no_quotas() {
    let quotas: Quotas = serde_json::from_str("{}").unwrap();
    assert_eq!(quotas, Quotas::default());
    for key in QuotaKey::ALL {
        assert_eq!(quotas.get(key), None);
    }
    assert_eq!(serde_json::to_string(&quotas).unwrap(), "{}");
}

#[test]
fn values_must_be_unsigned_integers() {
    for bad in [
        r#"{"max_storage":-1}"#,
        r#"{"max_storage":1.5}"#,
        r#"{"max_storage":"1"}"#,
        "[]",
    ] {
        assert!(serde_json::from_str::<Quotas>(bad).is_err(), "{bad}");
        assert!(serde_json::from_str::<StrictQuotas>(bad).is_err(), "{bad}");
    }
}

#[test]
fn writing_allows_only_the_three_keys() {
    let ok: StrictQuotas =
        serde_json::from_str(r#"{"room_participant_limit":20,"max_storage":5}"#).unwrap();
    assert_eq!(ok.quotas().room_participant_limit, Some(20));
    let err = serde_json::from_str::<StrictQuotas>(r#"{"max_storage":5,"legacy":1}"#);
    assert!(err.unwrap_err().to_string().contains("legacy"));
    let lenient: Quotas = serde_json::from_str(r#"{"legacy":1}"#).unwrap();
    assert_eq!(
        StrictQuotas::try_from(lenient),
        Err(QuotaError::UnknownKey("legacy".into()))
    );
}

#[test]
fn cli_settings_parse_strictly() {
    let check = |k: &str, v: &str, want: Result<(QuotaKey, u64), QuotaError>| {
        assert_eq!(parse_quota_setting(k, v), want, "{k}={v}");
    };
    check("max_storage", "1024", Ok((QuotaKey::MaxStorage, 1024)));
    check(
        "room_time_limit_secs",
        "0",
        Ok((QuotaKey::RoomTimeLimitSecs, 0)),
    );
    check(
        "room_participant_limit",
        "20",
        Ok((QuotaKey::RoomParticipantLimit, 20)),
    );
    check(
        "max_users",
        "1",
        Err(QuotaError::UnknownKey("max_users".into())),
    );
    check(
        "max_storage",
        "-1",
        Err(QuotaError::NotUnsigned("-1".into())),
    );
    check(
        "max_storage",
        "+1",
        Err(QuotaError::NotUnsigned("+1".into())),
    );
    check("max_storage", "", Err(QuotaError::NotUnsigned("".into())));
    check(
        "max_storage",
        "1e3",
        Err(QuotaError::NotUnsigned("1e3".into())),
    );
    check(
        "max_storage",
        "18446744073709551616",
        Err(QuotaError::NotUnsigned("18446744073709551616".into())),
    );
}

#[test]
fn storage_check_counts_the_new_file() {
    // R-23: usage + size > quota refuses; equal is allowed; no quota, no limit.
    let check = |quota: Option<u64>, used: u64, size: u64, ok: bool| {
        let want = if ok { Ok(()) } else { Err(StorageExceeded) };
        assert_eq!(
            check_storage(quota, used, size),
            want,
            "{quota:?} {used} {size}"
        );
    };
    check(Some(100), 40, 60, true);
    check(Some(100), 40, 61, false);
    check(Some(100), 100, 0, true);
    check(Some(100), 100, 1, false); // upstream allowed this one (usage not > quota)
    check(Some(100), 101, 0, false);
    check(Some(0), 0, 0, true);
    check(Some(0), 0, 1, false);
    check(None, u64::MAX, u64::MAX, true);
    check(Some(u64::MAX), u64::MAX, 1, false); // overflow refuses, never wraps
    assert_eq!(StorageExceeded.to_string(), "Asset storage exceeded");
}

#[test]
fn participant_limit_with_the_moderator_rule() {
    let check = |limit, count, moderator, other_mod, want| {
        assert_eq!(
            may_join(limit, count, moderator, other_mod),
            want,
            "{limit:?} {count} {moderator} {other_mod}"
        );
    };
    check(Some(2), 1, false, false, true);
    check(Some(2), 2, false, false, false);
    check(Some(2), 3, false, true, false);
    check(Some(2), 2, true, false, true); // first moderator joins regardless
    check(Some(2), 2, true, true, false); // a second moderator does not
    check(Some(0), 0, false, false, false);
    check(None, 10_000, false, false, true);
}

#[test]
fn session_time_limit() {
    let start: DateTime<Utc> = "2024-07-20T14:00:00Z".parse().unwrap();
    assert_eq!(session_closes_at(start, None), None);
    assert_eq!(
        session_closes_at(start, Some(3600)),
        Some(start + TimeDelta::hours(1))
    );
    assert_eq!(session_closes_at(start, Some(u64::MAX)), None);
}

proptest! {
    #[test]
    fn storage_check_matches_arithmetic(quota in 0u64..1000, used in 0u64..1000, size in 0u64..1000) {
        prop_assert_eq!(check_storage(Some(quota), used, size).is_ok(), used + size <= quota);
    }

    #[test]
    fn quotas_round_trip(map in prop::collection::btree_map("[a-z_]{1,24}", any::<u64>(), 0..6)) {
        let quotas = Quotas::from(map.clone());
        prop_assert_eq!(BTreeMap::<String, u64>::from(quotas), map);
    }
}
