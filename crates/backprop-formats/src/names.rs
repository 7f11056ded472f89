//! The names serde gives the core's enums (`leaky_relu`, `softmax_cross_entropy`), for text
//! that uses the same names as JSON: settings text reads and writes them.

use serde::de::{self, DeserializeOwned, Visitor};
use serde::Serialize;

/// The variant named `name`, if there is one: read as the JSON string `"name"` by
/// serde_json, whose code for the enums the model files need anyway. Only names are read:
/// nothing that would need (or could hide behind) an escape.
pub(crate) fn by_name<T: DeserializeOwned>(name: &str) -> Option<T> {
    if !name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
        return None;
    }
    serde_json::from_str(&format!("\"{name}\"")).ok()
}

/// The name of a unit variant.
pub(crate) fn name_of<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        _ => unreachable!("the core's enums serialize to their names"),
    }
}

/// The names of all of `T`'s variants, in order: what its derived `Deserialize` hands the
/// deserializer it asks for an enum.
pub(crate) fn names_of<T: DeserializeOwned>() -> &'static [&'static str] {
    let mut names = Names(&[]);
    let _ = T::deserialize(&mut names);
    names.0
}

/// A deserializer that only keeps the variant names it is given.
struct Names(&'static [&'static str]);

impl<'de> de::Deserializer<'de> for &mut Names {
    type Error = serde_json::Error;

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, serde_json::Error> {
        self.0 = variants;
        Err(de::Error::custom("only the names were wanted"))
    }

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, serde_json::Error> {
        Err(de::Error::custom("not an enum"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct identifier
        ignored_any
    }
}
