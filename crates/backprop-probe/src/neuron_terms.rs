//! One neuron's weighted sum with the numbers: z = Σᵢ wᵢ·aᵢ + b, its largest terms named and
//! the others summed up.

use backprop_core::{Network, Result};

use crate::checks::{layer_into, neuron_of};
use crate::strongest::strongest;

#[derive(Clone, Debug, PartialEq)]
pub struct NeuronTerms {
    /// The neurons of the layer below whose terms wᵢ·aᵢ are largest in magnitude, largest
    /// first (equal magnitudes in index order).
    pub indices: Vec<u32>,
    /// Their weights wᵢ into this neuron.
    pub weights: Vec<f32>,
    /// Their activations aᵢ.
    pub inputs: Vec<f32>,
    /// wᵢ·aᵢ, rounded to f32.
    pub terms: Vec<f32>,
    /// The sum of all the other terms, each product exact in f64.
    pub rest: f64,
    /// How many other terms there are.
    pub rest_count: usize,
    pub bias: f32,
    /// The weighted sum exactly as the forward pass computes it.
    pub z: f32,
    /// The neuron's activation f(z) (for the output layer, its softmax or sigmoid output).
    pub a: f32,
}

/// The weighted sum of neuron `neuron` of neuron layer `layer` (1 = the first hidden layer, up
/// to the output layer) for `input`, with its `k` largest terms (all of them when `k` is larger
/// than the layer below). A layer or neuron that does not exist is an `Input` error.
pub fn neuron_terms(
    network: &Network,
    input: &[f32],
    layer: usize,
    neuron: usize,
    k: usize,
) -> Result<NeuronTerms> {
    let weights = layer_into(network, layer)?;
    neuron_of(weights, layer, neuron)?;
    let trace = network.forward(input)?;
    let below = &trace.activations[layer - 1];
    let row = &weights.weights[neuron * weights.inputs..][..weights.inputs];
    let terms: Vec<f32> = row.iter().zip(below).map(|(w, a)| w * a).collect();
    let top = strongest(&terms, k);
    let mut shown = vec![false; terms.len()];
    top.iter().for_each(|&i| shown[i as usize] = true);
    let others = (0..terms.len()).filter(|&i| !shown[i]);
    let picked = |values: &[f32]| top.iter().map(|&i| values[i as usize]).collect();
    Ok(NeuronTerms {
        weights: picked(row),
        inputs: picked(below),
        terms: picked(&terms),
        rest: others
            .clone()
            .map(|i| row[i] as f64 * below[i] as f64)
            .sum(),
        rest_count: others.count(),
        bias: weights.biases[neuron],
        z: trace.pre_activations[layer - 1][neuron],
        a: trace.activations[layer][neuron],
        indices: top,
    })
}
