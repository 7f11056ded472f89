//! `ProbedNetwork`: a network with given weights, to look inside without changing it.

use backprop_core::{Error, Network, NetworkConfig};
use backprop_js::js_error;
use serde::de::{value, IntoDeserializer};
use serde::Deserialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct ProbedNetwork {
    pub(crate) net: Network,
}

#[wasm_bindgen]
impl ProbedNetwork {
    /// `new ProbedNetwork(network.sizes(), activation, loss, network.parameters())`, with
    /// `activation` and `loss` the names in `network.options()`: the network's shape and its
    /// weights and biases laid out as `parameters()` (no probe trains, so the training settings
    /// do not come along). A shape the main module would refuse throws a `ConfigError`,
    /// parameters of the wrong count or not finite an `InputError`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        sizes: &[u32],
        activation: &str,
        loss: &str,
        parameters: &[f32],
    ) -> Result<ProbedNetwork, JsValue> {
        console_error_panic_hook::set_once();
        let [inputs, hidden @ .., outputs] = sizes else {
            return Err(js_error(Error::config(format!(
                "a network has an input and an output layer at least, got {} sizes",
                sizes.len()
            ))));
        };
        let config = NetworkConfig {
            inputs: *inputs as usize,
            hidden: hidden.iter().map(|&h| h as usize).collect(),
            outputs: *outputs as usize,
            activation: named(activation, "activation")?,
            loss: named(loss, "loss")?,
            ..NetworkConfig::default()
        };
        let mut net = Network::new(config).map_err(js_error)?;
        net.set_parameters(parameters).map_err(js_error)?;
        Ok(ProbedNetwork { net })
    }

    /// The number of weights and biases.
    #[wasm_bindgen(getter, js_name = parameterCount)]
    pub fn parameter_count(&self) -> u32 {
        self.net.config().parameter_count() as u32
    }
}

/// An activation or loss by the name the options give it, e.g. "relu".
fn named<'a, T: Deserialize<'a>>(name: &'a str, what: &str) -> Result<T, JsValue> {
    T::deserialize(name.into_deserializer())
        .map_err(|e: value::Error| js_error(Error::config(format!("invalid {what}: {e}"))))
}
