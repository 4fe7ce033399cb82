//! Token claims for tests and the forged tokens of the rejection matrix.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Map, Value, json};

use crate::issuer::{FakeIssuer, ISSUER_PUBLIC_PEM, OTHER_KEY_PEM, SigningKey};

/// Current unix time.
pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// A mutable claim set, starting from a valid one.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenClaims(pub Map<String, Value>);

impl TokenClaims {
    /// Valid claims of `issuer` for subject `sub`: one hour of lifetime, an
    /// email `<sub>@example.org`, names "Given <sub>" / "Family".
    pub fn new(issuer: &str, sub: &str) -> TokenClaims {
        let now = now();
        let value = json!({
            "iss": issuer,
            "sub": sub,
            "iat": now,
            "exp": now + 3600,
            "email": format!("{sub}@example.org"),
            "given_name": format!("Given {sub}"),
            "family_name": "Family",
        });
        match value {
            Value::Object(map) => TokenClaims(map),
            _ => unreachable!("a JSON object literal"),
        }
    }

    /// Sets a claim.
    pub fn with(mut self, name: &str, value: impl Into<Value>) -> TokenClaims {
        self.0.insert(name.to_owned(), value.into());
        self
    }

    /// Removes a claim.
    pub fn without(mut self, name: &str) -> TokenClaims {
        self.0.remove(name);
        self
    }
}

impl serde::Serialize for TokenClaims {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl FakeIssuer {
    /// Valid claims of this issuer for `sub`.
    pub fn claims(&self, sub: &str) -> TokenClaims {
        TokenClaims::new(&self.url, sub)
    }

    /// A valid token for `sub` (usable as ID and access token).
    pub fn token(&self, sub: &str) -> String {
        self.key.sign(&self.claims(sub))
    }

    /// Signs `claims` with the issuer's key.
    pub fn sign(&self, claims: &TokenClaims) -> String {
        self.key.sign(claims)
    }
}

/// Forged tokens, each of which a verifier must refuse.
pub mod forged {
    use super::*;

    /// Signed by a key the issuer does not publish, under the issuer's `kid`.
    pub fn bad_signature(issuer: &FakeIssuer, claims: &TokenClaims) -> String {
        let other = SigningKey::from_pem(&issuer.key.kid, OTHER_KEY_PEM);
        other.sign(claims)
    }

    /// `alg: none` with an empty signature.
    pub fn alg_none(issuer: &FakeIssuer, claims: &TokenClaims) -> String {
        let header = json!({"alg": "none", "typ": "JWT", "kid": issuer.key.kid});
        let encode = |v: &Value| URL_SAFE_NO_PAD.encode(v.to_string());
        format!(
            "{}.{}.",
            encode(&header),
            encode(&Value::Object(claims.0.clone()))
        )
    }

    /// HS256 with the issuer's *public* key as the HMAC secret (the classic
    /// algorithm-confusion attack).
    pub fn hs256_with_public_key(issuer: &FakeIssuer, claims: &TokenClaims) -> String {
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(issuer.key.kid.clone());
        let key = EncodingKey::from_secret(ISSUER_PUBLIC_PEM.as_bytes());
        jsonwebtoken::encode(&header, claims, &key).expect("sign")
    }

    /// Correctly signed by a key under a `kid` nobody publishes.
    pub fn unknown_kid(claims: &TokenClaims) -> String {
        SigningKey::from_pem("never-published", OTHER_KEY_PEM).sign(claims)
    }

    /// A header that is not base64 JSON.
    pub fn malformed_header(issuer: &FakeIssuer, claims: &TokenClaims) -> String {
        let valid = issuer.sign(claims);
        let rest = valid
            .split_once('.')
            .map(|(_, rest)| rest)
            .unwrap_or_default();
        format!("{{not-json}}.{rest}")
    }
}
