//! A small macro that gives the fieldless enums mirrored from SQL enum types a
//! stable textual form (the SQL label), shared by serde, `FromStr` and the
//! database mapping in `conclave-db`.

/// The text did not name a variant of the enum.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {type_name} value {value:?}")]
pub struct UnknownVariant {
    /// The enum's Rust name.
    pub type_name: &'static str,
    /// The text that was not recognised.
    pub value: String,
}

/// Declares a fieldless enum whose variants map one-to-one to SQL enum labels,
/// in the SQL declaration order.
#[macro_export]
macro_rules! sql_label_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $label:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
        )]
        $vis enum $name {
            $( $(#[$vmeta])* #[serde(rename = $label)] $variant ),+
        }

        impl $name {
            /// Every variant, in SQL declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The SQL label (and wire string) of this variant.
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::UnknownVariant;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($label => Ok($name::$variant),)+
                    other => Err($crate::UnknownVariant {
                        type_name: stringify!($name),
                        value: other.to_owned(),
                    }),
                }
            }
        }
    };
}
