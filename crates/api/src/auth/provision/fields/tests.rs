//! Tests of the claim → column rules.

use conclave_db::models::user::User;
use conclave_domain::ids::{TariffId, TenantId, UserId};
use conclave_domain::tariff::TariffStatus;
use serde_json::json;
use uuid::Uuid;

use super::*;

fn settings(extra: serde_json::Value) -> Settings {
    let mut value = json!({"database": {"url": "postgres://x@localhost/db"}});
    for (k, v) in extra.as_object().unwrap() {
        value[k] = v.clone();
    }
    serde_json::from_value(value).unwrap()
}

fn claims() -> Claims {
    Claims::from_json(json!({
        "exp": 2_000_000_000, "iat": 1_700_000_000, "iss": "i", "sub": "s",
        "email": "Ada@Example.ORG", "given_name": "Ada", "family_name": "Lovelace",
        "phone_number": "030 1234567", "picture": "https://p/a.png",
    }))
    .unwrap()
}

fn assignment() -> Assignment {
    Assignment {
        tenant: TenantId::from(Uuid::from_u128(1)),
        tariff: TariffId::from(Uuid::from_u128(2)),
        status: TariffStatus::Default,
    }
}

fn existing(profile: &Profile) -> User {
    User {
        id: UserId::from(Uuid::from_u128(3)),
        oidc_sub: "s".into(),
        email: profile.email.clone(),
        title: String::new(),
        firstname: profile.firstname.clone(),
        lastname: profile.lastname.clone(),
        id_token_exp: 1,
        language: "en-US".into(),
        display_name: "My Own Name".into(),
        dashboard_theme: "system".into(),
        conference_theme: "system".into(),
        phone: profile.phone.clone(),
        tenant_id: assignment().tenant,
        tariff_id: assignment().tariff,
        tariff_status: TariffStatus::Default,
        disabled_since: None,
        avatar_url: profile.avatar_url.clone(),
    }
}

#[test]
fn profiles_lower_case_email_and_normalise_phone_only_with_call_in() {
    let plain = Profile::from_claims(&claims(), &settings(json!({})));
    assert_eq!(plain.email, "ada@example.org");
    assert_eq!(plain.display_name, "Ada Lovelace");
    assert_eq!(plain.phone, None);
    let call_in = json!({"call_in": {"tel": "+49 30 999", "default_country_code": "DE"}});
    let with_call_in = Profile::from_claims(&claims(), &settings(call_in));
    assert_eq!(with_call_in.phone.as_deref(), Some("+49301234567"));
}

#[test]
fn new_users_get_defaults_and_the_token_expiry() {
    let profile = Profile::from_claims(&claims(), &settings(json!({})));
    let row = new_user("s", profile, assignment(), 77, "de-DE");
    assert_eq!((row.title.as_str(), row.language.as_str()), ("", "de-DE"));
    assert_eq!(row.id_token_exp, 77);
    assert_eq!(row.avatar_url.as_deref(), Some("https://p/a.png"));
}

#[test]
fn updates_change_only_what_differs_and_always_the_expiry() {
    let profile = Profile::from_claims(&claims(), &settings(json!({})));
    let user = existing(&profile);
    let same = update_user(&user, profile.clone(), assignment(), 99, false);
    assert_eq!(same.id_token_exp, Some(99));
    assert!(same.email.is_none() && same.firstname.is_none() && same.phone.is_none());
    assert!(same.tariff_id.is_none() && same.display_name.is_none());

    let mut changed = profile.clone();
    changed.firstname = "Augusta".into();
    changed.avatar_url = None;
    let paid = Assignment {
        status: TariffStatus::Paid,
        ..assignment()
    };
    let update = update_user(&user, changed, paid, 99, false);
    assert_eq!(update.firstname.as_deref(), Some("Augusta"));
    assert_eq!(update.avatar_url, Some(None));
    assert_eq!(update.tariff_status, Some(TariffStatus::Paid));
    assert!(
        update.display_name.is_none(),
        "custom display names are the user's"
    );

    let forced = update_user(&user, profile, assignment(), 99, true);
    assert_eq!(forced.display_name.as_deref(), Some("Ada Lovelace"));
}
