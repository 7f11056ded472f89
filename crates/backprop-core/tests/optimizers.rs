//! The optimisers follow their textbook update rules.

mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use backprop_core::{Network, NetworkConfig, OptimizerKind, Trainer, TrainingConfig};

const X: [f32; 3] = [0.2, -0.7, 0.9];

fn network() -> Network {
    Network::new(NetworkConfig {
        inputs: 3,
        hidden: vec![],
        outputs: 2,
        seed: 4,
        ..NetworkConfig::default()
    })
    .unwrap()
}

fn trainer(optimizer: OptimizerKind, l2: f32) -> Trainer {
    Trainer::new(TrainingConfig {
        optimizer,
        learning_rate: 0.1,
        l2,
        ..TrainingConfig::default()
    })
    .unwrap()
}

#[test]
fn sgd_with_l2_decays_weights_but_not_biases() {
    let mut net = network();
    let before = net.layers()[0].clone();
    let g = net.gradient(&X, 1).unwrap();
    trainer(OptimizerKind::Sgd, 0.5)
        .step(&mut net, &X, &[1])
        .unwrap();
    let after = &net.layers()[0];
    for k in 0..before.weights.len() {
        let expected = before.weights[k] - 0.1 * (g.weights[0][k] + 0.5 * before.weights[k]);
        assert!((after.weights[k] - expected).abs() < 1e-7);
    }
    for k in 0..before.biases.len() {
        let expected = before.biases[k] - 0.1 * g.biases[0][k];
        assert!((after.biases[k] - expected).abs() < 1e-7);
    }
}

#[test]
fn momentum_accumulates_velocity() {
    let mut net = network();
    let mut t = trainer(OptimizerKind::Momentum, 0.0);
    let w0 = net.layers()[0].weights.clone();
    let g1 = net.gradient(&X, 0).unwrap().weights[0].clone();
    t.step(&mut net, &X, &[0]).unwrap();
    let g2 = net.gradient(&X, 0).unwrap().weights[0].clone();
    t.step(&mut net, &X, &[0]).unwrap();
    for k in 0..w0.len() {
        let w1 = w0[k] - 0.1 * g1[k];
        let w2 = w1 - 0.1 * (0.9 * g1[k] + g2[k]);
        assert!((net.layers()[0].weights[k] - w2).abs() < 1e-6);
    }
    assert_eq!(t.steps(), 2);
}

#[test]
fn adam_first_step_moves_each_parameter_by_the_learning_rate() {
    // After one step m̂ = g and v̂ = g², so the update is η·g/(|g| + ε) ≈ η·sign(g).
    let mut net = network();
    let w0 = net.layers()[0].weights.clone();
    let g = net.gradient(&X, 1).unwrap().weights[0].clone();
    trainer(OptimizerKind::Adam, 0.0)
        .step(&mut net, &X, &[1])
        .unwrap();
    for k in 0..w0.len() {
        let moved = net.layers()[0].weights[k] - w0[k];
        assert!(
            (moved + 0.1 * g[k].signum()).abs() < 1e-5,
            "weight {k} moved {moved}, gradient {}",
            g[k]
        );
    }
}

#[test]
fn changing_the_optimiser_resets_its_state() {
    let mut net = network();
    let mut t = trainer(OptimizerKind::Adam, 0.0);
    t.step(&mut net, &X, &[1]).unwrap();
    assert_eq!(t.steps(), 1);
    t.set_config(TrainingConfig {
        optimizer: OptimizerKind::Momentum,
        ..t.config().clone()
    })
    .unwrap();
    assert_eq!(t.steps(), 0);
    let err = t
        .set_config(TrainingConfig {
            batch_size: 0,
            ..TrainingConfig::default()
        })
        .unwrap_err();
    assert!(
        err.message.contains("batchSize must be between 1 and 4096"),
        "{err}"
    );
    assert_eq!(
        t.config().optimizer,
        OptimizerKind::Momentum,
        "a refused setting changes nothing"
    );
}

#[test]
fn divergence_is_an_error_not_a_silent_nan() {
    let mut net = network();
    let mut t = Trainer::new(TrainingConfig {
        learning_rate: 10.0,
        ..TrainingConfig::default()
    })
    .unwrap();
    let huge = [1e30f32; 3];
    let err = (0..10)
        .find_map(|i| t.step(&mut net, &huge, &[i % 2]).err())
        .expect("training on huge inputs with a huge learning rate diverges");
    assert_eq!(err.kind, backprop_core::ErrorKind::Diverged);
    assert!(
        err.message.starts_with("training diverged at step"),
        "{err}"
    );
}

#[test]
fn a_state_rebuilt_from_its_moments_trains_on_the_same() {
    for optimizer in [
        OptimizerKind::Sgd,
        OptimizerKind::Momentum,
        OptimizerKind::Adam,
    ] {
        let mut net = network();
        let mut t = trainer(optimizer, 0.01);
        for label in [1, 0, 1] {
            t.step(&mut net, &X, &[label]).unwrap();
        }
        let flat = |parts: Vec<&[f32]>| parts.concat();
        let state = t.state();
        let (first, second) = (
            flat(state.first_moments().collect()),
            flat(state.second_moments().collect()),
        );
        let kept = match optimizer {
            OptimizerKind::Sgd => (0, 0),
            OptimizerKind::Momentum => (8, 0),
            OptimizerKind::Adam => (8, 8),
        };
        assert_eq!((first.len(), second.len()), kept, "{optimizer:?}");
        let rebuilt =
            backprop_core::OptimizerState::from_moments(&net, optimizer, 3, &first, &second)
                .unwrap();
        assert_eq!(&rebuilt, state);
        let mut again = Trainer::with_state(t.config().clone(), rebuilt).unwrap();
        let mut copy = net.clone();
        t.step(&mut net, &X, &[0]).unwrap();
        again.step(&mut copy, &X, &[0]).unwrap();
        assert_eq!(
            format!("{net:?} {:?}", t.state()),
            format!("{copy:?} {:?}", again.state())
        );
    }
}

#[test]
fn moments_that_do_not_fit_the_optimiser_or_the_network_are_refused() {
    let net = network();
    let (none, some, short) = (vec![], vec![0.5; 8], vec![0.5; 7]);
    for (optimizer, first, second, name) in [
        (OptimizerKind::Sgd, &some, &none, "SGD"),
        (OptimizerKind::Momentum, &some, &some, "momentum"),
        (OptimizerKind::Momentum, &short, &none, "momentum"),
        (OptimizerKind::Adam, &some, &none, "Adam"),
        (OptimizerKind::Adam, &none, &some, "Adam"),
    ] {
        let e = backprop_core::OptimizerState::from_moments(&net, optimizer, 1, first, second)
            .unwrap_err();
        assert_eq!(
            e.message,
            format!(
                "moments of {} and {} values do not fit {name} on a network of 8 weights and biases",
                first.len(),
                second.len()
            )
        );
    }
}
