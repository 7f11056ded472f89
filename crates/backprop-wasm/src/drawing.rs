//! `prepareDrawing`: a drawing on the pad as the network's 28×28 input, prepared as MNIST
//! prepared its digits (backprop-formats).

use js_sys::Float32Array;
use wasm_bindgen::prelude::*;

use crate::convert::js_error;

/// `ink` (alpha 0..1 of a `width × height` drawing, row-major) as a 784-value network input:
/// the ink's bounding box fitted into 20×20 keeping its aspect ratio (area-averaged), placed
/// in 28×28 with its centre of mass in the middle. `null` when nothing is drawn; ink of the
/// wrong length or outside 0..1 throws an `InputError`.
#[wasm_bindgen(js_name = prepareDrawing, unchecked_return_type = "Float32Array | null")]
pub fn prepare_drawing(ink: &[f32], width: usize, height: usize) -> Result<JsValue, JsValue> {
    let input = backprop_formats::prepare_drawing(ink, width, height).map_err(js_error)?;
    Ok(input.map_or(JsValue::NULL, |v| Float32Array::from(v.as_slice()).into()))
}
