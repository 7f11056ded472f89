//! Checks of what callers pass in, as the core's `Input` errors with a message that says what
//! is wrong.

use backprop_core::{Error, Layer, Network, Result};

/// The weight layer that feeds neuron layer `layer` (1 = the first hidden layer, the last one
/// the output layer).
pub(crate) fn layer_into(network: &Network, layer: usize) -> Result<&Layer> {
    let depth = network.layers().len();
    if layer == 0 || layer > depth {
        return Err(Error::input(format!(
            "layer {layer} is not a layer of neurons with weights; they are layers 1 to {depth}"
        )));
    }
    Ok(&network.layers()[layer - 1])
}

pub(crate) fn neuron_of(weights: &Layer, layer: usize, neuron: usize) -> Result<()> {
    if neuron >= weights.outputs {
        return Err(Error::input(format!(
            "layer {layer} has {} neurons, so there is no neuron {neuron}",
            weights.outputs
        )));
    }
    Ok(())
}

/// `values` holds one finite number per parameter of `network`.
pub(crate) fn parameter_vector(network: &Network, values: &[f32], what: &str) -> Result<()> {
    let expected = network.config().parameter_count();
    if values.len() != expected {
        return Err(Error::input(format!(
            "{what} needs {expected} values, one per weight and bias, got {}",
            values.len()
        )));
    }
    finite(values, what)
}

pub(crate) fn finite(values: &[f32], what: &str) -> Result<()> {
    match values.iter().position(|v| !v.is_finite()) {
        Some(bad) => Err(Error::input(format!(
            "{what}: value {bad} is not a finite number"
        ))),
        None => Ok(()),
    }
}
