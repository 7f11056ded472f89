//! backprop-formats: how backprop-lab's network meets files and text. Model files (versioned
//! JSON), IDX datasets (MNIST's format, raw or gzip) and settings text (links, element
//! attributes) are read strictly, and every refusal says what is wrong: JSON messages give the
//! path of a bad value (`layers[1].weights[3]`) and the line and column. Checkpoints of
//! training (weights, optimiser state, batch order) are written and read as a compact
//! versioned binary record. A learner's drawing becomes a network input here too, prepared as
//! MNIST prepared its digits.

mod checkpoint;
mod drawing;
mod echo;
pub mod idx;
pub mod json;
mod metadata;
mod model_file;
mod settings;

pub use checkpoint::{Checkpoint, CHECKPOINT_VERSION};
pub use drawing::prepare_drawing;
pub use idx::{parse_idx, read_dataset, IdxArray, MAX_IDX_BYTES};
pub use metadata::Metadata;
pub use model_file::{Model, MAX_MODEL_BYTES, MODEL_FORMAT, MODEL_VERSION};
pub use settings::{
    format_settings, parse_settings, Notice, Settings, View, MAX_MODEL_URL_LENGTH,
    MAX_REPLAY_STEPS, MAX_SETTINGS_LENGTH,
};
