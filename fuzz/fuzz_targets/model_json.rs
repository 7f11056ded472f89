//! Any text as a model file: loading returns a model or an error, never panics, and a model it
//! accepts is finite, fits its architecture, runs, and saves to a file that loads back equal,
//! metadata included, and that saves again to the same text.
#![no_main]

use backprop_formats::Model;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(model) = Model::from_json(text) {
        assert!(model.network.is_finite());
        let input = vec![0.5; model.network.config().inputs];
        let output = model.network.predict(&input).expect("an accepted model runs");
        assert_eq!(output.len(), model.network.config().outputs);
        let saved = model.to_json().expect("an accepted model saves");
        let again = Model::from_json(&saved).expect("a saved model loads");
        assert_eq!(again, model);
        assert_eq!(again.to_json().expect("it saves again"), saved);
    }
});
