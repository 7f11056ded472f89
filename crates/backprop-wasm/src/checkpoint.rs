//! Checkpoints of training: everything a training step changes (the weights, the optimiser's
//! state and the dataset's batch order), copied aside and put back. The training worker keeps
//! one of its last healthy network, to return to when a run blows up.

use backprop_core::{BatchOrder, Network as CoreNetwork, Trainer};
use wasm_bindgen::prelude::*;

use crate::convert::js_error;
use crate::dataset::Dataset;
use crate::network::Network;

/// A copy of a network in training, with its optimiser state and its data's batch order.
#[wasm_bindgen]
pub struct Checkpoint {
    net: CoreNetwork,
    trainer: Trainer,
    order: BatchOrder,
    examples: usize,
}

#[wasm_bindgen]
impl Network {
    /// A checkpoint of this network in training on `data` (its weights, optimiser state and
    /// `data`'s batch order).
    pub fn checkpoint(&self, data: &Dataset) -> Checkpoint {
        Checkpoint {
            net: self.net.clone(),
            trainer: self.trainer.clone(),
            order: data.order.clone(),
            examples: data.data.len(),
        }
    }

    /// Puts back `checkpoint`: this network's weights and optimiser state, and `data`'s batch
    /// order, exactly as they were. A checkpoint of another architecture or of a dataset of
    /// another size throws an `InputError` and changes nothing.
    pub fn restore(&mut self, checkpoint: &Checkpoint, data: &mut Dataset) -> Result<(), JsValue> {
        if checkpoint.net.sizes() != self.net.sizes() || checkpoint.examples != data.data.len() {
            return Err(js_error(backprop_core::Error::input(
                "this checkpoint is of another network or dataset",
            )));
        }
        self.net = checkpoint.net.clone();
        self.trainer = checkpoint.trainer.clone();
        data.order = checkpoint.order.clone();
        Ok(())
    }
}
