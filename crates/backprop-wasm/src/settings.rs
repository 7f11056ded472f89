//! `parseSettings` / `formatSettings`: the validator for settings text (URL hash, element
//! attributes, iframe query strings), for JavaScript.

use backprop_formats::{Notice, Settings};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::convert::{from_js, to_js};

/// What `parseSettings` gives back.
#[derive(Serialize)]
struct Parsed {
    settings: Settings,
    notices: Vec<Notice>,
}

/// Reads `key=value&…` settings text. Returns `{ settings, notices }`: the settings in the
/// shape `{ network, training, steps, digit, label, backpropStep, view, model, hideControls }`
/// (`network` and `training` as the `Network` constructor takes them) and one
/// `{ key, message }` notice per ignored value. `defaults` (same shape) is optional.
#[wasm_bindgen(js_name = parseSettings)]
pub fn parse_settings(text: &str, defaults: JsValue) -> Result<JsValue, JsValue> {
    let defaults = settings_or_default(defaults)?;
    let (settings, notices) = backprop_formats::parse_settings(text, &defaults);
    to_js(&Parsed { settings, notices })
}

/// The settings as `key=value&…` text, naming only what differs from `defaults`.
#[wasm_bindgen(js_name = formatSettings)]
pub fn format_settings(settings: JsValue, defaults: JsValue) -> Result<String, JsValue> {
    let settings = from_js(settings, "settings", "")?;
    let defaults = settings_or_default(defaults)?;
    Ok(backprop_formats::format_settings(&settings, &defaults))
}

fn settings_or_default(value: JsValue) -> Result<Settings, JsValue> {
    if value.is_undefined() || value.is_null() {
        Ok(Settings::default())
    } else {
        from_js(value, "default settings", "")
    }
}
