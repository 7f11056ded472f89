//! Models saved as versioned JSON: architecture, training settings, weights and metadata.
//! Loading checks everything and explains the first problem it finds; it never panics.

use std::fmt;

use backprop_core::{Error, Layer, Network, NetworkConfig, Result, TrainingConfig};
use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::Number;

use crate::json;
use crate::metadata::Metadata;

pub const MODEL_FORMAT: &str = "backprop-lab-model";
pub const MODEL_VERSION: u64 = 1;
/// Largest model file accepted: the biggest allowed network written out is well under this.
pub const MAX_MODEL_BYTES: usize = 100 * 1024 * 1024;

/// A network with the settings it trains with and free-form notes (e.g. its test accuracy).
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    pub network: Network,
    pub training: TrainingConfig,
    pub metadata: Metadata,
}

/// A model file as written.
#[derive(Serialize)]
struct Written<'a> {
    format: &'static str,
    version: u64,
    network: &'a NetworkConfig,
    training: &'a TrainingConfig,
    layers: &'a [Layer],
    #[serde(skip_serializing_if = "Metadata::is_empty")]
    metadata: &'a Metadata,
}

/// A model file as read; `format` and `version` are checked once it is read.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Read<'a> {
    #[serde(default)]
    format: HeaderField,
    #[serde(default)]
    version: HeaderField,
    #[serde(deserialize_with = "json::object")]
    network: NetworkConfig,
    #[serde(deserialize_with = "json::object")]
    training: TrainingConfig,
    #[serde(deserialize_with = "json::objects")]
    layers: Vec<Layer>,
    #[serde(borrow, default)]
    metadata: Option<&'a RawValue>,
}

/// The fields that say whether a file that could not be read is a model of ours at all.
#[derive(Deserialize)]
struct Header {
    #[serde(default)]
    format: HeaderField,
    #[serde(default)]
    version: HeaderField,
}

/// `format` or `version` as read: a string, a number, or something else (which is not a
/// model of ours, said once the file is read). Not serde_json's `Value`, whose deserializer
/// and maps the wasm would carry for these two fields alone.
#[derive(Default)]
enum HeaderField {
    #[default]
    Other,
    Text(String),
    Number(Number),
}

impl<'de> Deserialize<'de> for HeaderField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        deserializer.deserialize_any(HeaderVisitor)
    }
}

struct HeaderVisitor;

impl<'de> Visitor<'de> for HeaderVisitor {
    type Value = HeaderField;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_str<E>(self, text: &str) -> std::result::Result<HeaderField, E> {
        Ok(HeaderField::Text(text.into()))
    }

    fn visit_u64<E>(self, n: u64) -> std::result::Result<HeaderField, E> {
        Ok(HeaderField::Number(n.into()))
    }

    fn visit_i64<E>(self, n: i64) -> std::result::Result<HeaderField, E> {
        Ok(HeaderField::Number(n.into()))
    }

    fn visit_f64<E>(self, n: f64) -> std::result::Result<HeaderField, E> {
        Ok(Number::from_f64(n).map_or(HeaderField::Other, HeaderField::Number))
    }

    fn visit_bool<E>(self, _: bool) -> std::result::Result<HeaderField, E> {
        Ok(HeaderField::Other)
    }

    fn visit_unit<E>(self) -> std::result::Result<HeaderField, E> {
        Ok(HeaderField::Other)
    }

    fn visit_seq<A: SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<HeaderField, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(HeaderField::Other)
    }

    fn visit_map<A: MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<HeaderField, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(HeaderField::Other)
    }
}

impl Model {
    /// The model as JSON. A network with a NaN or infinite weight is refused: it could not be
    /// loaded back, and nobody should share a broken model by accident.
    pub fn to_json(&self) -> Result<String> {
        if !self.network.is_finite() {
            return Err(Error::model(
                "the network has NaN or infinite weights (training diverged); it was not saved",
            ));
        }
        let written = Written {
            format: MODEL_FORMAT,
            version: MODEL_VERSION,
            network: self.network.config(),
            training: &self.training,
            layers: self.network.layers(),
            metadata: &self.metadata,
        };
        serde_json::to_string(&written).map_err(|e| Error::model(e.to_string()))
    }

    /// Reads a model file from its bytes as fetched or read from disk: UTF-8 text, a byte order
    /// mark allowed (as browsers' text decoding allows it), then as `from_json`.
    pub fn from_json_bytes(bytes: &[u8]) -> Result<Model> {
        check_size(bytes.len())?;
        let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
        let text = std::str::from_utf8(bytes).map_err(|e| {
            Error::model(format!(
                "the model file is not UTF-8 text: byte {} is not part of a character",
                e.valid_up_to()
            ))
        })?;
        Model::from_json(text)
    }

    /// Reads a model file in one pass. Only when that fails is the text looked at again, to
    /// say first whether it is JSON at all and a model of this format and version.
    pub fn from_json(text: &str) -> Result<Model> {
        check_size(text.len())?;
        let file: Read = json::read(text).map_err(|e| diagnose(text, e))?;
        check_header(&file.format, &file.version)?;
        file.training
            .validate()
            .map_err(|e| Error::model(format!("training settings: {}", e.message)))?;
        let metadata = match file.metadata {
            Some(raw) => Metadata::from_part(raw, text).map_err(|e| {
                Error::model(format!(
                    "the model file is malformed: {}",
                    e.under("metadata")
                ))
            })?,
            None => Metadata::default(),
        };
        let network = Network::from_layers(file.network, file.layers)?;
        Ok(Model {
            network,
            training: file.training,
            metadata,
        })
    }
}

fn check_size(bytes: usize) -> Result<()> {
    if bytes > MAX_MODEL_BYTES {
        return Err(Error::model(format!(
            "the model file is larger than {} MB, the limit",
            MAX_MODEL_BYTES / (1024 * 1024)
        )));
    }
    Ok(())
}

/// Why a model file could not be read: not JSON, not an object, not a model of this format
/// and version, or else `malformed`, the message of the failed read.
fn diagnose(text: &str, malformed: json::ReadError) -> Error {
    if let Err(e) = serde_json::from_str::<IgnoredAny>(text) {
        return Error::model(format!("the model file is not valid JSON: {e}"));
    }
    // Valid JSON, so only JSON white space can come before the value.
    if !text.trim_start().starts_with('{') {
        return Error::model("the model file must hold a JSON object");
    }
    if let Ok(header) = serde_json::from_str::<Header>(text) {
        if let Err(e) = check_header(&header.format, &header.version) {
            return e;
        }
    }
    Error::model(format!("the model file is malformed: {malformed}"))
}

fn check_header(format: &HeaderField, version: &HeaderField) -> Result<()> {
    if !matches!(format, HeaderField::Text(f) if f == MODEL_FORMAT) {
        return Err(Error::model(format!(
            "not a backprop-lab model: \"format\" must be \"{MODEL_FORMAT}\""
        )));
    }
    match version {
        HeaderField::Number(v) if v.as_u64() == Some(MODEL_VERSION) => Ok(()),
        HeaderField::Number(v) => Err(Error::model(format!(
            "model version {v} is not supported; this version of backprop-lab reads version {MODEL_VERSION}"
        ))),
        _ => Err(Error::model("the model file has no numeric \"version\"")),
    }
}
