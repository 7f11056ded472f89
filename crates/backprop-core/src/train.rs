//! Mini-batch training: a gradient, then an optimiser update.

use std::sync::Arc;

use backprop_kernels::{OneThread, Parallel, Pool};

use crate::config::TrainingConfig;
use crate::dataset::{BatchOrder, Dataset};
use crate::error::{Error, Result};
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
    /// Threads that share each step, if any: the results are the same bits without them.
    pool: Option<Threads>,
}

/// A trainer's pool of threads (cloned trainers share it).
#[derive(Clone)]
struct Threads(Arc<Pool>);

/// The pool's threads, or the caller's alone.
fn parallel(pool: &Option<Threads>) -> &dyn Parallel {
    match pool {
        Some(Threads(pool)) => &**pool,
        None => &OneThread,
    }
}

impl std::fmt::Debug for Threads {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} threads", self.0.threads())
    }
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
            pool: None,
        })
    }

    /// Shares every step from now on between the threads of `pool` (`None`: the caller's
    /// thread alone). Each step's result is the same, bit for bit, whatever the pool.
    pub fn set_pool(&mut self, pool: Option<Arc<Pool>>) {
        self.pool = pool.map(Threads);
    }

    /// How many threads share each step.
    pub fn threads(&self) -> usize {
        parallel(&self.pool).threads()
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

    /// The batch's gradient, kept for `apply_held_gradient`; returns its mean loss, or a
    /// `Diverged` error when that is NaN or infinite.
    fn compute_gradient(
        &mut self,
        network: &Network,
        inputs: &[f32],
        labels: &[u8],
    ) -> Result<f32> {
        network.gradient_into_on(parallel(&self.pool), inputs, labels, &mut self.gradient)?;
        let loss = self.gradient.loss;
        if !loss.is_finite() {
            return Err(Error::diverged(format!(
                "training diverged at step {}: the loss became {loss}; try a lower learning rate",
                self.state.steps() + 1
            )));
        }
        Ok(loss)
    }

    /// Applies the kept gradient with the optimiser, unless a weight would become NaN or
    /// infinite: that is an error, and nothing changes.
    fn apply_held_gradient(&mut self, network: &mut Network) -> Result<()> {
        if !self.state.apply(
            &self.config,
            network,
            &self.gradient,
            &mut self.next,
            parallel(&self.pool),
        ) {
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
