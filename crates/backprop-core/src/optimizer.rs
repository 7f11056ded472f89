//! Optimisers that turn a gradient into a weight update: SGD, SGD with momentum, and Adam.

use crate::config::{OptimizerKind, TrainingConfig};
use crate::error::{Error, Result};
use crate::finite::{exponent, is_finite_exponent};
use crate::gradient::Gradient;
use crate::network::Network;

/// Per-parameter state (momentum velocity, Adam moments), shaped like the network. Only what
/// the optimiser uses is allocated: nothing for plain SGD.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OptimizerState {
    /// Velocity (momentum) or first moment (Adam), per weight layer: weights then biases.
    first: Vec<(Vec<f32>, Vec<f32>)>,
    /// Second moment (Adam).
    second: Vec<(Vec<f32>, Vec<f32>)>,
    /// Updates applied so far (Adam's bias correction).
    steps: u32,
}

/// Where an update writes the next weights and state: buffers shaped like the current ones,
/// reused from step to step. They take the current ones' place only when every new value is
/// finite, so a step that diverges changes nothing, and nothing is copied beforehand in case
/// it does.
#[derive(Clone, Debug, Default)]
pub(crate) struct NextParameters {
    network: Option<Network>,
    state: OptimizerState,
}

impl OptimizerState {
    pub fn steps(&self) -> u32 {
        self.steps
    }

    /// The velocity (momentum) or first moment (Adam) of every weight and bias, in the layout
    /// of [`Network::parameter_parts`]; nothing when the optimiser keeps none (yet).
    pub fn first_moments(&self) -> impl Iterator<Item = &[f32]> {
        flat(&self.first)
    }

    /// Adam's second moment of every weight and bias, laid out as `first_moments`.
    pub fn second_moments(&self) -> impl Iterator<Item = &[f32]> {
        flat(&self.second)
    }

    /// The state after `steps` updates of `network` by optimiser `kind`, with these moments
    /// laid out as `first_moments` gives them (e.g. read back from a saved state). Each is
    /// empty or has one value per weight and bias; momentum keeps only the first, Adam both,
    /// SGD none. Anything else is an `Input` error.
    pub fn from_moments(
        network: &Network,
        kind: OptimizerKind,
        steps: u32,
        first: &[f32],
        second: &[f32],
    ) -> Result<Self> {
        let count = network.config().parameter_count();
        let (f, s) = (first.len(), second.len());
        let kept = match kind {
            OptimizerKind::Sgd => (f, s) == (0, 0),
            OptimizerKind::Momentum => s == 0 && (f == 0 || f == count),
            OptimizerKind::Adam => (f, s) == (0, 0) || (f, s) == (count, count),
        };
        if !kept {
            let optimizer = match kind {
                OptimizerKind::Sgd => "SGD",
                OptimizerKind::Momentum => "momentum",
                OptimizerKind::Adam => "Adam",
            };
            return Err(Error::input(format!(
                "moments of {f} and {s} values do not fit {optimizer} on a network of {count} weights and biases"
            )));
        }
        Ok(OptimizerState {
            first: shaped_like(network, first),
            second: shaped_like(network, second),
            steps,
        })
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

    /// Applies `gradient` to `network` under `config`, all or nothing: L2 adds λ·w to each
    /// weight's gradient. Returns false, with `network` and this state unchanged, when a new
    /// parameter would be NaN or infinite (training diverged).
    pub(crate) fn apply(
        &mut self,
        config: &TrainingConfig,
        network: &mut Network,
        gradient: &Gradient,
        next: &mut NextParameters,
    ) -> bool {
        self.ensure_shape(network, config.optimizer);
        let next_network = match &mut next.network {
            Some(n) if same_shape(n, network) => n,
            slot => slot.insert(network.clone()),
        };
        next.state.ensure_shape(network, config.optimizer);
        next.state.steps = self.steps.saturating_add(1);
        let t = next.state.steps.min(i32::MAX as u32) as i32;
        let rule = Rule {
            config,
            correct1: 1.0 - config.beta1.powi(t),
            correct2: 1.0 - config.beta2.powi(t),
        };
        let mut largest = 0;
        let layers = network.layers().iter().zip(next_network.layers_mut());
        for (l, (layer, new)) in layers.enumerate() {
            let (mw, mb) = moments(&self.first, l);
            let (vw, vb) = moments(&self.second, l);
            let (next_mw, next_mb) = moments_mut(&mut next.state.first, l);
            let (next_vw, next_vb) = moments_mut(&mut next.state.second, l);
            let weights = Parameters {
                old: (&layer.weights, mw, vw),
                new: (&mut new.weights, next_mw, next_vw),
                gradient: &gradient.weights[l],
            };
            largest = largest.max(rule.update(weights, config.l2));
            let biases = Parameters {
                old: (&layer.biases, mb, vb),
                new: (&mut new.biases, next_mb, next_vb),
                gradient: &gradient.biases[l],
            };
            largest = largest.max(rule.update(biases, 0.0));
        }
        if !is_finite_exponent(largest) {
            return false;
        }
        std::mem::swap(network, next_network);
        std::mem::swap(self, &mut next.state);
        true
    }
}

/// Moments per layer, weights then biases, as consecutive parts.
fn flat(state: &[(Vec<f32>, Vec<f32>)]) -> impl Iterator<Item = &[f32]> {
    state.iter().flat_map(|(w, b)| [w.as_slice(), b.as_slice()])
}

/// `values` (as many as `network` has weights and biases, or none) split per layer.
fn shaped_like(network: &Network, values: &[f32]) -> Vec<(Vec<f32>, Vec<f32>)> {
    if values.is_empty() {
        return Vec::new();
    }
    let mut rest = values;
    let mut take = |n: usize| {
        let (part, tail) = rest.split_at(n);
        rest = tail;
        part.to_vec()
    };
    (network.layers().iter())
        .map(|l| (take(l.weights.len()), take(l.biases.len())))
        .collect()
}

/// Whether two networks' layers have the same shapes (then one can hold the other's update).
fn same_shape(a: &Network, b: &Network) -> bool {
    a.layers().len() == b.layers().len()
        && (a.layers().iter().zip(b.layers()))
            .all(|(x, y)| (x.inputs, x.outputs) == (y.inputs, y.outputs))
}

/// Layer `l`'s weight and bias moments, or empty slices when the optimiser keeps none.
fn moments(state: &[(Vec<f32>, Vec<f32>)], l: usize) -> (&[f32], &[f32]) {
    match state.get(l) {
        Some((w, b)) => (w, b),
        None => (&[], &[]),
    }
}

fn moments_mut(state: &mut [(Vec<f32>, Vec<f32>)], l: usize) -> (&mut [f32], &mut [f32]) {
    match state.get_mut(l) {
        Some((w, b)) => (w, b),
        None => (&mut [], &mut []),
    }
}

/// One parameter tensor's values and moments (empty when unused) before an update, where the
/// update writes them, and their gradient.
struct Parameters<'a> {
    old: (&'a [f32], &'a [f32], &'a [f32]),
    new: (&'a mut [f32], &'a mut [f32], &'a mut [f32]),
    gradient: &'a [f32],
}

/// One optimiser step's constants.
struct Rule<'a> {
    config: &'a TrainingConfig,
    /// Adam's bias corrections 1 − β₁ᵗ and 1 − β₂ᵗ.
    correct1: f32,
    correct2: f32,
}

impl Rule<'_> {
    /// Writes the updated parameters (and moments, when the optimiser uses them). Returns the
    /// largest exponent field among the new parameters (`finite::exponent`), so that checking
    /// for NaN and infinities costs no second pass.
    fn update(&self, parameters: Parameters, decay: f32) -> u32 {
        let Parameters {
            old: (old, m, v),
            new: (new, next_m, next_v),
            gradient,
        } = parameters;
        let c = self.config;
        let lr = c.learning_rate;
        // Equal lengths up front let the compiler drop the bounds checks in the loops.
        let n = new.len();
        let (old, gradient) = (&old[..n], &gradient[..n]);
        let mut largest = 0;
        match c.optimizer {
            OptimizerKind::Sgd => {
                for i in 0..n {
                    let p = old[i];
                    new[i] = p - lr * (gradient[i] + decay * p);
                    largest = largest.max(exponent(new[i]));
                }
            }
            OptimizerKind::Momentum => {
                let (m, next_m) = (&m[..n], &mut next_m[..n]);
                for i in 0..n {
                    let p = old[i];
                    next_m[i] = c.momentum * m[i] + (gradient[i] + decay * p);
                    new[i] = p - lr * next_m[i];
                    largest = largest.max(exponent(new[i]));
                }
            }
            OptimizerKind::Adam => {
                let (b1, b2) = (c.beta1, c.beta2);
                let (m, next_m) = (&m[..n], &mut next_m[..n]);
                let (v, next_v) = (&v[..n], &mut next_v[..n]);
                for i in 0..n {
                    let p = old[i];
                    let g = gradient[i] + decay * p;
                    next_m[i] = b1 * m[i] + (1.0 - b1) * g;
                    next_v[i] = b2 * v[i] + (1.0 - b2) * g * g;
                    new[i] = p - lr * (next_m[i] / self.correct1)
                        / ((next_v[i] / self.correct2).sqrt() + c.epsilon);
                    largest = largest.max(exponent(new[i]));
                }
            }
        }
        largest
    }
}

/// Plain gradient descent on one gradient, w ← w − η·dLoss/dw: the change the backprop
/// animation shows, whatever optimiser the training uses. All or nothing: when a new weight or
/// bias would be NaN or infinite, it is a `Diverged` error and nothing changes.
pub fn apply_sgd(network: &mut Network, gradient: &Gradient, learning_rate: f32) -> Result<()> {
    let stepped = |p: f32, g: f32| p - learning_rate * g;
    let mut largest = 0;
    for (l, layer) in network.layers().iter().enumerate() {
        let parameters = [
            (&layer.weights, &gradient.weights[l]),
            (&layer.biases, &gradient.biases[l]),
        ];
        for (values, gradients) in parameters {
            for (&p, &g) in values.iter().zip(gradients) {
                largest = largest.max(exponent(stepped(p, g)));
            }
        }
    }
    if !is_finite_exponent(largest) {
        return Err(Error::diverged(format!(
            "this step would make weights NaN or infinite (learning rate {learning_rate}); try a lower learning rate"
        )));
    }
    for (l, layer) in network.layers_mut().iter_mut().enumerate() {
        for (p, &g) in layer.weights.iter_mut().zip(&gradient.weights[l]) {
            *p = stepped(*p, g);
        }
        for (p, &g) in layer.biases.iter_mut().zip(&gradient.biases[l]) {
            *p = stepped(*p, g);
        }
    }
    Ok(())
}
