//! The output layer and its loss, each beside the error signal it sends backwards.
//!
//! Both pairings give the output error signal δ = dLoss/dz in a simple closed form:
//! - softmax + cross-entropy: L = -ln p_y, δ_i = p_i - t_i;
//! - sigmoid + squared error: L = ½ Σ (a_i - t_i)², δ_i = (a_i - t_i) · a_i (1 - a_i),
//!   the "difference between actual and desired output" of the original explainer.
//!
//! t is the desired output: 1 for the target class, 0 for the others.

use crate::activation::sigmoid;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Loss {
    SoftmaxCrossEntropy,
    SigmoidSquaredError,
}

crate::named!(Loss {
    SoftmaxCrossEntropy = "softmax_cross_entropy",
    SigmoidSquaredError = "sigmoid_squared_error",
});

/// Smallest probability fed to ln, so a confidently wrong network has a large, finite loss.
const MIN_PROBABILITY: f32 = 1e-12;

impl Loss {
    /// Output activations from the output pre-activations `z`.
    pub fn activate(self, z: &[f32], out: &mut [f32]) {
        match self {
            Loss::SoftmaxCrossEntropy => {
                let max = z.iter().copied().fold(f32::NEG_INFINITY, f32::max);
                let mut sum = 0.0;
                for (o, &zi) in out.iter_mut().zip(z) {
                    *o = (zi - max).exp();
                    sum += *o;
                }
                for o in out.iter_mut() {
                    *o /= sum;
                }
            }
            Loss::SigmoidSquaredError => {
                for (o, &zi) in out.iter_mut().zip(z) {
                    *o = sigmoid(zi);
                }
            }
        }
    }

    /// The loss of output activations `a` against the desired class `target`.
    pub fn value(self, a: &[f32], target: usize) -> f32 {
        match self {
            Loss::SoftmaxCrossEntropy => {
                // Not `max`: it would turn a NaN output into a finite loss and hide divergence.
                let p = a[target];
                -(if p < MIN_PROBABILITY {
                    MIN_PROBABILITY
                } else {
                    p
                })
                .ln()
            }
            Loss::SigmoidSquaredError => {
                0.5 * a
                    .iter()
                    .enumerate()
                    .map(|(i, &ai)| (ai - desired(i, target)).powi(2))
                    .sum::<f32>()
            }
        }
    }

    /// δ = dLoss/dz for the output layer.
    pub fn output_error(self, a: &[f32], target: usize, delta: &mut [f32]) {
        for (i, (d, &ai)) in delta.iter_mut().zip(a).enumerate() {
            let t = desired(i, target);
            *d = match self {
                Loss::SoftmaxCrossEntropy => ai - t,
                Loss::SigmoidSquaredError => (ai - t) * ai * (1.0 - ai),
            };
        }
    }
}

fn desired(i: usize, target: usize) -> f32 {
    if i == target {
        1.0
    } else {
        0.0
    }
}
