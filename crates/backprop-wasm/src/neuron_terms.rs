//! A neuron's weighted sum term by term (backprop-probe), for the picture's description of a
//! neuron. The other probes are in backprop-probe-wasm, fetched when one is first used.

use js_sys::{Float32Array, Uint32Array};
use serde::Serialize;
use serde_wasm_bindgen::preserve;
use wasm_bindgen::prelude::*;

use crate::convert::{js_error, result_to_js};
use crate::network::Network;

/// `neuronTerms`: the largest terms of a weighted sum, the rest summed.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NeuronTerms {
    #[serde(with = "preserve")]
    indices: Uint32Array,
    #[serde(with = "preserve")]
    weights: Float32Array,
    #[serde(with = "preserve")]
    inputs: Float32Array,
    #[serde(with = "preserve")]
    terms: Float32Array,
    rest: f64,
    rest_count: u32,
    bias: f32,
    z: f32,
    a: f32,
}

#[wasm_bindgen]
impl Network {
    /// The weighted sum z = Σᵢ wᵢ·aᵢ + b of neuron `neuron` of neuron layer `layer` (1 = the
    /// first hidden layer, up to the output layer) for `input`, with the numbers:
    /// `{ indices: Uint32Array, weights, inputs, terms: Float32Array, rest, restCount, bias, z,
    /// a }`. The `k` terms wᵢ·aᵢ largest in magnitude come first, largest first (`indices` are
    /// neurons of the layer below, `inputs` their activations aᵢ); `rest` is the sum of the
    /// other `restCount` terms; `z` is exactly the forward pass's and `a` = f(z). A layer or
    /// neuron that does not exist throws an `InputError`.
    #[wasm_bindgen(js_name = neuronTerms)]
    pub fn neuron_terms(
        &self,
        input: &[f32],
        layer: usize,
        neuron: usize,
        k: usize,
    ) -> Result<JsValue, JsValue> {
        let t =
            backprop_probe::neuron_terms(&self.net, input, layer, neuron, k).map_err(js_error)?;
        result_to_js(&NeuronTerms {
            indices: Uint32Array::from(t.indices.as_slice()),
            weights: Float32Array::from(t.weights.as_slice()),
            inputs: Float32Array::from(t.inputs.as_slice()),
            terms: Float32Array::from(t.terms.as_slice()),
            rest: t.rest,
            rest_count: t.rest_count as u32,
            bias: t.bias,
            z: t.z,
            a: t.a,
        })
    }
}
