//! Optimisers that turn a gradient into a weight update: SGD, SGD with momentum, and Adam.

use crate::config::{OptimizerKind, TrainingConfig};
use crate::finite::{exponent, is_finite_exponent};
use crate::gradient::Gradient;
use crate::network::Network;

/// Per-parameter state (momentum velocity, Adam moments), shaped like the network. Only what
/// the optimiser uses is allocated: nothing for plain SGD, so keeping a copy of the state (the
/// last good weights after divergence) costs nothing there.
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

    /// Allocates the moments `kind` uses, zeroed, unless they are there already.
    fn ensure_shape(&mut self, network: &Network, kind: OptimizerKind) {
        let shaped = |state: &mut Vec<(Vec<f32>, Vec<f32>)>, needed: bool| {
            let layers = if needed { network.layers() } else { &[] };
            if state.len() != layers.len() {
                *state = layers
                    .iter()
                    .map(|l| (vec![0.0; l.weights.len()], vec![0.0; l.biases.len()]))
                    .collect();
            }
        };
        shaped(&mut self.first, kind != OptimizerKind::Sgd);
        shaped(&mut self.second, kind == OptimizerKind::Adam);
    }

    /// Applies `gradient` to `network` under `config`. L2 adds λ·w to each weight's gradient.
    /// Returns whether every parameter is still finite (false: training diverged).
    pub fn apply(
        &mut self,
        config: &TrainingConfig,
        network: &mut Network,
        gradient: &Gradient,
    ) -> bool {
        self.ensure_shape(network, config.optimizer);
        self.steps = self.steps.saturating_add(1);
        let t = self.steps.min(i32::MAX as u32) as i32;
        let rule = Rule {
            config,
            correct1: 1.0 - config.beta1.powi(t),
            correct2: 1.0 - config.beta2.powi(t),
        };
        let mut largest = 0;
        for (l, layer) in network.layers_mut().iter_mut().enumerate() {
            let (mw, mb) = moments(&mut self.first, l);
            let (vw, vb) = moments(&mut self.second, l);
            let weights = (&mut layer.weights[..], &gradient.weights[l][..], mw, vw);
            let biases = (&mut layer.biases[..], &gradient.biases[l][..], mb, vb);
            largest = largest.max(rule.update(weights, config.l2));
            largest = largest.max(rule.update(biases, 0.0));
        }
        is_finite_exponent(largest)
    }
}

/// Layer `l`'s weight and bias moments, or empty slices when the optimiser keeps none.
fn moments(state: &mut [(Vec<f32>, Vec<f32>)], l: usize) -> (&mut [f32], &mut [f32]) {
    match state.get_mut(l) {
        Some((w, b)) => (w, b),
        None => (&mut [], &mut []),
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
    /// Updates `params` in place from `grads` and the moments `m`, `v` (as long as the params
    /// when the optimiser uses them). Returns the largest exponent field among the new values
    /// (`finite::exponent`), so that checking for NaN and infinities costs no second pass.
    fn update(
        &self,
        (params, grads, m, v): (&mut [f32], &[f32], &mut [f32], &mut [f32]),
        decay: f32,
    ) -> u32 {
        let c = self.config;
        let lr = c.learning_rate;
        let mut largest = 0;
        match c.optimizer {
            OptimizerKind::Sgd => {
                for (p, &g) in params.iter_mut().zip(grads) {
                    *p -= lr * (g + decay * *p);
                    largest = largest.max(exponent(*p));
                }
            }
            OptimizerKind::Momentum => {
                for ((p, &g), vel) in params.iter_mut().zip(grads).zip(m) {
                    *vel = c.momentum * *vel + (g + decay * *p);
                    *p -= lr * *vel;
                    largest = largest.max(exponent(*p));
                }
            }
            OptimizerKind::Adam => {
                let (b1, b2) = (c.beta1, c.beta2);
                for (((p, &g), m), v) in params.iter_mut().zip(grads).zip(m).zip(v) {
                    let g = g + decay * *p;
                    *m = b1 * *m + (1.0 - b1) * g;
                    *v = b2 * *v + (1.0 - b2) * g * g;
                    *p -= lr * (*m / self.correct1) / ((*v / self.correct2).sqrt() + c.epsilon);
                    largest = largest.max(exponent(*p));
                }
            }
        }
        largest
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
