//! A table of over a hundred bad inputs across every entry point a user reaches: model files,
//! IDX files, network and training settings, settings text, and inputs to the network. Each
//! must fail with the exact error category, and the model a user already has must be left
//! exactly as it was.

mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use backprop_core::{Dataset, ErrorKind, Network, NetworkConfig, Trainer, TrainingConfig};
use backprop_formats::{parse_settings, read_dataset, Model, Settings};
use common::idx_bytes;
use serde_json::{json, Value};

/// What a user holds: a network, its trainer and its data. Each attempt replaces a part only
/// when the new input is valid.
struct Session {
    network: Network,
    trainer: Trainer,
    data: Dataset,
}

enum Attempt {
    LoadModel(String),
    LoadData(Vec<u8>, Vec<u8>),
    NewNetwork(NetworkConfig),
    SetTraining(TrainingConfig),
    Forward(Vec<f32>),
    Train(Vec<f32>, Vec<u8>),
    SetParameters(Vec<f32>),
}

impl Session {
    fn new() -> Self {
        let config = NetworkConfig {
            inputs: 4,
            hidden: vec![3],
            outputs: 3,
            seed: 5,
            ..NetworkConfig::default()
        };
        let data = Dataset::new(2, 2, vec![0, 50, 100, 150, 200, 250, 30, 60], vec![0, 2]).unwrap();
        Session {
            network: Network::new(config).unwrap(),
            trainer: Trainer::new(TrainingConfig::default()).unwrap(),
            data,
        }
    }

    fn attempt(&mut self, attempt: Attempt) -> backprop_core::Result<()> {
        match attempt {
            Attempt::LoadModel(text) => {
                let model = Model::from_json(&text)?;
                self.network = model.network;
                self.trainer = Trainer::new(model.training)?;
            }
            Attempt::LoadData(images, labels) => self.data = read_dataset(&images, &labels)?,
            Attempt::NewNetwork(config) => self.network = Network::new(config)?,
            Attempt::SetTraining(config) => self.trainer.set_config(config)?,
            Attempt::Forward(input) => {
                self.network.forward(&input)?;
            }
            Attempt::Train(inputs, labels) => {
                self.trainer.step(&mut self.network, &inputs, &labels)?;
            }
            Attempt::SetParameters(values) => self.network.set_parameters(&values)?,
        }
        Ok(())
    }
}

fn good_model() -> Value {
    let session = Session::new();
    let model = Model {
        network: session.network,
        training: TrainingConfig::default(),
        metadata: Default::default(),
    };
    serde_json::from_str(&model.to_json().unwrap()).unwrap()
}

fn model_cases() -> Vec<Attempt> {
    let edits: Vec<(&str, Value)> = vec![
        ("/format", json!("backprop-lab")),
        ("/format", json!(null)),
        ("/format", json!(7)),
        ("/version", json!(0)),
        ("/version", json!(2)),
        ("/version", json!("1")),
        ("/version", json!(-1)),
        ("/network", json!(null)),
        ("/network", json!([])),
        ("/network/inputs", json!(0)),
        ("/network/inputs", json!(5)),
        ("/network/inputs", json!(100000)),
        ("/network/outputs", json!(1)),
        ("/network/outputs", json!(4)),
        ("/network/outputs", json!(1000)),
        ("/network/hidden", json!([0])),
        ("/network/hidden", json!([3, 3])),
        ("/network/hidden", json!([])),
        ("/network/hidden", json!([-3])),
        ("/network/hidden", json!([1, 1, 1, 1, 1, 1, 1, 1, 1])),
        ("/network/hidden", json!([2049])),
        ("/network/activation", json!("swish")),
        ("/network/loss", json!("hinge")),
        ("/network/init", json!("lecun")),
        ("/network/seed", json!(-5)),
        ("/network/color", json!("blue")),
        ("/training/optimizer", json!("rmsprop")),
        ("/training/learningRate", json!(0)),
        ("/training/learningRate", json!(11)),
        ("/training/batchSize", json!(0)),
        ("/training/batchSize", json!(100000)),
        ("/training/l2", json!(-0.1)),
        ("/training/momentum", json!(1)),
        ("/training/beta2", json!(1.5)),
        ("/training/epsilon", json!(0)),
        ("/layers", json!(null)),
        ("/layers", json!([])),
        ("/layers/0/weights", json!([])),
        ("/layers/0/weights/0", json!("0.5")),
        ("/layers/0/weights/0", json!(null)),
        ("/layers/0/weights/0", json!(1e39)),
        ("/layers/0/weights/0", json!(-1e300)),
        ("/layers/0/biases", json!([0, 0])),
        ("/layers/0/biases", json!({})),
        ("/layers/1/inputs", json!(4)),
        ("/layers/1/outputs", json!(2)),
        ("/layers/1/extra", json!(1)),
        ("/metadata", json!([1, 2])),
        ("/surplus", json!(true)),
    ];
    let mut cases: Vec<Attempt> = edits
        .into_iter()
        .map(|(pointer, value)| {
            let mut file = good_model();
            let (parent, key) = pointer.rsplit_once('/').unwrap();
            match file.pointer_mut(parent).unwrap() {
                Value::Object(map) => drop(map.insert(key.to_string(), value)),
                Value::Array(items) => items[key.parse::<usize>().unwrap()] = value,
                _ => unreachable!("{pointer}"),
            }
            Attempt::LoadModel(file.to_string())
        })
        .collect();
    let good = good_model().to_string();
    for text in [
        "",
        " ",
        "null",
        "[]",
        "{}",
        "\"model\"",
        "{\"format\":",
        &good[..good.len() / 2],
        "\u{feff}{}",
    ] {
        cases.push(Attempt::LoadModel(text.to_string()));
    }
    cases.push(Attempt::LoadModel(
        " ".repeat(backprop_formats::MAX_MODEL_BYTES + 1),
    ));
    cases
}

fn data_cases() -> Vec<Attempt> {
    let images = idx_bytes(&[2, 2, 2], &[1; 8]);
    let labels = idx_bytes(&[2], &[0, 1]);
    let bad_images: Vec<Vec<u8>> = vec![
        vec![],
        vec![0],
        vec![0, 0, 8],
        vec![1, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2],
        vec![0, 1, 8, 3],
        vec![0, 0, 9, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0],
        vec![0, 0, 8, 0],
        vec![0, 0, 8, 5],
        vec![0, 0, 8, 3, 0, 0, 0, 2],
        images[..images.len() - 1].to_vec(),
        [images.clone(), vec![0, 0]].concat(),
        idx_bytes(&[2, 8], &[1; 16]),
        idx_bytes(&[2, 2, 2, 2], &[1; 16]),
        idx_bytes(&[0, 2, 2], &[]),
        idx_bytes(&[2, 0, 2], &[]),
        idx_bytes(&[2, 65, 65], &vec![0; 2 * 65 * 65]),
        idx_bytes(&[3, 2, 2], &[1; 12]),
        idx_bytes(&[1, 2, 2], &[1; 4]),
        idx_bytes(&[u32::MAX, 65536, 65536], &[]),
        vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3],
    ];
    let mut cases: Vec<Attempt> = bad_images
        .into_iter()
        .map(|i| Attempt::LoadData(i, labels.clone()))
        .collect();
    let bad_labels: Vec<Vec<u8>> = vec![
        vec![],
        idx_bytes(&[2, 1], &[0, 1]),
        idx_bytes(&[3], &[0, 1, 2]),
        idx_bytes(&[2], &[0]),
        images.clone(),
    ];
    cases.extend(
        bad_labels
            .into_iter()
            .map(|l| Attempt::LoadData(images.clone(), l)),
    );
    cases
}

fn settings_cases() -> Vec<Attempt> {
    let base = NetworkConfig::default();
    let mut cases: Vec<Attempt> = [
        NetworkConfig {
            inputs: 0,
            ..base.clone()
        },
        NetworkConfig {
            inputs: 5000,
            ..base.clone()
        },
        NetworkConfig {
            outputs: 0,
            ..base.clone()
        },
        NetworkConfig {
            outputs: 1,
            ..base.clone()
        },
        NetworkConfig {
            outputs: 257,
            ..base.clone()
        },
        NetworkConfig {
            hidden: vec![0],
            ..base.clone()
        },
        NetworkConfig {
            hidden: vec![2049],
            ..base.clone()
        },
        NetworkConfig {
            hidden: vec![8; 9],
            ..base.clone()
        },
        NetworkConfig {
            hidden: vec![2048, 2048],
            ..base.clone()
        },
        NetworkConfig {
            inputs: 4096,
            hidden: vec![1024],
            ..base.clone()
        },
    ]
    .into_iter()
    .map(Attempt::NewNetwork)
    .collect();
    let t = TrainingConfig::default();
    cases.extend(
        [
            TrainingConfig {
                learning_rate: 0.0,
                ..t.clone()
            },
            TrainingConfig {
                learning_rate: -0.1,
                ..t.clone()
            },
            TrainingConfig {
                learning_rate: f32::NAN,
                ..t.clone()
            },
            TrainingConfig {
                learning_rate: f32::INFINITY,
                ..t.clone()
            },
            TrainingConfig {
                learning_rate: 10.5,
                ..t.clone()
            },
            TrainingConfig {
                batch_size: 0,
                ..t.clone()
            },
            TrainingConfig {
                batch_size: 4097,
                ..t.clone()
            },
            TrainingConfig {
                l2: -1e-3,
                ..t.clone()
            },
            TrainingConfig {
                l2: 2.0,
                ..t.clone()
            },
            TrainingConfig {
                momentum: 1.0,
                ..t.clone()
            },
            TrainingConfig {
                momentum: -0.5,
                ..t.clone()
            },
            TrainingConfig {
                beta1: 1.0,
                ..t.clone()
            },
            TrainingConfig {
                beta2: f32::NAN,
                ..t.clone()
            },
            TrainingConfig {
                epsilon: 0.0,
                ..t.clone()
            },
        ]
        .into_iter()
        .map(Attempt::SetTraining),
    );
    cases
}

fn input_cases() -> Vec<Attempt> {
    vec![
        Attempt::Forward(vec![]),
        Attempt::Forward(vec![0.5; 3]),
        Attempt::Forward(vec![0.5; 5]),
        Attempt::Forward(vec![0.5, f32::NAN, 0.5, 0.5]),
        Attempt::Forward(vec![f32::INFINITY; 4]),
        Attempt::Train(vec![0.5; 4], vec![]),
        Attempt::Train(vec![0.5; 4], vec![3]),
        Attempt::Train(vec![0.5; 4], vec![255]),
        Attempt::Train(vec![0.5; 8], vec![0]),
        Attempt::Train(vec![0.5; 4], vec![0, 1]),
        Attempt::Train(vec![f32::NAN; 4], vec![0]),
        // The session's 4-3-3 network has 27 weights and biases.
        Attempt::SetParameters(vec![]),
        Attempt::SetParameters(vec![0.5; 26]),
        Attempt::SetParameters(vec![0.5; 28]),
        Attempt::SetParameters([vec![0.5; 26], vec![f32::NAN]].concat()),
        Attempt::SetParameters([vec![f32::NEG_INFINITY], vec![0.5; 26]].concat()),
    ]
}

fn expected_kind(attempt: &Attempt) -> ErrorKind {
    match attempt {
        Attempt::LoadModel(_) => ErrorKind::Model,
        Attempt::LoadData(..) => ErrorKind::Dataset,
        Attempt::NewNetwork(_) | Attempt::SetTraining(_) => ErrorKind::Config,
        Attempt::Forward(_) | Attempt::Train(..) | Attempt::SetParameters(_) => ErrorKind::Input,
    }
}

#[test]
fn every_bad_input_fails_with_its_category_and_changes_nothing() {
    let mut session = Session::new();
    // Some history the user must not lose.
    session
        .trainer
        .step(&mut session.network, &[0.1, 0.2, 0.3, 0.4], &[2])
        .unwrap();
    let cases: Vec<Attempt> = [model_cases(), data_cases(), settings_cases(), input_cases()]
        .into_iter()
        .flatten()
        .collect();
    assert!(cases.len() >= 100, "only {} cases", cases.len());
    for (n, attempt) in cases.into_iter().enumerate() {
        let (network, training, steps, data) = (
            session.network.clone(),
            session.trainer.config().clone(),
            session.trainer.steps(),
            session.data.clone(),
        );
        let kind = expected_kind(&attempt);
        let err = session
            .attempt(attempt)
            .expect_err(&format!("case {n} must be refused"));
        assert_eq!(err.kind, kind, "case {n}: {err}");
        assert!(
            !err.message.is_empty() && err.message.len() < 300,
            "case {n}: {err}"
        );
        assert_eq!(session.network, network, "case {n} changed the network");
        assert_eq!(
            session.trainer.config(),
            &training,
            "case {n} changed the training settings"
        );
        assert_eq!(
            session.trainer.steps(),
            steps,
            "case {n} changed the optimiser"
        );
        assert_eq!(session.data, data, "case {n} changed the data");
    }
}

#[test]
fn bad_settings_text_never_yields_invalid_settings() {
    let texts = [
        "hidden=0",
        "hidden=a,b",
        "hidden=1,,2",
        "hidden=-1",
        "hidden=99999999999999999999999",
        "lr=",
        "lr=1/0",
        "lr=0x10",
        "lr=inf",
        "batch=1.5",
        "seed=-1",
        "label=%00",
        "view=%3Cimg%20src=x%3E",
        "model=data:text/html,x",
        "model=file:///etc/passwd",
        "model=..%5C..%5Cx",
        "steps=1e9",
        "%E0%A4%A=1",
        "activation=RELU",
    ];
    for text in texts {
        let (settings, notices) = parse_settings(text, &Settings::default());
        assert_eq!(notices.len(), 1, "{text}: {notices:?}");
        assert_eq!(settings, Settings::default(), "{text}");
    }
}
