//! Conversions between the core's types and JavaScript values. The network's results (traces,
//! gradients, evaluations) go out through serde-wasm-bindgen as plain objects of typed arrays,
//! each array copied once out of wasm memory. Options and settings cross as JSON text, read and
//! written by serde_json: the one deserializer the model files need anyway (reading them with
//! serde-wasm-bindgen, with the paths that messages name, would add 8 KB to the gzipped wasm),
//! and the only way an f32 reaches JavaScript as the decimal it was written as.

use backprop_core::Error;
use backprop_formats::json;
use js_sys::{Array, Float32Array};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsValue;

pub use backprop_js::{concatenated, js_error, result_to_js};

/// Reads a JS value as a `T`: the browser's `JSON.stringify` (which leaves out `undefined`
/// fields and writes NaN as `null`), then serde_json, as model files are read. A bad value is a
/// `ConfigError` that names it by its path under `at`, e.g. "invalid network options:
/// training.learningRate: invalid type: string "fast", expected f32".
pub fn from_js<T: DeserializeOwned>(value: JsValue, what: &str, at: &str) -> Result<T, JsValue> {
    read_js(value, what, at, |text| json::read(text))
}

/// Reads a JS value as `from_js` does, with `read` instead of `json::read`.
pub fn read_js<T>(
    value: JsValue,
    what: &str,
    at: &str,
    read: impl FnOnce(&str) -> Result<T, json::ReadError>,
) -> Result<T, JsValue> {
    let invalid = |message: &str| js_error(Error::config(format!("invalid {what}: {message}")));
    let text = js_sys::JSON::stringify(&value)
        .ok()
        .and_then(|text| JsValue::from(text).as_string())
        .ok_or_else(|| invalid("it has no JSON form"))?;
    read(&text).map_err(|e| {
        // Not the line and column in the stringified value, which nobody wrote or sees.
        let e = json::ReadError {
            position: None,
            ..e.under(at)
        };
        invalid(&e.to_string())
    })
}

/// `value` as a JS value through JSON text: serde_json, then the browser's `JSON.parse`. An f32
/// setting comes out as the number it was written as (a learning rate of 0.1 is `0.1`), where
/// serde-wasm-bindgen would give the f32's exact value, 0.10000000149011612.
pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value).map_err(|e| JsValue::from(e.to_string()))?;
    js_sys::JSON::parse(&text)
}

/// One Float32Array per buffer (copies).
pub fn float_arrays(buffers: &[Vec<f32>]) -> Array {
    buffers
        .iter()
        .map(|b| JsValue::from(Float32Array::from(b.as_slice())))
        .collect()
}
