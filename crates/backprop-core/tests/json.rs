//! The core's JSON reader and writer against serde_json as the oracle: random documents read
//! and write back unchanged, random corruptions of them are accepted exactly when serde_json
//! accepts them, every finite f32 comes back bit for bit, and messages say where.

mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use backprop_core::json::{write_f32, Json, Reader, Writer};
use backprop_core::{NetworkConfig, Rng, Settings, TrainingConfig};
use serde_json::Value;

const CASES: u64 = 2000;

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
        _ => {
            let mut map = serde_json::Map::new();
            for i in 0..rng.below(4) {
                map.insert(
                    format!("{}{i}", random_string(rng)),
                    random_value(rng, depth + 1),
                );
            }
            Value::Object(map)
        }
    }
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

fn read_value(text: &str) -> Result<Json, String> {
    Reader::document(text, Reader::value).map_err(|e| e.message)
}

fn write_value(value: &Json) -> String {
    let mut w = Writer::new();
    w.value(value);
    w.finish()
}

#[test]
fn random_documents_read_and_write_back_unchanged() {
    let mut rng = Rng::new(1);
    for _ in 0..CASES {
        let original = random_value(&mut rng, 0);
        let compact = serde_json::to_string(&original).unwrap();
        for text in [&compact, &serde_json::to_string_pretty(&original).unwrap()] {
            let read = read_value(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            // Numbers keep their text, so the document comes back character for character.
            assert_eq!(&write_value(&read), &compact);
        }
    }
}

#[test]
fn corrupted_documents_are_refused_exactly_when_serde_json_refuses_them() {
    let mut rng = Rng::new(2);
    let noise = [
        "", ",", "}", "]", "{", "[", "\"", "\\", ":", "-", "0", ".", "e", "x", " ", "\u{1}",
    ];
    let mut refused = 0;
    for _ in 0..CASES * 5 {
        let mut text: Vec<char> = serde_json::to_string(&random_value(&mut rng, 0))
            .unwrap()
            .chars()
            .collect();
        for _ in 0..1 + rng.below(2) {
            let at = rng.below(text.len() + 1);
            let piece: Vec<char> = noise[rng.below(noise.len())].chars().collect();
            let cut = if at < text.len() { rng.below(2) } else { 0 };
            text.splice(at..at + cut, piece);
        }
        let text: String = text.into_iter().collect();
        let ours = read_value(&text);
        let theirs = serde_json::from_str::<Value>(&text);
        if let Err(message) = &ours {
            // serde_json keeps the last of two equal keys; we refuse them.
            if message.contains("appears twice") {
                continue;
            }
            refused += 1;
        }
        if let Err(e) = &theirs {
            // serde_json reads numbers as f64; we keep their text.
            if e.to_string().contains("number out of range") {
                continue;
            }
        }
        assert_eq!(
            ours.is_ok(),
            theirs.is_ok(),
            "{text:?}: {ours:?} / {theirs:?}"
        );
    }
    assert!(
        refused > CASES as usize,
        "too few corruptions were invalid: {refused}"
    );
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
    for value in special.into_iter().chain(random).filter(|v| v.is_finite()) {
        let mut text = String::new();
        write_f32(value, &mut text);
        let back = Reader::document(&text, Reader::f32).unwrap();
        assert_eq!(back.to_bits(), value.to_bits(), "{text}");
        assert_eq!(
            serde_json::from_str::<f32>(&text).unwrap().to_bits(),
            value.to_bits()
        );
        assert!(text.len() <= 15, "{text} is long");
    }
    for value in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
        let mut text = String::new();
        write_f32(value, &mut text);
        assert_eq!(text, "null");
    }
}

#[test]
fn strings_decode_escapes_and_surrogate_pairs() {
    let text = r#""a\"b\\c\/d\b\f\n\r\t\u00e9\ud834\udd1e""#;
    let read = Reader::document(text, Reader::string).unwrap();
    assert_eq!(read, serde_json::from_str::<String>(text).unwrap());
    for bad in [
        r#""\ud834""#,
        r#""\udd1e""#,
        r#""\ud834\u0041""#,
        r#""\x""#,
        r#""\u12""#,
        "\"a\u{1}\"",
    ] {
        assert!(Reader::document(bad, Reader::string).is_err(), "{bad}");
    }
}

#[test]
fn messages_say_where() {
    let err = read_value("{\n  \"a\": [1,\n    2,,]\n}").unwrap_err();
    assert_eq!(err, "line 3, column 7: expected a JSON value");
    let err = Reader::document(r#"{"hidden": [3, "x"]}"#, NetworkConfig::read).unwrap_err();
    assert_eq!(
        err.message,
        "hidden[1]: expected a whole number from 0 to 4294967295, found a string"
    );
    let err = Reader::document(r#"{"batchSize": 1.5}"#, TrainingConfig::read).unwrap_err();
    assert_eq!(
        err.message,
        "batchSize: expected a whole number from 0 to 4294967295, found 1.5"
    );
    let err = Reader::document(r#"{"learningrate": 0.1}"#, TrainingConfig::read).unwrap_err();
    assert!(
        err.message.starts_with(
            "learningrate: is not a known field; the fields are optimizer, learningRate"
        ),
        "{}",
        err.message
    );
    let err = read_value(r#"{"a": 1, "a": 2}"#).unwrap_err();
    assert_eq!(err, "the key \"a\" appears twice");
    let deep = "[".repeat(65) + &"]".repeat(65);
    assert!(read_value(&deep)
        .unwrap_err()
        .contains("nested more than 64 levels deep"));
    assert!(read_value(&"[".repeat(64))
        .unwrap_err()
        .contains("the text ends"));
    let err = read_value("[1] x").unwrap_err();
    assert_eq!(
        err,
        "line 1, column 5: unexpected text after the end of the JSON value"
    );
}

#[test]
fn settings_and_configurations_write_and_read_back() {
    let mut settings = Settings::default();
    settings.network.hidden = vec![32, 16];
    settings.network.init = Some(backprop_core::Init::Xavier);
    settings.network.seed = u64::MAX;
    settings.training.learning_rate = 0.3;
    settings.training.l2 = 1e-7;
    settings.digit = Some(7);
    settings.model = Some("models/a \"b\".json".into());
    settings.hide_controls = true;
    let mut w = Writer::new();
    settings.write(&mut w);
    let text = w.finish();
    assert_eq!(Reader::document(&text, Settings::read).unwrap(), settings);
    let value: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["training"]["learningRate"], 0.3);
    assert_eq!(value["training"]["l2"], 1e-7);
    assert_eq!(value["label"], Value::Null);
    assert_eq!(value["network"]["seed"], u64::MAX);
    // Every field may be left out.
    assert_eq!(
        Reader::document("{}", Settings::read).unwrap(),
        Settings::default()
    );
}

#[test]
fn objects_hold_at_most_a_thousand_keys() {
    // Each key is compared with the earlier ones, so the count is bounded: a hostile file
    // with a million keys would otherwise stall the tab for hours.
    let object = |keys: usize| {
        let fields: Vec<String> = (0..keys).map(|i| format!("\"k{i}\":{i}")).collect();
        format!("{{\"metadata\":{{{}}}}}", fields.join(","))
    };
    match read_value(&object(1000)).unwrap() {
        Json::Object(fields) => assert!(matches!(&fields[0].1, Json::Object(f) if f.len() == 1000)),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        read_value(&object(1001)).unwrap_err(),
        "metadata: an object has more than 1000 keys"
    );
}
