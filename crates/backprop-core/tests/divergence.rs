//! Divergence changes nothing: a step whose update would be NaN or infinite is refused, and a
//! training call of several mini-batches that diverges puts the network, the optimiser state
//! and the batch order back as they were before the call, so that training on from there is
//! the same as a fresh replay of the steps that succeeded.

mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use backprop_core::{
    apply_sgd, BatchOrder, Dataset, ErrorKind, Network, OptimizerKind, Rng, Trainer, TrainingConfig,
};
use common::{leaky_network, weight_checksum};

/// Leaky ReLU with momentum at learning rate 3 diverges within two epochs of this data
/// (24 examples in batches of 5: an epoch is 5 steps).
const DIVERGING_RATE: f32 = 3.0;
const CALM_RATE: f32 = 0.05;

struct Run {
    network: Network,
    trainer: Trainer,
    order: BatchOrder,
}

fn data() -> Dataset {
    let mut rng = Rng::new(3);
    let pixels = (0..24 * 16).map(|_| rng.below(256) as u8).collect();
    let labels = (0..24).map(|_| rng.below(4) as u8).collect();
    Dataset::new(4, 4, pixels, labels).unwrap()
}

fn fresh_run(data: &Dataset) -> Run {
    let network = leaky_network();
    let trainer = Trainer::new(training(DIVERGING_RATE)).unwrap();
    let order = BatchOrder::new(data.len(), 11);
    Run {
        network,
        trainer,
        order,
    }
}

fn training(learning_rate: f32) -> TrainingConfig {
    TrainingConfig {
        optimizer: OptimizerKind::Momentum,
        learning_rate,
        batch_size: 5,
        ..TrainingConfig::default()
    }
}

impl Run {
    fn train(&mut self, data: &Dataset, count: u32) -> backprop_core::Result<f32> {
        self.trainer
            .train_batches(&mut self.network, data, &mut self.order, count)
    }

    /// Everything a training call may change, bit for bit: `Debug` writes each f32 in the
    /// digits that read back to its bits, so equal text is equal bits.
    fn state(&self) -> (u64, String, String) {
        (
            weight_checksum(&self.network),
            format!("{:?}", self.trainer.state()),
            format!("{:?}", self.order),
        )
    }
}

/// The step at which training from the start diverges, found one step at a time.
fn diverging_step(data: &Dataset) -> u32 {
    let mut run = fresh_run(data);
    for step in 1..=100 {
        if run.train(data, 1).is_err() {
            return step;
        }
    }
    panic!("training at learning rate {DIVERGING_RATE} did not diverge");
}

#[test]
fn a_diverging_call_of_several_steps_puts_everything_back() {
    let data = data();
    let failing = diverging_step(&data);
    assert!(
        failing > 6,
        "the call must cross an epoch first (step {failing})"
    );
    let mut run = fresh_run(&data);
    run.train(&data, 2).unwrap();
    let before = run.state();
    let err = run.train(&data, 50).expect_err("the call diverges");
    assert_eq!(err.kind, ErrorKind::Diverged);
    assert_eq!(
        err.message,
        format!(
            "training diverged at step {failing}: the loss became NaN; try a lower learning rate"
        )
    );
    assert_eq!(run.state(), before);
    assert_eq!(run.trainer.steps(), 2);
    assert_eq!((run.order.epoch(), run.order.position()), (0, 10));
}

#[test]
fn training_on_after_a_diverging_call_equals_a_fresh_replay() {
    let data = data();
    let mut run = fresh_run(&data);
    run.train(&data, 3).unwrap();
    run.train(&data, 50).expect_err("the call diverges");
    run.trainer.set_config(training(CALM_RATE)).unwrap();
    run.train(&data, 20).unwrap();

    let mut replay = fresh_run(&data);
    replay.train(&data, 3).unwrap();
    replay.trainer.set_config(training(CALM_RATE)).unwrap();
    replay.train(&data, 20).unwrap();
    assert_eq!(run.state(), replay.state());
    assert_eq!(run.network, replay.network);
    assert_eq!(run.trainer.steps(), 23);
}

#[test]
fn a_single_diverging_step_changes_nothing_and_leaves_its_batch_next() {
    let data = data();
    let failing = diverging_step(&data);
    let mut run = fresh_run(&data);
    run.train(&data, failing - 1).unwrap();
    let before = run.state();
    let err = run.train(&data, 1).expect_err("this step diverges");
    assert_eq!(err.kind, ErrorKind::Diverged);
    assert_eq!(run.state(), before);
    assert_eq!(run.trainer.steps(), failing - 1);
}

#[test]
fn a_lesson_step_that_would_make_weights_infinite_changes_nothing() {
    let data = data();
    let mut network = fresh_run(&data).network;
    let before = weight_checksum(&network);
    let mut gradient = network.gradient(&data.input(0), data.labels()[0]).unwrap();
    let good = gradient.clone();
    // The last bias would become infinite; every other value is applied only with it.
    *gradient.biases.last_mut().unwrap().last_mut().unwrap() = f32::MAX;
    let err = apply_sgd(&mut network, &gradient, 10.0).expect_err("a bias overflows");
    assert_eq!(err.kind, ErrorKind::Diverged);
    assert_eq!(
        err.message,
        "this step would make weights NaN or infinite (learning rate 10); try a lower learning rate"
    );
    assert_eq!(weight_checksum(&network), before);
    apply_sgd(&mut network, &good, 10.0).unwrap();
    assert_ne!(weight_checksum(&network), before);
}
