//! Conversions between the core's types and JavaScript values.

use backprop_core::json::{Read, Reader, Writer};
use backprop_core::{Error, ErrorKind};
use js_sys::{Array, Float32Array};
use wasm_bindgen::JsValue;

/// A core error as a JS `Error` named after its category.
pub fn js_error(e: Error) -> JsValue {
    let err = js_sys::Error::new(&e.message);
    err.set_name(match e.kind {
        ErrorKind::Config => "ConfigError",
        ErrorKind::Model => "ModelError",
        ErrorKind::Dataset => "DatasetError",
        ErrorKind::Input => "InputError",
        ErrorKind::Diverged => "DivergedError",
    });
    err.into()
}

/// Builds a plain JS object from (key, value) pairs.
pub fn object(entries: &[(&str, JsValue)]) -> JsValue {
    let obj = js_sys::Object::new();
    for (key, value) in entries {
        // Setting a property on a fresh plain object cannot fail.
        let _ = js_sys::Reflect::set(&obj, &JsValue::from_str(key), value);
    }
    obj.into()
}

/// One Float32Array per buffer (copies).
pub fn float_arrays(buffers: &[Vec<f32>]) -> Array {
    buffers
        .iter()
        .map(|b| JsValue::from(Float32Array::from(b.as_slice())))
        .collect()
}

/// A new Float32Array holding `parts` one after another, `length` values in all, copied
/// straight from wasm memory.
pub fn concatenated<'a>(parts: impl Iterator<Item = &'a [f32]>, length: usize) -> Float32Array {
    let out = Float32Array::new_with_length(length as u32);
    write_concatenated(parts, &out);
    out
}

/// Writes `parts` one after another into `out`, which holds exactly their total length.
pub fn write_concatenated<'a>(parts: impl Iterator<Item = &'a [f32]>, out: &Float32Array) {
    let mut start = 0;
    for part in parts {
        let end = start + part.len() as u32;
        out.subarray(start, end).copy_from(part);
        start = end;
    }
}

/// Reads a JS value with one of the core's JSON readers, after the browser's `JSON.stringify`
/// (which leaves out `undefined` fields and writes NaN as `null`). The message names the bad
/// field, e.g. "invalid network options: training.learningRate: expected a number, found a
/// string".
pub fn read_js<T>(
    value: &JsValue,
    what: &str,
    read: impl FnOnce(&mut Reader) -> Read<T>,
) -> Result<T, JsValue> {
    let invalid = |message: &str| js_error(Error::config(format!("invalid {what}: {message}")));
    let text = js_sys::JSON::stringify(value)
        .ok()
        .and_then(|text| JsValue::from(text).as_string())
        .ok_or_else(|| invalid("it has no JSON form"))?;
    Reader::document(&text, read).map_err(|e| invalid(&e.message))
}

/// A JS value from JSON that `write` writes with the core's writer, through `JSON.parse`.
pub fn write_js(write: impl FnOnce(&mut Writer)) -> Result<JsValue, JsValue> {
    let mut writer = Writer::new();
    write(&mut writer);
    js_sys::JSON::parse(&writer.finish())
}
