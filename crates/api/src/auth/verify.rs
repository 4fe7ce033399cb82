//! JWT verification: algorithm allow-list, key by `kid`, signature, `iss`,
//! `aud` (only when configured), `exp` and `nbf` (stack.md §9).

use std::str::FromStr;

use jsonwebtoken::{Algorithm, Validation, decode, decode_header, errors::ErrorKind};

use crate::auth::claims::{Claims, InvalidClaims};
use crate::auth::jwks::{JwksCache, KeysUnavailable};

/// Clock skew tolerated on `exp` and `nbf`, in seconds.
pub const LEEWAY_SECS: u64 = 30;

/// Why a token was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// The signature is fine but `exp` is past.
    #[error("token expired")]
    Expired,
    /// Not a JWT, a forbidden algorithm, an unknown key, a bad signature, or
    /// a wrong `iss`, `aud` or `nbf`.
    #[error("invalid token: {0}")]
    Invalid(String),
    /// Verified, but a required claim is missing or malformed.
    #[error("{0}")]
    Claims(#[from] InvalidClaims),
    /// The key set could not be loaded; a server-side failure.
    #[error("{0}")]
    KeysUnavailable(String),
}

impl From<KeysUnavailable> for TokenError {
    fn from(err: KeysUnavailable) -> Self {
        TokenError::KeysUnavailable(err.0)
    }
}

/// What tokens must look like.
#[derive(Debug, Clone)]
pub struct VerifierConfig {
    /// Accepted `alg` values.
    pub algorithms: Vec<Algorithm>,
    /// Accepted `iss` values.
    pub issuers: Vec<String>,
    /// Required `aud` value, if any.
    pub audience: Option<String>,
}

/// An algorithm name in the configuration is unknown.
#[derive(Debug, Clone, thiserror::Error)]
#[error("unknown JWS algorithm {0:?} in oidc.algorithms")]
pub struct UnknownAlgorithm(pub String);

/// Parses `oidc.algorithms`; absent or empty means RS256. Symmetric
/// algorithms are refused: a verifier must never accept a shared secret.
pub fn parse_algorithms(names: Option<&[String]>) -> Result<Vec<Algorithm>, UnknownAlgorithm> {
    let names = match names {
        Some(names) if !names.is_empty() => names,
        _ => return Ok(vec![Algorithm::RS256]),
    };
    names
        .iter()
        .map(|name| {
            let alg =
                Algorithm::from_str(name.trim()).map_err(|_| UnknownAlgorithm(name.clone()))?;
            match alg {
                Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512 => {
                    Err(UnknownAlgorithm(name.clone()))
                }
                alg => Ok(alg),
            }
        })
        .collect()
}

/// Verifies tokens against the cached keys.
pub struct TokenVerifier {
    keys: JwksCache,
    config: VerifierConfig,
}

impl TokenVerifier {
    /// A verifier over `keys` with the given rules.
    pub fn new(keys: JwksCache, config: VerifierConfig) -> Self {
        Self { keys, config }
    }

    /// The key cache (for start-up refresh).
    pub fn keys(&self) -> &JwksCache {
        &self.keys
    }

    /// Verifies `token` and parses its claims.
    pub async fn verify(&self, token: &str) -> Result<Claims, TokenError> {
        let header = decode_header(token).map_err(|e| TokenError::Invalid(e.to_string()))?;
        if !self.config.algorithms.contains(&header.alg) {
            return Err(TokenError::Invalid(format!(
                "algorithm {:?} not allowed",
                header.alg
            )));
        }
        let key = self
            .keys
            .get(header.kid.as_deref())
            .await?
            .ok_or_else(|| TokenError::Invalid("unknown signing key".into()))?;
        if key.key.family() != header.alg.family() || key.alg.is_some_and(|a| a != header.alg) {
            return Err(TokenError::Invalid("algorithm does not fit the key".into()));
        }
        let data = decode::<serde_json::Value>(token, &key.key, &self.validation(header.alg))
            .map_err(map_error)?;
        Ok(Claims::from_json(data.claims)?)
    }

    fn validation(&self, alg: Algorithm) -> Validation {
        let mut validation = Validation::new(alg);
        validation.leeway = LEEWAY_SECS;
        validation.validate_nbf = true;
        validation.set_required_spec_claims(&["exp", "iss"]);
        validation.set_issuer(&self.config.issuers);
        match &self.config.audience {
            Some(aud) => validation.set_audience(&[aud]),
            // Upstream requires no particular audience.
            None => validation.validate_aud = false,
        }
        validation
    }
}

fn map_error(err: jsonwebtoken::errors::Error) -> TokenError {
    match err.kind() {
        ErrorKind::ExpiredSignature => TokenError::Expired,
        ErrorKind::MissingRequiredClaim(claim) => {
            TokenError::Claims(InvalidClaims(format!("missing claim {claim}")))
        }
        ErrorKind::InvalidClaimFormat(claim) => {
            TokenError::Claims(InvalidClaims(format!("malformed claim {claim}")))
        }
        _ => TokenError::Invalid(err.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn algorithm_lists_default_to_rs256_and_refuse_secrets() {
        let names = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(parse_algorithms(None).unwrap(), vec![Algorithm::RS256]);
        assert_eq!(parse_algorithms(Some(&[])).unwrap(), vec![Algorithm::RS256]);
        assert_eq!(
            parse_algorithms(Some(&names(&["RS256", "ES256"]))).unwrap(),
            vec![Algorithm::RS256, Algorithm::ES256]
        );
        for bad in ["HS256", "none", "rs256", "XYZ"] {
            assert!(parse_algorithms(Some(&names(&[bad]))).is_err(), "{bad}");
        }
    }
}
