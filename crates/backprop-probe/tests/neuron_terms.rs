//! A neuron's largest terms, the rest and the bias add up to its weighted sum.
#![cfg(not(target_arch = "wasm32"))]

use backprop_core::{Activation, ErrorKind, Named, Network, NetworkConfig, Rng};
use backprop_probe::neuron_terms;

fn network(activation: Activation, seed: u64) -> Network {
    Network::new(NetworkConfig {
        hidden: vec![24, 12],
        activation,
        seed,
        ..NetworkConfig::default()
    })
    .unwrap()
}

#[test]
fn top_terms_rest_and_bias_add_up_to_z() {
    let mut rng = Rng::new(2);
    for &activation in Activation::VARIANTS {
        for seed in 0..3 {
            let mut network = network(activation, seed);
            // Non-zero biases, so that they count.
            let mut parameters: Vec<f32> = network.parameter_parts().flatten().copied().collect();
            parameters
                .iter_mut()
                .for_each(|p| *p += rng.symmetric(0.05));
            network.set_parameters(&parameters).unwrap();
            let input: Vec<f32> = (0..784).map(|_| rng.next_f32()).collect();
            let trace = network.forward(&input).unwrap();
            for layer in 1..=3 {
                let below = network.sizes()[layer - 1];
                for neuron in 0..network.sizes()[layer] {
                    for k in [0, 1, 5, below, below + 3, usize::MAX] {
                        let t = neuron_terms(&network, &input, layer, neuron, k).unwrap();
                        let case = format!("{activation:?} layer {layer} neuron {neuron} k {k}");
                        let shown = k.min(below);
                        assert_eq!(t.indices.len(), shown, "{case}");
                        assert_eq!(t.rest_count, below - shown, "{case}");
                        let z = trace.pre_activations[layer - 1][neuron];
                        assert_eq!(t.z.to_bits(), z.to_bits(), "{case}");
                        let a = trace.activations[layer][neuron];
                        assert_eq!(t.a.to_bits(), a.to_bits(), "{case}");
                        let row = &network.layers()[layer - 1].weights[neuron * below..][..below];
                        assert_eq!(t.bias, network.layers()[layer - 1].biases[neuron]);
                        for (j, &i) in t.indices.iter().enumerate() {
                            let i = i as usize;
                            assert_eq!(t.weights[j], row[i], "{case}");
                            assert_eq!(t.inputs[j], trace.activations[layer - 1][i], "{case}");
                            assert_eq!(t.terms[j], row[i] * t.inputs[j], "{case}");
                        }
                        // Largest first, and none of the rest is larger than the last shown.
                        assert!(
                            t.terms.windows(2).all(|w| w[0].abs() >= w[1].abs()),
                            "{case}"
                        );
                        if let Some(last) = t.terms.last() {
                            let shown: Vec<usize> = t.indices.iter().map(|&i| i as usize).collect();
                            let largest_rest = (0..below)
                                .filter(|i| !shown.contains(i))
                                .map(|i| (row[i] * trace.activations[layer - 1][i]).abs())
                                .fold(0.0, f32::max);
                            assert!(largest_rest <= last.abs(), "{case}");
                        }
                        let total =
                            t.terms.iter().map(|&t| t as f64).sum::<f64>() + t.rest + t.bias as f64;
                        let size: f64 = row
                            .iter()
                            .zip(&trace.activations[layer - 1])
                            .map(|(&w, &a)| (w as f64 * a as f64).abs())
                            .sum();
                        // Where the terms cancel, z is small and the f32 forward pass's rounding
                        // (about 1e-8 of the terms' total size here) dominates.
                        assert!(
                            (total - z as f64).abs() <= 1e-5 * (z as f64).abs() + 1e-6 * size,
                            "{case}: {total} vs {z}, terms of size {size}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn layers_and_neurons_that_do_not_exist_are_input_errors() {
    let network = network(Activation::Relu, 1);
    let input = vec![0.5; 784];
    let err = neuron_terms(&network, &input, 0, 0, 3).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Input);
    let err = neuron_terms(&network, &input, 2, 12, 3).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Input);
    assert_eq!(
        err.message,
        "layer 2 has 12 neurons, so there is no neuron 12"
    );
    let err = neuron_terms(&network, &input[1..], 1, 0, 3).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Input);
}
