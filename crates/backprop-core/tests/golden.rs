//! A tiny network worked through by hand: forward pass, gradient and one SGD step.
//!
//! Network 2-2-2, ReLU hidden layer, softmax + cross-entropy, input x = (1, 0.5), label 1.
//!   W1 = [[0.5, -1], [1, 2]], b1 = (0.25, -1)
//!   z1 = (0.5·1 − 1·0.5 + 0.25, 1·1 + 2·0.5 − 1) = (0.25, 1)        a1 = ReLU(z1) = (0.25, 1)
//!   W2 = [[1, -1], [0.5, 0.5]], b2 = (0, 0)
//!   z2 = (0.25 − 1, 0.125 + 0.5) = (−0.75, 0.625)
//!   p  = softmax(z2): p0 = 1 / (1 + e^1.375), p1 = 1 − p0   (e^1.375 ≈ 3.95508, p0 ≈ 0.201810)
//!   loss = −ln p1 = ln(1 + e^−1.375) ≈ 0.225418
//! Backwards:
//!   δ2 = p − t = (p0, −p0)                          (t = (0, 1): the output for 1 must rise)
//!   dW2 = δ2 ⊗ a1 = [[0.25·p0, p0], [−0.25·p0, −p0]]   db2 = δ2
//!   W2ᵀ·δ2 = (1·p0 − 0.5·p0, −1·p0 − 0.5·p0) = (0.5·p0, −1.5·p0); ReLU' = 1 on both (z1 > 0)
//!   δ1 = (0.5·p0, −1.5·p0)
//!   dW1 = δ1 ⊗ x = [[0.5·p0, 0.25·p0], [−1.5·p0, −0.75·p0]]   db1 = δ1
//! One SGD step with η = 0.5: every parameter moves by −0.5 × its gradient.

mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use backprop_core::{
    Activation, Layer, Loss, Network, NetworkConfig, OptimizerKind, Trainer, TrainingConfig,
};

fn tiny() -> Network {
    let config = NetworkConfig {
        inputs: 2,
        hidden: vec![2],
        outputs: 2,
        activation: Activation::Relu,
        loss: Loss::SoftmaxCrossEntropy,
        init: None,
        seed: 0,
    };
    let layers = vec![
        Layer {
            inputs: 2,
            outputs: 2,
            weights: vec![0.5, -1.0, 1.0, 2.0],
            biases: vec![0.25, -1.0],
        },
        Layer {
            inputs: 2,
            outputs: 2,
            weights: vec![1.0, -1.0, 0.5, 0.5],
            biases: vec![0.0, 0.0],
        },
    ];
    Network::from_layers(config, layers).expect("shapes fit")
}

const X: [f32; 2] = [1.0, 0.5];

fn p0() -> f32 {
    1.0 / (1.0 + 1.375f32.exp())
}

fn assert_close(actual: &[f32], expected: &[f32]) {
    assert_eq!(actual.len(), expected.len());
    for (a, e) in actual.iter().zip(expected) {
        assert!(
            (a - e).abs() < 1e-6,
            "got {actual:?}, expected {expected:?}"
        );
    }
}

#[test]
fn forward_matches_hand_derivation() {
    let trace = tiny().forward(&X).unwrap();
    assert_close(&trace.pre_activations[0], &[0.25, 1.0]);
    assert_close(&trace.activations[1], &[0.25, 1.0]);
    assert_close(&trace.pre_activations[1], &[-0.75, 0.625]);
    assert_close(&trace.activations[2], &[p0(), 1.0 - p0()]);
    assert!((p0() - 0.201_810).abs() < 1e-5);
}

#[test]
fn gradient_matches_hand_derivation() {
    let g = tiny().gradient(&X, 1).unwrap();
    let p = p0();
    assert!((g.loss - (1.0 + (-1.375f32).exp()).ln()).abs() < 1e-6);
    assert!((g.loss - 0.225_418).abs() < 1e-5);
    assert_close(&g.errors[1], &[p, -p]);
    assert_close(&g.weights[1], &[0.25 * p, p, -0.25 * p, -p]);
    assert_close(&g.biases[1], &[p, -p]);
    assert_close(&g.errors[0], &[0.5 * p, -1.5 * p]);
    assert_close(&g.weights[0], &[0.5 * p, 0.25 * p, -1.5 * p, -0.75 * p]);
    assert_close(&g.biases[0], &[0.5 * p, -1.5 * p]);
}

#[test]
fn one_sgd_step_matches_hand_derivation() {
    let mut network = tiny();
    let mut trainer = Trainer::new(TrainingConfig {
        optimizer: OptimizerKind::Sgd,
        learning_rate: 0.5,
        ..TrainingConfig::default()
    })
    .unwrap();
    let loss = trainer.step(&mut network, &X, &[1]).unwrap();
    assert!((loss - 0.225_418).abs() < 1e-5);
    let p = p0();
    let l = network.layers();
    assert_close(
        &l[0].weights,
        &[
            0.5 - 0.25 * p,
            -1.0 - 0.125 * p,
            1.0 + 0.75 * p,
            2.0 + 0.375 * p,
        ],
    );
    assert_close(&l[0].biases, &[0.25 - 0.25 * p, -1.0 + 0.75 * p]);
    assert_close(
        &l[1].weights,
        &[
            1.0 - 0.125 * p,
            -1.0 - 0.5 * p,
            0.5 + 0.125 * p,
            0.5 + 0.5 * p,
        ],
    );
    assert_close(&l[1].biases, &[-0.5 * p, 0.5 * p]);
    // The step helped: the desired output rose.
    let after = network.predict(&X).unwrap();
    assert!(after[1] > 1.0 - p);
}
