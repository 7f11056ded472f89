//! Settings text (URL hash, element attributes) is read strictly: good values are used, bad
//! ones fall back to defaults with a notice that names them.

mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use backprop_core::{Activation, Loss, OptimizerKind};
use backprop_formats::{format_settings, parse_settings, Settings, View};

fn parse(text: &str) -> (Settings, Vec<String>) {
    let (settings, notices) = parse_settings(text, &Settings::default());
    (
        settings,
        notices
            .into_iter()
            .map(|n| format!("{}: {}", n.key, n.message))
            .collect(),
    )
}

#[test]
fn good_values_are_used() {
    let (s, notices) = parse(
        "#hidden=32,16&activation=tanh&loss=sigmoid_squared_error&seed=7&optimizer=adam&lr=0.003\
         &batch=64&l2=0.0001&steps=500&digit=12&label=3&step=2&view=backprop&controls=hidden\
         &model=models%2Fsmall.json",
    );
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(s.network.hidden, vec![32, 16]);
    assert_eq!(s.network.activation, Activation::Tanh);
    assert_eq!(s.network.loss, Loss::SigmoidSquaredError);
    assert_eq!(s.network.seed, 7);
    assert_eq!(s.training.optimizer, OptimizerKind::Adam);
    assert_eq!(s.training.learning_rate, 0.003);
    assert_eq!(s.training.batch_size, 64);
    assert_eq!(s.training.l2, 0.0001);
    assert_eq!(
        (s.steps, s.digit, s.label, s.backprop_step),
        (500, Some(12), Some(3), Some(2))
    );
    assert_eq!(s.view, View::Backprop);
    assert!(s.hide_controls);
    assert_eq!(s.model.as_deref(), Some("models/small.json"));
}

#[test]
fn formatting_round_trips_and_lists_only_changes() {
    let (s, _) =
        parse("hidden=64&activation=leaky_relu&lr=0.25&seed=99&steps=1200&model=models/a-b.json");
    let text = format_settings(&s, &Settings::default());
    assert_eq!(
        text,
        "hidden=64&activation=leaky_relu&seed=99&lr=0.25&steps=1200&model=models/a-b.json"
    );
    assert_eq!(parse(&text).0, s);
    assert_eq!(
        format_settings(&Settings::default(), &Settings::default()),
        ""
    );
    // Tiny numbers are written out in full (8e-25 as 27 characters) and still read back:
    // found by the settings fuzzer.
    let (tiny, notices) = parse("l2=8e-25&lr=1e-45");
    assert!(notices.is_empty(), "{notices:?}");
    let text = format_settings(&tiny, &Settings::default());
    assert_eq!(parse(&text), (tiny, vec![]), "{text}");
    let (empty, _) = parse("hidden=");
    assert_eq!(
        parse(&format_settings(&empty, &Settings::default()))
            .0
            .network
            .hidden,
        Vec::<usize>::new()
    );
}

#[test]
fn bad_values_fall_back_with_a_notice_each() {
    let cases = [
        ("hidden=0", "hidden", "list of layer widths from 1 to 2048"),
        ("hidden=5000", "hidden", "list of layer widths"),
        ("hidden=1,2,3,4,5,6,7,8,9", "hidden", "at most 8 layers"),
        (
            "hidden=2048,2048,2048",
            "hidden",
            "the limit is 4000000; the default layers are used",
        ),
        (
            "activation=swish",
            "activation",
            "one of sigmoid, tanh, relu, leaky_relu",
        ),
        // Names are read as JSON strings: an escape that spells one is not a name.
        ("activation=%5Cu0072elu", "activation", "one of sigmoid"),
        ("activation=relu%22", "activation", "one of sigmoid"),
        ("init=RELU", "init", "one of auto, xavier, he"),
        ("lr=0", "lr", "a number in (0, 10]"),
        ("lr=NaN", "lr", "a number in (0, 10]"),
        ("lr=1e99", "lr", "a number"),
        ("batch=-3", "batch", "a whole number from 1 to 4096"),
        (
            "seed=99999999999",
            "seed",
            "a whole number from 0 to 4294967295",
        ),
        ("label=10", "label", "a whole number from 0 to 9"),
        ("steps=1000001", "steps", "from 0 to 100000"),
        (
            "view=admin",
            "view",
            "one of full, draw, network, backprop, train, landscape",
        ),
        (
            "model=javascript:alert(1)",
            "model",
            "relative path or an http(s) URL",
        ),
        ("model=%3Cscript%3E", "model", "relative path"),
        ("model=//evil.example/m.json", "model", "relative path"),
        ("colour=red", "colour", "not a known setting"),
        ("lr=%ZZ", "lr", "not correctly percent-encoded"),
    ];
    for (text, key, expected) in cases {
        let (s, notices) = parse(text);
        assert_eq!(notices.len(), 1, "{text}: {notices:?}");
        assert!(
            notices[0].starts_with(&format!("{key}: ")),
            "{text}: {notices:?}"
        );
        assert!(notices[0].contains(expected), "{text}: {notices:?}");
        assert!(s.network.validate().is_ok() && s.training.validate().is_ok());
        let (defaults, _) = parse("");
        assert_eq!(s.network.hidden, defaults.network.hidden, "{text}");
    }
}

#[test]
fn notices_never_repeat_long_or_control_text() {
    let (_, notices) = parse(&format!("activation={}%0A%1B", "x".repeat(500)));
    assert_eq!(notices.len(), 1);
    assert!(notices[0].len() < 160, "{}", notices[0]);
    assert!(!notices[0].contains('\n') && !notices[0].contains('\u{1b}'));
    let (s, notices) = parse(&"lr=0.5&".repeat(400));
    assert!(notices[0].contains("longer than 2048 characters"));
    assert_eq!(s, Settings::default());
}
