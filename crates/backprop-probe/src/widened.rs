//! The network in f64: its f32 weights and biases widened exactly, and a forward pass that
//! accumulates in f64, so that finite differences of the loss see the function itself and not
//! the f32 rounding of the core's forward pass.

use backprop_core::{Activation, Loss, Network, LEAKY_SLOPE};

pub(crate) struct Widened {
    /// Layer widths from input to output.
    sizes: Vec<usize>,
    activation: Activation,
    loss: Loss,
    /// Every weight and bias in the flat parameter layout.
    pub parameters: Vec<f64>,
    /// The activations of the layer being computed and of the layer below.
    a: Vec<f64>,
    z: Vec<f64>,
}

impl Widened {
    pub fn new(network: &Network) -> Self {
        let config = network.config();
        Widened {
            sizes: config.sizes(),
            activation: config.activation,
            loss: config.loss,
            parameters: network
                .parameter_parts()
                .flatten()
                .map(|&v| v as f64)
                .collect(),
            a: Vec::new(),
            z: Vec::new(),
        }
    }

    /// Whether the activation has kinks: a weighted sum that changes sign changes the slope.
    pub fn has_kinks(&self) -> bool {
        matches!(self.activation, Activation::Relu | Activation::LeakyRelu)
    }

    /// The loss of one example whose desired class is `label`. When `sides` is given, it
    /// receives, for every hidden neuron from the input side, whether its weighted sum is
    /// above zero.
    pub fn loss(&mut self, input: &[f32], label: usize, mut sides: Option<&mut Vec<bool>>) -> f64 {
        if let Some(sides) = sides.as_deref_mut() {
            sides.clear();
        }
        self.a.clear();
        self.a.extend(input.iter().map(|&x| x as f64));
        let depth = self.sizes.len() - 1;
        let mut start = 0;
        for l in 0..depth {
            let (inputs, outputs) = (self.sizes[l], self.sizes[l + 1]);
            let weights = &self.parameters[start..start + inputs * outputs];
            let biases = &self.parameters[start + inputs * outputs..][..outputs];
            start += inputs * outputs + outputs;
            self.z.clear();
            for (row, &b) in weights.chunks_exact(inputs).zip(biases) {
                let dot: f64 = row.iter().zip(&self.a).map(|(w, a)| w * a).sum();
                self.z.push(dot + b);
            }
            if l + 1 < depth {
                if let Some(sides) = sides.as_deref_mut() {
                    sides.extend(self.z.iter().map(|&z| z > 0.0));
                }
                self.a.clear();
                self.a
                    .extend(self.z.iter().map(|&z| activate(self.activation, z)));
            }
        }
        output_loss(self.loss, &self.z, label)
    }
}

fn activate(activation: Activation, z: f64) -> f64 {
    let slope_below_zero = match activation {
        Activation::Sigmoid => return sigmoid(z),
        Activation::Tanh => return z.tanh(),
        Activation::Relu => 0.0,
        Activation::LeakyRelu => LEAKY_SLOPE as f64,
    };
    if z > 0.0 {
        z
    } else {
        slope_below_zero * z
    }
}

fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// The loss from the output layer's weighted sums `z`. Cross-entropy is ln Σ e^z − z_label,
/// without the core's floor on the probability: the core's gradient, p − t, is the gradient of
/// this unfloored loss.
fn output_loss(loss: Loss, z: &[f64], label: usize) -> f64 {
    match loss {
        Loss::SoftmaxCrossEntropy => {
            let max = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let sum: f64 = z.iter().map(|&v| (v - max).exp()).sum();
            sum.ln() - (z[label] - max)
        }
        Loss::SigmoidSquaredError => {
            let squares = z.iter().enumerate().map(|(i, &v)| {
                let target = if i == label { 1.0 } else { 0.0 };
                (sigmoid(v) - target).powi(2)
            });
            0.5 * squares.sum::<f64>()
        }
    }
}
