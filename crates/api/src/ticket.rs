//! Signaling tickets: what `POST /v1/rooms/{id}/start` and `start_invited`
//! hand out (api.md §6.3, §7.3).
//!
//! Upstream keeps tickets in Redis. Conclave has no shared store, so a ticket
//! is a short-lived JWT signed with HMAC-SHA256 (`signaling.ticket_secret`):
//! any instance that knows the secret can verify it with [`verify`], without
//! shared memory. It names the room, the participant (user id or invite
//! code), the meeting role, a participant id and the resumption token issued
//! with it.
//!
//! The resumption token is a longer-lived JWT of its own kind with the same
//! key. Presenting it to a start endpoint again, for the same room and the
//! same participant, keeps the participant id (a reconnect); anything else
//! about it (expired, forged, another room or person) is ignored and a new
//! participant id is drawn, as upstream ignores unknown resumption tokens.

pub mod claims;

use std::fmt;

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use rand::RngCore;
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

pub use claims::{Participant, ResumptionClaims, Role, TicketClaims, TokenKind};

use crate::config::SignalingSettings;

/// `iss` of every ticket and resumption token.
pub const ISSUER: &str = "conclave";
/// `aud` of every ticket and resumption token.
pub const AUDIENCE: &str = "opentalk-signaling";
/// Shortest accepted secret, in bytes (the HMAC-SHA256 block of security).
pub const MIN_SECRET_BYTES: usize = 32;

/// The HMAC key; refused at start-up when shorter than [`MIN_SECRET_BYTES`].
/// `Debug` never prints it.
#[derive(Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(try_from = "String")]
pub struct TicketSecret(Vec<u8>);

impl TryFrom<String> for TicketSecret {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        if value.len() < MIN_SECRET_BYTES {
            return Err(format!(
                "signaling.ticket_secret must be at least {MIN_SECRET_BYTES} bytes long"
            ));
        }
        Ok(Self(value.into_bytes()))
    }
}

impl TicketSecret {
    /// A random 32-byte key, for a server started without a configured one.
    pub fn random() -> Self {
        let mut bytes = vec![0u8; MIN_SECRET_BYTES];
        rand::rng().fill_bytes(&mut bytes);
        Self(bytes)
    }

    /// The key bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for TicketSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TicketSecret(<redacted>)")
    }
}

/// Why a token was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TicketError {
    /// `exp` lies in the past.
    #[error("the token expired")]
    Expired,
    /// Bad signature, wrong key, malformed token or wrong kind.
    #[error("the token is invalid: {0}")]
    Invalid(String),
}

/// A freshly issued ticket and its resumption token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedTicket {
    /// The signaling ticket.
    pub ticket: String,
    /// The resumption token.
    pub resumption: String,
    /// The participant id inside both.
    pub participant_id: Uuid,
}

/// Issues tickets with the configured key and lifetimes; lives in
/// [`crate::AppState`].
#[derive(Debug, Clone)]
pub struct TicketIssuer {
    secret: TicketSecret,
    ticket_ttl: i64,
    resumption_ttl: i64,
}

impl TicketIssuer {
    /// The issuer of `settings`; without a secret a random one is drawn and
    /// a warning logged, since other instances cannot verify its tickets.
    pub fn from_settings(settings: &SignalingSettings) -> Self {
        let secret = settings.ticket_secret.clone().unwrap_or_else(|| {
            tracing::warn!(
                "signaling.ticket_secret is not set: using a random key, \
                 tickets verify only on this instance"
            );
            TicketSecret::random()
        });
        Self::new(
            secret,
            settings.ticket_ttl_secs,
            settings.resumption_ttl_secs,
        )
    }

    /// An issuer with an explicit key and lifetimes (seconds).
    pub fn new(secret: TicketSecret, ticket_ttl_secs: u64, resumption_ttl_secs: u64) -> Self {
        let secs = |s: u64| i64::try_from(s).unwrap_or(i64::MAX / 2);
        Self {
            secret,
            ticket_ttl: secs(ticket_ttl_secs),
            resumption_ttl: secs(resumption_ttl_secs),
        }
    }

    /// The key (for [`verify`]).
    pub fn secret(&self) -> &TicketSecret {
        &self.secret
    }

    /// Issues a ticket for `participant` in `room` with `role` at unix time
    /// `now`. A valid `resumption` of the same room and participant keeps
    /// its participant id.
    pub fn issue(
        &self,
        room: Uuid,
        participant: Participant,
        role: Role,
        resumption: Option<&str>,
        now: i64,
    ) -> Result<IssuedTicket, TicketError> {
        let participant_id = resumption
            .and_then(|token| verify_resumption(&self.secret, token).ok())
            .filter(|c| c.room == room && c.participant == participant)
            .map_or_else(Uuid::new_v4, |c| c.participant_id);
        let resumption = sign(
            &self.secret,
            &ResumptionClaims {
                typ: TokenKind::Resumption,
                room,
                participant,
                participant_id,
                iat: now,
                exp: now.saturating_add(self.resumption_ttl),
                iss: ISSUER.to_owned(),
                aud: AUDIENCE.to_owned(),
            },
        )?;
        let ticket = sign(
            &self.secret,
            &TicketClaims {
                typ: TokenKind::Ticket,
                room,
                participant,
                participant_id,
                role,
                resumption: resumption.clone(),
                iat: now,
                exp: now.saturating_add(self.ticket_ttl),
                iss: ISSUER.to_owned(),
                aud: AUDIENCE.to_owned(),
            },
        )?;
        Ok(IssuedTicket {
            ticket,
            resumption,
            participant_id,
        })
    }
}

/// Verifies a signaling ticket: HS256 signature with `secret`, not expired
/// (no leeway), Conclave's issuer and audience, and the ticket kind.
pub fn verify(secret: &TicketSecret, token: &str) -> Result<TicketClaims, TicketError> {
    let claims: TicketClaims = check(secret, token)?;
    if claims.typ != TokenKind::Ticket {
        return Err(TicketError::Invalid("not a ticket".into()));
    }
    Ok(claims)
}

/// Verifies a resumption token like [`verify`] does a ticket.
pub fn verify_resumption(
    secret: &TicketSecret,
    token: &str,
) -> Result<ResumptionClaims, TicketError> {
    let claims: ResumptionClaims = check(secret, token)?;
    if claims.typ != TokenKind::Resumption {
        return Err(TicketError::Invalid("not a resumption token".into()));
    }
    Ok(claims)
}

fn sign(secret: &TicketSecret, claims: &impl Serialize) -> Result<String, TicketError> {
    encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .map_err(|e| TicketError::Invalid(e.to_string()))
}

fn check<T: DeserializeOwned>(secret: &TicketSecret, token: &str) -> Result<T, TicketError> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.leeway = 0;
    validation.set_issuer(&[ISSUER]);
    validation.set_audience(&[AUDIENCE]);
    validation.set_required_spec_claims(&["exp", "iss", "aud"]);
    decode::<T>(
        token,
        &DecodingKey::from_secret(secret.as_bytes()),
        &validation,
    )
    .map(|data| data.claims)
    .map_err(|err| match err.kind() {
        ErrorKind::ExpiredSignature => TicketError::Expired,
        _ => TicketError::Invalid(err.to_string()),
    })
}

#[cfg(test)]
mod tests;
