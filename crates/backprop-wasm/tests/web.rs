//! The JavaScript API, exercised in Chromium and Firefox (`wasm-pack test --headless`).
#![cfg(target_arch = "wasm32")]

use backprop_core::{Network as CoreNetwork, NetworkConfig};
use backprop_wasm::{Dataset, Network};
use js_sys::{Array, Float32Array, Reflect, Uint32Array, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn js(text: &str) -> JsValue {
    js_sys::JSON::parse(text).expect("test JSON is valid")
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &JsValue::from_str(key)).expect("object property")
}

fn floats(value: JsValue) -> Vec<f32> {
    value
        .dyn_into::<Float32Array>()
        .expect("a Float32Array")
        .to_vec()
}

fn nth(array: &JsValue, i: u32) -> Vec<f32> {
    floats(array.clone().dyn_into::<Array>().expect("an array").get(i))
}

/// The error a call threw, as (name, message).
fn thrown<T>(result: Result<T, JsValue>) -> (String, String) {
    let err: js_sys::Error = result
        .err()
        .expect("the call must throw")
        .dyn_into()
        .expect("a JS Error");
    (err.name().into(), err.message().into())
}

fn tiny() -> Network {
    Network::new(js(
        r#"{"inputs": 4, "hidden": [3], "outputs": 2, "seed": 5, "activation": "tanh"}"#,
    ))
    .expect("valid options")
}

const X: [f32; 4] = [0.1, 0.9, -0.4, 0.3];

#[wasm_bindgen_test]
fn same_seed_gives_the_core_s_bit_identical_weights() {
    let a = Network::new(js(r#"{"seed": 42}"#)).unwrap();
    let b = Network::new(js(r#"{"seed": 42}"#)).unwrap();
    let native = CoreNetwork::new(NetworkConfig {
        seed: 42,
        ..NetworkConfig::default()
    })
    .unwrap();
    for l in 0..3 {
        let wa = a.weights(l).unwrap().to_vec();
        assert_eq!(wa, b.weights(l).unwrap().to_vec());
        let bits: Vec<u32> = wa.iter().map(|w| w.to_bits()).collect();
        let native_bits: Vec<u32> = native.layers()[l]
            .weights
            .iter()
            .map(|w| w.to_bits())
            .collect();
        assert_eq!(bits, native_bits);
    }
    let c = Network::new(js(r#"{"seed": 43}"#)).unwrap();
    assert_ne!(
        a.weights(0).unwrap().to_vec(),
        c.weights(0).unwrap().to_vec()
    );
    assert_eq!(a.sizes().to_vec(), vec![784, 128, 64, 10]);
}

#[wasm_bindgen_test]
fn gradient_reports_every_layer_and_matches_finite_differences() {
    let net = tiny();
    let g = net.gradient(&X, 1).unwrap();
    let errors = get(&g, "errors");
    let activations = get(&g, "activations");
    let weight_gradients = get(&g, "weightGradients");
    assert_eq!(Array::from(&errors).length(), 2);
    assert_eq!(Array::from(&activations).length(), 3);
    assert_eq!(nth(&activations, 0), X.to_vec());
    // Entry (o, i) of a weight gradient is the error signal of o times the activation of i.
    let (delta, hidden) = (nth(&errors, 1), nth(&activations, 1));
    let dw = nth(&weight_gradients, 1);
    for o in 0..2 {
        for i in 0..3 {
            assert_eq!(dw[o * 3 + i], delta[o] * hidden[i]);
        }
    }
    // The loss falls along the negative gradient as much as the gradient predicts.
    let loss = get(&g, "loss").as_f64().unwrap();
    let squared_norm: f64 = (0..2)
        .flat_map(|l| {
            nth(&weight_gradients, l)
                .into_iter()
                .chain(nth(&get(&g, "biasGradients"), l))
        })
        .map(|v| (v as f64).powi(2))
        .sum();
    let mut stepped = tiny();
    let eta = 1e-3;
    assert_eq!(stepped.apply_gradient(&X, 1, eta).unwrap() as f64, loss);
    let after = get(&stepped.gradient(&X, 1).unwrap(), "loss")
        .as_f64()
        .unwrap();
    let predicted = loss - eta as f64 * squared_norm;
    assert!(
        (after - predicted).abs() < 1e-4 * squared_norm.max(1e-3),
        "{after} vs {predicted}"
    );
}

#[wasm_bindgen_test]
fn error_terms_take_apart_a_hidden_neuron_s_error_signal() {
    let net = tiny();
    let errors = get(&net.gradient(&X, 1).unwrap(), "errors");
    for neuron in 0..3 {
        let e = net.error_terms(&X, 1, 1, neuron).unwrap();
        let (sum, slope) = (
            get(&e, "sum").as_f64().unwrap(),
            get(&e, "slope").as_f64().unwrap(),
        );
        let delta = get(&e, "delta").as_f64().unwrap() as f32;
        assert_eq!(delta.to_bits(), nth(&errors, 0)[neuron].to_bits());
        assert_eq!(((sum as f32) * (slope as f32)).to_bits(), delta.to_bits());
        assert_eq!(floats(get(&e, "terms")).len(), 2);
    }
    let (name, message) = thrown(net.error_terms(&X, 1, 2, 0));
    assert_eq!(name, "InputError");
    assert_eq!(
        message,
        "layer 2 is not a hidden layer; they are layers 1 to 1"
    );
    let (name, _) = thrown(net.error_terms(&X, 1, 1, 3));
    assert_eq!(name, "InputError");
}

#[wasm_bindgen_test]
fn training_on_an_idx_dataset_lowers_the_loss() {
    // Two classes of 2×2 images: ink on the left column (0) or on the right (1).
    let mut pixels = Vec::new();
    let mut labels = Vec::new();
    for n in 0..40u8 {
        let left = n % 2 == 0;
        let ink = 150 + n * 2;
        pixels.extend_from_slice(&if left {
            [ink, 0, ink, 0]
        } else {
            [0, ink, 0, ink]
        });
        labels.push(u8::from(!left));
    }
    let header = |dims: &[u32]| {
        let mut h = vec![0, 0, 8, dims.len() as u8];
        dims.iter()
            .for_each(|d| h.extend_from_slice(&d.to_be_bytes()));
        h
    };
    let images = [header(&[40, 2, 2]), pixels].concat();
    let labels = [header(&[40]), labels].concat();
    let mut data = Dataset::from_idx(&images, &labels, 1).unwrap();
    assert_eq!(
        (data.length(), data.rows(), data.cols(), data.class_count()),
        (40, 2, 2, 2)
    );
    let mut net = Network::new(js(
        r#"{"inputs": 4, "hidden": [4], "outputs": 2, "seed": 1, "training": {"batchSize": 8, "learningRate": 0.5}}"#,
    ))
    .unwrap();
    let first = net.train_batches(&mut data, 1).unwrap();
    let last = net.train_batches(&mut data, 50).unwrap();
    assert!(last < first / 2.0, "loss went from {first} to {last}");
    assert_eq!(net.steps(), 51);
    assert!(data.epoch() >= 10);
    let e = net.evaluate(&data).unwrap();
    assert_eq!(get(&e, "accuracy").as_f64(), Some(1.0));
    let confusion: Uint32Array = get(&e, "confusion").dyn_into().unwrap();
    assert_eq!(confusion.to_vec(), vec![20, 0, 0, 20]);
    // The hidden layer's 4 neurons fall silent when their biases (after the 4 × 4 weights)
    // are far below zero.
    let mut values = net.parameters().to_vec();
    values[16..20].fill(-1000.0);
    net.set_parameters(&values).unwrap();
    let silent: Uint32Array = get(&net.evaluate(&data).unwrap(), "silent")
        .dyn_into()
        .unwrap();
    assert_eq!(silent.to_vec(), vec![4]);
}

#[wasm_bindgen_test]
fn models_round_trip_through_json() {
    let mut net = tiny();
    net.train_step(&[X, X].concat(), &[0, 1]).unwrap();
    let text = net
        .to_json(js(r#"{"trainedOn": "test", "steps": 1}"#))
        .unwrap();
    let loaded = Network::from_json(JsValue::from_str(&text)).unwrap();
    assert_eq!(
        loaded.weights(0).unwrap().to_vec(),
        net.weights(0).unwrap().to_vec()
    );
    assert_eq!(
        loaded.predict(&X).unwrap().to_vec(),
        net.predict(&X).unwrap().to_vec()
    );
    assert!(text.contains("\"trainedOn\":\"test\""));
    // The file's notes, as it had them; none for a network made from options.
    let notes = js_sys::JSON::stringify(&loaded.metadata().unwrap()).unwrap();
    assert_eq!(String::from(notes), r#"{"trainedOn":"test","steps":1}"#);
    assert!(net.metadata().unwrap().is_null());
    let bare = Network::from_json(JsValue::from_str(&net.to_json(JsValue::NULL).unwrap()));
    assert!(bare.unwrap().metadata().unwrap().is_null());
    // The same file as UTF-8 bytes, e.g. a fetched response's.
    let bytes = Network::from_json(Uint8Array::from(text.as_bytes()).into()).unwrap();
    assert_eq!(bits(bytes.parameters()), bits(loaded.parameters()));
    assert_eq!(
        String::from(js_sys::JSON::stringify(&bytes.metadata().unwrap()).unwrap()),
        r#"{"trainedOn":"test","steps":1}"#
    );
}

#[wasm_bindgen_test]
fn bad_config_throws_a_config_error() {
    let (name, message) = thrown(Network::new(js(r#"{"hidden": [0]}"#)));
    assert_eq!(name, "ConfigError");
    assert!(
        message.contains("hidden layer 1 must have between 1 and 2048 neurons"),
        "{message}"
    );
    let (name, message) = thrown(Network::new(js(r#"{"activation": "swish"}"#)));
    assert_eq!(name, "ConfigError");
    assert!(message.contains("swish"), "{message}");
    let (_, message) = thrown(Network::new(js(r#"{"hiden": [3]}"#)));
    assert!(message.contains("hiden"), "{message}");
    let (_, message) = thrown(Network::new(js(r#"{"training": {"learningRate": -1}}"#)));
    assert!(message.contains("learningRate"), "{message}");
    let mut net = tiny();
    let (name, _) = thrown(net.set_training(js(r#"{"batchSize": 0}"#)));
    assert_eq!(name, "ConfigError");
}

#[wasm_bindgen_test]
fn options_cross_as_json_and_name_the_bad_field() {
    let options = r#"{"inputs":4,"hidden":[3],"outputs":2,"activation":"tanh","loss":"sigmoid_squared_error","init":null,"seed":123456789,"training":{"optimizer":"adam","learningRate":0.003,"batchSize":8,"l2":0,"momentum":0.9,"beta1":0.9,"beta2":0.999,"epsilon":1e-8}}"#;
    let net = Network::new(js(options)).unwrap();
    let written = js_sys::JSON::stringify(&net.options().unwrap()).unwrap();
    assert_eq!(String::from(written), options);
    let (name, message) = thrown(Network::new(js(
        r#"{"training": {"learningRate": "fast"}}"#,
    )));
    assert_eq!(name, "ConfigError");
    assert_eq!(
        message,
        "invalid network options: training.learningRate: invalid type: string \"fast\", expected f32"
    );
    let (_, message) = thrown(Network::new(js(r#"{"hidden": [3.5]}"#)));
    assert_eq!(
        message,
        "invalid network options: hidden[0]: invalid type: floating point `3.5`, expected usize"
    );
    let (_, message) = thrown(Network::new(js(r#"{"hiden": [3]}"#)));
    assert!(
        message.starts_with("invalid network options: hiden: unknown field `hiden`, expected one of `inputs`, `hidden`"),
        "{message}"
    );
    let (name, message) = thrown(tiny().to_json(js("[1, 2]")));
    assert_eq!(name, "ConfigError");
    assert_eq!(
        message,
        "invalid model metadata: invalid type: sequence, expected an object"
    );
    let bigint = js_sys::BigInt::from(1u32);
    let (_, message) = thrown(tiny().set_training(bigint.into()));
    assert_eq!(message, "invalid training settings: it has no JSON form");
}

#[wasm_bindgen_test]
fn bad_model_json_throws_a_model_error() {
    for (text, expected) in [
        ("not json", "not valid JSON"),
        (
            r#"{"format": "backprop-lab-model", "version": 7}"#,
            "model version 7 is not supported",
        ),
        (r#"{"format": "other"}"#, "not a backprop-lab model"),
    ] {
        let (name, message) = thrown(Network::from_json(JsValue::from_str(text)));
        assert_eq!(name, "ModelError");
        assert!(message.contains(expected), "{message}");
    }
    let (name, message) = thrown(Network::from_json(
        Uint8Array::from(&[b'{', 0xc3][..]).into(),
    ));
    assert_eq!(name, "ModelError");
    assert_eq!(
        message,
        "the model file is not UTF-8 text: byte 1 is not part of a character"
    );
    let (_, message) = thrown(Network::from_json(JsValue::from(7)));
    assert_eq!(
        message,
        "a model is its JSON text or that text's UTF-8 bytes (a Uint8Array)"
    );
}

#[wasm_bindgen_test]
fn bad_inputs_throw_input_errors_and_change_nothing() {
    let mut net = tiny();
    let before = net.weights(0).unwrap().to_vec();
    let (name, message) = thrown(net.forward(&[1.0, 2.0]));
    assert_eq!(name, "InputError");
    assert!(
        message.contains("expected 1 × 4 = 4 input values, got 2"),
        "{message}"
    );
    let (_, message) = thrown(net.gradient(&X, 7));
    assert!(message.contains("label 7 is not a class"), "{message}");
    let (_, message) = thrown(net.train_step(&X, &[0, 1]));
    assert!(
        message.contains("expected 2 × 4 = 8 input values"),
        "{message}"
    );
    let (_, message) = thrown(net.weights(9));
    assert!(
        message.contains("weight layer 9 does not exist"),
        "{message}"
    );
    assert_eq!(net.weights(0).unwrap().to_vec(), before);
    let (name, _) = thrown(Dataset::from_idx(&[1, 2, 3], &[0, 0, 8, 1, 0, 0, 0, 0], 0));
    assert_eq!(name, "DatasetError");
}

/// An IDX image and label file of `count` random `side × side` images with labels below
/// `classes`.
fn random_idx(count: u32, side: u32, classes: usize, seed: u64) -> (Vec<u8>, Vec<u8>) {
    let mut rng = backprop_core::Rng::new(seed);
    let mut images = vec![0, 0, 8, 3];
    for d in [count, side, side] {
        images.extend_from_slice(&d.to_be_bytes());
    }
    images.extend((0..count * side * side).map(|_| rng.below(256) as u8));
    let mut labels = vec![0, 0, 8, 1];
    labels.extend_from_slice(&count.to_be_bytes());
    labels.extend((0..count).map(|_| rng.below(classes) as u8));
    (images, labels)
}

/// Leaky ReLU with momentum at learning rate 3 diverges on random 4×4 images within a few
/// batches of 5.
fn diverging() -> (Network, Dataset) {
    let net = Network::new(js(r#"{"inputs": 16, "hidden": [8, 6], "outputs": 4,
        "activation": "leaky_relu", "seed": 7,
        "training": {"optimizer": "momentum", "learningRate": 3, "batchSize": 5}}"#))
    .unwrap();
    let (images, labels) = random_idx(24, 4, 4, 3);
    (net, Dataset::from_idx(&images, &labels, 11).unwrap())
}

fn bits(values: Float32Array) -> Vec<u32> {
    values.to_vec().iter().map(|v| v.to_bits()).collect()
}

#[wasm_bindgen_test]
fn a_diverging_training_call_throws_and_puts_everything_back() {
    let (mut net, mut data) = diverging();
    net.train_batches(&mut data, 2).unwrap();
    let before = (
        bits(net.parameters()),
        net.steps(),
        data.epoch(),
        data.position(),
    );
    let (name, message) = thrown(net.train_batches(&mut data, 50));
    assert_eq!(name, "DivergedError");
    let step: u32 = message
        .strip_prefix("training diverged at step ")
        .and_then(|rest| rest.strip_suffix(": the loss became NaN; try a lower learning rate"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{message}"));
    assert!(step > 3, "earlier steps of the call succeeded: {message}");
    let after = (
        bits(net.parameters()),
        net.steps(),
        data.epoch(),
        data.position(),
    );
    assert_eq!(after, before);
    assert!(net.is_finite());
    assert!(net.to_json(JsValue::UNDEFINED).is_ok());

    // Training on at a lower rate is the same as a fresh run that never diverged.
    let calm = r#"{"optimizer": "momentum", "learningRate": 0.05, "batchSize": 5}"#;
    net.set_training(js(calm)).unwrap();
    net.train_batches(&mut data, 20).unwrap();
    let (mut replay, mut replay_data) = diverging();
    replay.train_batches(&mut replay_data, 2).unwrap();
    replay.set_training(js(calm)).unwrap();
    replay.train_batches(&mut replay_data, 20).unwrap();
    assert_eq!(bits(net.parameters()), bits(replay.parameters()));
    assert_eq!(net.steps(), 22);
}

#[wasm_bindgen_test]
fn a_diverging_step_or_lesson_changes_nothing() {
    let mut net = Network::new(js(r#"{"inputs": 4, "hidden": [3], "outputs": 2, "seed": 9,
        "activation": "leaky_relu", "training": {"learningRate": 10}}"#))
    .unwrap();
    let huge = [1e30f32; 4];
    let mut result = Ok(0.0);
    for i in 0..10 {
        let before = (bits(net.parameters()), net.steps());
        result = net.train_step(&huge, &[i % 2]);
        if result.is_err() {
            assert_eq!((bits(net.parameters()), net.steps()), before);
            break;
        }
    }
    let (name, message) = thrown(result);
    assert_eq!(name, "DivergedError");
    assert!(
        message.starts_with("training diverged at step"),
        "{message}"
    );

    let before = bits(net.parameters());
    let (name, message) = thrown(net.apply_gradient(&huge, 1, 1e10));
    assert_eq!(name, "DivergedError");
    assert_eq!(
        message,
        "this step would make weights NaN or infinite (learning rate 10000000000); try a lower learning rate"
    );
    assert_eq!(bits(net.parameters()), before);
}

#[wasm_bindgen_test]
fn settings_text_is_validated_by_the_core() {
    let parsed =
        backprop_wasm::parse_settings("hidden=32,16&lr=abc&view=train&bogus=1", JsValue::UNDEFINED)
            .unwrap();
    let settings = get(&parsed, "settings");
    let hidden: Vec<f64> = Array::from(&get(&get(&settings, "network"), "hidden"))
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert_eq!(hidden, vec![32.0, 16.0]);
    assert_eq!(get(&settings, "view").as_string().as_deref(), Some("train"));
    // Written in the fewest digits that read back to the f32, so JavaScript sees 0.1.
    assert_eq!(
        get(&get(&settings, "training"), "learningRate").as_f64(),
        Some(0.1)
    );
    let notices = Array::from(&get(&parsed, "notices"));
    let keys: Vec<String> = notices
        .iter()
        .map(|n| get(&n, "key").as_string().unwrap())
        .collect();
    assert_eq!(keys, vec!["lr", "bogus"]);
    let text = backprop_wasm::format_settings(settings, JsValue::UNDEFINED).unwrap();
    assert_eq!(text, "hidden=32,16&view=train");
}

#[wasm_bindgen_test]
fn drawings_are_prepared_by_the_formats() {
    // A stroke of graded ink on a 90 × 60 pad; the formats' own tests check the preparation
    // bit for bit against the page's former JavaScript, in these browsers too.
    let ink: Vec<f32> = (0..90 * 60)
        .map(|i| {
            let (x, y) = (i % 90, i / 90);
            if (20..70).contains(&y) && (40..48).contains(&x) {
                (x - 39) as f32 / 8.0
            } else {
                0.0
            }
        })
        .collect();
    let input = backprop_wasm::prepare_drawing(&ink, 90, 60).unwrap();
    let expected = backprop_formats::prepare_drawing(&ink, 90, 60)
        .unwrap()
        .unwrap();
    assert_eq!(
        bits(input.dyn_into().unwrap()),
        bits(Float32Array::from(&expected[..]))
    );
    assert!(backprop_wasm::prepare_drawing(&[0.0; 6], 3, 2)
        .unwrap()
        .is_null());
    let (name, message) = thrown(backprop_wasm::prepare_drawing(&[0.5; 3], 2, 2));
    assert_eq!(name, "InputError");
    assert_eq!(
        message,
        "a drawing of 2 × 2 pixels needs 4 ink values, got 3"
    );
}

/// `count` random 28×28 digits with labels 0 to 9, and the network to train on them.
fn digits(count: u32, seed: u64) -> (Network, Dataset) {
    let (images, labels) = random_idx(count, 28, 10, seed);
    let net = Network::new(js(r#"{"hidden": [8], "seed": 3,
        "training": {"optimizer": "adam", "learningRate": 0.01, "batchSize": 8}}"#))
    .unwrap();
    (net, Dataset::from_idx(&images, &labels, 1).unwrap())
}

#[wasm_bindgen_test]
fn datasets_split_and_are_made_from_grey_bytes_without_idx() {
    let (mut net, data) = digits(30, 4);
    let mut part = data.slice(10, 25, 3).unwrap();
    assert_eq!(part.length(), 15);
    assert_eq!(
        part.image(0).unwrap().to_vec(),
        data.image(10).unwrap().to_vec()
    );
    assert_eq!(part.labels().to_vec(), data.labels().to_vec()[10..25]);
    assert_eq!(part.images().length(), 15 * 784);
    let mut rebuilt =
        Dataset::from_images(part.images().to_vec(), part.labels().to_vec(), 3).unwrap();
    assert_eq!(rebuilt.images().to_vec(), part.images().to_vec());
    // Seeded alike, they train alike.
    let (mut twin, _) = digits(30, 4);
    net.train_batches(&mut part, 5).unwrap();
    twin.train_batches(&mut rebuilt, 5).unwrap();
    assert_eq!(bits(net.parameters()), bits(twin.parameters()));

    let (name, message) = thrown(data.slice(20, 20, 0));
    assert_eq!(name, "InputError");
    assert_eq!(
        message,
        "cannot take examples 20 to 20 of a dataset of 30: a part needs start < end ≤ 30"
    );
    let (name, message) = thrown(Dataset::from_images(vec![0; 700], vec![1], 0));
    assert_eq!(name, "DatasetError");
    assert!(
        message.starts_with("1 labels need 1 images of 28 × 28"),
        "{message}"
    );
}

#[wasm_bindgen_test]
fn mistakes_are_the_wrong_examples_counted_and_the_first_few_listed() {
    let (net, data) = digits(300, 5);
    let e = net.evaluate(&data).unwrap();
    let confusion: Uint32Array = get(&e, "confusion").dyn_into().unwrap();
    let right: u32 = (0..10).map(|c| confusion.get_index(c * 11)).sum();
    let found = net.mistakes(&data, 6).unwrap();
    assert_eq!(get(&found, "total").as_f64(), Some((300 - right) as f64));
    let listed = Array::from(&get(&found, "mistakes"));
    assert_eq!(listed.length(), 6);
    let mut last = -1.0;
    for m in listed.iter() {
        let index = get(&m, "index").as_f64().unwrap();
        assert!(index > last, "in the dataset's order");
        last = index;
        let label = get(&m, "label").as_f64().unwrap();
        let predicted = get(&m, "predicted").as_f64().unwrap();
        assert_eq!(label, data.label(index as usize).unwrap() as f64);
        let output = net
            .predict(&data.input(index as usize).unwrap().to_vec())
            .unwrap()
            .to_vec();
        assert_eq!(predicted, backprop_core::argmax(&output) as f64);
        assert_ne!(label, predicted);
    }
}

#[wasm_bindgen_test]
fn a_checkpoint_saved_as_bytes_comes_back_bit_for_bit() {
    let (mut net, mut data) = digits(40, 6);
    net.train_batches(&mut data, 7).unwrap();
    let bytes = net.checkpoint(&data).to_bytes().to_vec();
    let checkpoint = backprop_wasm::Checkpoint::from_bytes(&bytes).unwrap();
    assert_eq!(checkpoint.steps(), 7);
    assert_eq!(checkpoint.to_bytes().to_vec(), bytes);
    // Another copy of the data, in another order: the checkpoint's order is put back.
    let (_, mut other) = digits(40, 6);
    other.reshuffle(99);
    let mut again = Network::from_checkpoint(&checkpoint, &mut other).unwrap();
    assert_eq!(
        (other.epoch(), other.position()),
        (data.epoch(), data.position())
    );
    assert_eq!(bits(again.parameters()), bits(net.parameters()));
    assert_eq!(again.steps(), 7);
    // Training on from both is the same: weights, Adam's moments and the order.
    net.train_batches(&mut data, 9).unwrap();
    again.train_batches(&mut other, 9).unwrap();
    assert_eq!(bits(again.parameters()), bits(net.parameters()));
    assert_eq!(
        again.checkpoint(&other).to_bytes().to_vec(),
        net.checkpoint(&data).to_bytes().to_vec()
    );

    let (name, message) = thrown(backprop_wasm::Checkpoint::from_bytes(
        &bytes[..bytes.len() - 1],
    ));
    assert_eq!(name, "ModelError");
    assert!(
        message.starts_with("the checkpoint is cut short"),
        "{message}"
    );
    let mut damaged = bytes.clone();
    damaged[100] ^= 4;
    let (_, message) = thrown(backprop_wasm::Checkpoint::from_bytes(&damaged));
    assert_eq!(
        message,
        "the checkpoint is damaged: its contents do not match its checksum"
    );
    let (_, mut fewer) = digits(39, 6);
    let (name, message) = thrown(Network::from_checkpoint(&checkpoint, &mut fewer));
    assert_eq!(name, "InputError");
    assert_eq!(
        message,
        "this checkpoint is of a dataset of 40 examples; this one has 39"
    );
}

#[wasm_bindgen_test]
fn training_can_mix_in_a_second_dataset() {
    let (mut net, mut data) = digits(40, 7);
    let (mut plain, mut plain_data) = digits(40, 7);
    let (_, mut drawings) = digits(5, 8);
    // Share 0 is trainBatches bit for bit.
    net.train_batches_mixed(&mut data, &mut drawings, 0.0, 6)
        .unwrap();
    plain.train_batches(&mut plain_data, 6).unwrap();
    assert_eq!(bits(net.parameters()), bits(plain.parameters()));
    assert_eq!((drawings.epoch(), drawings.position()), (0, 0));
    // A quarter of every batch of 8 is 2 drawings.
    net.train_batches_mixed(&mut data, &mut drawings, 0.25, 4)
        .unwrap();
    assert_eq!((drawings.epoch(), drawings.position()), (1, 3));
    assert_eq!(data.position(), 6 * 8 % 40 + 4 * 6);
    let (name, _) = thrown(net.train_batches_mixed(&mut data, &mut drawings, 2.0, 1));
    assert_eq!(name, "InputError");

    // A diverging call puts both orders back.
    let (mut wild, mut wild_data) = diverging();
    let (images, labels) = random_idx(6, 4, 4, 9);
    let mut extra = Dataset::from_idx(&images, &labels, 2).unwrap();
    wild.train_batches_mixed(&mut wild_data, &mut extra, 0.4, 2)
        .unwrap();
    let state = |net: &Network, data: &Dataset, extra: &Dataset| {
        let orders = (
            data.epoch(),
            data.position(),
            extra.epoch(),
            extra.position(),
        );
        (bits(net.parameters()), net.steps(), orders)
    };
    let before = state(&wild, &wild_data, &extra);
    let (name, _) = thrown(wild.train_batches_mixed(&mut wild_data, &mut extra, 0.4, 60));
    assert_eq!(name, "DivergedError");
    assert_eq!(state(&wild, &wild_data, &extra), before);
}

#[wasm_bindgen_test]
fn strongest_inputs_are_the_largest_weights_strongest_first() {
    // Seeded weights first (every k, k above the inputs, k = 0); ties are set by hand below.
    let mut net = Network::new(js(
        r#"{"inputs": 12, "hidden": [5], "outputs": 3, "seed": 2}"#,
    ))
    .expect("valid options");
    let sizes = net.sizes().to_vec();
    for (layer, k) in [(0, 4), (0, 12), (0, 20), (1, 2), (1, 0)] {
        let weights = floats(net.weights(layer).expect("a layer").into());
        let inputs = sizes[layer] as usize;
        let strongest = net.strongest_inputs(layer, k).expect("a layer").to_vec();
        let kept = k.min(inputs);
        assert_eq!(strongest.len(), kept * sizes[layer + 1] as usize);
        for (row, picked) in weights.chunks(inputs).zip(strongest.chunks(kept.max(1))) {
            // The textbook answer: every index sorted by |w| descending, then by index.
            let mut order: Vec<u32> = (0..inputs as u32).collect();
            order.sort_by(|&a, &b| {
                row[b as usize]
                    .abs()
                    .total_cmp(&row[a as usize].abs())
                    .then(a.cmp(&b))
            });
            assert_eq!(picked, &order[..kept], "layer {layer}, k {k}");
        }
    }
    // Ties in magnitude go in index order.
    let mut flat = floats(net.parameters().into());
    flat[..12].copy_from_slice(&[
        0.5, -0.5, 0.1, 0.5, -0.9, 0.0, 0.9, 0.2, 0.2, -0.2, 0.0, 0.5,
    ]);
    net.set_parameters(&flat).expect("same length");
    let first = net.strongest_inputs(0, 6).expect("a layer").to_vec();
    assert_eq!(&first[..6], &[4, 6, 0, 1, 3, 11]);
}

#[wasm_bindgen_test]
fn neuron_terms_add_up_to_the_forward_pass_s_weighted_sum() {
    let net = Network::new(js(r#"{"inputs": 16, "hidden": [7, 5], "outputs": 3,
        "activation": "leaky_relu", "loss": "sigmoid_squared_error", "seed": 6}"#))
    .expect("valid options");
    let x: Vec<f32> = (0..16)
        .map(|i| ((i * 37 + 33) % 29) as f32 / 28.0)
        .collect();
    let number = |obj: &JsValue, key: &str| get(obj, key).as_f64().expect("a number");
    for (layer, below) in [(1u32, 16usize), (2, 7), (3, 5)] {
        let z_all = nth(&get(&net.forward(&x).unwrap(), "preActivations"), layer - 1);
        let t = net.neuron_terms(&x, layer as usize, 0, 3).unwrap();
        let terms = floats(get(&t, "terms"));
        assert_eq!(terms.len(), 3);
        assert_eq!(floats(get(&t, "weights")).len(), 3);
        assert_eq!(floats(get(&t, "inputs")).len(), 3);
        let indices: Uint32Array = get(&t, "indices").dyn_into().unwrap();
        assert!(indices.to_vec().iter().all(|&i| (i as usize) < below));
        assert_eq!(number(&t, "restCount") as usize, below - 3);
        let z = number(&t, "z");
        assert_eq!(z as f32, z_all[0]);
        let total: f64 =
            terms.iter().map(|&t| t as f64).sum::<f64>() + number(&t, "rest") + number(&t, "bias");
        assert!((total - z).abs() < 1e-5 * z.abs() + 1e-6, "{total} vs {z}");
        assert!(number(&t, "a").is_finite());
    }
    let (name, message) = thrown(net.neuron_terms(&x, 2, 5, 3));
    assert_eq!(name, "InputError");
    assert_eq!(message, "layer 2 has 5 neurons, so there is no neuron 5");
    assert_eq!(thrown(net.neuron_terms(&x, 0, 0, 3)).0, "InputError");
}
