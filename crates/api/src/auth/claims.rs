//! The claim set of ID and access tokens (api.md §5.5).
//!
//! Both token kinds parse into [`Claims`]. Parsing is strict where a value
//! lands in a bounded column: a claim longer than its column is "malformed"
//! (400 `invalid_claims` at login) rather than a database error later.

use serde::{Deserialize, Serialize};

/// Longest `sub`, `email`, `given_name`, `family_name` (the `varchar(255)` columns).
const MAX_NAME_BYTES: usize = 255;
/// Longest `picture` URL (`users.avatar_url varchar(2048)`).
const MAX_PICTURE_BYTES: usize = 2048;
/// Most groups accepted from `x_grp`; each becomes rows at every login.
pub const MAX_GROUPS: usize = 256;
/// Longest group name.
const MAX_GROUP_BYTES: usize = 255;
/// Longest `tenant_id`, `tariff_id` and `tariff_status` values.
const MAX_ID_BYTES: usize = 255;

/// The claims Conclave reads from a verified token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// Expiry, unix seconds.
    pub exp: i64,
    /// Issue time, unix seconds.
    pub iat: i64,
    /// Issuer.
    pub iss: String,
    /// Subject: the provider's user id.
    pub sub: String,
    /// Email address (stored lower-cased).
    pub email: String,
    /// First name.
    pub given_name: String,
    /// Last name.
    pub family_name: String,
    /// Avatar URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub picture: Option<String>,
    /// External tenant id (by-claim tenant assignment).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
    /// External tariff id (by-external-id tariff assignment).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tariff_id: Option<String>,
    /// Tariff status claim (with a status mapping).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tariff_status: Option<String>,
    /// Group names.
    #[serde(default)]
    pub x_grp: Vec<String>,
    /// Phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// Preferred display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nickname: Option<String>,
}

/// A required claim is missing or a claim is malformed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid claims: {0}")]
pub struct InvalidClaims(pub String);

impl Claims {
    /// Parses and checks the claim set of a verified token.
    pub fn from_json(value: serde_json::Value) -> Result<Claims, InvalidClaims> {
        let claims: Claims =
            serde_json::from_value(value).map_err(|e| InvalidClaims(e.to_string()))?;
        claims.check()?;
        Ok(claims)
    }

    fn check(&self) -> Result<(), InvalidClaims> {
        let bounded = |name: &str, value: &str, max: usize, nonempty: bool| {
            if value.len() > max || (nonempty && value.trim().is_empty()) {
                Err(InvalidClaims(format!("claim {name} is empty or too long")))
            } else {
                Ok(())
            }
        };
        bounded("sub", &self.sub, MAX_NAME_BYTES, true)?;
        bounded("email", &self.email, MAX_NAME_BYTES, true)?;
        bounded("given_name", &self.given_name, MAX_NAME_BYTES, false)?;
        bounded("family_name", &self.family_name, MAX_NAME_BYTES, false)?;
        if let Some(picture) = &self.picture {
            bounded("picture", picture, MAX_PICTURE_BYTES, false)?;
        }
        for (name, value) in [
            ("tenant_id", &self.tenant_id),
            ("tariff_id", &self.tariff_id),
            ("tariff_status", &self.tariff_status),
        ] {
            if let Some(value) = value {
                bounded(name, value, MAX_ID_BYTES, true)?;
            }
        }
        if self.x_grp.len() > MAX_GROUPS {
            return Err(InvalidClaims(format!(
                "more than {MAX_GROUPS} groups in x_grp"
            )));
        }
        for group in &self.x_grp {
            bounded("x_grp", group, MAX_GROUP_BYTES, true)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn base() -> Value {
        json!({
            "exp": 2_000_000_000, "iat": 1_700_000_000, "iss": "https://idp", "sub": "s1",
            "email": "A@Example.org", "given_name": "Ada", "family_name": "Lovelace",
        })
    }

    fn with(changes: Value) -> Value {
        let mut value = base();
        for (k, v) in changes.as_object().unwrap() {
            if v.is_null() {
                value.as_object_mut().unwrap().remove(k);
            } else {
                value[k] = v.clone();
            }
        }
        value
    }

    #[test]
    fn minimal_claims_parse_with_defaults() {
        let claims = Claims::from_json(base()).unwrap();
        assert_eq!(claims.sub, "s1");
        assert!(claims.x_grp.is_empty());
        assert_eq!(claims.picture, None);
    }

    #[test]
    fn missing_or_malformed_claims_are_refused() {
        let check = |changes: Value, ok: bool| {
            assert_eq!(
                Claims::from_json(with(changes.clone())).is_ok(),
                ok,
                "{changes}"
            );
        };
        for required in [
            "exp",
            "iat",
            "iss",
            "sub",
            "email",
            "given_name",
            "family_name",
        ] {
            check(json!({ required: null }), false);
        }
        check(json!({"exp": "soon"}), false);
        check(json!({"x_grp": "admins"}), false);
        check(json!({"x_grp": ["a", "b"]}), true);
        check(json!({"x_grp": [""]}), false);
        check(json!({"x_grp": vec!["g"; MAX_GROUPS + 1]}), false);
        check(json!({"sub": " "}), false);
        check(json!({"email": "x".repeat(256)}), false);
        check(json!({"given_name": ""}), true);
        check(json!({"tenant_id": ""}), false);
        check(json!({"picture": "p".repeat(2049)}), false);
        check(
            json!({"tariff_status": "paid", "nickname": "Ada", "phone_number": "+49"}),
            true,
        );
    }
}
