//! Read-only accessors the playground page needs to draw the network.

use js_sys::Uint32Array;
use wasm_bindgen::prelude::*;

use crate::convert::js_error;
use crate::network::Network;

#[wasm_bindgen]
impl Network {
    /// For each neuron of weight layer `layer`, the indices of its `k` incoming connections
    /// with the largest |weight|, strongest first: an `outputs × min(k, inputs)` Uint32Array.
    /// Wide layers draw only these so that the picture stays readable.
    #[wasm_bindgen(js_name = strongestInputs)]
    pub fn strongest_inputs(&self, layer: usize, k: usize) -> Result<Uint32Array, JsValue> {
        let layers = self.net.layers();
        let layer = layers.get(layer).ok_or_else(|| {
            js_error(backprop_core::Error::input(format!(
                "weight layer {layer} does not exist; the network has {}",
                layers.len()
            )))
        })?;
        let k = k.min(layer.inputs);
        let mut strongest = Vec::with_capacity(layer.outputs * k);
        for row in layer.weights.chunks_exact(layer.inputs) {
            strongest.extend(backprop_probe::strongest(row, k));
        }
        Ok(Uint32Array::from(strongest.as_slice()))
    }
}
