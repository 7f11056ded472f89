//! JSON without serde, for model files, training plans and every value that crosses into
//! JavaScript: a pull [`Reader`] that reads straight into the core's types and names the path of
//! a bad value (`layers[1].weights[3]`), and a compact [`Writer`]. Numbers keep their text until
//! a caller asks for an `f32` or a whole number, so both are read exactly.
//!
//! Why not serde: serde_json and serde-wasm-bindgen were 40% of the wasm, and the browser already
//! has `JSON.parse` and `JSON.stringify` for the JavaScript side of the boundary.

mod read;
mod write;

pub use read::{Read, ReadError, Reader};
pub use write::{write_f32, Writer};

/// A free-form JSON value (a model's metadata). A number is its JSON text, unchanged.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    /// The number nearest to an `f32`, written the way the writer writes weights.
    pub fn from_f32(value: f32) -> Json {
        let mut text = String::new();
        write_f32(value, &mut text);
        Json::Number(text)
    }

    pub fn from_integer(value: u64) -> Json {
        Json::Number(value.to_string())
    }

    /// A number's value as the nearest `f32`; None for anything else.
    pub fn as_f32(&self) -> Option<f32> {
        match self {
            Json::Number(text) => crate::decimal::parse_f32(text),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(text) => Some(text),
            _ => None,
        }
    }
}

/// The value of `key` in an object's fields.
pub fn field<'a>(fields: &'a [(String, Json)], key: &str) -> Option<&'a Json> {
    fields.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}
