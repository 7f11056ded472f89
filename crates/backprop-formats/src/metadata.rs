//! Free-form notes in a model file (its name, how it was trained, its test accuracy): a JSON
//! object kept as its text, so that it is written back exactly as it was read, numbers
//! included. A key given twice, at any depth, is refused (serde_json's own `Value` would keep
//! the last one silently).

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::json;

#[derive(Clone, Debug)]
pub struct Metadata(Box<RawValue>);

impl Metadata {
    /// Notes from the text of a JSON object.
    pub fn from_json(text: &str) -> Result<Metadata, json::ReadError> {
        Metadata::from_part(json::read(text)?, text)
    }

    /// Notes from `raw`, a value read from the document `text`; a message names the place in
    /// `text`.
    pub(crate) fn from_part(raw: &RawValue, text: &str) -> Result<Metadata, json::ReadError> {
        let offset = raw.get().as_ptr() as usize - text.as_ptr() as usize;
        json::read::<UniqueKeys>(raw.get()).map_err(|e| e.within(text, offset))?;
        Ok(Metadata(raw.to_owned()))
    }

    /// Notes written from `notes`, which must serialize to an object.
    pub fn new(notes: &impl Serialize) -> Result<Metadata, json::ReadError> {
        let text = serde_json::to_string(notes).map_err(|e| json::ReadError {
            path: String::new(),
            message: e.to_string(),
            position: None,
        })?;
        Metadata::from_json(&text)
    }

    /// The notes' fields.
    pub fn fields(&self) -> Map<String, Value> {
        serde_json::from_str(self.0.get()).expect("metadata is checked to be an object")
    }

    pub fn is_empty(&self) -> bool {
        self.0.get() == "{}"
    }
}

fn empty() -> Box<RawValue> {
    RawValue::from_string("{}".into()).expect("{} is JSON")
}

impl Default for Metadata {
    fn default() -> Self {
        Metadata(empty())
    }
}

impl PartialEq for Metadata {
    fn eq(&self, other: &Self) -> bool {
        self.0.get() == other.0.get()
    }
}

impl Serialize for Metadata {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

/// An object whose keys, at every depth, appear once; nothing is kept.
struct UniqueKeys;

impl<'de> Deserialize<'de> for UniqueKeys {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(Checker { object: true })
    }
}

/// Any value whose objects' keys appear once; nothing is kept.
struct Unique;

impl<'de> Deserialize<'de> for Unique {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(Checker { object: false })?;
        Ok(Unique)
    }
}

struct Checker {
    /// True where only an object will do.
    object: bool,
}

impl<'de> Visitor<'de> for Checker {
    type Value = UniqueKeys;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(if self.object {
            "an object"
        } else {
            "a JSON value"
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<UniqueKeys, A::Error> {
        let mut keys = std::collections::BTreeSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if keys.contains(&key) {
                let shown = crate::echo::echo(&key, 40);
                return Err(de::Error::custom(format!(
                    "the key \"{shown}\" appears twice"
                )));
            }
            map.next_value::<Unique>()?;
            keys.insert(key);
        }
        Ok(UniqueKeys)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<UniqueKeys, A::Error> {
        while seq.next_element::<Unique>()?.is_some() {}
        Ok(UniqueKeys)
    }

    fn visit_bool<E>(self, _: bool) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_i64<E>(self, _: i64) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_u64<E>(self, _: u64) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_f64<E>(self, _: f64) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_str<E>(self, _: &str) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_unit<E>(self) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }
}
