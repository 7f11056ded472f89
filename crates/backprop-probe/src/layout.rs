//! The flat parameter layout of `Network::parameter_parts`: for each weight layer from the
//! input side, its weights (`outputs × inputs`, row-major), then its biases.

use std::ops::Range;

use backprop_core::Layer;

/// Where each part lies in the flat layout: layer 0's weights, layer 0's biases, layer 1's
/// weights, and so on.
pub(crate) fn part_ranges(layers: &[Layer]) -> Vec<Range<usize>> {
    let mut start = 0;
    let mut ranges = Vec::with_capacity(2 * layers.len());
    for layer in layers {
        for len in [layer.weights.len(), layer.biases.len()] {
            ranges.push(start..start + len);
            start += len;
        }
    }
    ranges
}

/// Each weight layer's (weights, biases) within `flat`, which holds exactly the network's
/// parameter count (callers check it).
pub(crate) fn split_layers<'a, T>(layers: &[Layer], flat: &'a [T]) -> Vec<(&'a [T], &'a [T])> {
    let ranges = part_ranges(layers);
    ranges
        .chunks_exact(2)
        .map(|r| (&flat[r[0].clone()], &flat[r[1].clone()]))
        .collect()
}

/// A layer of the same shape as `like` holding the given weights and biases.
pub(crate) fn layer_from(like: &Layer, weights: &[f32], biases: &[f32]) -> Layer {
    Layer {
        inputs: like.inputs,
        outputs: like.outputs,
        weights: weights.to_vec(),
        biases: biases.to_vec(),
    }
}
