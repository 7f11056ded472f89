//! The JavaScript face of backprop-core: `Network`, `Dataset` and `Checkpoint` classes.
//!
//! This crate only converts between JS values and the core's types (serde-wasm-bindgen, typed
//! arrays) and reads files with `backprop-formats`. Every number it hands to JavaScript was
//! computed by the core or by backprop-probe, which looks inside it; errors reach JS as thrown
//! `Error`s whose `name` tells the category (`ConfigError`, `ModelError`, `DatasetError`,
//! `InputError`, `DivergedError`).

mod checkpoint;
mod convert;
mod dataset;
mod drawing;
mod network;
mod neuron_terms;
mod options;
mod parameters;
mod results;
mod settings;
mod threads;
mod view;

pub use checkpoint::Checkpoint;
pub use dataset::Dataset;
pub use drawing::prepare_drawing;
pub use network::Network;
pub use settings::{format_settings, parse_settings};

use wasm_bindgen::prelude::*;

#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

/// A fresh random seed from the browser's crypto source, for "new seed" buttons.
#[wasm_bindgen(js_name = randomSeed)]
pub fn random_seed() -> Result<u32, JsValue> {
    getrandom::u32().map_err(|e| js_sys::Error::new(&format!("no random source: {e}")).into())
}

/// Whether this build may fuse its multiply-adds (compiled with relaxed SIMD): faster, but not
/// bit-identical to the other builds nor across computers (backprop-kernels' `simd` module).
#[wasm_bindgen(js_name = fusedMultiplyAdd)]
pub fn fused_multiply_add() -> bool {
    cfg!(target_feature = "relaxed-simd")
}
