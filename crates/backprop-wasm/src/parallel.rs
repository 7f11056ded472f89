//! Data-parallel training: each worker's replica computes the gradient of its shard of a
//! mini-batch, and every replica applies the same combined gradient, so they stay identical.
//! `www/js/parallel-trainer.js` coordinates the workers.

use js_sys::Float32Array;
use wasm_bindgen::prelude::*;

use crate::convert::{js_error, write_concatenated};
use crate::network::Network;

#[wasm_bindgen]
impl Network {
    /// The number of weights and biases: the length of a flat gradient.
    #[wasm_bindgen(getter, js_name = parameterCount)]
    pub fn parameter_count(&self) -> u32 {
        self.net.config().parameter_count() as u32
    }

    /// The gradient of a batch's mean loss, written flat into `out` (`parameterCount` values:
    /// for each weight layer from the input side, its weights, `outputs × inputs` row-major,
    /// then its biases), straight from wasm memory: `out` may be a view of a
    /// SharedArrayBuffer. Changes no weights; returns the batch's mean loss. An `out` of the
    /// wrong length throws an `InputError`, a NaN or infinite loss a `DivergedError`.
    #[wasm_bindgen(js_name = batchGradient)]
    pub fn batch_gradient(
        &mut self,
        inputs: &[f32],
        labels: &[u8],
        out: &Float32Array,
    ) -> Result<f32, JsValue> {
        let size = self.net.config().parameter_count();
        if out.length() as usize != size {
            return Err(js_error(backprop_core::Error::input(format!(
                "the gradient has {size} values but the buffer holds {}",
                out.length()
            ))));
        }
        let loss = self
            .trainer
            .compute_gradient(&self.net, inputs, labels)
            .map_err(js_error)?;
        write_concatenated(self.trainer.gradient_parts(), out);
        Ok(loss)
    }

    /// One optimiser update with the weighted mean of flat gradients in `batchGradient`'s
    /// layout, laid out one after another in `gradients`: `Σₖ shares[k] · gradientₖ`, e.g.
    /// every worker's shard gradient weighted by its share of the batch's examples. Every
    /// replica that applies the same gradients and shares gets the same weights. Sizes that do
    /// not fit throw an `InputError` and a non-finite value a `DivergedError`, before anything
    /// changes; weights that the update made non-finite throw a `DivergedError` after it.
    #[wasm_bindgen(js_name = applyMeanGradient)]
    pub fn apply_mean_gradient(
        &mut self,
        gradients: &[f32],
        shares: &[f32],
    ) -> Result<(), JsValue> {
        self.trainer
            .apply_mean_gradient(&mut self.net, gradients, shares)
            .map_err(js_error)
    }
}
