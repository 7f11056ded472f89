//! `Dataset`: labelled images held in wasm memory, with their own shuffled batch order.

use backprop_core::{BatchOrder, Dataset as CoreDataset, Rng};
use backprop_formats::read_dataset;
use js_sys::{Float32Array, Uint32Array, Uint8Array};
use wasm_bindgen::prelude::*;

use crate::convert::js_error;

/// `fromImages` takes MNIST's 28×28 images.
const SIDE: usize = 28;

#[wasm_bindgen]
pub struct Dataset {
    pub(crate) data: CoreDataset,
    pub(crate) order: BatchOrder,
}

#[wasm_bindgen]
impl Dataset {
    /// Reads MNIST-format IDX image and label files (raw or gzip); `seed` orders the batches.
    #[wasm_bindgen(js_name = fromIdx)]
    pub fn from_idx(images: &[u8], labels: &[u8], seed: u32) -> Result<Dataset, JsValue> {
        let data = read_dataset(images, labels).map_err(js_error)?;
        Ok(Dataset::ordered(data, seed))
    }

    /// `pixels` holds 28×28 grey images (0 = background, 255 = ink) one after another, one per
    /// label, e.g. a learner's drawings; `seed` orders the batches. A length that does not fit
    /// throws a `DatasetError`.
    #[wasm_bindgen(js_name = fromImages)]
    pub fn from_images(pixels: Vec<u8>, labels: Vec<u8>, seed: u32) -> Result<Dataset, JsValue> {
        let data = CoreDataset::new(SIDE, SIDE, pixels, labels).map_err(js_error)?;
        Ok(Dataset::ordered(data, seed))
    }

    /// Examples `start` to `end` (not included) as a new dataset, with its own batch order
    /// from `seed`. An empty or out-of-range part throws an `InputError`.
    pub fn slice(&self, start: usize, end: usize, seed: u32) -> Result<Dataset, JsValue> {
        let data = self.data.slice(start, end).map_err(js_error)?;
        Ok(Dataset::ordered(data, seed))
    }

    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.data.len()
    }

    #[wasm_bindgen(getter)]
    pub fn rows(&self) -> usize {
        self.data.rows()
    }

    #[wasm_bindgen(getter)]
    pub fn cols(&self) -> usize {
        self.data.cols()
    }

    #[wasm_bindgen(getter, js_name = classCount)]
    pub fn class_count(&self) -> usize {
        self.data.class_count()
    }

    /// Completed passes over the data while training.
    #[wasm_bindgen(getter)]
    pub fn epoch(&self) -> u32 {
        self.order.epoch()
    }

    /// Examples used so far in the current epoch.
    #[wasm_bindgen(getter)]
    pub fn position(&self) -> usize {
        self.order.position()
    }

    /// Where the batch order is, to save beside a checkpoint: the generator's state (low and
    /// high 32 bits), the position in the epoch, the epoch, then this epoch's order.
    #[wasm_bindgen(js_name = orderState)]
    pub fn order_state(&self) -> Uint32Array {
        let state = self.order.rng().state();
        let head = [
            state as u32,
            (state >> 32) as u32,
            self.order.position() as u32,
            self.order.epoch(),
        ];
        let all: Vec<u32> = head.iter().chain(self.order.indices()).copied().collect();
        Uint32Array::from(all.as_slice())
    }

    /// Puts back a batch order that `orderState` gave; one of another number of examples, or
    /// not a whole order, throws an `InputError` and changes nothing.
    #[wasm_bindgen(js_name = setOrderState)]
    pub fn set_order_state(&mut self, state: &[u32]) -> Result<(), JsValue> {
        if state.len() != 4 + self.data.len() {
            return Err(js_error(backprop_core::Error::input(format!(
                "this batch order is not one of {} examples",
                self.data.len()
            ))));
        }
        let rng = Rng::new(state[0] as u64 | (state[1] as u64) << 32);
        self.order = BatchOrder::from_parts(state[4..].to_vec(), rng, state[2] as usize, state[3])
            .map_err(js_error)?;
        Ok(())
    }

    /// Starts a new batch order from `seed`, at epoch 0.
    pub fn reshuffle(&mut self, seed: u32) {
        self.order = BatchOrder::new(self.data.len(), seed as u64);
    }

    pub fn label(&self, index: usize) -> Result<u8, JsValue> {
        self.check(index)?;
        Ok(self.data.labels()[index])
    }

    /// Example `index` as grey bytes (0..255).
    pub fn image(&self, index: usize) -> Result<Uint8Array, JsValue> {
        self.check(index)?;
        Ok(Uint8Array::from(self.data.image(index)))
    }

    /// Example `index` as network input (0..1).
    pub fn input(&self, index: usize) -> Result<Float32Array, JsValue> {
        self.check(index)?;
        Ok(Float32Array::from(self.data.input(index).as_slice()))
    }

    /// Every example's grey bytes, one image after another (`length × rows × cols`).
    pub fn images(&self) -> Uint8Array {
        Uint8Array::from(self.data.pixels())
    }

    /// Every example's label.
    pub fn labels(&self) -> Uint8Array {
        Uint8Array::from(self.data.labels())
    }
}

impl Dataset {
    fn ordered(data: CoreDataset, seed: u32) -> Dataset {
        let order = BatchOrder::new(data.len(), seed as u64);
        Dataset { data, order }
    }

    fn check(&self, index: usize) -> Result<(), JsValue> {
        if index < self.data.len() {
            Ok(())
        } else {
            Err(js_error(backprop_core::Error::input(format!(
                "example {index} does not exist; the dataset has {}",
                self.data.len()
            ))))
        }
    }
}
