//! Checkpoints of training: everything a training step changes (the weights, the optimiser's
//! settings and state, and the dataset's batch order), copied aside and put back, or saved as
//! bytes (backprop-formats' record) and read back bit for bit. The training worker keeps one of
//! its last healthy network, to return to when a run blows up; a page can keep a learner's
//! whole session in IndexedDB.

use backprop_core::Trainer;
use backprop_formats::Checkpoint as Saved;
use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;

use crate::convert::js_error;
use crate::dataset::Dataset;
use crate::network::Network;

/// A copy of a network in training, with its optimiser state and its data's batch order.
#[wasm_bindgen]
pub struct Checkpoint {
    saved: Saved,
}

#[wasm_bindgen]
impl Checkpoint {
    /// The checkpoint as a compact versioned record (weights and moments as raw f32).
    #[wasm_bindgen(js_name = toBytes)]
    pub fn to_bytes(&self) -> Uint8Array {
        Uint8Array::from(self.saved.to_bytes().as_slice())
    }

    /// Reads a record made by `toBytes`; a damaged, truncated or foreign one throws a
    /// `ModelError` that says so.
    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(bytes: &[u8]) -> Result<Checkpoint, JsValue> {
        let saved = Saved::from_bytes(bytes).map_err(js_error)?;
        Ok(Checkpoint { saved })
    }

    /// Optimiser updates the network had had.
    #[wasm_bindgen(getter)]
    pub fn steps(&self) -> u32 {
        self.saved.state.steps()
    }
}

#[wasm_bindgen]
impl Network {
    /// A checkpoint of this network in training on `data` (its weights, optimiser settings and
    /// state, and `data`'s batch order).
    pub fn checkpoint(&self, data: &Dataset) -> Checkpoint {
        Checkpoint {
            saved: Saved {
                network: self.net.clone(),
                training: self.trainer.config().clone(),
                state: self.trainer.state().clone(),
                order: data.order.clone(),
            },
        }
    }

    /// Puts back `checkpoint`: this network's weights and optimiser state, and `data`'s batch
    /// order, exactly as they were. A checkpoint of another architecture or of a dataset of
    /// another size throws an `InputError` and changes nothing.
    pub fn restore(&mut self, checkpoint: &Checkpoint, data: &mut Dataset) -> Result<(), JsValue> {
        if checkpoint.saved.network.sizes() != self.net.sizes() {
            return Err(js_error(backprop_core::Error::input(
                "this checkpoint is of a network of another architecture",
            )));
        }
        let (net, trainer) = checkpoint.take_up(data)?;
        let restored = Network::from_parts(net, trainer);
        self.net = restored.net;
        self.trainer = restored.trainer;
        Ok(())
    }

    /// A network in exactly the state of `checkpoint` (weights, optimiser settings and state),
    /// with `data`'s batch order put back as it was; a dataset of another size throws an
    /// `InputError` and changes nothing.
    #[wasm_bindgen(js_name = fromCheckpoint)]
    pub fn from_checkpoint(
        checkpoint: &Checkpoint,
        data: &mut Dataset,
    ) -> Result<Network, JsValue> {
        let (net, trainer) = checkpoint.take_up(data)?;
        Ok(Network::from_parts(net, trainer))
    }
}

impl Checkpoint {
    /// The checkpoint's network and trainer, with `data`'s order put back, when `data` has the
    /// checkpoint's number of examples.
    fn take_up(&self, data: &mut Dataset) -> Result<(backprop_core::Network, Trainer), JsValue> {
        let saved = &self.saved;
        if saved.order.len() != data.data.len() {
            return Err(js_error(backprop_core::Error::input(format!(
                "this checkpoint is of a dataset of {} examples; this one has {}",
                saved.order.len(),
                data.data.len()
            ))));
        }
        let trainer =
            Trainer::with_state(saved.training.clone(), saved.state.clone()).map_err(js_error)?;
        data.order = saved.order.clone();
        Ok((saved.network.clone(), trainer))
    }
}
