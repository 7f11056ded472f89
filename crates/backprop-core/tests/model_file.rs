//! Models round-trip through JSON exactly, every malformed file is refused with a reason, and
//! a network copies its weights and biases to another through one flat array.

mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use backprop_core::json::Json;
use backprop_core::{ErrorKind, Model, Network, NetworkConfig, Trainer, TrainingConfig};
use serde_json::{json, Value};

fn model() -> Model {
    let config = NetworkConfig {
        inputs: 4,
        hidden: vec![3],
        outputs: 2,
        seed: 9,
        ..NetworkConfig::default()
    };
    Model {
        network: Network::new(config).unwrap(),
        training: TrainingConfig {
            learning_rate: 0.05,
            ..TrainingConfig::default()
        },
        metadata: vec![("note".into(), Json::String("tiny".into()))],
    }
}

fn saved() -> Value {
    serde_json::from_str(&model().to_json().unwrap()).unwrap()
}

/// Loads `file` and returns the error message, asserting it is a model error.
fn refused(file: &Value) -> String {
    let err = Model::from_json(&file.to_string()).expect_err("the model must be refused");
    assert_eq!(err.kind, ErrorKind::Model, "{err}");
    err.message
}

#[test]
fn round_trip_is_exact() {
    let original = model();
    let loaded = Model::from_json(&original.to_json().unwrap()).unwrap();
    assert_eq!(loaded, original);
}

#[test]
fn file_names_its_format_and_version() {
    let file = saved();
    assert_eq!(file["format"], "backprop-lab-model");
    assert_eq!(file["version"], 1);
    assert_eq!(file["network"]["hidden"], json!([3]));
    assert_eq!(file["training"]["learningRate"], 0.05);
}

#[test]
fn malformed_files_are_refused_with_a_reason() {
    type Mutation = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(Mutation, &str)> = vec![
        (
            Box::new(|f| f["version"] = json!(2)),
            "model version 2 is not supported",
        ),
        (
            Box::new(|f| f["format"] = json!("keras")),
            "not a backprop-lab model",
        ),
        (
            Box::new(|f| f["layers"][0]["weights"] = json!([1.0, 2.0])),
            "layer 1 needs 12 weights, has 2",
        ),
        (
            Box::new(|f| f["layers"][1]["biases"][0] = json!(null)),
            "malformed: layers[1].biases[0]: expected a number, found null",
        ),
        (
            Box::new(|f| f["layers"][0]["weights"][3] = json!(1e300)),
            "layer 1 weight 3 is not a finite number",
        ),
        (
            Box::new(|f| {
                f["layers"]
                    .as_array_mut()
                    .unwrap()
                    .pop()
                    .map(drop)
                    .unwrap_or(())
            }),
            "needs 2 weight layers, the model has 1",
        ),
        (
            Box::new(|f| f["network"]["hidden"] = json!([3, 3])),
            "needs 3 weight layers",
        ),
        (
            Box::new(|f| f["network"]["hidden"] = json!([100000])),
            "between 1 and 2048 neurons",
        ),
        (
            Box::new(|f| f["network"]["activation"] = json!("swish")),
            "network.activation: expected one of \"sigmoid\", \"tanh\", \"relu\", \"leaky_relu\", found \"swish\"",
        ),
        (
            Box::new(|f| f["training"]["learningRate"] = json!(-1)),
            "learningRate must be a number in (0, 10]",
        ),
        (
            Box::new(|f| f["surprise"] = json!(true)),
            "surprise: is not a known field; the fields are format, version,",
        ),
        (
            Box::new(|f| f["layers"][0]["inputs"] = json!(5)),
            "layer 1 is 5→3 but the architecture needs 4→3",
        ),
    ];
    for (mutate, expected) in cases {
        let mut file = saved();
        mutate(&mut file);
        let message = refused(&file);
        assert!(
            message.contains(expected),
            "expected {expected:?} in {message:?}"
        );
    }
}

#[test]
fn non_json_and_non_objects_are_refused() {
    for text in ["", "{", "[1, 2]", "42", "\"model\""] {
        let err = Model::from_json(text).expect_err(text);
        assert_eq!(err.kind, ErrorKind::Model);
    }
}

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
