//! Any text as settings (URL hash, element attributes): parsing never panics, always yields
//! valid settings, and formatting them gives text that parses back to the same settings.
#![no_main]

use backprop_formats::{format_settings, parse_settings, Settings};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let defaults = Settings::default();
    let (settings, _) = parse_settings(text, &defaults);
    settings.network.validate().expect("parsed settings are valid");
    settings.training.validate().expect("parsed settings are valid");
    let formatted = format_settings(&settings, &defaults);
    let (again, notices) = parse_settings(&formatted, &defaults);
    assert!(notices.is_empty(), "{formatted:?} gave {notices:?}");
    assert_eq!(again, settings);
});
