//! Backpropagation: the gradient of the loss, computed backwards from the output layer.
//! Nothing here changes the network; `optimizer` applies a gradient.

use crate::error::{Error, Result};
use crate::kernels;
use crate::network::{Network, Trace};

/// What one backward pass computed, for a batch of examples.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Gradient {
    /// Mean loss over the batch.
    pub loss: f32,
    /// The forward pass the gradient was computed from.
    pub trace: Trace,
    /// Error signal δ = dLoss/dz of each weight layer's neurons, per example (`batch × width`).
    /// Its sign says whether a neuron's weighted sum must fall (δ > 0) or rise (δ < 0).
    pub errors: Vec<Vec<f32>>,
    /// dLoss/dW of each weight layer, averaged over the batch (`outputs × inputs`).
    /// For one example, entry (o, i) is exactly δ_o · a_i: the connected neuron's activation
    /// times the error signal of the neuron the connection feeds.
    pub weights: Vec<Vec<f32>>,
    /// dLoss/db of each weight layer, averaged over the batch.
    pub biases: Vec<Vec<f32>>,
    /// Scratch space for backpropagation, kept so that training allocates nothing once warm.
    scratch: Vec<f32>,
}

impl Network {
    /// The gradient for one example whose desired class is `label`.
    pub fn gradient(&self, input: &[f32], label: u8) -> Result<Gradient> {
        self.gradient_batch(input, &[label])
    }

    /// The gradient of the mean loss over a batch.
    pub fn gradient_batch(&self, inputs: &[f32], labels: &[u8]) -> Result<Gradient> {
        let mut gradient = Gradient::default();
        self.gradient_into(inputs, labels, &mut gradient)?;
        Ok(gradient)
    }

    /// The gradient into reused buffers, so training allocates nothing once warm.
    pub fn gradient_into(&self, inputs: &[f32], labels: &[u8], g: &mut Gradient) -> Result<()> {
        let outputs = self.config().outputs;
        if let Some(&bad) = labels.iter().find(|&&l| l as usize >= outputs) {
            return Err(Error::input(format!(
                "label {bad} is not a class of this network (0 to {})",
                outputs - 1
            )));
        }
        let batch = labels.len();
        self.forward_into(inputs, batch, &mut g.trace)?;

        let layers = self.layers();
        let depth = layers.len();
        let loss = self.config().loss;
        let activation = self.config().activation;
        g.errors.resize_with(depth, Vec::new);
        g.weights.resize_with(depth, Vec::new);
        g.biases.resize_with(depth, Vec::new);

        let output = &g.trace.activations[depth];
        let out_errors = &mut g.errors[depth - 1];
        out_errors.resize(batch * outputs, 0.0);
        let mut total = 0.0;
        for ((a, d), &label) in output
            .chunks_exact(outputs)
            .zip(out_errors.chunks_exact_mut(outputs))
            .zip(labels)
        {
            total += loss.value(a, label as usize);
            loss.output_error(a, label as usize, d);
        }
        g.loss = total / batch as f32;

        let scale = 1.0 / batch as f32;
        for l in (0..depth).rev() {
            let layer = &layers[l];
            let a_prev = &g.trace.activations[l];
            let dw = &mut g.weights[l];
            dw.resize(layer.weights.len(), 0.0);
            let db = &mut g.biases[l];
            db.resize(layer.outputs, 0.0);
            let (lower, upper) = g.errors.split_at_mut(l);
            let delta = &upper[0];
            kernels::weight_gradient(delta, a_prev, layer.inputs, scale, dw, db);
            if l > 0 {
                // δ of the layer below: (Wᵀ·δ) ⊙ f'(z).
                let below = &mut lower[l - 1];
                below.resize(batch * layer.inputs, 0.0);
                kernels::backpropagate(delta, &layer.weights, layer.inputs, below, &mut g.scratch);
                let z = &g.trace.pre_activations[l - 1];
                for ((d, &zi), &ai) in below.iter_mut().zip(z).zip(a_prev) {
                    *d *= activation.derivative(zi, ai);
                }
            }
        }
        Ok(())
    }
}
