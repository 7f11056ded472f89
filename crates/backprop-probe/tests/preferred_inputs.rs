//! Each neuron's preferred input excites it more than the grey start and than random images.
#![cfg(not(target_arch = "wasm32"))]

use backprop_core::{Activation, ErrorKind, Named, Network, NetworkConfig, Rng};
use backprop_probe::{preferred_inputs, GREY};

fn network(activation: Activation) -> Network {
    Network::new(NetworkConfig {
        hidden: vec![32, 16],
        activation,
        seed: 9,
        ..NetworkConfig::default()
    })
    .unwrap()
}

/// z of every neuron of neuron layer `layer` for every image of `images`: `images × neurons`.
fn weighted_sums(network: &Network, layer: usize, images: &[f32]) -> Vec<f32> {
    let count = images.len() / 784;
    let trace = network.forward_batch(images, count).unwrap();
    trace.pre_activations[layer - 1].clone()
}

#[test]
fn every_picture_beats_the_grey_start_and_twenty_random_images() {
    let mut rng = Rng::new(1);
    let random: Vec<f32> = (0..20 * 784).map(|_| rng.next_f32()).collect();
    for &activation in Activation::VARIANTS {
        let network = network(activation);
        for layer in [2, 3] {
            let neurons = network.sizes()[layer];
            let pictures = preferred_inputs(&network, layer).unwrap();
            assert_eq!(pictures.len(), neurons * 784);
            assert!(pictures.iter().all(|p| (0.0..=1.0).contains(p)));
            let own = weighted_sums(&network, layer, &pictures);
            let grey = weighted_sums(&network, layer, &[GREY; 784]);
            let others = weighted_sums(&network, layer, &random);
            for n in 0..neurons {
                let z = own[n * neurons + n];
                let case = format!("{activation:?} layer {layer} neuron {n}: z {z}");
                assert!(z > grey[n], "{case}, grey {}", grey[n]);
                for image in 0..20 {
                    let other = others[image * neurons + n];
                    assert!(z > other, "{case}, random image {image}: {other}");
                }
            }
        }
    }
}

#[test]
fn pictures_are_deterministic_and_differ_between_neurons() {
    let network = network(Activation::Relu);
    let pictures = preferred_inputs(&network, 3).unwrap();
    assert_eq!(preferred_inputs(&network, 3).unwrap(), pictures);
    let (first, second) = (&pictures[..784], &pictures[784..2 * 784]);
    assert_ne!(first, second);
    assert!(first.iter().any(|&p| p != GREY));
}

#[test]
fn layers_without_neurons_with_weights_are_input_errors() {
    let network = network(Activation::Tanh);
    for layer in [0, 4] {
        let err = preferred_inputs(&network, layer).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Input);
        assert_eq!(
            err.message,
            format!("layer {layer} is not a layer of neurons with weights; they are layers 1 to 3")
        );
    }
}
