//! Optimisers that turn a gradient into a weight update: SGD, SGD with momentum, and Adam.

use crate::config::{OptimizerKind, TrainingConfig};
use crate::gradient::Gradient;
use crate::network::Network;

/// Per-parameter state (momentum velocity, Adam moments), shaped like the network.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OptimizerState {
    /// Velocity (momentum) or first moment (Adam), per weight layer: weights then biases.
    first: Vec<(Vec<f32>, Vec<f32>)>,
    /// Second moment (Adam).
    second: Vec<(Vec<f32>, Vec<f32>)>,
    /// Updates applied so far (Adam's bias correction).
    steps: u32,
}

impl OptimizerState {
    pub fn steps(&self) -> u32 {
        self.steps
    }

    fn ensure_shape(&mut self, network: &Network) {
        let shaped = |state: &mut Vec<(Vec<f32>, Vec<f32>)>| {
            if state.len() != network.layers().len() {
                *state = network
                    .layers()
                    .iter()
                    .map(|l| (vec![0.0; l.weights.len()], vec![0.0; l.biases.len()]))
                    .collect();
            }
        };
        shaped(&mut self.first);
        shaped(&mut self.second);
    }

    /// Applies `gradient` to `network` under `config`. L2 adds λ·w to each weight's gradient.
    pub fn apply(&mut self, config: &TrainingConfig, network: &mut Network, gradient: &Gradient) {
        self.ensure_shape(network);
        self.steps = self.steps.saturating_add(1);
        let t = self.steps.min(i32::MAX as u32) as i32;
        let rule = Rule {
            config,
            correct1: 1.0 - config.beta1.powi(t),
            correct2: 1.0 - config.beta2.powi(t),
        };
        for (l, layer) in network.layers_mut().iter_mut().enumerate() {
            let (mw, mb) = &mut self.first[l];
            let (vw, vb) = &mut self.second[l];
            rule.update(&mut layer.weights, &gradient.weights[l], mw, vw, config.l2);
            rule.update(&mut layer.biases, &gradient.biases[l], mb, vb, 0.0);
        }
    }
}

/// One optimiser step's constants.
struct Rule<'a> {
    config: &'a TrainingConfig,
    /// Adam's bias corrections 1 − β₁ᵗ and 1 − β₂ᵗ.
    correct1: f32,
    correct2: f32,
}

impl Rule<'_> {
    fn update(&self, params: &mut [f32], grads: &[f32], m: &mut [f32], v: &mut [f32], decay: f32) {
        let c = self.config;
        let lr = c.learning_rate;
        match c.optimizer {
            OptimizerKind::Sgd => {
                for (p, &g) in params.iter_mut().zip(grads) {
                    *p -= lr * (g + decay * *p);
                }
            }
            OptimizerKind::Momentum => {
                for ((p, &g), vel) in params.iter_mut().zip(grads).zip(m) {
                    *vel = c.momentum * *vel + (g + decay * *p);
                    *p -= lr * *vel;
                }
            }
            OptimizerKind::Adam => {
                let (b1, b2) = (c.beta1, c.beta2);
                for (((p, &g), m), v) in params.iter_mut().zip(grads).zip(m).zip(v) {
                    let g = g + decay * *p;
                    *m = b1 * *m + (1.0 - b1) * g;
                    *v = b2 * *v + (1.0 - b2) * g * g;
                    *p -= lr * (*m / self.correct1) / ((*v / self.correct2).sqrt() + c.epsilon);
                }
            }
        }
    }
}

/// Plain gradient descent on one gradient, w ← w − η·dLoss/dw: the change the backprop
/// animation shows, whatever optimiser the training uses.
pub fn apply_sgd(network: &mut Network, gradient: &Gradient, learning_rate: f32) {
    for (l, layer) in network.layers_mut().iter_mut().enumerate() {
        for (p, &g) in layer.weights.iter_mut().zip(&gradient.weights[l]) {
            *p -= learning_rate * g;
        }
        for (p, &g) in layer.biases.iter_mut().zip(&gradient.biases[l]) {
            *p -= learning_rate * g;
        }
    }
}
