//! The network's weights and biases as one flat array: how the training worker sends the page
//! a compact copy of the network several times a second, instead of a model file to parse.

use js_sys::Float32Array;
use wasm_bindgen::prelude::*;

use crate::convert::{concatenated, js_error};
use crate::network::Network;

#[wasm_bindgen]
impl Network {
    /// The number of weights and biases: the length of `parameters()`.
    #[wasm_bindgen(getter, js_name = parameterCount)]
    pub fn parameter_count(&self) -> u32 {
        self.net.config().parameter_count() as u32
    }

    /// Every weight and bias: for each weight layer from the input side, its weights
    /// (`outputs × inputs`, row-major) then its biases.
    pub fn parameters(&self) -> Float32Array {
        let count = self.net.config().parameter_count();
        concatenated(self.net.parameter_parts(), count)
    }

    /// Replaces every weight and bias with values laid out as `parameters()` gives them, e.g.
    /// from a copy of this network in another thread. The wrong length or a NaN or infinite
    /// value throws an `InputError` and changes nothing.
    #[wasm_bindgen(js_name = setParameters)]
    pub fn set_parameters(&mut self, values: &[f32]) -> Result<(), JsValue> {
        self.net.set_parameters(values).map_err(js_error)
    }
}
