//! The settings' enums by name (`leaky_relu`, `softmax_cross_entropy`), as model files, options
//! and settings text write them. One reader serves every enum: serde's derive would compile one
//! per enum and format, 4.6 KB more of the wasm.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};

/// A unit enum whose variants have names. `named!` implements it, with serde's traits.
pub trait Named: Copy + PartialEq + 'static {
    /// Every variant, in order, each beside its name in `NAMES`.
    const VARIANTS: &'static [Self];
    const NAMES: &'static [&'static str];

    fn name(self) -> &'static str {
        let i = Self::VARIANTS.iter().position(|v| *v == self);
        Self::NAMES[i.expect("every variant is listed")]
    }

    fn by_name(name: &str) -> Option<Self> {
        let i = Self::NAMES.iter().position(|n| *n == name)?;
        Some(Self::VARIANTS[i])
    }
}

/// Implements [`Named`], `Serialize` and `Deserialize` for a unit enum from its variants' names.
#[macro_export]
macro_rules! named {
    ($t:ident { $($variant:ident = $name:literal),+ $(,)? }) => {
        impl $crate::Named for $t {
            const VARIANTS: &'static [Self] = &[$($t::$variant),+];
            const NAMES: &'static [&'static str] = &[$($name),+];
        }
        impl ::serde::Serialize for $t {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str($crate::Named::name(*self))
            }
        }
        impl<'de> ::serde::Deserialize<'de> for $t {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                $crate::deserialize_named(d)
            }
        }
    };
}

/// A `T` read from its name, with serde's message for any other.
pub fn deserialize_named<'de, D: Deserializer<'de>, T: Named>(d: D) -> Result<T, D::Error> {
    d.deserialize_str(NameIn(T::NAMES)).map(|i| T::VARIANTS[i])
}

/// Reads a name as its index in the list.
struct NameIn(&'static [&'static str]);

impl Visitor<'_> for NameIn {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("one of ")?;
        for (i, name) in self.0.iter().enumerate() {
            write!(f, "{}`{name}`", if i == 0 { "" } else { ", " })?;
        }
        Ok(())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<usize, E> {
        let i = self.0.iter().position(|n| *n == v);
        i.ok_or_else(|| E::unknown_variant(v, self.0))
    }
}
