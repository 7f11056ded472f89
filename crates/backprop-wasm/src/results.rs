//! The shapes of what `Network`'s methods return to JavaScript: plain objects whose arrays of
//! numbers are typed arrays (one Float32Array per layer), each copied once out of wasm memory.

use backprop_core::{ErrorTerms, Evaluation, Gradient, Mistakes, Trace};
use js_sys::{Array, Float32Array, Uint32Array};
use serde::Serialize;
use serde_wasm_bindgen::preserve;

use crate::convert::float_arrays;

/// `forward`: `{ preActivations, activations }`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ForwardPass {
    #[serde(with = "preserve")]
    pre_activations: Array,
    #[serde(with = "preserve")]
    activations: Array,
}

impl From<&Trace> for ForwardPass {
    fn from(trace: &Trace) -> Self {
        ForwardPass {
            pre_activations: float_arrays(&trace.pre_activations),
            activations: float_arrays(&trace.activations),
        }
    }
}

/// `gradient`: `{ loss, errors, weightGradients, biasGradients, preActivations, activations }`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Backpropagation {
    loss: f32,
    #[serde(with = "preserve")]
    errors: Array,
    #[serde(with = "preserve")]
    weight_gradients: Array,
    #[serde(with = "preserve")]
    bias_gradients: Array,
    #[serde(with = "preserve")]
    pre_activations: Array,
    #[serde(with = "preserve")]
    activations: Array,
}

impl From<&Gradient> for Backpropagation {
    fn from(g: &Gradient) -> Self {
        Backpropagation {
            loss: g.loss,
            errors: float_arrays(&g.errors),
            weight_gradients: float_arrays(&g.weights),
            bias_gradients: float_arrays(&g.biases),
            pre_activations: float_arrays(&g.trace.pre_activations),
            activations: float_arrays(&g.trace.activations),
        }
    }
}

/// `errorTerms`: `{ terms, sum, slope, delta }`.
#[derive(Serialize)]
pub struct Terms {
    #[serde(with = "preserve")]
    terms: Float32Array,
    sum: f32,
    slope: f32,
    delta: f32,
}

impl From<&ErrorTerms> for Terms {
    fn from(e: &ErrorTerms) -> Self {
        Terms {
            terms: Float32Array::from(e.terms.as_slice()),
            sum: e.sum,
            slope: e.slope,
            delta: e.delta,
        }
    }
}

/// `evaluate`: `{ count, loss, accuracy, classes, confusion, silent }`.
#[derive(Serialize)]
pub struct Scores {
    count: u32,
    loss: f32,
    accuracy: f32,
    classes: u32,
    #[serde(with = "preserve")]
    confusion: Uint32Array,
    #[serde(with = "preserve")]
    silent: Uint32Array,
}

impl From<&Evaluation> for Scores {
    fn from(e: &Evaluation) -> Self {
        Scores {
            count: e.count as u32,
            loss: e.loss,
            accuracy: e.accuracy,
            classes: e.classes as u32,
            confusion: Uint32Array::from(e.confusion.as_slice()),
            silent: Uint32Array::from(e.silent.as_slice()),
        }
    }
}

/// `mistakes`: `{ total, mistakes: [{ index, label, predicted }] }`.
#[derive(Serialize)]
pub struct Wrong {
    total: u32,
    mistakes: Vec<WrongExample>,
}

#[derive(Serialize)]
struct WrongExample {
    index: u32,
    label: u8,
    predicted: u32,
}

impl From<&Mistakes> for Wrong {
    fn from(m: &Mistakes) -> Self {
        Wrong {
            total: m.total as u32,
            mistakes: (m.first.iter())
                .map(|w| WrongExample {
                    index: w.index as u32,
                    label: w.label,
                    predicted: w.predicted as u32,
                })
                .collect(),
        }
    }
}
