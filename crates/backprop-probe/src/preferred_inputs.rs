//! What each neuron looks for: the input that excites it most, found by gradient ascent on the
//! input pixels (activation maximisation, Erhan et al., 2009), for every neuron of a layer at
//! once. Each neuron is one row of a batch, so the core's batched kernels do the work.

use backprop_core::{backpropagate, Network, Result, Trace};

use crate::checks::layer_into;

/// The grey every picture starts from.
pub const GREY: f32 = 0.5;
/// Gradient steps per picture.
pub const ASCENT_STEPS: usize = 40;
/// The root mean square of a step's change to the pixels that can move. The gradient gives
/// only the direction: its size says little (it is tiny for a neuron deep in saturation). Forty
/// steps of this size move the image 0.4 from grey in root mean square, so the pixels the
/// neuron cares about most reach black or white and the others stay near grey: a picture of
/// what it looks for. Steps of 0.025 or more end at a corner of [0, 1]ⁿ: black-and-white noise
/// that scores about a quarter higher but mostly shows the weights of pixels MNIST never inks.
pub const ASCENT_STEP: f32 = 0.01;

/// For every neuron of neuron layer `layer` (1 = the first hidden layer, up to the output
/// layer), the input in [0, 1]ⁿ with the largest weighted sum z that gradient ascent found:
/// from a uniform grey image, [`ASCENT_STEPS`] steps along dz/dinput, normalised to
/// [`ASCENT_STEP`], with the pixels clamped to [0, 1] after every step; the best image seen.
/// Returns `neurons × inputs` values, one image per row. A layer that does not exist is an
/// `Input` error.
pub fn preferred_inputs(network: &Network, layer: usize) -> Result<Vec<f32>> {
    let neurons = layer_into(network, layer)?.outputs;
    let width = network.config().inputs;
    let mut images = vec![GREY; neurons * width];
    let mut best = images.clone();
    let mut best_z = vec![f32::NEG_INFINITY; neurons];
    let mut ascent = Ascent::default();
    for step in 0..=ASCENT_STEPS {
        network.forward_into(&images, neurons, &mut ascent.trace)?;
        let z = &ascent.trace.pre_activations[layer - 1];
        for (n, (best_n, image)) in best_z
            .iter_mut()
            .zip(images.chunks_exact(width))
            .enumerate()
        {
            let z_n = z[n * neurons + n];
            if z_n > *best_n {
                *best_n = z_n;
                best[n * width..][..width].copy_from_slice(image);
            }
        }
        if step < ASCENT_STEPS {
            ascent.input_gradient(network, layer);
            climb(&mut images, &ascent.gradient, width);
        }
    }
    Ok(best)
}

/// A forward pass and the buffers of the backward pass, reused from step to step.
#[derive(Default)]
struct Ascent {
    trace: Trace,
    /// dz/da of the layer being passed, one row per neuron of the probed layer.
    delta: Vec<f32>,
    /// dz/dinput once the pass reaches the input.
    gradient: Vec<f32>,
    scratch: Vec<f32>,
}

impl Ascent {
    /// Backpropagation from the probed layer down to the input, with the error signal of row
    /// n set to 1 at neuron n and 0 elsewhere: row n of `gradient` is dzₙ/dinput.
    fn input_gradient(&mut self, network: &Network, layer: usize) {
        let layers = network.layers();
        let neurons = layers[layer - 1].outputs;
        let activation = network.config().activation;
        self.delta.clear();
        self.delta.resize(neurons * neurons, 0.0);
        for n in 0..neurons {
            self.delta[n * neurons + n] = 1.0;
        }
        for l in (0..layer).rev() {
            let weights = &layers[l];
            self.gradient.resize(neurons * weights.inputs, 0.0);
            backpropagate(
                &self.delta,
                &weights.weights,
                weights.inputs,
                &mut self.gradient,
                &mut self.scratch,
            );
            if l > 0 {
                let z = &self.trace.pre_activations[l - 1];
                let a = &self.trace.activations[l];
                for ((g, &z), &a) in self.gradient.iter_mut().zip(z).zip(a) {
                    *g *= activation.derivative(z, a);
                }
                std::mem::swap(&mut self.delta, &mut self.gradient);
            }
        }
    }
}

/// One projected ascent step per image: pixels already at 0 or 1 that the gradient pushes
/// further out stay where they are, and the others move by [`ASCENT_STEP`] in root mean square.
fn climb(images: &mut [f32], gradient: &[f32], width: usize) {
    for (image, g) in images
        .chunks_exact_mut(width)
        .zip(gradient.chunks_exact(width))
    {
        let movable = |x: f32, g: f32| (g > 0.0 && x < 1.0) || (g < 0.0 && x > 0.0);
        let (mut squares, mut free) = (0.0f32, 0usize);
        for (&x, &g) in image.iter().zip(g) {
            if movable(x, g) {
                squares += g * g;
                free += 1;
            }
        }
        if squares == 0.0 {
            continue;
        }
        let scale = ASCENT_STEP / (squares / free as f32).sqrt();
        for (x, &g) in image.iter_mut().zip(g) {
            if movable(*x, g) {
                *x = (*x + scale * g).clamp(0.0, 1.0);
            }
        }
    }
}
