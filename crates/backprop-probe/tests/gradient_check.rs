//! The gradient check agrees with backpropagation wherever the comparison means something, says
//! where it does not (kinks), and picks its parameters reproducibly from every layer.
#![cfg(not(target_arch = "wasm32"))]

use backprop_core::{Activation, ErrorKind, Loss, Named, Network, NetworkConfig, Rng};
use backprop_probe::{check_gradient, sample_parameters, DEFAULT_STEP};
use proptest::prelude::*;

/// A random small network, input and label, all drawn from `seed`.
fn case(seed: u64, activation: Activation, loss: Loss) -> (Network, Vec<f32>, u8) {
    let mut rng = Rng::new(seed);
    let inputs = 1 + rng.below(6);
    let outputs = 2 + rng.below(4);
    let hidden = (0..rng.below(4)).map(|_| 1 + rng.below(6)).collect();
    let config = NetworkConfig {
        inputs,
        hidden,
        outputs,
        activation,
        loss,
        init: None,
        seed: rng.next_u64(),
    };
    let x = (0..inputs).map(|_| rng.symmetric(1.0)).collect();
    let label = rng.below(outputs) as u8;
    (Network::new(config).unwrap(), x, label)
}

fn all_parameters(network: &Network) -> Vec<u32> {
    (0..network.config().parameter_count() as u32).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    /// Away from kinks, analytic and numeric agree within 1e-3 relative. Gradients below 1e-3
    /// are held to 1e-6 absolute instead: the f32 gradient cannot resolve finer, as the output
    /// error p − t is rounded to about 6e-8 and multiplied by activations of up to about 10 (a
    /// softmax output that rounds to exactly 1 has an f32 gradient of 0 where the true one is
    /// 1e-7). Over 20,000 random cases the largest relative difference of gradients above 1e-4
    /// was 5.5e-4.
    #[test]
    fn analytic_and_numeric_gradients_agree_away_from_kinks(
        seed in any::<u64>(),
        activation in proptest::sample::select(Activation::VARIANTS.to_vec()),
        loss in proptest::sample::select(Loss::VARIANTS.to_vec()),
    ) {
        let (network, x, label) = case(seed, activation, loss);
        let check = check_gradient(&network, &x, label, &all_parameters(&network), DEFAULT_STEP)
            .unwrap();
        prop_assert_eq!(check.loss, network.gradient(&x, label).unwrap().loss);
        for p in check.parameters.iter().filter(|p| !p.kink) {
            let size = p.analytic.abs().max(p.numeric.abs());
            prop_assert!(
                (p.analytic - p.numeric).abs() <= 1e-3 * size.max(1e-3),
                "{p:?} of {:?}", network.config()
            );
            if size >= 1e-3 {
                prop_assert!(p.relative <= 1e-3, "{p:?}");
            }
        }
        if !matches!(activation, Activation::Relu | Activation::LeakyRelu) {
            prop_assert!(check.parameters.iter().all(|p| !p.kink));
        }
    }
}

/// A step across a ReLU's kink is flagged: with its only incoming weight and its bias at zero,
/// the hidden neuron's weighted sum is −h·x at w − h and +h·x at w + h.
#[test]
fn a_step_across_a_kink_is_flagged() {
    for activation in [Activation::Relu, Activation::LeakyRelu, Activation::Tanh] {
        let mut network = Network::new(NetworkConfig {
            inputs: 1,
            hidden: vec![1],
            outputs: 2,
            activation,
            seed: 3,
            ..NetworkConfig::default()
        })
        .unwrap();
        // Weight, bias of the hidden neuron; then the 2 × 1 output weights and 2 biases.
        network
            .set_parameters(&[0.0, 0.0, 0.7, -0.4, 0.1, 0.0])
            .unwrap();
        let check = check_gradient(&network, &[1.0], 0, &[0, 1, 2, 4], DEFAULT_STEP).unwrap();
        let kinks: Vec<bool> = check.parameters.iter().map(|p| p.kink).collect();
        let kinked = activation != Activation::Tanh;
        // The bias moves z across 0 as well; the output layer's parameters do not.
        assert_eq!(kinks, [kinked, kinked, false, false], "{activation:?}");
    }
}

#[test]
fn parameters_are_checked_in_the_order_asked_and_the_step_is_reported() {
    let (network, x, label) = case(5, Activation::Tanh, Loss::SoftmaxCrossEntropy);
    let count = network.config().parameter_count() as u32;
    let indices = [count - 1, 0, 2, 0];
    let check = check_gradient(&network, &x, label, &indices, 1e-4).unwrap();
    assert_eq!(check.step, 1e-4);
    let order: Vec<u32> = check.parameters.iter().map(|p| p.index).collect();
    assert_eq!(order, indices);
    assert_eq!(check.parameters[1], check.parameters[3]);
}

#[test]
fn bad_indices_steps_and_inputs_are_input_errors() {
    let (network, x, label) = case(2, Activation::Relu, Loss::SoftmaxCrossEntropy);
    let count = network.config().parameter_count() as u32;
    let err = check_gradient(&network, &x, label, &[0, count], DEFAULT_STEP).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Input);
    assert_eq!(
        err.message,
        format!(
            "parameter {count} does not exist; the network has {count} (0 to {})",
            count - 1
        )
    );
    for step in [0.0, -1e-5, f64::NAN, f64::INFINITY] {
        let err = check_gradient(&network, &x, label, &[0], step).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Input, "{step}");
    }
    let err = check_gradient(&network, &x[1..], label, &[0], DEFAULT_STEP).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Input);
    let err = check_gradient(&network, &x, 200, &[0], DEFAULT_STEP).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Input);
}

fn w1() -> Network {
    Network::new(NetworkConfig {
        hidden: vec![128, 64],
        seed: 1,
        ..NetworkConfig::default()
    })
    .unwrap()
}

#[test]
fn sampled_parameters_are_distinct_ordered_reproducible_and_in_every_part() {
    let network = w1();
    // The layout's parts: weights and biases of each of the three weight layers.
    let mut ends = Vec::new();
    let mut end = 0;
    for layer in network.layers() {
        end += layer.weights.len();
        ends.push(end);
        end += layer.biases.len();
        ends.push(end);
    }
    let picked = sample_parameters(&network, 20, 7, None).unwrap();
    assert_eq!(picked.len(), 20);
    assert!(picked.windows(2).all(|w| w[0] < w[1]), "{picked:?}");
    let mut per_part = vec![0; ends.len()];
    for &i in &picked {
        per_part[ends.iter().position(|&e| (i as usize) < e).unwrap()] += 1;
    }
    // 20 over 6 parts: the first two get 4, the others 3.
    assert_eq!(per_part, [4, 4, 3, 3, 3, 3]);
    assert_eq!(sample_parameters(&network, 20, 7, None).unwrap(), picked);
    assert_ne!(sample_parameters(&network, 20, 8, None).unwrap(), picked);
}

#[test]
fn small_parts_give_their_share_to_the_others() {
    // 4 inputs, 1 hidden neuron, 2 outputs: parts of 4, 1, 2 and 2 parameters.
    let network = Network::new(NetworkConfig {
        inputs: 4,
        hidden: vec![1],
        outputs: 2,
        ..NetworkConfig::default()
    })
    .unwrap();
    assert_eq!(
        sample_parameters(&network, 9, 1, None).unwrap(),
        (0..9).collect::<Vec<u32>>()
    );
    let picked = sample_parameters(&network, 6, 1, None).unwrap();
    assert!(
        picked.contains(&4),
        "the one hidden bias is picked: {picked:?}"
    );
    assert_eq!(picked.iter().filter(|&&i| i < 4).count(), 2, "{picked:?}");
    let err = sample_parameters(&network, 10, 1, None).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Input);
    assert_eq!(err.message, "cannot pick 10 parameters: the network has 9");
    assert!(sample_parameters(&network, 0, 1, None).unwrap().is_empty());
}

#[test]
fn first_layer_weights_are_drawn_from_inked_inputs() {
    // 4 inputs, 2 hidden neurons, 2 outputs: weights 0..8 (neuron-major), biases 8..10, then
    // 10..14 and 14..16.
    let network = Network::new(NetworkConfig {
        inputs: 4,
        hidden: vec![2],
        outputs: 2,
        ..NetworkConfig::default()
    })
    .unwrap();
    let input = [0.0, 0.7, 0.0, 1.0];
    for seed in 0..20 {
        let picked = sample_parameters(&network, 10, seed, Some(&input)).unwrap();
        assert!(picked.windows(2).all(|w| w[0] < w[1]), "{picked:?}");
        let first: Vec<u32> = picked.iter().copied().filter(|&i| i < 8).collect();
        assert!(!first.is_empty(), "{picked:?}");
        assert!(
            first.iter().all(|&i| input[i as usize % 4] != 0.0),
            "only weights from inputs 1 and 3: {picked:?}"
        );
    }
    // The four weights from inked inputs and all eight others.
    let all = sample_parameters(&network, 12, 3, Some(&input)).unwrap();
    assert_eq!(all, [1, 3, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    let err = sample_parameters(&network, 13, 3, Some(&input)).unwrap_err();
    assert_eq!(
        err.message,
        "cannot pick 13 parameters: the network has 16 (4 of them weights from inputs that are 0)"
    );
    // A blank input leaves nothing out; an input of another length is refused.
    assert_eq!(
        sample_parameters(&network, 16, 3, Some(&[0.0; 4]))
            .unwrap()
            .len(),
        16
    );
    let err = sample_parameters(&network, 1, 3, Some(&[1.0; 3])).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Input);
    assert_eq!(err.message, "expected 1 × 4 = 4 input values, got 3");
}

#[test]
fn sampled_parameters_of_a_real_network_pass_the_check() {
    let network = w1();
    let mut rng = Rng::new(4);
    let input: Vec<f32> = (0..784).map(|_| rng.next_f32()).collect();
    let indices = sample_parameters(&network, 40, 11, None).unwrap();
    let check = check_gradient(&network, &input, 3, &indices, DEFAULT_STEP).unwrap();
    let compared: Vec<_> = check.parameters.iter().filter(|p| !p.kink).collect();
    assert!(compared.len() >= 35, "{} kinks", 40 - compared.len());
    for p in compared {
        let size = p.analytic.abs().max(p.numeric.abs());
        assert!(
            (p.analytic - p.numeric).abs() <= 1e-3 * size.max(1e-3),
            "{p:?}"
        );
    }
}
