//! Lower-case email addresses.
//!
//! The server lower-cases every address before storing or comparing it
//! (rules.md §7.5, §20.3), and both email columns carry a lower-case check
//! constraint and hold at most 255 bytes. An [`Email`] is therefore always
//! lower-case, at most 255 bytes long and syntactically an address:
//! a dot-atom local part (RFC 5322, UTF-8 allowed as in RFC 6531) of at most
//! 64 bytes, an `@`, and a domain of dot-separated labels (letters, digits and
//! hyphens, not starting or ending with a hyphen, at most 63 bytes each).
//! Quoted local parts and address literals such as `[127.0.0.1]` are refused;
//! they are legal but do not occur in practice and cannot be matched against
//! identity-provider accounts reliably.

use std::fmt;

/// The most bytes an address may have (the `varchar(255)` columns).
pub const MAX_EMAIL_BYTES: usize = 255;
const MAX_LOCAL_BYTES: usize = 64;
const MAX_LABEL_BYTES: usize = 63;

/// Why a string is not an acceptable email address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    /// Longer than 255 bytes after lower-casing.
    #[error("email address is longer than {MAX_EMAIL_BYTES} bytes")]
    TooLong,
    /// No `@`, or more than one outside a quoted part.
    #[error("email address must contain exactly one '@'")]
    MissingAt,
    /// The part before the `@` is empty, too long or has a forbidden character.
    #[error("invalid local part in email address")]
    InvalidLocalPart,
    /// The part after the `@` is not a valid domain name.
    #[error("invalid domain in email address")]
    InvalidDomain,
}

/// A syntactically valid, lower-cased email address of at most 255 bytes.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// The address text (always lower-case).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The address text, consuming the value.
    pub fn into_inner(self) -> String {
        self.0
    }
}

impl TryFrom<String> for Email {
    type Error = EmailError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        let lower = value.to_lowercase();
        if lower.len() > MAX_EMAIL_BYTES {
            return Err(EmailError::TooLong);
        }
        let (local, domain) = lower.split_once('@').ok_or(EmailError::MissingAt)?;
        if domain.contains('@') {
            return Err(EmailError::MissingAt);
        }
        if !is_dot_atom(local) {
            return Err(EmailError::InvalidLocalPart);
        }
        if !is_domain(domain) {
            return Err(EmailError::InvalidDomain);
        }
        Ok(Self(lower))
    }
}

impl std::str::FromStr for Email {
    type Err = EmailError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::try_from(s.to_owned())
    }
}

impl From<Email> for String {
    fn from(value: Email) -> String {
        value.0
    }
}

impl AsRef<str> for Email {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// RFC 5322 `atext`, extended by RFC 6531 to every non-ASCII character.
fn is_atext(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c) || !c.is_ascii()
}

fn is_dot_atom(local: &str) -> bool {
    !local.is_empty()
        && local.len() <= MAX_LOCAL_BYTES
        && local
            .split('.')
            .all(|atom| !atom.is_empty() && atom.chars().all(is_atext))
}

fn is_domain(domain: &str) -> bool {
    !domain.is_empty()
        && domain.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= MAX_LABEL_BYTES
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, want: Result<&str, EmailError>) {
        let got = input.parse::<Email>();
        assert_eq!(
            got.as_ref().map(Email::as_str).map_err(Clone::clone),
            want,
            "input {input:?}"
        );
    }

    #[test]
    fn accepts_and_lower_cases() {
        check("alice@example.com", Ok("alice@example.com"));
        check("Alice.Adams@Example.COM", Ok("alice.adams@example.com"));
        check("a+tag@sub.example.org", Ok("a+tag@sub.example.org"));
        check("o'neil@x-y.de", Ok("o'neil@x-y.de"));
        check("user@localhost", Ok("user@localhost"));
        check("Jürgen@Bücher.DE", Ok("jürgen@bücher.de"));
    }

    #[test]
    fn refuses_malformed_addresses() {
        check("", Err(EmailError::MissingAt));
        check("alice", Err(EmailError::MissingAt));
        check("a@b@c", Err(EmailError::MissingAt));
        check("@example.com", Err(EmailError::InvalidLocalPart));
        check(".a@example.com", Err(EmailError::InvalidLocalPart));
        check("a.@example.com", Err(EmailError::InvalidLocalPart));
        check("a..b@example.com", Err(EmailError::InvalidLocalPart));
        check("a b@example.com", Err(EmailError::InvalidLocalPart));
        check("\"a\"@example.com", Err(EmailError::InvalidLocalPart));
        check("a@", Err(EmailError::InvalidDomain));
        check("a@example..com", Err(EmailError::InvalidDomain));
        check("a@-example.com", Err(EmailError::InvalidDomain));
        check("a@example-.com", Err(EmailError::InvalidDomain));
        check("a@exa_mple.com", Err(EmailError::InvalidDomain));
        check("a@[127.0.0.1]", Err(EmailError::InvalidDomain));
    }

    #[test]
    fn enforces_length_limits() {
        let local64 = "l".repeat(64);
        check(&format!("{local64}@x.de"), Ok(&format!("{local64}@x.de")));
        check(
            &format!("{local64}l@x.de"),
            Err(EmailError::InvalidLocalPart),
        );
        let label63 = "d".repeat(63);
        check(&format!("a@{label63}.de"), Ok(&format!("a@{label63}.de")));
        check(&format!("a@{label63}d.de"), Err(EmailError::InvalidDomain));
        // 2 + 4 * 63 + 3 dots = 257 bytes.
        let long = format!("a@{}", [label63.as_str(); 4].join("."));
        assert!(long.len() > MAX_EMAIL_BYTES);
        check(&long, Err(EmailError::TooLong));
        let exact = format!("a@{}.{}", [label63.as_str(); 3].join("."), "d".repeat(61));
        assert_eq!(exact.len(), MAX_EMAIL_BYTES);
        check(&exact, Ok(&exact));
    }

    #[test]
    fn serde_lower_cases_and_refuses_invalid() {
        let email: Email = serde_json::from_str("\"Bob@Example.com\"").unwrap();
        assert_eq!(
            serde_json::to_string(&email).unwrap(),
            "\"bob@example.com\""
        );
        assert!(serde_json::from_str::<Email>("\"no-at-sign\"").is_err());
    }
}
