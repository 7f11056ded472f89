//! Reading JSON documents with serde_json, with messages that say where: the path of a bad
//! value (`layers[1].weights[3]`, see `path`) and serde_json's line and column.
//! Nesting deeper than serde_json's limit of 128 levels is refused.
//!
//! Structs are read from JSON objects only: serde's derived structs would also take an array
//! of their fields in order, so that `"network": []` would quietly mean the default network.

mod path;

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;

/// Why a document could not be read, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadError {
    /// The path of the value at fault, e.g. `layers[1].weights[3]`; empty for the document.
    pub path: String,
    /// serde_json's message.
    pub message: String,
    /// The line and column (in bytes) where serde_json stopped, if it says.
    pub position: Option<(usize, usize)>,
}

impl ReadError {
    fn new(text: &str, error: serde_json::Error) -> ReadError {
        let position = (error.line() > 0).then(|| (error.line(), error.column()));
        let mut message = error.to_string();
        if let Some((line, column)) = position {
            let at = format!(" at line {line} column {column}");
            if let Some(bare) = message.strip_suffix(&at) {
                message = bare.to_string();
            }
        }
        ReadError {
            path: path::path_at(text, &error, &message),
            message,
            position,
        }
    }

    /// This error of a value, as an error of the document that holds the value at `path`.
    pub fn under(self, path: &str) -> ReadError {
        let path = match (path, self.path.as_str()) {
            (outer, "") => outer.to_string(),
            ("", inner) => inner.to_string(),
            (outer, inner) if inner.starts_with('[') => format!("{outer}{inner}"),
            (outer, inner) => format!("{outer}.{inner}"),
        };
        ReadError { path, ..self }
    }

    /// This error of a document that lies in a larger one at byte `offset`, as an error of
    /// the larger one, `text`.
    pub fn within(self, text: &str, offset: usize) -> ReadError {
        let position = self.position.map(|(line, column)| {
            let at = offset + path::offset(&text[offset..], line, column);
            let line_start = text[..at].rfind('\n').map_or(0, |newline| newline + 1);
            (
                1 + text[..line_start].matches('\n').count(),
                at - line_start,
            )
        });
        ReadError { position, ..self }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        f.write_str(&self.message)?;
        match self.position {
            Some((line, column)) => write!(f, " at line {line} column {column}"),
            None => Ok(()),
        }
    }
}

/// Reads one whole document as a `T`; nothing but white space may follow it.
pub fn read<'a, T: Deserialize<'a>>(text: &'a str) -> Result<T, ReadError> {
    let mut document = serde_json::Deserializer::from_str(text);
    let value = T::deserialize(ObjectOnly(&mut document)).map_err(|e| ReadError::new(text, e))?;
    document.end().map_err(|e| ReadError::new(text, e))?;
    Ok(value)
}

/// A struct field read from a JSON object only; for `#[serde(deserialize_with = "object")]`.
pub fn object<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    T::deserialize(ObjectOnly(deserializer))
}

/// An array of structs each read from a JSON object only.
pub fn objects<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Vec<T>, D::Error> {
    deserializer.deserialize_seq(Objects(std::marker::PhantomData))
}

struct Objects<T>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for Objects<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Vec<T>, A::Error> {
        let mut values = Vec::new();
        while let Some(value) = items.next_element_seed(ObjectSeed(std::marker::PhantomData))? {
            values.push(value);
        }
        Ok(values)
    }
}

struct ObjectSeed<T>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for ObjectSeed<T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        object(deserializer)
    }
}

/// A deserializer that reads a struct as a map, never as a sequence; all else as `D` does.
struct ObjectOnly<D>(D);

impl<'de, D: Deserializer<'de>> Deserializer<'de> for ObjectOnly<D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_option(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_newtype_struct(name, visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_enum(name, variants, visitor)
    }

    // What serde_json does for each of these anyway.
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct tuple tuple_struct identifier ignored_any
    }
}
