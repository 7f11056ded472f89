//! Every analytic gradient agrees with central finite differences of an independent f64
//! reference (tolerance in `common::check_gradient`), for random depths, widths, activations,
//! losses, batches and seeds.

mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use backprop_core::{Activation, Loss, Named, Network, NetworkConfig, Rng};

/// A random small network and batch, all drawn from `seed`.
fn case(seed: u64) -> (Network, Vec<f32>, Vec<u8>) {
    let mut rng = Rng::new(seed);
    let inputs = 1 + rng.below(6);
    let outputs = 2 + rng.below(4);
    let hidden = (0..rng.below(4)).map(|_| 1 + rng.below(6)).collect();
    let config = NetworkConfig {
        inputs,
        hidden,
        outputs,
        activation: Activation::VARIANTS[rng.below(4)],
        loss: Loss::VARIANTS[rng.below(2)],
        init: None,
        seed: rng.next_u64(),
    };
    let batch = 1 + rng.below(3);
    let x = (0..batch * inputs).map(|_| rng.symmetric(1.0)).collect();
    let labels = (0..batch).map(|_| rng.below(outputs) as u8).collect();
    (Network::new(config).unwrap(), x, labels)
}

#[test]
fn gradients_match_finite_differences_on_seeded_cases() {
    let mut checked = 0;
    for seed in 0..60 {
        let (network, x, labels) = case(seed);
        checked += common::check_gradient(&network, &x, &labels);
    }
    assert!(checked > 1000, "only {checked} parameters were checked");
}

#[test]
fn one_example_weight_gradient_is_activation_times_error() {
    for seed in 0..20 {
        let (network, x, labels) = case(seed);
        let n = network.config().inputs;
        let g = network.gradient(&x[..n], labels[0]).unwrap();
        for (l, layer) in network.layers().iter().enumerate() {
            for o in 0..layer.outputs {
                for i in 0..layer.inputs {
                    let expected = g.errors[l][o] * g.trace.activations[l][i];
                    assert_eq!(g.weights[l][o * layer.inputs + i], expected);
                }
                assert_eq!(g.biases[l][o], g.errors[l][o]);
            }
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn gradients_match_finite_differences(seed in any::<u64>()) {
            let (network, x, labels) = super::case(seed);
            super::common::check_gradient(&network, &x, &labels);
        }
    }
}
