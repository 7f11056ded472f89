//! `Network`: a core network plus the trainer that owns its optimiser state.

use backprop_core::{apply_sgd, Extra, Network as CoreNetwork, Trainer};
use backprop_formats::{Metadata, Model};
use js_sys::{Float32Array, Uint32Array, Uint8Array};
use wasm_bindgen::prelude::*;

use crate::convert::{from_js, js_error, read_js, result_to_js, to_js};
use crate::dataset::Dataset;
use crate::options;
use crate::results::{Backpropagation, ForwardPass, Scores, Terms, Wrong};

#[wasm_bindgen]
pub struct Network {
    pub(crate) net: CoreNetwork,
    pub(crate) trainer: Trainer,
    /// The notes of the model file it was read from, if any.
    pub(crate) metadata: Option<Metadata>,
}

#[wasm_bindgen]
impl Network {
    /// `new Network({ hidden: [128, 64], activation: "relu", loss: "softmax_cross_entropy",
    /// init: "he", seed: 42, training: { optimizer: "sgd", learningRate: 0.1, batchSize: 32 } })`.
    /// Every field is optional; an unknown field or out-of-range value throws a `ConfigError`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<Network, JsValue> {
        let (network, training) = options::read(options)?;
        let net = CoreNetwork::new(network).map_err(js_error)?;
        let trainer = Trainer::new(training).map_err(js_error)?;
        Ok(Network::from_parts(net, trainer))
    }

    /// Reads a model saved by `toJSON`, as its JSON text or as the UTF-8 bytes of a file (a
    /// Uint8Array, e.g. a fetched response's, read without making a string of it first);
    /// throws a `ModelError` saying what is wrong with it.
    #[wasm_bindgen(js_name = fromJSON)]
    pub fn from_json(
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] model: JsValue,
    ) -> Result<Network, JsValue> {
        let model = match (model.as_string(), model.dyn_ref::<Uint8Array>()) {
            (Some(text), _) => Model::from_json(&text),
            (None, Some(bytes)) => Model::from_json_bytes(&bytes.to_vec()),
            (None, None) => Err(backprop_core::Error::model(
                "a model is its JSON text or that text's UTF-8 bytes (a Uint8Array)",
            )),
        }
        .map_err(js_error)?;
        let trainer = Trainer::new(model.training).map_err(js_error)?;
        let notes = (!model.metadata.is_empty()).then_some(model.metadata);
        Ok(Network {
            metadata: notes,
            ..Network::from_parts(model.network, trainer)
        })
    }

    /// The metadata object of the model file this network was read from (its name, how long
    /// it was trained as `steps`, ...), exactly as the file had it; null for a network not
    /// read from a file, or a file without notes.
    pub fn metadata(&self) -> Result<JsValue, JsValue> {
        self.metadata.as_ref().map_or(Ok(JsValue::NULL), to_js)
    }

    /// The model as JSON text (architecture, training settings, weights, optional metadata).
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self, metadata: JsValue) -> Result<String, JsValue> {
        let metadata = if metadata.is_undefined() || metadata.is_null() {
            Metadata::default()
        } else {
            read_js(metadata, "model metadata", "", Metadata::from_json)?
        };
        let model = Model {
            network: self.net.clone(),
            training: self.trainer.config().clone(),
            metadata,
        };
        model.to_json().map_err(js_error)
    }

    /// The options this network was made with, in the constructor's format: the network's
    /// fields with `training` added.
    pub fn options(&self) -> Result<JsValue, JsValue> {
        to_js(&options::Written {
            network: self.net.config(),
            training: self.trainer.config(),
        })
    }

    /// Replaces the training settings; the weights stay. Changing the optimiser resets its state.
    #[wasm_bindgen(js_name = setTraining)]
    pub fn set_training(&mut self, training: JsValue) -> Result<(), JsValue> {
        let config = from_js(training, "training settings", "")?;
        self.trainer.set_config(config).map_err(js_error)
    }

    /// Layer widths from input to output, e.g. [784, 128, 64, 10].
    pub fn sizes(&self) -> Uint32Array {
        let sizes: Vec<u32> = self.net.sizes().iter().map(|&s| s as u32).collect();
        Uint32Array::from(sizes.as_slice())
    }

    /// How many threads share each training step: 1 unless this is the threaded build and its
    /// pool was started (`startPool`) before the network was made.
    #[wasm_bindgen(getter)]
    pub fn threads(&self) -> u32 {
        self.trainer.threads() as u32
    }

    /// Optimiser updates applied so far.
    #[wasm_bindgen(getter)]
    pub fn steps(&self) -> u32 {
        self.trainer.steps()
    }

    /// True when every weight and bias is finite: always, as no call leaves a network otherwise.
    #[wasm_bindgen(js_name = isFinite)]
    pub fn is_finite(&self) -> bool {
        self.net.is_finite()
    }

    /// Weights of weight layer `layer` (0 = input → first hidden), `outputs × inputs` row-major.
    pub fn weights(&self, layer: usize) -> Result<Float32Array, JsValue> {
        Ok(Float32Array::from(self.layer(layer)?.weights.as_slice()))
    }

    pub fn biases(&self, layer: usize) -> Result<Float32Array, JsValue> {
        Ok(Float32Array::from(self.layer(layer)?.biases.as_slice()))
    }

    /// `{ preActivations, activations }` of one input: one Float32Array per layer; activations
    /// start with the input itself and end with the output.
    pub fn forward(&self, input: &[f32]) -> Result<JsValue, JsValue> {
        let trace = self.net.forward(input).map_err(js_error)?;
        result_to_js(&ForwardPass::from(&trace))
    }

    /// The output activations (probabilities with softmax) of one input.
    pub fn predict(&self, input: &[f32]) -> Result<Float32Array, JsValue> {
        let output = self.net.predict(input).map_err(js_error)?;
        Ok(Float32Array::from(output.as_slice()))
    }

    /// Backpropagation for one input whose desired class is `label`, changing nothing:
    /// `{ loss, preActivations, activations, errors, weightGradients, biasGradients }`.
    /// `errors[l]` is dLoss/dz of weight layer l's neurons; `weightGradients[l]` is dLoss/dW
    /// (`outputs × inputs`), entry (o, i) = errors[l][o] × activations[l][i].
    pub fn gradient(&self, input: &[f32], label: u8) -> Result<JsValue, JsValue> {
        let g = self.net.gradient(input, label).map_err(js_error)?;
        result_to_js(&Backpropagation::from(&g))
    }

    /// How backpropagation arrives at the error signal of hidden neuron `neuron` of neuron
    /// layer `layer` (1 = the first hidden layer) for one input whose desired class is `label`:
    /// `{ terms, sum, slope, delta }`. `terms[k]` (a Float32Array) is the weight from this
    /// neuron into neuron k of the next layer times that neuron's error signal; `sum` is their
    /// sum as backpropagation adds it up; `slope` is f′(z) of the neuron's activation at its
    /// weighted sum; `delta = sum × slope` is bit for bit
    /// `gradient(input, label).errors[layer - 1][neuron]`. A layer or neuron that does not
    /// exist throws an `InputError`.
    #[wasm_bindgen(js_name = errorTerms)]
    pub fn error_terms(
        &self,
        input: &[f32],
        label: u8,
        layer: usize,
        neuron: usize,
    ) -> Result<JsValue, JsValue> {
        let e = self
            .net
            .error_terms(input, label, layer, neuron)
            .map_err(js_error)?;
        result_to_js(&Terms::from(&e))
    }

    /// One plain gradient-descent step on one example (w ← w − learningRate · dLoss/dw), the
    /// change the backprop animation shows. Returns the loss before the step. A step that would
    /// make a weight or bias NaN or infinite throws a `DivergedError` and changes nothing.
    #[wasm_bindgen(js_name = applyGradient)]
    pub fn apply_gradient(
        &mut self,
        input: &[f32],
        label: u8,
        learning_rate: f32,
    ) -> Result<f32, JsValue> {
        if !(learning_rate.is_finite() && learning_rate > 0.0) {
            return Err(js_error(backprop_core::Error::config(format!(
                "learningRate must be a positive number, got {learning_rate}"
            ))));
        }
        let g = self.net.gradient(input, label).map_err(js_error)?;
        apply_sgd(&mut self.net, &g, learning_rate).map_err(js_error)?;
        Ok(g.loss)
    }

    /// One optimiser update on a batch (`inputs` holds the examples one after another).
    /// Returns the batch's mean loss before the update. Throws a `DivergedError` when the loss
    /// or the weights would become NaN or infinite; nothing changes then.
    #[wasm_bindgen(js_name = trainStep)]
    pub fn train_step(&mut self, inputs: &[f32], labels: &[u8]) -> Result<f32, JsValue> {
        self.trainer
            .step(&mut self.net, inputs, labels)
            .map_err(js_error)
    }

    /// `count` updates on the dataset's next mini-batches; returns their mean loss. When one
    /// diverges it throws a `DivergedError` naming that step, and the weights, the optimiser
    /// state and the dataset's batch order are as they were before this call.
    #[wasm_bindgen(js_name = trainBatches)]
    pub fn train_batches(&mut self, data: &mut Dataset, count: u32) -> Result<f32, JsValue> {
        self.trainer
            .train_batches(&mut self.net, &data.data, &mut data.order, count)
            .map_err(js_error)
    }

    /// `count` updates on mini-batches that mix two datasets: round(share × batchSize) examples
    /// of every batch from `extra` (e.g. a learner's drawings, in its own batch order, taken on
    /// across its epochs), the rest from `data` as `trainBatches` takes them; returns their
    /// mean loss. A share of 0 is `trainBatches(data, count)` bit for bit. All or nothing, as
    /// `trainBatches`: when a step diverges it throws a `DivergedError` and the weights, the
    /// optimiser state and both batch orders are as they were before the call. A share
    /// outside 0..1 throws an `InputError`.
    #[wasm_bindgen(js_name = trainBatchesMixed)]
    pub fn train_batches_mixed(
        &mut self,
        data: &mut Dataset,
        extra: &mut Dataset,
        share: f32,
        count: u32,
    ) -> Result<f32, JsValue> {
        let extra = Extra {
            data: &extra.data,
            order: &mut extra.order,
            share,
        };
        self.trainer
            .train_batches_mixed(&mut self.net, &data.data, &mut data.order, extra, count)
            .map_err(js_error)
    }

    /// `{ count, loss, accuracy, classes, confusion, silent }` on a dataset; `confusion` is a
    /// `classes × classes` Uint32Array, row = true class, column = predicted class; `silent`
    /// a Uint32Array with, per hidden layer, the number of neurons whose activation was exactly
    /// 0 for every example (dead ReLUs).
    pub fn evaluate(&self, data: &Dataset) -> Result<JsValue, JsValue> {
        let e = self.net.evaluate(&data.data).map_err(js_error)?;
        result_to_js(&Scores::from(&e))
    }

    /// The examples of `data` this network gets wrong (predicted as `evaluate` counts them):
    /// `{ total, mistakes }`, every wrong example counted in `total` and the first `max` of
    /// them in `mistakes`, in the dataset's order, as `{ index, label, predicted }`.
    pub fn mistakes(&self, data: &Dataset, max: usize) -> Result<JsValue, JsValue> {
        let m = self.net.mistakes(&data.data, max).map_err(js_error)?;
        result_to_js(&Wrong::from(&m))
    }
}

impl Network {
    /// A network of these parts, made to train on the thread pool if one was started.
    pub(crate) fn from_parts(net: CoreNetwork, mut trainer: Trainer) -> Network {
        trainer.set_pool(crate::threads::pool());
        Network {
            net,
            trainer,
            metadata: None,
        }
    }

    fn layer(&self, layer: usize) -> Result<&backprop_core::Layer, JsValue> {
        self.net.layers().get(layer).ok_or_else(|| {
            js_error(backprop_core::Error::input(format!(
                "weight layer {layer} does not exist; the network has {}",
                self.net.layers().len()
            )))
        })
    }
}
