//! The pieces of a hidden neuron's error signal agree with backpropagation: its δ is the
//! gradient's bit for bit, the product of the back-propagated sum and the slope, and the sum
//! is the terms' sum.

mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use backprop_core::{Activation, ErrorKind, Named, Network, NetworkConfig, Rng};

fn network(activation: Activation, hidden: Vec<usize>) -> Network {
    Network::new(NetworkConfig {
        inputs: 7,
        hidden,
        outputs: 4,
        activation,
        seed: 21,
        ..NetworkConfig::default()
    })
    .unwrap()
}

#[test]
fn every_hidden_neuron_s_terms_add_up_to_its_error_signal() {
    let mut rng = Rng::new(8);
    for &activation in Activation::VARIANTS {
        let net = network(activation, vec![9, 6, 5]);
        let input: Vec<f32> = (0..7).map(|_| rng.symmetric(1.0)).collect();
        let label = rng.below(4) as u8;
        let gradient = net.gradient(&input, label).unwrap();
        for (l, &width) in net.config().hidden.iter().enumerate() {
            let layer = l + 1;
            for neuron in 0..width {
                let e = net.error_terms(&input, label, layer, neuron).unwrap();
                let case = format!("{activation:?} layer {layer} neuron {neuron}: {e:?}");
                assert_eq!(
                    e.delta.to_bits(),
                    gradient.errors[l][neuron].to_bits(),
                    "{case}"
                );
                assert_eq!((e.sum * e.slope).to_bits(), e.delta.to_bits(), "{case}");
                assert_eq!(e.terms.len(), net.sizes()[layer + 1], "{case}");
                let added: f32 = e.terms.iter().sum();
                let size: f32 = e.terms.iter().map(|t| t.abs()).sum();
                let rounding = e.terms.len() as f32 * f32::EPSILON * size;
                assert!((added - e.sum).abs() <= rounding, "{case}");
            }
        }
    }
}

#[test]
fn a_term_is_the_outgoing_weight_times_the_next_error_signal() {
    let net = network(Activation::Tanh, vec![3]);
    let input = [0.3, -0.2, 0.9, 0.1, 0.0, -0.7, 0.5];
    let gradient = net.gradient(&input, 2).unwrap();
    let e = net.error_terms(&input, 2, 1, 1).unwrap();
    let out = &net.layers()[1];
    for (k, &term) in e.terms.iter().enumerate() {
        assert_eq!(term, out.weights[k * 3 + 1] * gradient.errors[1][k]);
    }
    let a = gradient.trace.activations[1][1];
    assert_eq!(e.slope, 1.0 - a * a);
}

#[test]
fn layers_and_neurons_that_do_not_exist_are_input_errors() {
    let net = network(Activation::Relu, vec![9, 6]);
    let input = [0.5; 7];
    for (layer, neuron, message) in [
        (
            0,
            0,
            "layer 0 is not a hidden layer; they are layers 1 to 2",
        ),
        (
            3,
            0,
            "layer 3 is not a hidden layer; they are layers 1 to 2",
        ),
        (
            2,
            6,
            "hidden layer 2 has 6 neurons, so there is no neuron 6",
        ),
    ] {
        let err = net.error_terms(&input, 1, layer, neuron).unwrap_err();
        assert_eq!(
            (err.kind, err.message.as_str()),
            (ErrorKind::Input, message)
        );
    }
    let err = network(Activation::Relu, vec![])
        .error_terms(&input, 1, 1, 0)
        .unwrap_err();
    assert_eq!(err.message, "this network has no hidden layers");
    let err = net.error_terms(&input, 9, 1, 0).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Input);
}
