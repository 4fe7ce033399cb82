//! Development tokens: a local RSA key that signs ID/access tokens, so a
//! developer can run Conclave without an identity provider.
//!
//! Active **only** with `dev.enabled = true`. The built-in key is public (it
//! ships in the source), so anyone could mint tokens for it; that is the
//! point in development and the reason it is never trusted otherwise.

use std::collections::HashMap;

use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header};

use crate::auth::claims::Claims;
use crate::auth::jwks::VerificationKey;
use crate::config::DevSettings;

/// The `kid` of development tokens.
pub const DEV_KID: &str = "conclave-dev";
/// The issuer of development tokens unless `dev.issuer` names another.
pub const DEFAULT_DEV_ISSUER: &str = "conclave-dev";
/// Lifetime of minted tokens, in seconds (one working day).
pub const DEV_TOKEN_LIFETIME_SECS: i64 = 12 * 3600;

/// The built-in development key (PKCS#8 PEM), used without `dev.signing_key_path`.
const BUILTIN_KEY: &str = include_str!("dev_key.pem");

/// Loading the development key or signing failed.
#[derive(Debug, thiserror::Error)]
pub enum DevError {
    /// `dev.enabled` is false.
    #[error("development tokens are disabled (set dev.enabled = true)")]
    Disabled,
    /// The key file cannot be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The configured path.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The key is not an RSA private key, or signing failed.
    #[error("development key: {0}")]
    Key(#[from] jsonwebtoken::errors::Error),
}

/// The development signing key with its public half.
pub struct DevSigner {
    encoding: EncodingKey,
    public: Jwk,
    issuer: String,
}

impl DevSigner {
    /// Loads the key named by the settings; `Disabled` unless `dev.enabled`.
    pub fn load(settings: &DevSettings) -> Result<DevSigner, DevError> {
        if !settings.enabled {
            return Err(DevError::Disabled);
        }
        let pem = match &settings.signing_key_path {
            Some(path) => std::fs::read(path).map_err(|source| DevError::Read {
                path: path.clone(),
                source,
            })?,
            None => BUILTIN_KEY.as_bytes().to_vec(),
        };
        let encoding = EncodingKey::from_rsa_pem(&pem)?;
        let mut public = Jwk::from_encoding_key(&encoding, Algorithm::RS256)?;
        public.common.key_id = Some(DEV_KID.to_owned());
        let issuer = settings
            .issuer
            .clone()
            .unwrap_or_else(|| DEFAULT_DEV_ISSUER.to_owned());
        Ok(DevSigner {
            encoding,
            public,
            issuer,
        })
    }

    /// The issuer written into development tokens.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The public key as a JWK (with `kid`).
    pub fn jwk(&self) -> &Jwk {
        &self.public
    }

    /// The verification key set the verifier trusts in development mode.
    pub fn verification_keys(&self) -> Result<HashMap<String, VerificationKey>, DevError> {
        let key = DecodingKey::from_jwk(&self.public)?;
        let entry = VerificationKey {
            key,
            alg: Some(Algorithm::RS256),
        };
        Ok(HashMap::from([(DEV_KID.to_owned(), entry)]))
    }

    /// Signs `claims` as an RS256 JWT with the development `kid`.
    pub fn sign(&self, claims: &Claims) -> Result<String, DevError> {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(DEV_KID.to_owned());
        Ok(jsonwebtoken::encode(&header, claims, &self.encoding)?)
    }

    /// The claims of a development token for one user, valid from now.
    pub fn claims_for(&self, user: &DevUser) -> Claims {
        let now = chrono::Utc::now().timestamp();
        Claims {
            exp: now + DEV_TOKEN_LIFETIME_SECS,
            iat: now,
            iss: self.issuer.clone(),
            sub: user.sub.clone(),
            email: user.email.clone(),
            given_name: user.given_name.clone(),
            family_name: user.family_name.clone(),
            picture: None,
            tenant_id: user.tenant_id.clone(),
            tariff_id: None,
            tariff_status: None,
            x_grp: user.groups.clone(),
            phone_number: None,
            nickname: None,
        }
    }
}

/// Who a development token is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DevUser {
    /// `sub`.
    pub sub: String,
    /// `email`.
    pub email: String,
    /// `given_name`.
    pub given_name: String,
    /// `family_name`.
    pub family_name: String,
    /// `tenant_id` (by-claim tenant assignment).
    pub tenant_id: Option<String>,
    /// `x_grp`.
    pub groups: Vec<String>,
}

impl DevUser {
    /// A user named `name`: `sub` = name, `email` = `name@example.org`,
    /// given name = capitalised name, family name "Developer".
    pub fn named(name: &str) -> DevUser {
        let mut chars = name.chars();
        let given = chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default();
        DevUser {
            sub: name.to_owned(),
            email: format!("{}@example.org", name.to_lowercase()),
            given_name: given,
            family_name: "Developer".to_owned(),
            tenant_id: None,
            groups: Vec::new(),
        }
    }
}

/// Mints a development token for `user`. The same token serves as ID token
/// (`POST /v1/auth/login`) and as access token (`Authorization: Bearer`),
/// since both carry the same claim set. For `cargo xtask dev-token`.
pub fn mint_dev_token(settings: &DevSettings, user: &DevUser) -> Result<String, DevError> {
    let signer = DevSigner::load(settings)?;
    signer.sign(&signer.claims_for(user))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enabled() -> DevSettings {
        DevSettings {
            enabled: true,
            ..DevSettings::default()
        }
    }

    #[test]
    fn disabled_settings_mint_nothing() {
        let err = mint_dev_token(&DevSettings::default(), &DevUser::named("alice")).unwrap_err();
        assert!(matches!(err, DevError::Disabled));
    }

    #[test]
    fn named_users_get_predictable_claims() {
        let user = DevUser::named("alice");
        assert_eq!(user.email, "alice@example.org");
        assert_eq!(user.given_name, "Alice");
        assert_eq!(DevUser::named("").given_name, "");
    }

    #[tokio::test]
    async fn minted_tokens_verify_against_the_dev_key_only() {
        use crate::auth::jwks::JwksCache;
        use crate::auth::verify::{TokenVerifier, VerifierConfig};
        let signer = DevSigner::load(&enabled()).unwrap();
        let token = mint_dev_token(&enabled(), &DevUser::named("bob")).unwrap();
        let config = |issuer: &str| VerifierConfig {
            algorithms: vec![Algorithm::RS256],
            issuers: vec![issuer.to_owned()],
            audience: None,
        };
        let trusted = TokenVerifier::new(
            JwksCache::new(None, signer.verification_keys().unwrap()),
            config(DEFAULT_DEV_ISSUER),
        );
        let claims = trusted.verify(&token).await.unwrap();
        assert_eq!(claims.sub, "bob");
        let untrusting = TokenVerifier::new(
            JwksCache::new(None, HashMap::new()),
            config(DEFAULT_DEV_ISSUER),
        );
        assert!(untrusting.verify(&token).await.is_err());
    }
}
