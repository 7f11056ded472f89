//! The gradient check: backpropagation's gradient of one example's loss beside central finite
//! differences of the loss, parameter by parameter.

use backprop_core::{Error, Network, Result, Rng};

use crate::layout::part_ranges;
use crate::widened::Widened;

/// The default step h of the central differences (L(w + h) − L(w − h)) / 2h, taken in f64.
/// The quotient's error is its round-off, about ε·|L| / h with ε = 1.1e-16, plus its truncation
/// error h²·|L‴| / 6; their sum is smallest near h = (3ε·|L| / |L‴|)^⅓ ≈ 1e-5 for a loss and
/// derivatives of order one. Both errors are then near 1e-11, far below the f32 rounding of the
/// gradient it is compared with (about 1e-7 relative), and a step this small seldom carries a
/// ReLU's weighted sum across zero.
pub const DEFAULT_STEP: f64 = 1e-5;

/// Relative differences divide by at least this. Gradients this small are beneath what the
/// comparison resolves (the quotient's round-off alone is about ε·|L| / h ≈ 1e-11), so two of
/// them that differ by their noise do not look far apart, and two zeros differ by 0, not 0/0.
const TINY: f64 = 1e-8;

#[derive(Clone, Debug, PartialEq)]
pub struct GradientCheck {
    /// The step h.
    pub step: f64,
    /// The example's loss, as `Network::gradient` computes it.
    pub loss: f32,
    pub parameters: Vec<CheckedParameter>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CheckedParameter {
    /// Position in the flat parameter layout.
    pub index: u32,
    /// dLoss/dw from backpropagation (the core's f32 gradient, widened).
    pub analytic: f64,
    /// (L(w + h) − L(w − h)) / 2h with the f64 forward pass.
    pub numeric: f64,
    /// |analytic − numeric| / max(|analytic|, |numeric|, 1e-8).
    pub relative: f64,
    /// A ReLU or leaky-ReLU neuron's weighted sum has a different sign at w − h than at w + h:
    /// the difference quotient spans a kink and is no derivative, so the comparison means
    /// nothing.
    pub kink: bool,
}

/// Checks the gradient of one example's loss (desired class `label`) for the parameters at
/// `indices` (flat layout), with step `step` (see [`DEFAULT_STEP`]). An index that does not
/// exist, a step that is not a positive finite number, or an input or label that does not fit
/// the network is an `Input` error.
pub fn check_gradient(
    network: &Network,
    input: &[f32],
    label: u8,
    indices: &[u32],
    step: f64,
) -> Result<GradientCheck> {
    if !(step.is_finite() && step > 0.0) {
        return Err(Error::input(format!(
            "the step h must be a positive number, got {step}"
        )));
    }
    let count = network.config().parameter_count();
    if let Some(&bad) = indices.iter().find(|&&i| i as usize >= count) {
        return Err(Error::input(format!(
            "parameter {bad} does not exist; the network has {count} (0 to {})",
            count - 1
        )));
    }
    let gradient = network.gradient(input, label)?;
    let analytic: Vec<f32> = gradient
        .weights
        .iter()
        .zip(&gradient.biases)
        .flat_map(|(w, b)| w.iter().chain(b))
        .copied()
        .collect();
    let mut widened = Widened::new(network);
    let kinks = widened.has_kinks();
    let (mut above_plus, mut above_minus) = (Vec::new(), Vec::new());
    let label = label as usize;
    let parameters = indices
        .iter()
        .map(|&index| {
            let i = index as usize;
            let w = widened.parameters[i];
            widened.parameters[i] = w + step;
            let plus = widened.loss(input, label, kinks.then_some(&mut above_plus));
            widened.parameters[i] = w - step;
            let minus = widened.loss(input, label, kinks.then_some(&mut above_minus));
            widened.parameters[i] = w;
            let numeric = (plus - minus) / (2.0 * step);
            let analytic = analytic[i] as f64;
            CheckedParameter {
                index,
                analytic,
                numeric,
                relative: (analytic - numeric).abs() / analytic.abs().max(numeric.abs()).max(TINY),
                kink: above_plus != above_minus,
            }
        })
        .collect();
    Ok(GradientCheck {
        step,
        loss: gradient.loss,
        parameters,
    })
}

/// `count` distinct parameter indices spread over every part of the flat layout (each layer's
/// weights and its biases), the same for the same seed: the parts take turns, each part's
/// indices are drawn uniformly, and the result is in layout order. With an `input`, the first
/// layer's weights are drawn only from its inputs that are not 0 (unless all are): a weight from
/// a blank pixel has a gradient of exactly 0 for that input, by backpropagation and by the
/// differences alike, and its check shows nothing. More than there are to draw, or an input that
/// does not fit the network, is an `Input` error.
pub fn sample_parameters(
    network: &Network,
    count: usize,
    seed: u64,
    input: Option<&[f32]>,
) -> Result<Vec<u32>> {
    if let Some(input) = input {
        network.check_inputs(input, 1)?;
    }
    let first = &network.layers()[0];
    // The inputs that the first layer's weights are drawn from, when not all of them.
    let inked: Option<Vec<usize>> = input
        .map(|x| (0..x.len()).filter(|&i| x[i] != 0.0).collect::<Vec<_>>())
        .filter(|inked| !inked.is_empty());
    let parts = part_ranges(network.layers());
    let mut sizes: Vec<usize> = parts.iter().map(|p| p.len()).collect();
    if let Some(inked) = &inked {
        sizes[0] = inked.len() * first.outputs;
    }
    let available: usize = sizes.iter().sum();
    if count > available {
        let total = network.config().parameter_count();
        let blank = if available < total {
            format!(
                " ({} of them weights from inputs that are 0)",
                total - available
            )
        } else {
            String::new()
        };
        return Err(Error::input(format!(
            "cannot pick {count} parameters: the network has {total}{blank}"
        )));
    }
    let mut shares = vec![0; parts.len()];
    let mut left = count;
    while left > 0 {
        for (share, &size) in shares.iter_mut().zip(&sizes) {
            if left > 0 && *share < size {
                *share += 1;
                left -= 1;
            }
        }
    }
    let mut rng = Rng::new(seed);
    let mut picked = Vec::with_capacity(count);
    for (k, (part, &share)) in parts.iter().zip(&shares).enumerate() {
        let offsets = distinct_below(&mut rng, sizes[k], share).into_iter();
        match &inked {
            // Offset o is the weight from the (o mod n)th inked input to neuron o / n: still
            // in layout order.
            Some(inked) if k == 0 => picked.extend(offsets.map(|o| {
                let (neuron, i) = (o / inked.len(), inked[o % inked.len()]);
                (neuron * first.inputs + i) as u32
            })),
            _ => picked.extend(offsets.map(|o| (part.start + o) as u32)),
        }
    }
    Ok(picked)
}

/// `k` distinct numbers below `n` (k ≤ n) in ascending order, every set equally likely
/// (Floyd's algorithm: k draws, whatever n is).
fn distinct_below(rng: &mut Rng, n: usize, k: usize) -> Vec<usize> {
    let mut chosen = Vec::with_capacity(k);
    for j in n - k..n {
        let t = rng.below(j + 1);
        let pick = if chosen.binary_search(&t).is_ok() {
            j
        } else {
            t
        };
        if let Err(at) = chosen.binary_search(&pick) {
            chosen.insert(at, pick);
        }
    }
    chosen
}
