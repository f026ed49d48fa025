//! The one definition of an open string enum, used by every enum of the
//! crate whose values the server may extend: the generated wire enums
//! (`codegen`'s post-pass emits `open_enum!` invocations), [`crate::ErrorCode`]
//! and [`crate::webhook::ExaminationResult`].
//!
//! An open enum has one variant per documented value and `Unknown(String)`
//! for anything else, is `#[non_exhaustive]`, and converts to and from its
//! wire string without ever failing: a value the vendor adds later reaches
//! the caller instead of failing a whole response.

/// Declares an open enum: the variants with their wire strings, then the
/// documentation of its `Unknown(String)` variant.
///
/// ```ignore
/// open_enum! {
///     /// How a thing is sent.
///     pub enum Delivery {
///         /// By email.
///         Email => "email",
///         /// By post.
///         Posting => "posting",
///     }
///     unknown = "A method this version of the SDK does not know, as received.";
/// }
/// ```
///
/// It derives `Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd` and
/// implements `KNOWN`, `as_str`, `is_known`, `Display`, `From<&str>`,
/// `From<String>`, an infallible `FromStr`, and serde through the wire
/// string (decoding a known value allocates nothing).
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $($(#[$vmeta:meta])* $variant:ident => $wire:literal,)*
        }
        unknown = $unknown:literal;
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
        #[non_exhaustive]
        $vis enum $name {
            $($(#[$vmeta])* $variant,)*
            #[doc = $unknown]
            Unknown(::std::string::String),
        }

        impl $name {
            /// Every value this version of the SDK knows, in the documented order.
            pub const KNOWN: &'static [Self] = &[$(Self::$variant,)*];

            /// The wire string; for `Unknown`, the string it holds.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::Unknown(value) => value.as_str(),
                }
            }

            /// Whether the value is one this version of the SDK knows (not `Unknown`).
            #[must_use]
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Unknown(_))
            }

            fn from_known(value: &str) -> ::std::option::Option<Self> {
                match value {
                    $($wire => ::std::option::Option::Some(Self::$variant),)*
                    _ => ::std::option::Option::None,
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::from_known(value).unwrap_or_else(|| Self::Unknown(value.to_owned()))
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                Self::from_known(&value).unwrap_or(Self::Unknown(value))
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            /// Never fails: a string the SDK does not know becomes `Unknown`.
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                struct Visitor;

                impl ::serde::de::Visitor<'_> for Visitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("a ", stringify!($name), " string"))
                    }

                    fn visit_str<E: ::serde::de::Error>(
                        self,
                        value: &str,
                    ) -> ::std::result::Result<$name, E> {
                        Ok($name::from(value))
                    }

                    fn visit_string<E: ::serde::de::Error>(
                        self,
                        value: ::std::string::String,
                    ) -> ::std::result::Result<$name, E> {
                        Ok($name::from(value))
                    }
                }

                deserializer.deserialize_str(Visitor)
            }
        }
    };
}

pub(crate) use open_enum;
