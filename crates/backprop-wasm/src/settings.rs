//! `parseSettings` / `formatSettings`: the core's validator for settings text (URL hash,
//! element attributes, iframe query strings), for JavaScript.

use backprop_core::{Notice, Settings};
use wasm_bindgen::prelude::*;

use crate::convert::{read_js, write_js};

/// Reads `key=value&…` settings text. Returns `{ settings, notices }`: the settings in the
/// shape `{ network, training, steps, digit, label, backpropStep, view, model, hideControls }`
/// (`network` and `training` as the `Network` constructor takes them) and one
/// `{ key, message }` notice per ignored value. `defaults` (same shape) is optional.
#[wasm_bindgen(js_name = parseSettings)]
pub fn parse_settings(text: &str, defaults: JsValue) -> Result<JsValue, JsValue> {
    let defaults = settings_or_default(defaults)?;
    let (settings, notices) = backprop_core::parse_settings(text, &defaults);
    write_js(|w| {
        w.object(|w| {
            w.key("settings");
            settings.write(w);
            w.key("notices");
            Notice::write_all(&notices, w);
        });
    })
}

/// The settings as `key=value&…` text, naming only what differs from `defaults`.
#[wasm_bindgen(js_name = formatSettings)]
pub fn format_settings(settings: JsValue, defaults: JsValue) -> Result<String, JsValue> {
    let settings = read_js(&settings, "settings", Settings::read)?;
    let defaults = settings_or_default(defaults)?;
    Ok(backprop_core::format_settings(&settings, &defaults))
}

fn settings_or_default(value: JsValue) -> Result<Settings, JsValue> {
    if value.is_undefined() || value.is_null() {
        Ok(Settings::default())
    } else {
        read_js(&value, "default settings", Settings::read)
    }
}
