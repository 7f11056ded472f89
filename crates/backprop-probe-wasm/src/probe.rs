//! "Touch the numbers": the gradient check and what each neuron looks for (backprop-probe).

use backprop_js::{js_error, result_to_js};
use backprop_probe::{CheckedParameter, DEFAULT_STEP};
use js_sys::{Float32Array, Float64Array, Uint32Array, Uint8Array};
use serde::Serialize;
use serde_wasm_bindgen::preserve;
use wasm_bindgen::prelude::*;

use crate::network::ProbedNetwork;

/// `gradientCheck`: one entry per checked parameter in each array.
#[derive(Serialize)]
struct GradientCheck {
    #[serde(with = "preserve")]
    indices: Uint32Array,
    #[serde(with = "preserve")]
    analytic: Float64Array,
    #[serde(with = "preserve")]
    numeric: Float64Array,
    #[serde(with = "preserve")]
    relative: Float64Array,
    #[serde(with = "preserve")]
    kink: Uint8Array,
    h: f64,
    loss: f32,
}

#[wasm_bindgen]
impl ProbedNetwork {
    /// `count` distinct parameter indices (positions in the main module's `parameters()`) spread
    /// over every layer's weights and biases, ascending; the same seed gives the same indices.
    /// With an `input` (a Float32Array), the first layer's weights are drawn only from its
    /// inputs that are not 0, whose weights have a gradient for it. More than there are to draw,
    /// or an input that does not fit the network, throws an `InputError`.
    #[wasm_bindgen(js_name = sampleParameters)]
    pub fn sample_parameters(
        &self,
        count: u32,
        seed: u32,
        input: Option<Vec<f32>>,
    ) -> Result<Uint32Array, JsValue> {
        let indices = backprop_probe::sample_parameters(
            &self.net,
            count as usize,
            seed as u64,
            input.as_deref(),
        )
        .map_err(js_error)?;
        Ok(Uint32Array::from(indices.as_slice()))
    }

    /// Backpropagation's gradient of one input's loss (desired class `label`) beside central
    /// finite differences (L(w + h) − L(w − h)) / 2h of an f64 forward pass, for the parameters
    /// at `indices` (positions in `parameters()`; h defaults to 1e-5):
    /// `{ indices: Uint32Array, analytic, numeric, relative: Float64Array, kink: Uint8Array, h,
    /// loss }`, one entry per index in the order given. `relative` is |a − n| / max(|a|, |n|,
    /// 1e-8); `kink` is 1 where a ReLU's weighted sum changes sign between w − h and w + h (the
    /// comparison means nothing there); `loss` is the loss `gradient` reports. A bad index,
    /// input, label or h throws an `InputError`.
    #[wasm_bindgen(js_name = gradientCheck)]
    pub fn gradient_check(
        &self,
        input: &[f32],
        label: u8,
        indices: &[u32],
        h: Option<f64>,
    ) -> Result<JsValue, JsValue> {
        let step = h.unwrap_or(DEFAULT_STEP);
        let check = backprop_probe::check_gradient(&self.net, input, label, indices, step)
            .map_err(js_error)?;
        let column = |f: fn(&CheckedParameter) -> f64| {
            let values: Vec<f64> = check.parameters.iter().map(f).collect();
            Float64Array::from(values.as_slice())
        };
        let kinks: Vec<u8> = check.parameters.iter().map(|p| u8::from(p.kink)).collect();
        let checked: Vec<u32> = check.parameters.iter().map(|p| p.index).collect();
        result_to_js(&GradientCheck {
            indices: Uint32Array::from(checked.as_slice()),
            analytic: column(|p| p.analytic),
            numeric: column(|p| p.numeric),
            relative: column(|p| p.relative),
            kink: Uint8Array::from(kinks.as_slice()),
            h: check.step,
            loss: check.loss,
        })
    }

    /// For every neuron of neuron layer `layer` (1 = the first hidden layer, up to the output
    /// layer), the input that excites it most: gradient ascent on the pixels from a uniform
    /// grey, maximising the neuron's weighted sum, pixels kept in [0, 1]. A Float32Array of
    /// `neurons × inputs` values, one image per row. A layer that does not exist throws an
    /// `InputError`.
    #[wasm_bindgen(js_name = preferredInputs)]
    pub fn preferred_inputs(&self, layer: usize) -> Result<Float32Array, JsValue> {
        let images = backprop_probe::preferred_inputs(&self.net, layer).map_err(js_error)?;
        Ok(Float32Array::from(images.as_slice()))
    }
}
