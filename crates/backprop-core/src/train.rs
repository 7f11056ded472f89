//! Mini-batch training: a gradient, then an optimiser update.

use crate::config::TrainingConfig;
use crate::dataset::{BatchOrder, Dataset};
use crate::error::{Error, Result};
use crate::finite::first_non_finite;
use crate::gradient::Gradient;
use crate::network::Network;
use crate::optimizer::{NextParameters, OptimizerState};

/// Training settings, optimiser state and reused buffers for one network.
#[derive(Clone, Debug)]
pub struct Trainer {
    config: TrainingConfig,
    state: OptimizerState,
    next: NextParameters,
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
            next: NextParameters::default(),
            gradient: Gradient::default(),
            inputs: Vec::new(),
            labels: Vec::new(),
        })
    }

    /// A trainer that goes on from `state`, the optimiser state of a network trained with
    /// `config` (e.g. read back from a checkpoint); the settings are checked as by `new`.
    pub fn with_state(config: TrainingConfig, state: OptimizerState) -> Result<Self> {
        let mut trainer = Trainer::new(config)?;
        trainer.restore_state(state);
        Ok(trainer)
    }

    /// Puts back a state this trainer had (from `state()`), e.g. when steps are undone.
    pub(crate) fn restore_state(&mut self, state: OptimizerState) {
        self.state = state;
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

    /// Updates applied so far.
    pub fn steps(&self) -> u32 {
        self.state.steps()
    }

    /// One update on a batch of examples; returns the batch's mean loss before the update.
    ///
    /// Divergence is an error of kind `Diverged` and changes nothing: a NaN or infinite loss is
    /// reported before the update, and an update that would make a weight NaN or infinite is
    /// not applied.
    pub fn step(&mut self, network: &mut Network, inputs: &[f32], labels: &[u8]) -> Result<f32> {
        let loss = self.compute_gradient(network, inputs, labels)?;
        self.apply_held_gradient(network)?;
        Ok(loss)
    }

    /// The first half of `step`: computes and keeps the batch's gradient without applying it;
    /// returns the batch's mean loss. For data-parallel training, each replica computes the
    /// gradient of its shard of a mini-batch, reads it with `gradient_parts`, and every replica
    /// applies the same combined gradient with `apply_mean_gradient`.
    pub fn compute_gradient(
        &mut self,
        network: &Network,
        inputs: &[f32],
        labels: &[u8],
    ) -> Result<f32> {
        network.gradient_into(inputs, labels, &mut self.gradient)?;
        let loss = self.gradient.loss;
        if !loss.is_finite() {
            return Err(Error::diverged(format!(
                "training diverged at step {}: the loss became {loss}; try a lower learning rate",
                self.state.steps() + 1
            )));
        }
        Ok(loss)
    }

    /// The gradient kept by `compute_gradient` in parameter order, as consecutive parts: for
    /// each weight layer from the input side, its weights (`outputs × inputs`, row-major, as in
    /// [`crate::Layer`]) then its biases; the layout of [`Network::parameter_parts`]. Empty before
    /// the first gradient.
    pub fn gradient_parts(&self) -> impl Iterator<Item = &[f32]> {
        let g = &self.gradient;
        g.weights
            .iter()
            .zip(&g.biases)
            .flat_map(|(weights, biases)| [weights.as_slice(), biases.as_slice()])
    }

    /// One update with the weighted mean Σₖ shares[k]·gradientₖ of flat gradients laid out
    /// one after another in `gradients`, each laid out as `gradient_parts`: in data-parallel
    /// training, every replica's shard gradient weighted by its share of the batch's examples,
    /// so the update is the whole batch's. With one gradient and share 1 it is that gradient
    /// exactly. Sizes that do not fit are an `Input` error and a NaN or infinite gradient value
    /// a `Diverged` error, both before anything changes; an update that would make a weight
    /// non-finite is refused as in `step`.
    pub fn apply_mean_gradient(
        &mut self,
        network: &mut Network,
        gradients: &[f32],
        shares: &[f32],
    ) -> Result<()> {
        let size = network.config().parameter_count();
        if shares.is_empty() || gradients.len() != size * shares.len() {
            return Err(Error::input(format!(
                "{} gradients of this network's {size} weights and biases need {} values, got {}",
                shares.len(),
                size * shares.len(),
                gradients.len()
            )));
        }
        if let Some(bad) = shares.iter().find(|s| !s.is_finite()) {
            return Err(Error::input(format!(
                "a gradient's share must be a finite number, got {bad}"
            )));
        }
        if let Some(bad) = first_non_finite(gradients) {
            return Err(Error::diverged(format!(
                "training diverged at step {}: value {} of gradient {} is {}; try a lower learning rate",
                self.state.steps() + 1,
                bad % size,
                bad / size,
                gradients[bad]
            )));
        }
        self.hold_mean(network, gradients, shares);
        self.apply_held_gradient(network)
    }

    /// Keeps Σₖ shares[k]·gradientₖ, shaped like `network`'s layers, as the gradient to apply.
    fn hold_mean(&mut self, network: &Network, gradients: &[f32], shares: &[f32]) {
        let g = &mut self.gradient;
        let depth = network.layers().len();
        g.weights.resize_with(depth, Vec::new);
        g.biases.resize_with(depth, Vec::new);
        let size = gradients.len() / shares.len();
        for (k, (gradient, &share)) in gradients.chunks_exact(size).zip(shares).enumerate() {
            let mut rest = gradient;
            let parts = g.weights.iter_mut().zip(&mut g.biases);
            for (layer, (weights, biases)) in network.layers().iter().zip(parts) {
                for (sum, len) in [(weights, layer.weights.len()), (biases, layer.biases.len())] {
                    let (part, tail) = rest.split_at(len);
                    rest = tail;
                    if k == 0 {
                        sum.clear();
                        sum.extend(part.iter().map(|&v| share * v));
                    } else {
                        for (s, &v) in sum.iter_mut().zip(part) {
                            *s += share * v;
                        }
                    }
                }
            }
        }
    }

    /// Applies the kept gradient with the optimiser, unless a weight would become NaN or
    /// infinite: that is an error, and nothing changes.
    fn apply_held_gradient(&mut self, network: &mut Network) -> Result<()> {
        if !self
            .state
            .apply(&self.config, network, &self.gradient, &mut self.next)
        {
            return Err(Error::diverged(format!(
                "training diverged at step {}: weights would become NaN or infinite (learning rate {})",
                self.state.steps() + 1,
                self.config.learning_rate
            )));
        }
        Ok(())
    }

    /// One update on the next mini-batch of `data` in `order`; returns its mean loss. A step
    /// that diverges changes nothing, and leaves that batch to come next.
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
            order.upcoming(self.config.batch_size),
            &mut inputs,
            &mut labels,
        );
        let loss = self.step(network, &inputs, &labels);
        if loss.is_ok() {
            order.advance(labels.len());
        }
        self.inputs = inputs;
        self.labels = labels;
        loss
    }

    /// `count` updates on the next mini-batches of `data` in `order`; returns their mean loss.
    /// All or nothing: when a step fails (diverges), the network, the optimiser state and the
    /// batch order are put back as they were before the call (its earlier steps may have left
    /// weights finite but so large that the loss overflows). A failing single step changes
    /// nothing, so they are copied, once per call, only when `count` is more than 1.
    pub fn train_batches(
        &mut self,
        network: &mut Network,
        data: &Dataset,
        order: &mut BatchOrder,
        count: u32,
    ) -> Result<f32> {
        let before = (count > 1).then(|| (network.clone(), self.state.clone(), order.clone()));
        let mut total = 0.0;
        for _ in 0..count {
            match self.step_on(network, data, order) {
                Ok(loss) => total += loss,
                Err(e) => {
                    if let Some((good_network, good_state, good_order)) = before {
                        *network = good_network;
                        self.state = good_state;
                        *order = good_order;
                    }
                    return Err(e);
                }
            }
        }
        Ok(total / count.max(1) as f32)
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
