//! Backpropagation: the gradient of the loss, computed backwards from the output layer.
//! Nothing here changes the network; `optimizer` applies a gradient.

use backprop_kernels as kernels;
use backprop_kernels::{OneThread, Parallel};

use crate::error::{Error, Result};
use crate::network::{Network, Trace};

/// The pieces of one hidden neuron's error signal, as backpropagation computes them for one
/// example: δ = (Σₖ wₖ·δₖ) · f′(z), k running over the neurons of the next layer.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorTerms {
    /// `terms[k]`: the weight from this neuron into neuron k of the next layer times its δₖ.
    pub terms: Vec<f32>,
    /// The back-propagated sum of the terms, added up exactly as backpropagation adds it.
    pub sum: f32,
    /// f′(z): the slope of the activation function at the neuron's weighted sum.
    pub slope: f32,
    /// The neuron's error signal, `sum × slope`: bit for bit the one `gradient` reports.
    pub delta: f32,
}

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
    /// Scratch space for the kernels (packed operands), kept so that training allocates nothing
    /// once warm.
    scratch: kernels::Scratch,
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

    /// How backpropagation arrives at the error signal of hidden neuron `neuron` of neuron
    /// layer `layer` (1 = the first hidden layer) for one example whose desired class is
    /// `label`. A layer or neuron that does not exist is an `Input` error.
    pub fn error_terms(
        &self,
        input: &[f32],
        label: u8,
        layer: usize,
        neuron: usize,
    ) -> Result<ErrorTerms> {
        let hidden = &self.config().hidden;
        if layer == 0 || layer > hidden.len() {
            return Err(Error::input(match hidden.len() {
                0 => "this network has no hidden layers".to_string(),
                n => format!("layer {layer} is not a hidden layer; they are layers 1 to {n}"),
            }));
        }
        let width = hidden[layer - 1];
        if neuron >= width {
            return Err(Error::input(format!(
                "hidden layer {layer} has {width} neurons, so there is no neuron {neuron}"
            )));
        }
        let g = self.gradient(input, label)?;
        let next = &self.layers()[layer];
        let next_errors = &g.errors[layer];
        let terms = next_errors
            .iter()
            .zip(next.weights.chunks_exact(next.inputs))
            .map(|(&d, row)| row[neuron] * d)
            .collect();
        let (mut sums, mut scratch) = (vec![0.0; width], Vec::new());
        kernels::backpropagate(next_errors, &next.weights, width, &mut sums, &mut scratch);
        let z = g.trace.pre_activations[layer - 1][neuron];
        let a = g.trace.activations[layer][neuron];
        Ok(ErrorTerms {
            terms,
            sum: sums[neuron],
            slope: self.config().activation.derivative(z, a),
            delta: g.errors[layer - 1][neuron],
        })
    }

    /// The gradient into reused buffers, so training allocates nothing once warm.
    pub fn gradient_into(&self, inputs: &[f32], labels: &[u8], g: &mut Gradient) -> Result<()> {
        self.gradient_into_on(&OneThread, inputs, labels, g)
    }

    /// `gradient_into` with each layer's products shared between the threads of `par`: the
    /// same bits whatever their number.
    pub fn gradient_into_on(
        &self,
        par: &dyn Parallel,
        inputs: &[f32],
        labels: &[u8],
        g: &mut Gradient,
    ) -> Result<()> {
        let outputs = self.config().outputs;
        if let Some(&bad) = labels.iter().find(|&&l| l as usize >= outputs) {
            return Err(Error::input(format!(
                "label {bad} is not a class of this network (0 to {})",
                outputs - 1
            )));
        }
        let batch = labels.len();
        self.forward_into_on(par, inputs, batch, &mut g.trace)?;

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
            let product = (delta.as_slice(), a_prev.as_slice(), layer.inputs, scale);
            kernels::weight_gradient_on(par, product, dw, db, &mut g.scratch);
            if l > 0 {
                // δ of the layer below: (Wᵀ·δ) ⊙ f'(z).
                let below = &mut lower[l - 1];
                below.resize(batch * layer.inputs, 0.0);
                let z = &g.trace.pre_activations[l - 1];
                let width = layer.inputs;
                let product = (delta.as_slice(), &layer.weights[..], width);
                kernels::backpropagate_on(par, product, below, &mut g.scratch, |n, rows| {
                    let at = n * width..n * width + rows.len();
                    activation.scale_by_derivative(rows, &z[at.clone()], &a_prev[at]);
                });
            }
        }
        Ok(())
    }
}
