//! Boilerplate for string newtypes and wire enums.

/// A validated string newtype: `parse`, `as_str`, `FromStr`, `TryFrom<&str>`, `TryFrom<String>`,
/// `Display`, `AsRef<str>`, and serde as a plain string (deserializing validates).
///
/// `$check` is a `fn(&str) -> Result<(), &'static str>` returning the broken rule.
macro_rules! string_id {
    ($(#[$meta:meta])* $name:ident, $what:literal, $check:path) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            #[doc = concat!("Parses a ", $what, ", or says which rule it breaks.")]
            pub fn parse(s: &str) -> Result<$name, $crate::ParseError> {
                match $check(s) {
                    Ok(()) => Ok($name(s.to_owned())),
                    Err(rule) => Err($crate::ParseError::new($what, s, rule)),
                }
            }

            #[doc = concat!("The ", $what, " as a string.")]
            pub fn as_str(&self) -> &str {
                &self.0
            }

            #[doc = concat!("The ", $what, " as an owned string.")]
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::ParseError;
            fn from_str(s: &str) -> Result<$name, $crate::ParseError> {
                $name::parse(s)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = $crate::ParseError;
            fn try_from(s: &str) -> Result<$name, $crate::ParseError> {
                $name::parse(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::ParseError;
            fn try_from(s: String) -> Result<$name, $crate::ParseError> {
                match $check(&s) {
                    Ok(()) => Ok($name(s)),
                    Err(rule) => Err($crate::ParseError::new($what, &s, rule)),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                let s = String::deserialize(d)?;
                $name::try_from(s).map_err(::serde::de::Error::custom)
            }
        }
    };
}

/// A closed set of wire strings: serde with AWS's spellings, `as_str`, `ALL`, `Display` and a
/// `FromStr` whose error lists the accepted values.
macro_rules! wire_enum {
    (
        $(#[$meta:meta])* $name:ident, $what:literal {
            $($(#[$vmeta:meta])* $variant:ident = $wire:literal,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord,
            ::serde::Serialize, ::serde::Deserialize,
        )]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $wire)] $variant,)+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value as AWS spells it on the wire.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $wire,)+
                }
            }

            #[doc = concat!("Parses a ", $what, " from its wire spelling.")]
            pub fn parse(s: &str) -> Result<$name, $crate::ParseError> {
                match s {
                    $($wire => Ok($name::$variant),)+
                    _ => Err($crate::ParseError::new(
                        $what,
                        s,
                        format!(
                            "must be one of {}",
                            [$(concat!("`", $wire, "`")),+].join(", ")
                        ),
                    )),
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::ParseError;
            fn from_str(s: &str) -> Result<$name, $crate::ParseError> {
                $name::parse(s)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = $crate::ParseError;
            fn try_from(s: &str) -> Result<$name, $crate::ParseError> {
                $name::parse(s)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
