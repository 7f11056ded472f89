//! Models saved as versioned JSON: architecture, training settings, weights and metadata.
//! Loading checks everything and explains the first problem it finds; it never panics.
//! `to_json` and `from_json` are `#[inline]` so that they are compiled in the calling crate,
//! i.e. for size in the wasm build (see the root Cargo.toml).

use crate::config::{NetworkConfig, TrainingConfig};
use crate::error::{Error, Result};
use crate::json::{Json, Read, Reader, Writer};
use crate::network::{Layer, Network};

pub const MODEL_FORMAT: &str = "backprop-lab-model";
pub const MODEL_VERSION: u64 = 1;
/// Largest model file accepted: the biggest allowed network written out is well under this.
pub const MAX_MODEL_BYTES: usize = 100 * 1024 * 1024;

const FIELDS: [&str; 6] = [
    "format", "version", "network", "training", "layers", "metadata",
];
const LAYER_FIELDS: [&str; 4] = ["inputs", "outputs", "weights", "biases"];

/// A network with the settings it trains with and free-form notes (e.g. its test accuracy):
/// the fields of a JSON object, in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    pub network: Network,
    pub training: TrainingConfig,
    pub metadata: Vec<(String, Json)>,
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
        let mut w = Writer::new();
        w.object(|w| {
            w.key("format").string(MODEL_FORMAT);
            w.key("version").integer(MODEL_VERSION);
            w.key("network");
            self.network.config().write(w);
            w.key("training");
            self.training.write(w);
            w.key("layers").array(|w| {
                for layer in self.network.layers() {
                    w.object(|w| {
                        w.key("inputs").integer(layer.inputs as u64);
                        w.key("outputs").integer(layer.outputs as u64);
                        w.key("weights").f32s(&layer.weights);
                        w.key("biases").f32s(&layer.biases);
                    });
                }
            });
            if !self.metadata.is_empty() {
                w.key("metadata").fields(&self.metadata);
            }
        });
        Ok(w.finish())
    }

    /// Reads a model file in two passes: the first checks the JSON syntax and finds the format
    /// and version, which decide whether the second, which reads the values, can understand it.
    #[inline]
    pub fn from_json(text: &str) -> Result<Model> {
        if text.len() > MAX_MODEL_BYTES {
            return Err(Error::model(format!(
                "the model file is larger than {} MB, the limit",
                MAX_MODEL_BYTES / (1024 * 1024)
            )));
        }
        let header = Reader::document(text, read_header).map_err(|e| {
            Error::model(format!("the model file is not valid JSON: {}", e.message))
        })?;
        let Some((format, version)) = header else {
            return Err(Error::model("the model file must hold a JSON object"));
        };
        if format.as_ref().and_then(Json::as_str) != Some(MODEL_FORMAT) {
            return Err(Error::model(format!(
                "not a backprop-lab model: \"format\" must be \"{MODEL_FORMAT}\""
            )));
        }
        match version {
            Some(Json::Number(v)) if v.parse::<u64>() == Ok(MODEL_VERSION) => {}
            Some(Json::Number(v)) => {
                return Err(Error::model(format!(
                    "model version {v} is not supported; this version of backprop-lab reads version {MODEL_VERSION}"
                )))
            }
            _ => return Err(Error::model("the model file has no numeric \"version\"")),
        }
        let (network, training, layers, metadata) = Reader::document(text, read_body)
            .map_err(|e| Error::model(format!("the model file is malformed: {}", e.message)))?;
        training
            .validate()
            .map_err(|e| Error::model(format!("training settings: {}", e.message)))?;
        let network = Network::from_layers(network, layers)?;
        Ok(Model {
            network,
            training,
            metadata,
        })
    }
}

/// The first pass: the `format` and `version` values, or None when the text is not an object.
type Header = Option<(Option<Json>, Option<Json>)>;

#[inline]
fn read_header(r: &mut Reader) -> Read<Header> {
    if !r.at_object() {
        r.skip()?;
        return Ok(None);
    }
    let (mut format, mut version) = (None, None);
    r.object(|r, key| {
        match key {
            "format" => format = Some(r.value()?),
            "version" => version = Some(r.value()?),
            _ => r.skip()?,
        }
        Ok(())
    })?;
    Ok(Some((format, version)))
}

type Body = (
    NetworkConfig,
    TrainingConfig,
    Vec<Layer>,
    Vec<(String, Json)>,
);

#[inline]
fn read_body(r: &mut Reader) -> Read<Body> {
    let (mut network, mut training, mut layers, mut metadata) = (None, None, None, Vec::new());
    r.object(|r, key| {
        match key {
            "format" | "version" => r.skip()?,
            "network" => network = Some(NetworkConfig::read(r)?),
            "training" => training = Some(TrainingConfig::read(r)?),
            "layers" => layers = Some(r.list(read_layer)?),
            "metadata" => metadata = r.fields()?,
            _ => return Err(r.unknown(&FIELDS)),
        }
        Ok(())
    })?;
    Ok((
        r.required(network, "network")?,
        r.required(training, "training")?,
        r.required(layers, "layers")?,
        metadata,
    ))
}

#[inline]
fn read_layer(r: &mut Reader) -> Read<Layer> {
    let count = u64::from(u32::MAX);
    let (mut inputs, mut outputs, mut weights, mut biases) = (None, None, None, None);
    r.object(|r, key| {
        match key {
            "inputs" => inputs = Some(r.integer(count)? as usize),
            "outputs" => outputs = Some(r.integer(count)? as usize),
            "weights" => weights = Some(r.list(Reader::f32)?),
            "biases" => biases = Some(r.list(Reader::f32)?),
            _ => return Err(r.unknown(&LAYER_FIELDS)),
        }
        Ok(())
    })?;
    Ok(Layer {
        inputs: r.required(inputs, "inputs")?,
        outputs: r.required(outputs, "outputs")?,
        weights: r.required(weights, "weights")?,
        biases: r.required(biases, "biases")?,
    })
}
