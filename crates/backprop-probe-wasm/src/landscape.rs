//! "Finding a minimum": directions through the weights and the loss along them
//! (backprop-probe). None of these change the network.

use backprop_core::Error;
use backprop_js::{concatenated, js_error, result_to_js};
use backprop_probe::{Losses, Plane};
use js_sys::{Float32Array, Float64Array};
use serde::Serialize;
use serde_wasm_bindgen::preserve;
use wasm_bindgen::prelude::*;

use crate::examples::Examples;
use crate::network::ProbedNetwork;

#[wasm_bindgen]
impl ProbedNetwork {
    /// Two filter-normalised random directions (Li et al., 2018) drawn from `seed`, as one
    /// Float32Array of `2 × parameterCount` values, the first direction then the second, each
    /// laid out as `parameters()`: every neuron's incoming weights have the length of its
    /// weights in the network, biases are zero.
    #[wasm_bindgen(js_name = filterDirections)]
    pub fn filter_directions(&self, seed: u32) -> Float32Array {
        let directions = backprop_probe::filter_normalised_directions(&self.net, seed as u64);
        let count = 2 * self.net.config().parameter_count();
        concatenated(directions.iter().map(Vec::as_slice), count)
    }

    /// The plane θ + α·d₁ + β·d₂ through the weights, on the first `count` examples of `data`,
    /// for evaluating a grid a row at a time (`LossPlane.grid`). `directions` holds d₁ then d₂
    /// (`2 × parameterCount` values, as `filterDirections` gives them). The plane keeps what it
    /// needs: later changes to the network do not move it. A count of 0 or more than the
    /// dataset holds, a dataset that does not fit, or directions of the wrong length or not
    /// finite throw an `InputError`.
    #[wasm_bindgen(js_name = lossPlane)]
    pub fn loss_plane(
        &self,
        data: &Examples,
        count: usize,
        directions: &[f32],
    ) -> Result<LossPlane, JsValue> {
        let size = self.net.config().parameter_count();
        if directions.len() != 2 * size {
            return Err(js_error(Error::input(format!(
                "the directions need 2 × {size} values (the first, then the second), got {}",
                directions.len()
            ))));
        }
        let (first, second) = directions.split_at(size);
        let plane = Plane::new(&self.net, &data.data, count, first, second).map_err(js_error)?;
        Ok(LossPlane { plane })
    }

    /// `lossPlane(data, count, directions).grid(alphas, betas)` in one call.
    #[wasm_bindgen(js_name = lossGrid)]
    pub fn loss_grid(
        &self,
        data: &Examples,
        count: usize,
        directions: &[f32],
        alphas: &[f32],
        betas: &[f32],
    ) -> Result<JsValue, JsValue> {
        self.loss_plane(data, count, directions)?
            .grid(alphas, betas)
    }

    /// Loss and accuracy on the first `count` examples of `data` along the straight line from
    /// `from` (θ₀, laid out as `parameters()`, e.g. the initial weights) to the weights θ, at
    /// θ₀ + t·(θ − θ₀) for every t of `ts`: `{ loss, accuracy }`, Float32Arrays in the order of
    /// `ts`. At t = 1 they are exactly the main module's `evaluate`'s on those examples. Bad arguments throw an
    /// `InputError` as for `lossPlane`.
    #[wasm_bindgen(js_name = lossLine)]
    pub fn loss_line(
        &self,
        data: &Examples,
        count: usize,
        from: &[f32],
        ts: &[f32],
    ) -> Result<JsValue, JsValue> {
        let losses =
            backprop_probe::loss_line(&self.net, &data.data, count, from, ts).map_err(js_error)?;
        losses_object(&losses)
    }
}

/// A plane through a network's weights, ready to evaluate on fixed examples.
#[wasm_bindgen]
pub struct LossPlane {
    plane: Plane,
}

#[wasm_bindgen]
impl LossPlane {
    /// Loss and accuracy at θ + α·d₁ + β·d₂ for every α of `alphas` and β of `betas`:
    /// `{ loss, accuracy }`, Float32Arrays of `alphas.length × betas.length` values,
    /// alpha-major (entry i·betas.length + j is alphas[i], betas[j]). The loss is the model's
    /// (mean cross-entropy or squared error); at α = β = 0 both are exactly the main module's `evaluate`'s on the
    /// plane's examples. Call it with one α at a time to report progress or stop between rows.
    /// Coefficients that are not finite throw an `InputError`.
    pub fn grid(&mut self, alphas: &[f32], betas: &[f32]) -> Result<JsValue, JsValue> {
        let losses = self.plane.grid(alphas, betas).map_err(js_error)?;
        losses_object(&losses)
    }
}

/// The plane of a training path: `points` holds k recorded parameter vectors (k × P values, one
/// after another, at most 128), `centre` the current parameters (P values). Returns
/// `{ directions: Float32Array (2 × P), explained: Float64Array (2), coordinates: Float32Array
/// (k × 2), offPlane: Float32Array (k) }`: the first two principal directions of the points
/// seen from the centre (unit vectors, the first then the second; zero where the path spans
/// fewer dimensions), the share of the squared distances each explains, each point's
/// coordinates in the plane through the centre (the first point's are not positive) and its
/// distance from that plane. Lengths that do not fit or values that are not finite throw an
/// `InputError`.
#[wasm_bindgen(js_name = pathDirections)]
pub fn path_directions(points: &[f32], centre: &[f32]) -> Result<JsValue, JsValue> {
    let plane = backprop_probe::path_plane(points, centre).map_err(js_error)?;
    let directions = concatenated(plane.directions.iter().map(Vec::as_slice), 2 * centre.len());
    let coordinates: Vec<f32> = plane.coordinates.concat();
    result_to_js(&PathPlane {
        directions,
        explained: Float64Array::from(&plane.explained[..]),
        coordinates: Float32Array::from(coordinates.as_slice()),
        off_plane: Float32Array::from(plane.off_plane.as_slice()),
    })
}

/// `pathDirections`: the plane of a training path.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PathPlane {
    #[serde(with = "preserve")]
    directions: Float32Array,
    #[serde(with = "preserve")]
    explained: Float64Array,
    #[serde(with = "preserve")]
    coordinates: Float32Array,
    #[serde(with = "preserve")]
    off_plane: Float32Array,
}

/// `lossGrid`, `LossPlane.grid`, `lossLine`: `{ loss, accuracy }`.
#[derive(Serialize)]
struct LossesOut {
    #[serde(with = "preserve")]
    loss: Float32Array,
    #[serde(with = "preserve")]
    accuracy: Float32Array,
}

fn losses_object(losses: &Losses) -> Result<JsValue, JsValue> {
    result_to_js(&LossesOut {
        loss: Float32Array::from(losses.loss.as_slice()),
        accuracy: Float32Array::from(losses.accuracy.as_slice()),
    })
}
