//! A network copies its weights and biases to another through one flat array, as the training
//! worker sends them to the page.

mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use backprop_core::{Network, NetworkConfig, Trainer, TrainingConfig};

/// The network's weights and biases as the one flat array the training worker sends the page.
fn flat(net: &Network) -> Vec<f32> {
    net.parameter_parts().flatten().copied().collect()
}

/// For the flat copy of the weights and biases that the training worker sends the page.
fn small_network(seed: u64) -> Network {
    Network::new(NetworkConfig {
        inputs: 6,
        hidden: vec![5, 4],
        outputs: 3,
        seed,
        ..NetworkConfig::default()
    })
    .unwrap()
}

#[test]
fn parameters_lay_out_each_layers_weights_then_biases() {
    let mut net = small_network(1);
    let mut trainer = Trainer::new(TrainingConfig::default()).unwrap();
    // Trained once, so that the biases are no longer zero and their places matter.
    trainer
        .step(&mut net, &[0.1, 0.9, 0.3, 0.0, 0.5, 0.7], &[2])
        .unwrap();
    let want: Vec<f32> = net
        .layers()
        .iter()
        .flat_map(|l| l.weights.iter().chain(&l.biases).copied())
        .collect();
    assert_eq!(flat(&net), want);
    assert_eq!(want.len(), net.config().parameter_count());
}

#[test]
fn a_copy_with_the_same_parameters_computes_the_same_outputs() {
    let mut original = small_network(1);
    let mut trainer = Trainer::new(TrainingConfig::default()).unwrap();
    for label in [0, 1, 2, 1] {
        trainer
            .step(&mut original, &[0.2, 0.4, 0.6, 0.8, 1.0, 0.0], &[label])
            .unwrap();
    }
    // Another seed: every weight differs until the copy.
    let mut copy = small_network(2);
    assert_ne!(copy.layers(), original.layers());
    copy.set_parameters(&flat(&original)).unwrap();
    assert_eq!(copy.layers(), original.layers());
    let input = [0.3, 0.1, 0.4, 0.1, 0.5, 0.9];
    assert_eq!(
        copy.predict(&input).unwrap(),
        original.predict(&input).unwrap()
    );
}
