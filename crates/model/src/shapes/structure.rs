//! Structures are maps on the wire, never arrays.
//!
//! serde's derived `Deserialize` for a struct also takes a sequence of its members in order
//! (`[null, "name", ...]`), which no AWS protocol sends: AWS JSON 1.1 and Smithy RPC v2 CBOR put
//! a structure as a map of member names. [`deserialize_structure`] asks the format for a map, so
//! an array (or any other value) where a structure belongs is a type error the server answers
//! as `SerializationException`. Request inputs are read through it, and the nested structures
//! of inputs (`Tag`, `OrganizationNode`) through `map_only_structure!`.

use std::marker::PhantomData;

use serde::de::value::MapAccessDeserializer;
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};

/// Reads a `T` (a derived struct) from `deserializer`, which must hold a map.
pub fn deserialize_structure<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    deserializer.deserialize_map(MapOnly(PhantomData))
}

/// A `T` read with [`deserialize_structure`]: what a request body is decoded as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Structure<T>(pub T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Structure<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Structure<T>, D::Error> {
        deserialize_structure(deserializer).map(Structure)
    }
}

/// Reads a `T` from the map a format hands it, and nothing else.
struct MapOnly<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for MapOnly<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a structure (an object of member names)")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map))
    }
}

/// For a struct deriving `Serialize` and `Deserialize` with `#[serde(remote = "Self")]`: the
/// trait impls, deserializing only from a map ([`deserialize_structure`]).
macro_rules! map_only_structure {
    ($name:ident) => {
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                $name::serialize(self, serializer)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<$name, D::Error> {
                /// The derived (remote) implementation, as a type.
                struct Derived($name);
                impl<'de> serde::Deserialize<'de> for Derived {
                    fn deserialize<D: serde::Deserializer<'de>>(
                        deserializer: D,
                    ) -> Result<Derived, D::Error> {
                        $name::deserialize(deserializer).map(Derived)
                    }
                }
                $crate::shapes::structure::deserialize_structure::<D, Derived>(deserializer)
                    .map(|derived| derived.0)
            }
        }
    };
}
