//! JSON through serde: every finite f32 is written briefly and read back bit for bit, free-form
//! metadata comes back as it was (keys given twice are refused at any depth), and messages say
//! where: the path of a bad value and the line and column.

mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use backprop_core::{Init, Layer, Network, NetworkConfig, Rng, TrainingConfig};
use backprop_formats::{json, Metadata, Model, Settings};
use serde_json::{json, Map, Value};

/// A 1-input, `n`-output model whose biases are `values`, so that any f32 can be written.
fn model_with_biases(values: &[f32], metadata: Metadata) -> Model {
    let config = NetworkConfig {
        inputs: 1,
        hidden: vec![],
        outputs: values.len(),
        ..NetworkConfig::default()
    };
    let layer = Layer {
        inputs: 1,
        outputs: values.len(),
        weights: vec![0.5; values.len()],
        biases: values.to_vec(),
    };
    Model {
        network: Network::from_layers(config, vec![layer]).unwrap(),
        training: TrainingConfig::default(),
        metadata,
    }
}

#[test]
fn every_kind_of_f32_is_written_briefly_and_read_back_bit_for_bit() {
    let mut rng = Rng::new(3);
    let special = [
        0.0,
        -0.0,
        1.0,
        0.1,
        1e-4,
        9.999e-5,
        f32::MIN_POSITIVE,
        1e-45,
        f32::MAX,
        -f32::MAX,
        16_777_217.0,
    ];
    let random = (0..100_000).map(|_| f32::from_bits(rng.next_u64() as u32));
    let values: Vec<f32> = special
        .into_iter()
        .chain(random)
        .filter(|v| v.is_finite())
        .collect();
    for chunk in values.chunks(200) {
        let model = model_with_biases(chunk, Metadata::default());
        let back = Model::from_json(&model.to_json().unwrap()).unwrap();
        let bits = |m: &Model| -> Vec<u32> {
            m.network.layers()[0]
                .biases
                .iter()
                .map(|b| b.to_bits())
                .collect()
        };
        assert_eq!(bits(&back), bits(&model));
    }
    // In the fewest significant digits that read back to the f32: at most 9.
    for value in values {
        let text = serde_json::to_string(&value).unwrap();
        let mantissa = text.split('e').next().unwrap();
        let digits = mantissa
            .trim_start_matches(['-', '0', '.'])
            .replace('.', "");
        assert!(digits.trim_end_matches('0').len() <= 9, "{text} is long");
    }
}

/// A random JSON value with unique keys, strings with escapes and non-ASCII characters, and
/// numbers of every shape the grammar has.
fn random_value(rng: &mut Rng, depth: usize) -> Value {
    let kind = if depth >= 4 {
        rng.below(4)
    } else {
        rng.below(6)
    };
    match kind {
        0 => Value::Null,
        1 => Value::Bool(rng.below(2) == 1),
        2 => serde_json::from_str(&random_number(rng)).unwrap(),
        3 => Value::String(random_string(rng)),
        4 => Value::Array(
            (0..rng.below(4))
                .map(|_| random_value(rng, depth + 1))
                .collect(),
        ),
        _ => Value::Object(random_object(rng, depth)),
    }
}

fn random_object(rng: &mut Rng, depth: usize) -> Map<String, Value> {
    (0..rng.below(4))
        .map(|i| {
            let key = format!("{}{i}", random_string(rng));
            (key, random_value(rng, depth + 1))
        })
        .collect()
}

fn random_number(rng: &mut Rng) -> String {
    let mut text = String::new();
    if rng.below(2) == 1 {
        text.push('-');
    }
    text.push_str(&rng.below(100_000).to_string());
    if rng.below(2) == 1 {
        text.push_str(&format!(".{}", rng.below(1000)));
    }
    if rng.below(3) == 1 {
        text.push_str(["e", "E", "e+", "e-"][rng.below(4)]);
        text.push_str(&rng.below(30).to_string());
    }
    text
}

fn random_string(rng: &mut Rng) -> String {
    let pieces = [
        "a", "Z", " ", "\"", "\\", "/", "\n", "\t", "\u{1}", "é", "€", "𝄞", "ok",
    ];
    (0..rng.below(5))
        .map(|_| pieces[rng.below(pieces.len())])
        .collect()
}

#[test]
fn metadata_of_any_shape_comes_back_as_it_was() {
    let mut rng = Rng::new(1);
    for _ in 0..2000 {
        let fields = random_object(&mut rng, 0);
        let model = model_with_biases(&[0.25, -1.0], Metadata::new(&fields).unwrap());
        let text = model.to_json().unwrap();
        let back = Model::from_json(&text).unwrap();
        assert_eq!(back.metadata, model.metadata, "{text}");
    }
}

/// A small model's file, with `metadata` as the text of its metadata.
fn model_text_with_metadata(metadata: &str) -> String {
    let text = model_with_biases(&[0.25, -1.0], Metadata::default())
        .to_json()
        .unwrap();
    format!("{},\"metadata\":{metadata}}}", &text[..text.len() - 1])
}

#[test]
fn metadata_is_written_back_exactly_as_it_was_read() {
    let metadata = r#"{"x":-9.5399e+27,"y":1.0,"z":0.1000000000000000055511151231257827,"a":[]}"#;
    let text = model_text_with_metadata(metadata);
    let saved = Model::from_json(&text).unwrap().to_json().unwrap();
    assert_eq!(saved, text);
}

#[test]
fn a_key_given_twice_is_refused_at_any_depth() {
    for (metadata, expected) in [
        (
            r#"{"a": 1, "a": 2}"#,
            "metadata: the key \"a\" appears twice at line 1 column 392",
        ),
        (
            r#"{"a": [{"b": {"c": 1, "c": 1}}]}"#,
            "metadata.a[0].b: the key \"c\" appears twice at line 1 column 405",
        ),
        // Lines and columns count in the whole file, not in the metadata.
        (
            "{\n  \"a\": 1,\n  \"a\": 2\n}",
            "metadata: the key \"a\" appears twice at line 3 column 5",
        ),
    ] {
        let err = Model::from_json(&model_text_with_metadata(metadata)).unwrap_err();
        assert!(err.message.contains(expected), "{err}");
    }
    let text = model_text_with_metadata("{}");
    let twice = format!("{},\"layers\":[]}}", &text[..text.len() - 1]);
    let err = Model::from_json(&twice).unwrap_err();
    assert!(err.message.contains("duplicate field `layers`"), "{err}");
}

/// The message of a document that `T` cannot be read from.
fn refused<T: serde::de::DeserializeOwned + std::fmt::Debug>(text: &str) -> String {
    json::read::<T>(text).unwrap_err().to_string()
}

#[test]
fn messages_say_where() {
    assert_eq!(
        refused::<Value>("{\n  \"a\": [1,\n    2,,]\n}"),
        "a[2]: expected value at line 3 column 7"
    );
    assert_eq!(
        refused::<NetworkConfig>(r#"{"hidden": [3, "x"]}"#),
        "hidden[1]: invalid type: string \"x\", expected usize at line 1 column 18"
    );
    assert_eq!(
        refused::<TrainingConfig>(r#"{"batchSize": 1.5}"#),
        "batchSize: invalid type: floating point `1.5`, expected usize at line 1 column 17"
    );
    let message = refused::<TrainingConfig>(r#"{"learningrate": 0.1}"#);
    assert!(
        message.starts_with(
            "learningrate: unknown field `learningrate`, expected one of `optimizer`, `learningRate`"
        ),
        "{message}"
    );
    // The same paths as serde_path_to_error gave when it tracked them during the read.
    for (text, expected) in [
        (
            r#"[{"inputs": 1}]"#,
            "[0]: missing field `outputs` at line 1 column 14",
        ),
        (
            r#"[{"inputs": 1, "outputs": 1, "weights": [0.5], "biases": [1, "x"]}]"#,
            "[0].biases[1]: invalid type: string \"x\", expected f32 at line 1 column 64",
        ),
        (
            "[\n  {\"inputs\": 1, \"outputs\": 1, \"weights\": [], \"biases\": []},\n  7\n]",
            "[1]: invalid type: integer `7`, expected struct Layer at line 3 column 3",
        ),
        (
            r#"[{"inputs": 1, "inputs": 1}]"#,
            "[0]: duplicate field `inputs` at line 1 column 23",
        ),
        (
            r#"[{"inputs": 1, "é": 1}]"#,
            "[0].é: unknown field `é`, expected one of `inputs`, `outputs`, `weights`, `biases` at line 1 column 19",
        ),
        (
            r#"[{"inputs": 1, "weights": [0.5, 1, ]}]"#,
            "[0].weights: trailing comma at line 1 column 36",
        ),
    ] {
        assert_eq!(json::read::<Vec<Layer>>(text).unwrap_err().to_string(), expected);
    }
    let deep = format!("{}{}", "[".repeat(129), "]".repeat(129));
    assert!(refused::<Value>(&deep).contains("recursion limit exceeded"));
    assert_eq!(
        refused::<Value>("[1] x"),
        "trailing characters at line 1 column 5"
    );
}

#[test]
fn settings_and_configurations_write_and_read_back() {
    let mut settings = Settings::default();
    settings.network.hidden = vec![32, 16];
    settings.network.init = Some(Init::Xavier);
    settings.network.seed = u64::MAX;
    settings.training.learning_rate = 0.3;
    settings.training.l2 = 1e-7;
    settings.digit = Some(7);
    settings.model = Some("models/a \"b\".json".into());
    settings.hide_controls = true;
    let text = serde_json::to_string(&settings).unwrap();
    assert_eq!(json::read::<Settings>(&text).unwrap(), settings);
    let value: Value = serde_json::from_str(&text).unwrap();
    // Settings' numbers are written as they were typed, not as the f32's exact value.
    assert_eq!(value["training"]["learningRate"], json!(0.3));
    assert_eq!(value["training"]["l2"], json!(1e-7));
    assert_eq!(value["label"], Value::Null);
    assert_eq!(value["network"]["seed"], json!(u64::MAX));
    assert_eq!(value["view"], json!("full"));
    // Every field may be left out; but settings are an object, and so are their parts.
    assert_eq!(json::read::<Settings>("{}").unwrap(), Settings::default());
    assert!(
        refused::<Settings>("[]").starts_with("invalid type: sequence, expected struct Settings")
    );
    assert!(refused::<Settings>(r#"{"training": []}"#)
        .starts_with("training: invalid type: sequence, expected struct TrainingConfig"));
}
