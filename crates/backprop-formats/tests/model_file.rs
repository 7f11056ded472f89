//! Models round-trip through JSON exactly, and every malformed file is refused with a reason
//! that says where.

mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use backprop_core::{ErrorKind, Network, NetworkConfig, TrainingConfig};
use backprop_formats::{Metadata, Model};
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
        metadata: Metadata::new(&json!({ "note": "tiny" })).unwrap(),
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
            "malformed: layers[1].biases[0]: invalid type: null, expected f32 at line 1 column ",
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
            "network.activation: unknown variant `swish`, expected one of `sigmoid`, `tanh`, `relu`, `leaky_relu` at line 1 column ",
        ),
        (
            Box::new(|f| f["network"]["loss"] = json!(0)),
            "network.loss: invalid type: integer `0`, expected one of `softmax_cross_entropy`, `sigmoid_squared_error` at line 1 column ",
        ),
        // serde_json would read a derived unit variant from `{"name": null}` too; only a name is one.
        (
            Box::new(|f| f["training"]["optimizer"] = json!({ "adam": null })),
            "training.optimizer: invalid type: map, expected one of `sgd`, `momentum`, `adam` at line 1 column ",
        ),
        (
            Box::new(|f| f["training"]["learningRate"] = json!(-1)),
            "learningRate must be a number in (0, 10]",
        ),
        (
            Box::new(|f| f["surprise"] = json!(true)),
            "surprise: unknown field `surprise`, expected one of `format`, `version`, `network`, `training`, `layers`, `metadata` at line 1 column ",
        ),
        (
            Box::new(|f| f["layers"][0]["inputs"] = json!(5)),
            "layer 1 is 5→3 but the architecture needs 4→3",
        ),
        // serde would read a struct from an array of its fields; a model file may not.
        (
            Box::new(|f| f["network"] = json!([])),
            "malformed: network: invalid type: sequence, expected struct NetworkConfig",
        ),
        (
            Box::new(|f| {
                let layer = f["layers"][1].clone();
                let fields = ["inputs", "outputs", "weights", "biases"].map(|k| layer[k].clone());
                f["layers"][1] = json!(fields);
            }),
            "malformed: layers[1]: invalid type: sequence, expected struct Layer",
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

#[test]
fn a_model_reads_from_its_utf8_bytes_as_from_its_text() {
    let original = model();
    let text = original.to_json().unwrap();
    assert_eq!(Model::from_json_bytes(text.as_bytes()).unwrap(), original);
    let marked = ["\u{feff}".as_bytes(), text.as_bytes()].concat();
    assert_eq!(Model::from_json_bytes(&marked).unwrap(), original);
    let mut broken = text.clone().into_bytes();
    broken[20] = 0xff;
    let err = Model::from_json_bytes(&broken).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Model);
    assert_eq!(
        err.message,
        "the model file is not UTF-8 text: byte 20 is not part of a character"
    );
    let err = Model::from_json_bytes(b"{\"format\": 1}").unwrap_err();
    assert_eq!(
        err.message,
        Model::from_json("{\"format\": 1}").unwrap_err().message
    );
}
