//! Module and feature ids (schema.md §9.2; rules.md §8.3, §8.6).
//!
//! Ids are 1–255 characters from `[-_0-9a-zA-Z]` (the OpenAPI `ModuleId`
//! and `FeatureId`). A disabled feature is stored as `module::feature`; a
//! bare feature name means module `core`. Conclave's admin tooling writes
//! stricter values (lower-case letters, digits and underscore, and features
//! always qualified), adopting upstream's later database trigger.

use std::fmt;

/// The module that owns bare feature names.
pub const CORE_MODULE: &str = "core";

/// An id is empty, too long or has a character outside `[-_0-9a-zA-Z]`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid module or feature id {0:?}")]
pub struct InvalidId(pub String);

fn is_id(s: &str) -> bool {
    (1..=255).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Upstream's later trigger: lower-case letters, digits and underscore.
fn is_strict_id(s: &str) -> bool {
    is_id(s)
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
        )]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// The id text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = InvalidId;

            fn try_from(value: String) -> Result<Self, Self::Error> {
                if is_id(&value) { Ok(Self(value)) } else { Err(InvalidId(value)) }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = InvalidId;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::try_from(s.to_owned())
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id_type!(
    /// A module id such as `core`, `chat` or `whiteboard`.
    ModuleId
);
id_type!(
    /// A feature id within a module, such as `call_in`.
    FeatureId
);

impl ModuleId {
    /// The `core` module.
    pub fn core() -> Self {
        Self(CORE_MODULE.to_owned())
    }
}

/// A feature together with its module: `module::feature`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct QualifiedFeature {
    /// The module.
    pub module: ModuleId,
    /// The feature.
    pub feature: FeatureId,
}

impl QualifiedFeature {
    /// `core::call_in`, the only feature the server enforces itself.
    pub fn call_in() -> Self {
        Self {
            module: ModuleId::core(),
            feature: FeatureId("call_in".to_owned()),
        }
    }
}

impl std::str::FromStr for QualifiedFeature {
    type Err = InvalidId;

    /// Reads `module::feature`, or a bare `feature` of module `core`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (module, feature) = s.split_once("::").unwrap_or((CORE_MODULE, s));
        let bad = || InvalidId(s.to_owned());
        Ok(Self {
            module: module.parse().map_err(|_| bad())?,
            feature: feature.parse().map_err(|_| bad())?,
        })
    }
}

impl fmt::Display for QualifiedFeature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}::{}", self.module, self.feature)
    }
}

/// Reads a stored `disabled_features` array leniently: NULL entries and
/// entries that are not valid ids are skipped (they cannot name a feature).
pub fn read_disabled_features<S: AsRef<str>>(stored: &[Option<S>]) -> Vec<QualifiedFeature> {
    stored
        .iter()
        .flatten()
        .filter_map(|s| s.as_ref().parse().ok())
        .collect()
}

/// Reads a stored `disabled_modules` array leniently, like
/// [`read_disabled_features`].
pub fn read_disabled_modules<S: AsRef<str>>(stored: &[Option<S>]) -> Vec<ModuleId> {
    stored
        .iter()
        .flatten()
        .filter_map(|s| s.as_ref().parse().ok())
        .collect()
}

/// A module id that may be written to a tariff: `[a-z0-9_]+`, at most 255.
pub fn strict_module(s: &str) -> Result<ModuleId, InvalidId> {
    if is_strict_id(s) {
        Ok(ModuleId(s.to_owned()))
    } else {
        Err(InvalidId(s.to_owned()))
    }
}

/// A feature that may be written to a tariff: `module::feature`, both parts
/// strict ids. Bare names are refused when writing.
pub fn strict_feature(s: &str) -> Result<QualifiedFeature, InvalidId> {
    let bad = || InvalidId(s.to_owned());
    let (module, feature) = s.split_once("::").ok_or_else(bad)?;
    if !is_strict_id(feature) {
        return Err(bad());
    }
    Ok(QualifiedFeature {
        module: strict_module(module).map_err(|_| bad())?,
        feature: FeatureId(feature.to_owned()),
    })
}
