//! SIP dial-in ids and passwords.
//!
//! Both the call-in id and its pin are **exactly ten ASCII digits**
//! (rules.md §13, the `NumericId` of api.md §2.3), stored in `varchar(10)`
//! columns. Generated values draw every digit uniformly at random.

use rand::Rng;

/// How often a SIP id is regenerated after a unique violation before the
/// operation fails with 500 (rules.md §13).
pub const SIP_ID_ATTEMPTS: usize = 3;

/// The number of digits of a call-in id or pin.
pub const NUMERIC_ID_LEN: usize = 10;

/// A call-in id or pin was not exactly ten ASCII digits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be exactly {NUMERIC_ID_LEN} ASCII digits")]
pub struct InvalidNumericId;

fn is_numeric_id(s: &str) -> bool {
    s.len() == NUMERIC_ID_LEN && s.bytes().all(|b| b.is_ascii_digit())
}

fn random_digits(rng: &mut impl Rng) -> String {
    (0..NUMERIC_ID_LEN)
        .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
        .collect()
}

macro_rules! numeric_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
        )]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// A new value of ten uniformly random digits from `rng`.
            pub fn generate_with(rng: &mut impl Rng) -> Self {
                Self(random_digits(rng))
            }

            /// A new value of ten uniformly random digits from the thread RNG.
            pub fn generate() -> Self {
                Self::generate_with(&mut rand::rng())
            }

            /// The ten digits.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = InvalidNumericId;

            fn try_from(value: String) -> Result<Self, Self::Error> {
                if is_numeric_id(&value) { Ok(Self(value)) } else { Err(InvalidNumericId) }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = InvalidNumericId;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::try_from(s.to_owned())
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

numeric_id!(
    /// `sip_configs.sip_id`: the call-in id (unique across rooms).
    SipId
);
numeric_id!(
    /// `sip_configs.password`: the call-in pin.
    SipPassword
);

/// The body of `PUT /rooms/{id}/sip` after validation: at least one field is
/// present and non-null (otherwise 400 `invalid_json`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SipConfigChange {
    /// A new pin, if given.
    pub password: Option<SipPassword>,
    /// A new lobby flag, if given.
    pub lobby: Option<bool>,
}

/// `PUT /rooms/{id}/sip` had neither a password nor a lobby flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("at least one of password and lobby must be set")]
pub struct EmptySipConfigChange;

impl SipConfigChange {
    /// Validates that at least one field is set.
    pub fn new(
        password: Option<SipPassword>,
        lobby: Option<bool>,
    ) -> Result<Self, EmptySipConfigChange> {
        if password.is_none() && lobby.is_none() {
            return Err(EmptySipConfigChange);
        }
        Ok(Self { password, lobby })
    }

    /// The pin and lobby flag of a config created by this change: the given
    /// or a random pin, and the given lobby flag or `false`.
    pub fn creation_values(&self, rng: &mut impl Rng) -> (SipPassword, bool) {
        let password = self
            .password
            .clone()
            .unwrap_or_else(|| SipPassword::generate_with(rng));
        (password, self.lobby.unwrap_or(false))
    }
}

/// Why a call-in start is refused, in the order the checks run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CallInRefusal {
    /// Unknown id or wrong pin (400 `invalid_credentials`).
    #[error("given call-in id & pin combination is not valid")]
    InvalidCredentials,
    /// The room is end-to-end encrypted (403 `service_unavailable`).
    #[error("Call-in not available for end-to-end encrypted room")]
    EndToEndEncrypted,
}

/// Checks a dial-in attempt against the stored config (if the id was found):
/// credentials first, then end-to-end encryption (rules.md §13). The
/// `core::call_in` feature check follows in `tariff::require_feature`.
pub fn check_call_in(
    stored: Option<(&SipPassword, bool)>,
    supplied_pin: &str,
) -> Result<(), CallInRefusal> {
    match stored {
        Some((pin, e2e)) if pin.as_str() == supplied_pin => {
            if e2e {
                Err(CallInRefusal::EndToEndEncrypted)
            } else {
                Ok(())
            }
        }
        _ => Err(CallInRefusal::InvalidCredentials),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{SeedableRng, rngs::StdRng};

    #[test]
    fn parsing_requires_exactly_ten_digits() {
        let check = |s: &str, ok: bool| {
            assert_eq!(s.parse::<SipId>().is_ok(), ok, "{s:?}");
            assert_eq!(s.parse::<SipPassword>().is_ok(), ok, "{s:?}");
        };
        check("0123456789", true);
        check("0000000000", true);
        check("012345678", false);
        check("01234567890", false);
        check("01234a6789", false);
        check("０123456789", false); // full-width zero is a digit, but not ASCII
        check(" 123456789", false);
        check("", false);
    }

    #[test]
    fn generated_values_parse_and_use_every_digit() {
        let mut rng = StdRng::seed_from_u64(7);
        let mut seen = [0usize; 10];
        for _ in 0..200 {
            let id = SipId::generate_with(&mut rng);
            assert!(id.as_str().parse::<SipId>().is_ok());
            for b in id.as_str().bytes() {
                seen[usize::from(b - b'0')] += 1;
            }
        }
        // 2000 digits: each of the ten should appear roughly 200 times.
        assert!(seen.iter().all(|&n| (120..=280).contains(&n)), "{seen:?}");
        assert_ne!(SipPassword::generate(), SipPassword::generate());
    }

    #[test]
    fn put_body_needs_one_field() {
        let pin: SipPassword = "1111111111".parse().unwrap();
        assert_eq!(SipConfigChange::new(None, None), Err(EmptySipConfigChange));
        assert!(SipConfigChange::new(Some(pin.clone()), None).is_ok());
        assert!(SipConfigChange::new(None, Some(false)).is_ok());
        let mut rng = StdRng::seed_from_u64(1);
        let given = SipConfigChange::new(Some(pin.clone()), None).unwrap();
        assert_eq!(given.creation_values(&mut rng), (pin, false));
        let lobby_only = SipConfigChange::new(None, Some(true)).unwrap();
        let (random_pin, lobby) = lobby_only.creation_values(&mut rng);
        assert!(lobby);
        assert!(random_pin.as_str().parse::<SipPassword>().is_ok());
    }

    #[test]
    fn call_in_checks_credentials_before_e2e() {
        let pin: SipPassword = "1234567890".parse().unwrap();
        let check = |stored, given: &str, want| assert_eq!(check_call_in(stored, given), want);
        check(Some((&pin, false)), "1234567890", Ok(()));
        check(
            Some((&pin, false)),
            "1234567891",
            Err(CallInRefusal::InvalidCredentials),
        );
        check(None, "1234567890", Err(CallInRefusal::InvalidCredentials));
        check(
            Some((&pin, true)),
            "1234567890",
            Err(CallInRefusal::EndToEndEncrypted),
        );
        check(
            Some((&pin, true)),
            "0000000000",
            Err(CallInRefusal::InvalidCredentials),
        );
    }

    #[test]
    fn serde_round_trip() {
        let id: SipId = serde_json::from_str("\"0123456789\"").unwrap();
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"0123456789\"");
        assert!(serde_json::from_str::<SipId>("\"123\"").is_err());
    }
}
