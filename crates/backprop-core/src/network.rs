//! A fully connected feed-forward network and its forward pass.

use backprop_kernels as kernels;
use backprop_kernels::{OneThread, Parallel};
use serde::{Deserialize, Serialize};

use crate::config::{Init, NetworkConfig};
use crate::error::{Error, Result};
use crate::finite::first_non_finite;
use crate::rng::Rng;

/// One fully connected layer: `weights` is `outputs × inputs`, row o holding the weights into
/// neuron o of this layer. In a model file, an object with these four fields.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layer {
    pub inputs: usize,
    pub outputs: usize,
    pub weights: Vec<f32>,
    pub biases: Vec<f32>,
}

impl Layer {
    fn initialised(inputs: usize, outputs: usize, init: Init, rng: &mut Rng) -> Self {
        let fan = match init {
            Init::Xavier => inputs + outputs,
            Init::He => inputs,
        };
        let limit = (6.0 / fan as f32).sqrt();
        Layer {
            inputs,
            outputs,
            weights: (0..inputs * outputs)
                .map(|_| rng.symmetric(limit))
                .collect(),
            biases: vec![0.0; outputs],
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Network {
    config: NetworkConfig,
    layers: Vec<Layer>,
}

/// Everything a forward pass computed, for a batch of `batch` examples. Each buffer is
/// `batch × width`, row-major.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Trace {
    pub batch: usize,
    /// z = W·a + b of each weight layer (hidden layers, then the output layer).
    pub pre_activations: Vec<Vec<f32>>,
    /// The input, then a = f(z) of each weight layer; the last is the network's output.
    pub activations: Vec<Vec<f32>>,
}

impl Trace {
    pub fn output(&self) -> &[f32] {
        self.activations.last().map_or(&[], |a| a.as_slice())
    }
}

impl Network {
    /// A network with fresh weights drawn from `config.seed`.
    pub fn new(config: NetworkConfig) -> Result<Self> {
        config.validate()?;
        let mut rng = Rng::new(config.seed);
        let init = config.init();
        let layers = config
            .sizes()
            .windows(2)
            .map(|w| Layer::initialised(w[0], w[1], init, &mut rng))
            .collect();
        Ok(Network { config, layers })
    }

    /// A network from a configuration and existing layers, checked to fit each other.
    pub fn from_layers(config: NetworkConfig, layers: Vec<Layer>) -> Result<Self> {
        config.validate().map_err(|e| Error::model(e.message))?;
        let sizes = config.sizes();
        if layers.len() != sizes.len() - 1 {
            return Err(Error::model(format!(
                "the architecture needs {} weight layers, the model has {}",
                sizes.len() - 1,
                layers.len()
            )));
        }
        for (l, (layer, w)) in layers.iter().zip(sizes.windows(2)).enumerate() {
            let n = l + 1;
            if layer.inputs != w[0] || layer.outputs != w[1] {
                return Err(Error::model(format!(
                    "layer {n} is {}→{} but the architecture needs {}→{}",
                    layer.inputs, layer.outputs, w[0], w[1]
                )));
            }
            if layer.weights.len() != w[0] * w[1] {
                return Err(Error::model(format!(
                    "layer {n} needs {} weights, has {}",
                    w[0] * w[1],
                    layer.weights.len()
                )));
            }
            if layer.biases.len() != w[1] {
                return Err(Error::model(format!(
                    "layer {n} needs {} biases, has {}",
                    w[1],
                    layer.biases.len()
                )));
            }
            if let Some(bad) = first_non_finite(&layer.weights) {
                return Err(Error::model(format!(
                    "layer {n} weight {bad} is not a finite number"
                )));
            }
            if let Some(bad) = first_non_finite(&layer.biases) {
                return Err(Error::model(format!(
                    "layer {n} bias {bad} is not a finite number"
                )));
            }
        }
        Ok(Network { config, layers })
    }

    pub fn config(&self) -> &NetworkConfig {
        &self.config
    }

    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    pub(crate) fn layers_mut(&mut self) -> &mut [Layer] {
        &mut self.layers
    }

    /// Layer widths from input to output.
    pub fn sizes(&self) -> Vec<usize> {
        self.config.sizes()
    }

    /// Every weight and bias as consecutive parts of one flat layout: for each weight layer
    /// from the input side, its weights (`outputs × inputs`, row-major) then its biases. A
    /// compact copy of the network for another thread that already knows the architecture.
    pub fn parameter_parts(&self) -> impl Iterator<Item = &[f32]> {
        self.layers
            .iter()
            .flat_map(|l| [l.weights.as_slice(), l.biases.as_slice()])
    }

    /// Replaces every weight and bias with `values`, laid out as `parameter_parts`. The
    /// wrong number of values or a NaN or infinite one is an `Input` error that changes nothing.
    pub fn set_parameters(&mut self, values: &[f32]) -> Result<()> {
        let expected = self.config.parameter_count();
        if values.len() != expected {
            return Err(Error::input(format!(
                "this network has {expected} weights and biases, got {} values",
                values.len()
            )));
        }
        if let Some(bad) = first_non_finite(values) {
            return Err(Error::input(format!(
                "parameter {bad} is not a finite number"
            )));
        }
        let mut rest = values;
        for layer in &mut self.layers {
            for part in [&mut layer.weights, &mut layer.biases] {
                let (head, tail) = rest.split_at(part.len());
                part.copy_from_slice(head);
                rest = tail;
            }
        }
        Ok(())
    }

    /// True when every weight and bias is a finite number.
    pub fn is_finite(&self) -> bool {
        self.layers.iter().all(|l| {
            first_non_finite(&l.weights).is_none() && first_non_finite(&l.biases).is_none()
        })
    }

    /// The forward pass of one example.
    pub fn forward(&self, input: &[f32]) -> Result<Trace> {
        self.forward_batch(input, 1)
    }

    /// The forward pass of `batch` examples laid out one after another in `inputs`.
    pub fn forward_batch(&self, inputs: &[f32], batch: usize) -> Result<Trace> {
        let mut trace = Trace::default();
        self.forward_into(inputs, batch, &mut trace)?;
        Ok(trace)
    }

    /// The output activations (class probabilities for softmax) of one example.
    pub fn predict(&self, input: &[f32]) -> Result<Vec<f32>> {
        Ok(self.forward(input)?.activations.pop().unwrap_or_default())
    }

    /// The forward pass into a reused trace, so training allocates nothing once warm.
    pub fn forward_into(&self, inputs: &[f32], batch: usize, trace: &mut Trace) -> Result<()> {
        self.forward_into_on(&OneThread, inputs, batch, trace)
    }

    /// `forward_into` with each layer's product shared between the threads of `par`: the same
    /// bits whatever their number.
    pub fn forward_into_on(
        &self,
        par: &dyn Parallel,
        inputs: &[f32],
        batch: usize,
        trace: &mut Trace,
    ) -> Result<()> {
        self.check_inputs(inputs, batch)?;
        let depth = self.layers.len();
        trace.batch = batch;
        trace.pre_activations.resize_with(depth, Vec::new);
        trace.activations.resize_with(depth + 1, Vec::new);
        trace.activations[0].clear();
        trace.activations[0].extend_from_slice(inputs);
        let hidden = self.config.activation;
        let loss = self.config.loss;
        for (l, layer) in self.layers.iter().enumerate() {
            let (before, after) = trace.activations.split_at_mut(l + 1);
            let a_prev = &before[l];
            let z = &mut trace.pre_activations[l];
            z.resize(batch * layer.outputs, 0.0);
            let a = &mut after[0];
            a.resize(batch * layer.outputs, 0.0);
            let product = (
                a_prev.as_slice(),
                &layer.weights[..],
                &layer.biases[..],
                layer.inputs,
            );
            let outputs = layer.outputs;
            if l + 1 == depth {
                kernels::affine_on(par, product, z, a, |z, a| {
                    for (z_row, a_row) in z.chunks_exact(outputs).zip(a.chunks_exact_mut(outputs)) {
                        loss.activate(z_row, a_row);
                    }
                });
            } else {
                kernels::affine_on(par, product, z, a, |z, a| hidden.apply_all(z, a));
            }
        }
        Ok(())
    }

    /// `batch` examples' worth of finite input values, or an `Input` error that says what is wrong.
    pub fn check_inputs(&self, inputs: &[f32], batch: usize) -> Result<()> {
        if batch == 0 {
            return Err(Error::input("a batch needs at least one example"));
        }
        let expected = batch * self.config.inputs;
        if inputs.len() != expected {
            return Err(Error::input(format!(
                "expected {batch} × {} = {expected} input values, got {}",
                self.config.inputs,
                inputs.len()
            )));
        }
        if let Some(bad) = first_non_finite(inputs) {
            return Err(Error::input(format!(
                "input value {bad} is not a finite number"
            )));
        }
        Ok(())
    }
}
