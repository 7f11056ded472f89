//! Conversions that the page's two WebAssembly modules (backprop-wasm, loaded at start, and
//! backprop-probe-wasm, fetched when a probe is first used) share. It exports nothing to
//! JavaScript itself.

use backprop_core::{Error, ErrorKind};
use js_sys::Float32Array;
use serde::Serialize;
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

/// A result of the network's as a JS object (serde-wasm-bindgen): its typed arrays are passed
/// as they are.
pub fn result_to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value.serialize(&serializer).map_err(JsValue::from)
}

/// A new Float32Array holding `parts` one after another, `length` values in all, copied
/// straight from wasm memory.
pub fn concatenated<'a>(parts: impl Iterator<Item = &'a [f32]>, length: usize) -> Float32Array {
    let out = Float32Array::new_with_length(length as u32);
    let mut start = 0;
    for part in parts {
        let end = start + part.len() as u32;
        out.subarray(start, end).copy_from(part);
        start = end;
    }
    out
}
