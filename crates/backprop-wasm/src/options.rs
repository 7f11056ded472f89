//! The `Network` constructor's options: the network's fields, with the training settings
//! nested under `training`, e.g. `{ hidden: [128, 64], seed: 42, training: { batchSize: 32 } }`.

use backprop_core::{NetworkConfig, TrainingConfig};
use js_sys::{Object, Reflect};
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

use crate::convert::from_js;

const WHAT: &str = "network options";
const TRAINING: &str = "training";

/// Reads options from JS; a missing one (`undefined` or `null`) gives the defaults. Unknown
/// fields are refused at both levels: `training` is taken out and read on its own, and the rest
/// must be the network's fields.
pub fn read(options: JsValue) -> Result<(NetworkConfig, TrainingConfig), JsValue> {
    if options.is_undefined() || options.is_null() {
        return Ok(Default::default());
    }
    if !options.is_object() {
        // Refused, with the type that was given instead.
        return Ok((from_js(options, WHAT, "")?, TrainingConfig::default()));
    }
    let network_fields = Object::assign(&Object::new(), options.unchecked_ref());
    let key = JsValue::from_str(TRAINING);
    let training = Reflect::get(&network_fields, &key)?;
    Reflect::delete_property(&network_fields, &key)?;
    let network = from_js(network_fields.into(), WHAT, "")?;
    let training = match training.is_undefined() {
        true => TrainingConfig::default(),
        false => from_js(training, WHAT, TRAINING)?,
    };
    Ok((network, training))
}

/// The options as `Network.options()` gives them back: the network's fields, then `training`.
#[derive(Serialize)]
pub struct Written<'a> {
    #[serde(flatten)]
    pub network: &'a NetworkConfig,
    pub training: &'a TrainingConfig,
}
