//! `Examples`: labelled images for the landscape's losses, e.g. the main module's held-out
//! digits as `Dataset.images()` and `labels()` give them.

use backprop_core::Dataset;
use backprop_js::js_error;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct Examples {
    pub(crate) data: Dataset,
}

#[wasm_bindgen]
impl Examples {
    /// `pixels` holds `rows × cols` grey images (0..255) one after another, one per label. A
    /// length that does not fit throws a `DatasetError`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        rows: usize,
        cols: usize,
        pixels: Vec<u8>,
        labels: Vec<u8>,
    ) -> Result<Examples, JsValue> {
        let data = Dataset::new(rows, cols, pixels, labels).map_err(js_error)?;
        Ok(Examples { data })
    }

    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.data.len()
    }
}
