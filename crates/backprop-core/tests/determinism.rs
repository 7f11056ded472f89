//! One seed, one network: bit-identical weights and training runs on every platform.

mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use backprop_core::{Network, NetworkConfig, Rng, Trainer, TrainingConfig};
use common::weight_checksum;

/// The checksum of the default 784-128-64-10 network's initial weights for seed 42. The same
/// constant is asserted natively, in Chromium and in Firefox.
const SEED_42_CHECKSUM: u64 = 17_505_335_977_386_333_377;

fn network(seed: u64) -> Network {
    Network::new(NetworkConfig {
        seed,
        ..NetworkConfig::default()
    })
    .unwrap()
}

#[test]
fn same_seed_gives_bit_identical_initial_weights_everywhere() {
    assert_eq!(weight_checksum(&network(42)), SEED_42_CHECKSUM);
    assert_eq!(network(42), network(42));
}

#[test]
fn different_seeds_give_different_weights() {
    assert_ne!(weight_checksum(&network(42)), weight_checksum(&network(43)));
}

#[test]
fn training_twice_with_one_seed_gives_identical_weights() {
    let run = |seed: u64| {
        let mut net = network(seed);
        let mut trainer = Trainer::new(TrainingConfig::default()).unwrap();
        let mut rng = Rng::new(seed);
        for _ in 0..5 {
            let x: Vec<f32> = (0..8 * 784).map(|_| rng.next_f32()).collect();
            let y: Vec<u8> = (0..8).map(|_| rng.below(10) as u8).collect();
            trainer.step(&mut net, &x, &y).unwrap();
        }
        net
    };
    assert_eq!(weight_checksum(&run(7)), weight_checksum(&run(7)));
    assert_ne!(weight_checksum(&run(7)), weight_checksum(&run(8)));
}
