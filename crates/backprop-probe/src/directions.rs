//! Filter-normalised random directions through the weights (Li et al., 2018, "Visualizing the
//! Loss Landscape of Neural Nets"): a random direction whose part for each neuron (its incoming
//! weights) has the length of that neuron's weights, so that a step along it changes every
//! neuron in proportion to its own scale and the picture does not depend on how the weights
//! happen to be scaled.

use backprop_core::{Network, Rng};

/// Mixed into the seed, so that the directions are not drawn from the same stream as the
/// network's initial weights, which come from the same seed.
const SALT: u64 = 0x6c6f_7373_2d6c_616e;

/// Two directions δ and η in the flat parameter layout, drawn from `seed`: for every neuron,
/// its incoming weights in the direction are random and scaled to the Euclidean norm of the
/// same weights in the network (a neuron whose weights are all zero gets zero); biases are
/// zero. The same seed gives the same directions, natively and in the browsers.
pub fn filter_normalised_directions(network: &Network, seed: u64) -> [Vec<f32>; 2] {
    let mut rng = Rng::new(seed ^ SALT);
    let count = network.config().parameter_count();
    [(); 2].map(|_| {
        let mut direction = Vec::with_capacity(count);
        for layer in network.layers() {
            for row in layer.weights.chunks_exact(layer.inputs) {
                let start = direction.len();
                direction.extend(row.iter().map(|_| roughly_normal(&mut rng)));
                scale_to_norm(&mut direction[start..], norm(row));
            }
            direction.extend(std::iter::repeat_n(0.0, layer.outputs));
        }
        direction
    })
}

/// Li et al. draw Gaussian entries. The sum of four uniform draws (Irwin–Hall) is close to one
/// and needs only exactly rounded arithmetic, so a seed draws the same bits on every platform
/// (the standard library's logarithm and cosine may differ between them in the last bit).
fn roughly_normal(rng: &mut Rng) -> f32 {
    (rng.next_f32() + rng.next_f32()) + (rng.next_f32() + rng.next_f32()) - 2.0
}

fn norm(values: &[f32]) -> f64 {
    values
        .iter()
        .map(|&v| v as f64 * v as f64)
        .sum::<f64>()
        .sqrt()
}

fn scale_to_norm(values: &mut [f32], target: f64) {
    let current = norm(values);
    let scale = if current > 0.0 { target / current } else { 0.0 };
    for v in values {
        *v = (*v as f64 * scale) as f32;
    }
}
