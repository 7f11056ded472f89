//! Mini-batch training: a gradient, then an optimiser update.

use crate::config::TrainingConfig;
use crate::dataset::{BatchOrder, Dataset};
use crate::error::{Error, Result};
use crate::gradient::Gradient;
use crate::network::Network;
use crate::optimizer::OptimizerState;

/// Training settings, optimiser state and reused buffers for one network.
#[derive(Clone, Debug)]
pub struct Trainer {
    config: TrainingConfig,
    state: OptimizerState,
    gradient: Gradient,
    inputs: Vec<f32>,
    labels: Vec<u8>,
}

impl Trainer {
    pub fn new(config: TrainingConfig) -> Result<Self> {
        config.validate()?;
        Ok(Trainer {
            config,
            state: OptimizerState::default(),
            gradient: Gradient::default(),
            inputs: Vec::new(),
            labels: Vec::new(),
        })
    }

    pub fn config(&self) -> &TrainingConfig {
        &self.config
    }

    /// Changes the settings. Changing the optimiser starts its state afresh.
    pub fn set_config(&mut self, config: TrainingConfig) -> Result<()> {
        config.validate()?;
        if config.optimizer != self.config.optimizer {
            self.state = OptimizerState::default();
        }
        self.config = config;
        Ok(())
    }

    /// The optimiser's state: momentum or Adam moments, and the number of updates.
    pub fn state(&self) -> &OptimizerState {
        &self.state
    }

    /// Puts back a state taken with `state`, e.g. with the weights it belongs to.
    pub fn set_state(&mut self, state: OptimizerState) {
        self.state = state;
    }

    /// Updates applied so far.
    pub fn steps(&self) -> u32 {
        self.state.steps()
    }

    /// One update on a batch of examples; returns the batch's mean loss before the update.
    ///
    /// Divergence is an error of kind `Diverged`: a NaN or infinite loss is reported before
    /// anything changes; weights that the update made NaN or infinite are reported after it,
    /// and the caller decides whether to restore earlier weights.
    pub fn step(&mut self, network: &mut Network, inputs: &[f32], labels: &[u8]) -> Result<f32> {
        network.gradient_into(inputs, labels, &mut self.gradient)?;
        let loss = self.gradient.loss;
        let step = self.state.steps() + 1;
        if !loss.is_finite() {
            return Err(Error::diverged(format!(
                "training diverged at step {step}: the loss became {loss}; try a lower learning rate"
            )));
        }
        self.state.apply(&self.config, network, &self.gradient);
        if !network.is_finite() {
            return Err(Error::diverged(format!(
                "training diverged at step {step}: weights became NaN or infinite (learning rate {})",
                self.config.learning_rate
            )));
        }
        Ok(loss)
    }

    /// One update on the next mini-batch of `data` in `order`; returns its mean loss.
    pub fn step_on(
        &mut self,
        network: &mut Network,
        data: &Dataset,
        order: &mut BatchOrder,
    ) -> Result<f32> {
        check_fits(network, data)?;
        let mut inputs = std::mem::take(&mut self.inputs);
        let mut labels = std::mem::take(&mut self.labels);
        data.fill_batch(
            order.next_batch(self.config.batch_size),
            &mut inputs,
            &mut labels,
        );
        let loss = self.step(network, &inputs, &labels);
        self.inputs = inputs;
        self.labels = labels;
        loss
    }
}

/// The dataset's images and labels fit the network's inputs and outputs.
pub fn check_fits(network: &Network, data: &Dataset) -> Result<()> {
    let config = network.config();
    if data.input_size() != config.inputs {
        return Err(Error::input(format!(
            "the dataset's images have {} pixels but the network has {} inputs",
            data.input_size(),
            config.inputs
        )));
    }
    if data.class_count() > config.outputs {
        return Err(Error::input(format!(
            "the dataset has labels up to {} but the network has {} outputs",
            data.class_count() - 1,
            config.outputs
        )));
    }
    Ok(())
}
