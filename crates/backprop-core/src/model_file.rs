//! Models saved as versioned JSON: architecture, training settings, weights and metadata.
//! Loading checks everything and explains the first problem it finds; it never panics.
//! `to_json` and `from_json` are `#[inline]` so that they (and the serde code they instantiate)
//! are compiled in the calling crate, i.e. for size in the wasm build (see the root Cargo.toml).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::config::{NetworkConfig, TrainingConfig};
use crate::error::{Error, Result};
use crate::network::{Layer, Network};

pub const MODEL_FORMAT: &str = "backprop-lab-model";
pub const MODEL_VERSION: u64 = 1;
/// Largest model file accepted: the biggest allowed network written out is well under this.
pub const MAX_MODEL_BYTES: usize = 100 * 1024 * 1024;

/// A network with the settings it trains with and free-form notes (e.g. its test accuracy).
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    pub network: Network,
    pub training: TrainingConfig,
    pub metadata: Map<String, Value>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelJson {
    format: String,
    version: u64,
    network: NetworkConfig,
    training: TrainingConfig,
    layers: Vec<LayerJson>,
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    metadata: Map<String, Value>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct LayerJson {
    inputs: usize,
    outputs: usize,
    weights: Vec<f32>,
    biases: Vec<f32>,
}

impl Model {
    /// The model as JSON. A network with a NaN or infinite weight is refused: it could not be
    /// loaded back, and nobody should share a broken model by accident.
    #[inline]
    pub fn to_json(&self) -> Result<String> {
        if !self.network.is_finite() {
            return Err(Error::model(
                "the network has NaN or infinite weights (training diverged); it was not saved",
            ));
        }
        let file = ModelJson {
            format: MODEL_FORMAT.to_string(),
            version: MODEL_VERSION,
            network: self.network.config().clone(),
            training: self.training.clone(),
            layers: self
                .network
                .layers()
                .iter()
                .map(|l| LayerJson {
                    inputs: l.inputs,
                    outputs: l.outputs,
                    weights: l.weights.clone(),
                    biases: l.biases.clone(),
                })
                .collect(),
            metadata: self.metadata.clone(),
        };
        serde_json::to_string(&file)
            .map_err(|e| Error::model(format!("cannot write the model: {e}")))
    }

    #[inline]
    pub fn from_json(text: &str) -> Result<Model> {
        if text.len() > MAX_MODEL_BYTES {
            return Err(Error::model(format!(
                "the model file is larger than {} MB, the limit",
                MAX_MODEL_BYTES / (1024 * 1024)
            )));
        }
        let value: Value = serde_json::from_str(text)
            .map_err(|e| Error::model(format!("the model file is not valid JSON: {e}")))?;
        let object = value
            .as_object()
            .ok_or_else(|| Error::model("the model file must hold a JSON object"))?;
        match object.get("format").and_then(Value::as_str) {
            Some(MODEL_FORMAT) => {}
            _ => {
                return Err(Error::model(format!(
                    "not a backprop-lab model: \"format\" must be \"{MODEL_FORMAT}\""
                )))
            }
        }
        match object.get("version").and_then(Value::as_u64) {
            Some(MODEL_VERSION) => {}
            Some(v) => {
                return Err(Error::model(format!(
                    "model version {v} is not supported; this version of backprop-lab reads version {MODEL_VERSION}"
                )))
            }
            None => return Err(Error::model("the model file has no numeric \"version\"")),
        }
        let file: ModelJson = serde_json::from_value(value)
            .map_err(|e| Error::model(format!("the model file is malformed: {e}")))?;
        file.training
            .validate()
            .map_err(|e| Error::model(format!("training settings: {}", e.message)))?;
        let layers = file
            .layers
            .into_iter()
            .map(|l| Layer {
                inputs: l.inputs,
                outputs: l.outputs,
                weights: l.weights,
                biases: l.biases,
            })
            .collect();
        let network = Network::from_layers(file.network, layers)?;
        Ok(Model {
            network,
            training: file.training,
            metadata: file.metadata,
        })
    }
}
