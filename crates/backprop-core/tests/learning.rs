//! The network learns XOR with every optimiser. (Learning real digits needs data files: see
//! the CLI's `mnist_test_set` tests.)

mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use backprop_core::{
    argmax, Activation, Loss, Network, NetworkConfig, OptimizerKind, Trainer, TrainingConfig,
};

fn xor_learns(activation: Activation, loss: Loss, optimizer: OptimizerKind, learning_rate: f32) {
    let inputs = [0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0];
    let labels = [0u8, 1, 1, 0];
    let config = NetworkConfig {
        inputs: 2,
        hidden: vec![8],
        outputs: 2,
        activation,
        loss,
        init: None,
        seed: 3,
    };
    let mut network = Network::new(config).unwrap();
    let mut trainer = Trainer::new(TrainingConfig {
        optimizer,
        learning_rate,
        batch_size: 4,
        ..TrainingConfig::default()
    })
    .unwrap();
    let first = trainer.step(&mut network, &inputs, &labels).unwrap();
    let mut last = first;
    for _ in 0..3000 {
        last = trainer.step(&mut network, &inputs, &labels).unwrap();
    }
    for (x, &y) in inputs.chunks(2).zip(&labels) {
        let out = network.predict(x).unwrap();
        assert_eq!(
            argmax(&out),
            y as usize,
            "{activation:?} {loss:?} {optimizer:?}: {x:?} → {out:?}"
        );
    }
    assert!(last < first / 4.0, "loss only went from {first} to {last}");
}

#[test]
fn xor_converges_with_each_optimiser() {
    xor_learns(
        Activation::Tanh,
        Loss::SoftmaxCrossEntropy,
        OptimizerKind::Sgd,
        0.5,
    );
    xor_learns(
        Activation::Relu,
        Loss::SoftmaxCrossEntropy,
        OptimizerKind::Momentum,
        0.05,
    );
    xor_learns(
        Activation::LeakyRelu,
        Loss::SoftmaxCrossEntropy,
        OptimizerKind::Adam,
        0.01,
    );
    xor_learns(
        Activation::Sigmoid,
        Loss::SigmoidSquaredError,
        OptimizerKind::Sgd,
        5.0,
    );
}
