//! Settings of a network (its shape) and of its training, with their limits. Their serde form
//! (model files, JavaScript options) has the fields in camelCase, each optional.

use serde::{Deserialize, Serialize};

use crate::activation::Activation;
use crate::error::{Error, Result};
use crate::loss::Loss;

pub const MAX_HIDDEN_LAYERS: usize = 8;
pub const MAX_LAYER_WIDTH: usize = 2048;
pub const MAX_INPUTS: usize = 4096;
pub const MAX_OUTPUTS: usize = 256;
/// Keeps a network's memory (weights, gradients, optimiser state) well under 200 MB.
pub const MAX_PARAMETERS: usize = 4_000_000;
pub const MAX_BATCH_SIZE: usize = 4096;

/// How the initial weights are drawn. Both are uniform so that every platform draws the same
/// bits: Xavier/Glorot U(±√(6/(fan_in+fan_out))) suits sigmoid and tanh, He U(±√(6/fan_in))
/// suits ReLU. Biases start at zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Init {
    Xavier,
    He,
}

crate::named!(Init { Xavier = "xavier", He = "he" });

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct NetworkConfig {
    pub inputs: usize,
    pub hidden: Vec<usize>,
    pub outputs: usize,
    pub activation: Activation,
    pub loss: Loss,
    /// Defaults to the one that suits the activation.
    pub init: Option<Init>,
    pub seed: u64,
}

impl Default for NetworkConfig {
    fn default() -> Self {
        NetworkConfig {
            inputs: 784,
            hidden: vec![128, 64],
            outputs: 10,
            activation: Activation::Relu,
            loss: Loss::SoftmaxCrossEntropy,
            init: None,
            seed: 0,
        }
    }
}

impl NetworkConfig {
    /// Layer widths from input to output, e.g. [784, 128, 64, 10].
    pub fn sizes(&self) -> Vec<usize> {
        let mut sizes = Vec::with_capacity(self.hidden.len() + 2);
        sizes.push(self.inputs);
        sizes.extend(&self.hidden);
        sizes.push(self.outputs);
        sizes
    }

    pub fn parameter_count(&self) -> usize {
        self.sizes().windows(2).map(|w| w[0] * w[1] + w[1]).sum()
    }

    pub fn init(&self) -> Init {
        self.init.unwrap_or(match self.activation {
            Activation::Sigmoid | Activation::Tanh => Init::Xavier,
            Activation::Relu | Activation::LeakyRelu => Init::He,
        })
    }

    pub fn validate(&self) -> Result<()> {
        if self.inputs == 0 || self.inputs > MAX_INPUTS {
            return Err(Error::config(format!(
                "inputs must be between 1 and {MAX_INPUTS}, got {}",
                self.inputs
            )));
        }
        if self.outputs < 2 || self.outputs > MAX_OUTPUTS {
            return Err(Error::config(format!(
                "outputs must be between 2 and {MAX_OUTPUTS}, got {}",
                self.outputs
            )));
        }
        if self.hidden.len() > MAX_HIDDEN_LAYERS {
            return Err(Error::config(format!(
                "at most {MAX_HIDDEN_LAYERS} hidden layers are allowed, got {}",
                self.hidden.len()
            )));
        }
        for (i, &width) in self.hidden.iter().enumerate() {
            if width == 0 || width > MAX_LAYER_WIDTH {
                return Err(Error::config(format!(
                    "hidden layer {} must have between 1 and {MAX_LAYER_WIDTH} neurons, got {width}",
                    i + 1
                )));
            }
        }
        let parameters = self.parameter_count();
        if parameters > MAX_PARAMETERS {
            return Err(Error::config(format!(
                "the network would have {parameters} weights and biases; the limit is {MAX_PARAMETERS}"
            )));
        }
        Ok(())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptimizerKind {
    Sgd,
    Momentum,
    Adam,
}

crate::named!(OptimizerKind { Sgd = "sgd", Momentum = "momentum", Adam = "adam" });

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct TrainingConfig {
    pub optimizer: OptimizerKind,
    pub learning_rate: f32,
    pub batch_size: usize,
    /// L2 penalty λ: the update adds λ·w to each weight's gradient (biases are not penalised).
    pub l2: f32,
    /// Momentum coefficient μ for `momentum`.
    pub momentum: f32,
    pub beta1: f32,
    pub beta2: f32,
    pub epsilon: f32,
}

impl Default for TrainingConfig {
    fn default() -> Self {
        TrainingConfig {
            optimizer: OptimizerKind::Sgd,
            learning_rate: 0.1,
            batch_size: 32,
            l2: 0.0,
            momentum: 0.9,
            beta1: 0.9,
            beta2: 0.999,
            epsilon: 1e-8,
        }
    }
}

impl TrainingConfig {
    pub fn validate(&self) -> Result<()> {
        let unit = |x: f32| (0.0..1.0).contains(&x);
        check(
            "learningRate",
            self.learning_rate,
            |x| x > 0.0 && x <= 10.0,
            "(0, 10]",
        )?;
        check("l2", self.l2, |x| (0.0..=1.0).contains(&x), "[0, 1]")?;
        check("momentum", self.momentum, unit, "[0, 1)")?;
        check("beta1", self.beta1, unit, "[0, 1)")?;
        check("beta2", self.beta2, unit, "[0, 1)")?;
        check("epsilon", self.epsilon, |x| x > 0.0 && x <= 1.0, "(0, 1]")?;
        if self.batch_size == 0 || self.batch_size > MAX_BATCH_SIZE {
            return Err(Error::config(format!(
                "batchSize must be between 1 and {MAX_BATCH_SIZE}, got {}",
                self.batch_size
            )));
        }
        Ok(())
    }
}

fn check(name: &str, value: f32, valid: impl Fn(f32) -> bool, range: &str) -> Result<()> {
    if value.is_finite() && valid(value) {
        Ok(())
    } else {
        Err(Error::config(format!(
            "{name} must be a number in {range}, got {value}"
        )))
    }
}
