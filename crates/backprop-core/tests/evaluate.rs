//! Evaluation on a dataset: accuracy and confusion matrix, the hidden neurons that stay
//! silent (activation exactly 0) on every example, and the examples the network gets wrong.

mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use backprop_core::{argmax, Activation, Dataset, Mistake, Network, NetworkConfig, Rng};

fn data() -> Dataset {
    random_data(50)
}

fn random_data(count: usize) -> Dataset {
    let mut rng = Rng::new(5);
    let pixels = (0..count * 16).map(|_| rng.below(256) as u8).collect();
    let labels = (0..count).map(|_| rng.below(3) as u8).collect();
    Dataset::new(4, 4, pixels, labels).unwrap()
}

fn relu_network() -> Network {
    Network::new(NetworkConfig {
        inputs: 16,
        hidden: vec![12, 6],
        outputs: 3,
        activation: Activation::Relu,
        seed: 2,
        ..NetworkConfig::default()
    })
    .unwrap()
}

/// `network` with the biases of the hidden neurons that `silence` picks (layer from 0, neuron)
/// set to −1000.
fn with_biases_far_below_zero(
    network: &Network,
    silence: impl Fn(usize, usize) -> bool,
) -> Network {
    let mut values = Vec::new();
    let hidden = network.layers().len() - 1;
    for (l, layer) in network.layers().iter().enumerate() {
        values.extend(&layer.weights);
        values.extend(layer.biases.iter().enumerate().map(|(o, &b)| {
            if l < hidden && silence(l, o) {
                -1000.0
            } else {
                b
            }
        }));
    }
    let mut silenced = network.clone();
    silenced.set_parameters(&values).unwrap();
    silenced
}

#[test]
fn a_fresh_network_has_no_silent_neurons() {
    let e = relu_network().evaluate(&data()).unwrap();
    assert_eq!(e.silent, vec![0, 0]);
    assert_eq!((e.count, e.classes), (50, 3));
    assert_eq!(e.confusion.iter().sum::<u32>(), 50);
}

#[test]
fn neurons_with_very_negative_biases_are_silent() {
    let network = relu_network();
    let all = with_biases_far_below_zero(&network, |_, _| true);
    assert_eq!(all.evaluate(&data()).unwrap().silent, vec![12, 6]);
    let three = with_biases_far_below_zero(&network, |l, o| l == 0 && o % 4 == 1);
    assert_eq!(three.evaluate(&data()).unwrap().silent, vec![3, 0]);
}

#[test]
fn a_network_without_hidden_layers_reports_none() {
    let network = Network::new(NetworkConfig {
        inputs: 16,
        hidden: vec![],
        outputs: 3,
        ..NetworkConfig::default()
    })
    .unwrap();
    assert!(network.evaluate(&data()).unwrap().silent.is_empty());
}

#[test]
fn mistakes_are_the_examples_evaluate_counts_wrong_first_ones_first() {
    // More examples than one chunk of the forward pass, so that indices cross chunks.
    let data = random_data(700);
    let network = relu_network();
    let e = network.evaluate(&data).unwrap();
    let wrong = e.count
        - (0..3)
            .map(|c| e.confusion[c * 3 + c] as usize)
            .sum::<usize>();
    let expected: Vec<Mistake> = (0..data.len())
        .filter_map(|index| {
            let output = network.predict(&data.input(index)).unwrap();
            let (label, predicted) = (data.labels()[index], argmax(&output));
            (predicted != label as usize).then_some(Mistake {
                index,
                label,
                predicted,
            })
        })
        .collect();
    assert_eq!(expected.len(), wrong);
    assert!(
        wrong > 400,
        "a fresh network gets most of these wrong: {wrong}"
    );
    let all = network.mistakes(&data, usize::MAX).unwrap();
    assert_eq!((all.total, &all.first), (wrong, &expected));
    let some = network.mistakes(&data, 48).unwrap();
    assert_eq!((some.total, &some.first[..]), (wrong, &expected[..48]));
    assert_eq!(network.mistakes(&data, 0).unwrap().first, vec![]);
}

#[test]
fn mistakes_need_a_dataset_that_fits() {
    let other = Dataset::new(2, 2, vec![0; 8], vec![0, 1]).unwrap();
    let e = relu_network().mistakes(&other, 5).unwrap_err();
    assert_eq!(
        e.message,
        "the dataset's images have 4 pixels but the network has 16 inputs"
    );
}
