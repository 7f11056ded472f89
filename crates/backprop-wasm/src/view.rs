//! Read-only accessors the playground page needs to draw the network.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

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
            strongest.extend(strongest_first(row, k));
        }
        Ok(Uint32Array::from(strongest.as_slice()))
    }
}

/// The indices of the `k` weights in `row` with the largest |weight|, strongest first; equal
/// magnitudes in index order. A bounded heap, O(n log k), whose weakest is replaced only by a
/// stronger weight: most weights of a wide layer are weaker, and cost one comparison.
fn strongest_first(row: &[f32], k: usize) -> impl Iterator<Item = u32> {
    let mut weakest_on_top = BinaryHeap::with_capacity(k);
    for (index, weight) in row.iter().enumerate() {
        let candidate = Reverse(Strength {
            magnitude: weight.abs(),
            index: index as u32,
        });
        if weakest_on_top.len() < k {
            weakest_on_top.push(candidate);
        } else if let Some(mut weakest) = weakest_on_top.peek_mut() {
            if candidate < *weakest {
                *weakest = candidate;
            }
        }
    }
    weakest_on_top
        .into_sorted_vec()
        .into_iter()
        .map(|Reverse(s)| s.index)
}

/// A connection ordered by |weight|, then by lower index.
struct Strength {
    magnitude: f32,
    index: u32,
}

impl Ord for Strength {
    fn cmp(&self, other: &Self) -> Ordering {
        self.magnitude
            .total_cmp(&other.magnitude)
            .then(other.index.cmp(&self.index))
    }
}

impl PartialOrd for Strength {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Strength {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Strength {}
