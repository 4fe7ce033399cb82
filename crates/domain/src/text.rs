//! Length-limited titles and descriptions.
//!
//! The API measures string limits in **bytes**, not characters (api.md §2.3),
//! so a 255-byte title may hold fewer than 255 characters when it contains
//! non-ASCII text. Each type here can only hold a string within its limit.

/// A string was longer (or shorter) than its type allows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    /// The string has more bytes than allowed.
    #[error("{type_name} must be at most {max} bytes long, got {len}")]
    TooLong {
        /// The type that refused the value.
        type_name: &'static str,
        /// The byte limit.
        max: usize,
        /// The byte length that was given.
        len: usize,
    },
    /// The string has fewer bytes than required.
    #[error("{type_name} must be at least {min} bytes long, got {len}")]
    TooShort {
        /// The type that refused the value.
        type_name: &'static str,
        /// The minimum byte length.
        min: usize,
        /// The byte length that was given.
        len: usize,
    },
}

/// Checks `len` against the inclusive byte range `min..=max`.
pub(crate) fn check_len(
    type_name: &'static str,
    len: usize,
    min: usize,
    max: usize,
) -> Result<(), TextError> {
    if len < min {
        Err(TextError::TooShort {
            type_name,
            min,
            len,
        })
    } else if len > max {
        Err(TextError::TooLong {
            type_name,
            max,
            len,
        })
    } else {
        Ok(())
    }
}

/// Declares a `String` newtype limited to `min..=max` bytes, with
/// `TryFrom<String>`, `FromStr`, `Display`, `AsRef<str>` and serde support
/// (deserialising goes through `TryFrom`, so invalid input never gets in).
macro_rules! bounded_text {
    ($(#[$meta:meta])* $name:ident, $min:expr, $max:expr) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
        )]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// The smallest allowed length in bytes.
            pub const MIN_BYTES: usize = $min;
            /// The largest allowed length in bytes.
            pub const MAX_BYTES: usize = $max;

            /// The text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The text, consuming the value.
            pub fn into_inner(self) -> String {
                self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::text::TextError;

            fn try_from(value: String) -> Result<Self, Self::Error> {
                $crate::text::check_len(stringify!($name), value.len(), $min, $max)?;
                Ok(Self(value))
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::text::TextError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::try_from(s.to_owned())
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}
pub(crate) use bounded_text;

bounded_text!(
    /// An event title: at most 255 bytes, may be empty.
    Title, 0, 255
);
bounded_text!(
    /// An event description: at most 4096 bytes, may be empty.
    Description, 0, 4096
);
bounded_text!(
    /// A user's title (`users.title`): at most 255 bytes.
    UserTitle, 0, 255
);
bounded_text!(
    /// A user's display name as set through the API: at most 255 bytes
    /// (the column holds 511, the API allows 255).
    DisplayName, 0, 255
);
bounded_text!(
    /// A user's language tag: at most 35 bytes, otherwise free text.
    Language, 0, 35
);
bounded_text!(
    /// A dashboard or conference theme: at most 128 bytes, otherwise free text.
    Theme, 0, 128
);

impl DisplayName {
    /// Builds the display name from ID-token claims (rules.md §20.3): the
    /// `nickname` when present, else "`given_name` `family_name`"; whitespace
    /// runs collapse to one space, and the result is cut to 255 bytes at a
    /// character boundary so it never fails.
    pub fn from_claims(nickname: Option<&str>, given_name: &str, family_name: &str) -> Self {
        let raw = match nickname {
            Some(nick) if !nick.trim().is_empty() => nick.to_owned(),
            _ => format!("{given_name} {family_name}"),
        };
        let collapsed = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        Self(truncate_bytes(&collapsed, Self::MAX_BYTES).to_owned())
    }
}

/// The longest prefix of `s` of at most `max` bytes that ends on a character
/// boundary.
pub fn truncate_bytes(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check<T: TryFrom<String>>(input: String, ok: bool) {
        let len = input.len();
        assert_eq!(T::try_from(input).is_ok(), ok, "length {len}");
    }

    #[test]
    fn limits_are_in_bytes() {
        check::<Title>(String::new(), true);
        check::<Title>("a".repeat(255), true);
        check::<Title>("a".repeat(256), false);
        // 128 two-byte characters are 256 bytes: too long although only 128 chars.
        check::<Title>("ä".repeat(128), false);
        check::<Title>("ä".repeat(127), true);
        check::<Description>("a".repeat(4096), true);
        check::<Description>("a".repeat(4097), false);
        check::<Language>("a".repeat(35), true);
        check::<Language>("a".repeat(36), false);
        check::<Theme>("a".repeat(128), true);
        check::<Theme>("a".repeat(129), false);
        check::<UserTitle>("a".repeat(256), false);
        check::<DisplayName>("a".repeat(256), false);
    }

    #[test]
    fn serde_refuses_invalid_values() {
        let ok: Title = serde_json::from_str("\"Team\"").unwrap();
        assert_eq!(ok.as_str(), "Team");
        assert_eq!(serde_json::to_string(&ok).unwrap(), "\"Team\"");
        let long = format!("\"{}\"", "x".repeat(256));
        assert!(serde_json::from_str::<Title>(&long).is_err());
    }

    #[test]
    fn errors_name_the_limit() {
        let err = Title::try_from("x".repeat(300)).unwrap_err();
        assert_eq!(
            err,
            TextError::TooLong {
                type_name: "Title",
                max: 255,
                len: 300
            }
        );
    }

    #[test]
    fn display_name_from_claims() {
        let check = |nick: Option<&str>, given: &str, family: &str, want: &str| {
            assert_eq!(DisplayName::from_claims(nick, given, family).as_str(), want);
        };
        check(Some("Ali"), "Alice", "Adams", "Ali");
        check(None, "Alice", "Adams", "Alice Adams");
        check(Some("  "), "Alice", "Adams", "Alice Adams");
        check(None, " Alice \t", "  van   Adams ", "Alice van Adams");
        let long = DisplayName::from_claims(Some(&"ä".repeat(200)), "", "");
        assert_eq!(long.as_str().len(), 254);
        assert!(long.as_str().chars().all(|c| c == 'ä'));
    }

    #[test]
    fn truncate_respects_char_boundaries() {
        assert_eq!(truncate_bytes("abc", 5), "abc");
        assert_eq!(truncate_bytes("abc", 2), "ab");
        assert_eq!(truncate_bytes("aä", 2), "a");
        assert_eq!(truncate_bytes("", 0), "");
    }
}
