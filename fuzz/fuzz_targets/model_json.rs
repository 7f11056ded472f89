//! Any text as JSON and as a model file. The JSON reader returns a value or an error, never
//! panics, and what it accepts writes out to text that reads back equal. Loading a model
//! returns a model or an error, and a model it accepts is finite, fits its architecture and
//! saves to a file that loads back equal.
#![no_main]

use backprop_core::json::{Reader, Writer};
use backprop_core::Model;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(value) = Reader::document(text, Reader::value) {
        let mut writer = Writer::new();
        writer.value(&value);
        let written = writer.finish();
        let again = Reader::document(&written, Reader::value).expect("written JSON reads back");
        assert_eq!(again, value);
    }
    if let Ok(model) = Model::from_json(text) {
        assert!(model.network.is_finite());
        let input = vec![0.5; model.network.config().inputs];
        let output = model.network.predict(&input).expect("an accepted model runs");
        assert_eq!(output.len(), model.network.config().outputs);
        let saved = model.to_json().expect("an accepted model saves");
        assert_eq!(Model::from_json(&saved).expect("a saved model loads"), model);
    }
});
