//! Filter-normalised directions: per neuron as long as its weights, zero on biases, and the
//! same for the same seed.
#![cfg(not(target_arch = "wasm32"))]

use backprop_core::{Activation, Named, Network, NetworkConfig, Rng};
use backprop_probe::filter_normalised_directions;
use proptest::prelude::*;

fn norm(values: &[f32]) -> f64 {
    values
        .iter()
        .map(|&v| (v as f64).powi(2))
        .sum::<f64>()
        .sqrt()
}

fn network(seed: u64) -> Network {
    let mut rng = Rng::new(seed);
    Network::new(NetworkConfig {
        // At least two inputs: a neuron with one weight has only two directions of its
        // length (±w), so two seeds could draw the same ones.
        inputs: 2 + rng.below(39),
        hidden: (0..rng.below(4)).map(|_| 1 + rng.below(20)).collect(),
        outputs: 2 + rng.below(8),
        activation: Activation::VARIANTS[rng.below(4)],
        seed: rng.next_u64(),
        ..NetworkConfig::default()
    })
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn every_neuron_s_part_has_the_length_of_its_weights(
        network_seed in any::<u64>(),
        seed in any::<u64>(),
    ) {
        let network = network(network_seed);
        let directions = filter_normalised_directions(&network, seed);
        prop_assert_eq!(&directions, &filter_normalised_directions(&network, seed));
        for direction in &directions {
            prop_assert_eq!(direction.len(), network.config().parameter_count());
            let mut rest = direction.as_slice();
            for layer in network.layers() {
                let (weights, after) = rest.split_at(layer.weights.len());
                let (biases, after) = after.split_at(layer.outputs);
                rest = after;
                prop_assert!(biases.iter().all(|&b| b == 0.0));
                for (d, w) in weights
                    .chunks_exact(layer.inputs)
                    .zip(layer.weights.chunks_exact(layer.inputs))
                {
                    let (d, w) = (norm(d), norm(w));
                    prop_assert!((d - w).abs() <= 1e-6 * w, "{} vs {}", d, w);
                }
            }
        }
        prop_assert_ne!(&directions[0], &directions[1]);
        prop_assert_ne!(&directions, &filter_normalised_directions(&network, seed ^ 1));
    }
}

#[test]
fn a_neuron_without_weights_gets_a_zero_part_and_directions_are_not_the_weights() {
    let mut network = network(3);
    let inputs = network.layers()[0].inputs;
    let mut parameters: Vec<f32> = network.parameter_parts().flatten().copied().collect();
    parameters[..inputs].fill(0.0);
    network.set_parameters(&parameters).unwrap();
    let [first, _] = filter_normalised_directions(&network, network.config().seed);
    assert!(first[..inputs].iter().all(|&d| d == 0.0));
    // Drawn from the network's own seed, yet not proportional to its initial weights.
    let row = inputs..2 * inputs;
    let ratios: Vec<f32> = first[row.clone()]
        .iter()
        .zip(&parameters[row])
        .map(|(d, w)| d / w)
        .collect();
    assert!(
        ratios.windows(2).any(|r| (r[0] - r[1]).abs() > 1e-3),
        "{ratios:?}"
    );
}
