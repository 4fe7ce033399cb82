//! Value types inside request-like bodies: invalid values fail deserialisation,
//! valid ones come out normalised, and nothing panics on arbitrary input.

use conclave_domain::email::{Email, MAX_EMAIL_BYTES};
use conclave_domain::room::RoomPassword;
use conclave_domain::sip::{SipId, SipPassword};
use conclave_domain::tariff::feature::{FeatureId, ModuleId};
use conclave_domain::text::{Description, Title};
use proptest::prelude::*;
use serde::Deserialize;

/// A body shaped like `POST /events` plus an email invite.
#[derive(Debug, Deserialize)]
#[allow(dead_code)] // fields exist to be deserialised
struct Body {
    title: Title,
    description: Description,
    password: Option<RoomPassword>,
    email: Option<Email>,
    sip_password: Option<SipPassword>,
}

fn parse(json: &str) -> Result<Body, String> {
    serde_json::from_str(json).map_err(|e| e.to_string())
}

#[test]
fn bodies_accept_valid_values() {
    let body = parse(
        r#"{"title":"Team","description":"","password":"pw","email":"A@B.de","sip_password":"0123456789"}"#,
    )
    .unwrap();
    assert_eq!(body.email.unwrap().as_str(), "a@b.de");
    assert_eq!(body.password.unwrap().as_str(), "pw");
}

#[test]
fn bodies_refuse_each_invalid_value() {
    let base = |field: &str, value: &str| {
        let mut fields = vec![
            ("title", "\"t\"".to_owned()),
            ("description", "\"d\"".to_owned()),
            ("password", "null".to_owned()),
            ("email", "null".to_owned()),
            ("sip_password", "null".to_owned()),
        ];
        for f in &mut fields {
            if f.0 == field {
                f.1 = value.to_owned();
            }
        }
        let inner: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
        format!("{{{}}}", inner.join(","))
    };
    assert!(parse(&base("title", "\"ok\"")).is_ok());
    let long_title = format!("\"{}\"", "x".repeat(256));
    let long_description = format!("\"{}\"", "x".repeat(4097));
    for (field, value) in [
        ("title", long_title.as_str()),
        ("description", long_description.as_str()),
        ("password", "\"\""),
        ("email", "\"nobody\""),
        ("sip_password", "\"12345\""),
    ] {
        let err = parse(&base(field, value)).unwrap_err();
        assert!(!err.is_empty(), "{field}");
    }
}

proptest! {
    #[test]
    fn email_parsing_never_panics_and_normalises(s in ".{0,80}") {
        if let Ok(email) = s.parse::<Email>() {
            prop_assert_eq!(email.as_str(), email.as_str().to_lowercase());
            prop_assert!(email.as_str().len() <= MAX_EMAIL_BYTES);
            prop_assert_eq!(email.as_str().matches('@').count(), 1);
            // Parsing is idempotent.
            prop_assert_eq!(email.as_str().parse::<Email>().unwrap(), email.clone());
        }
    }

    #[test]
    fn generated_addresses_parse(local in "[a-zA-Z0-9._%+-]{1,20}", domain in "[a-z0-9]{1,10}\\.[a-z]{2,6}") {
        prop_assume!(!local.starts_with('.') && !local.ends_with('.') && !local.contains(".."));
        let text = format!("{local}@{domain}");
        let email = text.parse::<Email>().unwrap();
        prop_assert_eq!(email.as_str(), text.to_lowercase());
    }

    #[test]
    fn numeric_ids_accept_exactly_ten_digits(s in "[0-9]{0,12}") {
        prop_assert_eq!(s.parse::<SipId>().is_ok(), s.len() == 10);
    }

    #[test]
    fn module_ids_follow_the_character_class(s in "[-_0-9a-zA-Z]{1,40}", bad in "[^-_0-9a-zA-Z]") {
        prop_assert!(s.parse::<ModuleId>().is_ok());
        let with_bad = format!("{s}{bad}");
        prop_assert!(with_bad.parse::<FeatureId>().is_err());
    }

    #[test]
    fn titles_are_limited_in_bytes(s in "\\PC{0,300}") {
        prop_assert_eq!(Title::try_from(s.clone()).is_ok(), s.len() <= 255);
    }
}
