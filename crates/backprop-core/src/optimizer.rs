//! Optimisers that turn a gradient into a weight update: SGD, SGD with momentum, and Adam.

use backprop_kernels::{part, Parallel, Shared};

use crate::config::{OptimizerKind, TrainingConfig};
use crate::error::{Error, Result};
use crate::finite::{exponent, is_finite_exponent};
use crate::gradient::Gradient;
use crate::network::Network;

/// Updates are shared between threads in chunks of at least this many parameters, at most
/// three chunks per thread; smaller updates run on the caller's thread alone.
const CHUNK_MIN: usize = 1 << 14;

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
        par: &dyn Parallel,
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
        let network_size = network.config().parameter_count();
        let tensors = (network.layers().iter().zip(next_network.layers_mut()))
            .zip(old_moments(&self.first).zip(old_moments(&self.second)))
            .zip(new_moments(&mut next.state.first).zip(new_moments(&mut next.state.second)))
            .zip(gradient.weights.iter().zip(&gradient.biases))
            .flat_map(|((((layer, new), (m, v)), (next_m, next_v)), (gw, gb))| {
                let (mw, mb) = moments(m);
                let (vw, vb) = moments(v);
                let (next_mw, next_mb) = moments_mut(next_m);
                let (next_vw, next_vb) = moments_mut(next_v);
                let weights = Parameters {
                    old: (&layer.weights[..], mw, vw),
                    new: (&mut new.weights[..], next_mw, next_vw),
                    gradient: &gw[..],
                };
                let biases = Parameters {
                    old: (&layer.biases[..], mb, vb),
                    new: (&mut new.biases[..], next_mb, next_vb),
                    gradient: &gb[..],
                };
                [(weights, config.l2), (biases, 0.0)]
            });
        let largest = rule.update_all(tensors, network_size, par);
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

/// Each layer's moments, then `None` for ever (an optimiser that keeps none has no layers).
fn old_moments(
    state: &[(Vec<f32>, Vec<f32>)],
) -> impl Iterator<Item = Option<&(Vec<f32>, Vec<f32>)>> {
    state.iter().map(Some).chain(std::iter::repeat(None))
}

/// Each layer's moments to write, then `None` for ever.
fn new_moments(
    state: &mut [(Vec<f32>, Vec<f32>)],
) -> impl Iterator<Item = Option<&mut (Vec<f32>, Vec<f32>)>> {
    state
        .iter_mut()
        .map(Some)
        .chain(std::iter::repeat_with(|| None))
}

/// A layer's weight and bias moments, or empty slices when the optimiser keeps none.
fn moments(state: Option<&(Vec<f32>, Vec<f32>)>) -> (&[f32], &[f32]) {
    match state {
        Some((w, b)) => (w, b),
        None => (&[], &[]),
    }
}

/// A layer's moments to write, or empty slices when the optimiser keeps none.
fn moments_mut(state: Option<&mut (Vec<f32>, Vec<f32>)>) -> (&mut [f32], &mut [f32]) {
    match state {
        Some((w, b)) => (w, b),
        None => (&mut [], &mut []),
    }
}

/// Elements `r` of a tensor's moment, or nothing when the optimiser keeps none.
fn cut<'a>(moment: &'a [f32], r: &std::ops::Range<usize>) -> &'a [f32] {
    if moment.is_empty() {
        moment
    } else {
        &moment[r.clone()]
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
    /// Updates every tensor (with its L2 decay); returns the largest exponent field among the
    /// new parameters. Many parameters are shared between the threads of `par` in chunks,
    /// each chunk the same range of every tensor.
    fn update_all<'a>(
        &self,
        tensors: impl Iterator<Item = (Parameters<'a>, f32)>,
        count: usize,
        par: &dyn Parallel,
    ) -> u32 {
        let chunks = (count / CHUNK_MIN).min(3 * par.threads());
        if par.threads() == 1 || chunks < 2 {
            return tensors
                .map(|(parameters, decay)| self.update(parameters, decay))
                .max()
                .unwrap_or(0);
        }
        let shared: Vec<_> = tensors
            .map(|(Parameters { old, new, gradient }, decay)| {
                let new = (Shared::new(new.0), Shared::new(new.1), Shared::new(new.2));
                (old, new, gradient, decay)
            })
            .collect();
        let largest = std::sync::atomic::AtomicU32::new(0);
        par.run(chunks, &|chunk, _| {
            let mut mine = 0;
            for ((old, m, v), (new, next_m, next_v), gradient, decay) in &shared {
                let r = part(old.len(), 16, chunks, chunk);
                // SAFETY: the chunks' ranges of each tensor are disjoint; moments that the
                // optimiser does not keep are empty and stay so.
                let (new, next_m, next_v) = unsafe {
                    (
                        new.part_or_empty(r.clone()),
                        next_m.part_or_empty(r.clone()),
                        next_v.part_or_empty(r.clone()),
                    )
                };
                let parameters = Parameters {
                    old: (&old[r.clone()], cut(m, &r), cut(v, &r)),
                    new: (new, next_m, next_v),
                    gradient: &gradient[r.clone()],
                };
                mine = mine.max(self.update(parameters, *decay));
            }
            largest.fetch_max(mine, std::sync::atomic::Ordering::Relaxed);
        });
        largest.into_inner()
    }

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
