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
