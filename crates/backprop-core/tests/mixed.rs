//! Training that mixes two datasets: every mini-batch takes round(share × batch size) examples
//! from the second, in its own batch order, and the rest from the first as `train_batches`
//! takes them. Share 0 is `train_batches` bit for bit, and a diverging call puts the network,
//! the optimiser state and both orders back.

mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use backprop_core::{
    BatchOrder, Dataset, ErrorKind, Extra, Network, OptimizerKind, Rng, Trainer, TrainingConfig,
};
use common::leaky_network;

/// `count` random 4×4 images with labels below 4.
fn random(count: usize, seed: u64) -> Dataset {
    let mut rng = Rng::new(seed);
    let pixels = (0..count * 16).map(|_| rng.below(256) as u8).collect();
    let labels = (0..count).map(|_| rng.below(4) as u8).collect();
    Dataset::new(4, 4, pixels, labels).unwrap()
}

struct Run {
    network: Network,
    trainer: Trainer,
    order: BatchOrder,
    extra_order: BatchOrder,
}

impl Run {
    fn new(main: &Dataset, extra: &Dataset, optimizer: OptimizerKind, learning_rate: f32) -> Run {
        let network = leaky_network();
        let training = TrainingConfig {
            optimizer,
            learning_rate,
            batch_size: 8,
            ..TrainingConfig::default()
        };
        Run {
            network,
            trainer: Trainer::new(training).unwrap(),
            order: BatchOrder::new(main.len(), 11),
            extra_order: BatchOrder::new(extra.len(), 5),
        }
    }

    fn mixed(
        &mut self,
        main: &Dataset,
        extra: &Dataset,
        share: f32,
        count: u32,
    ) -> backprop_core::Result<f32> {
        let extra = Extra {
            data: extra,
            order: &mut self.extra_order,
            share,
        };
        self.trainer
            .train_batches_mixed(&mut self.network, main, &mut self.order, extra, count)
    }

    /// Everything a training call may change, bit for bit (`Debug` writes each f32 in the
    /// digits that read back to its bits).
    fn state(&self) -> String {
        format!(
            "{:?} {:?} {:?} {:?}",
            self.network,
            self.trainer.state(),
            self.order,
            self.extra_order
        )
    }
}

/// Examples used so far: completed epochs and the position in the current one.
fn progress(order: &BatchOrder) -> usize {
    order.epoch() as usize * order.len() + order.position()
}

#[test]
fn every_batch_takes_its_share_from_the_second_dataset() {
    // 53 examples: batches of 5 from the first end each epoch with a part of 3. 7 examples in
    // the second: its 3 a batch run on into its next epoch.
    let (main, extra) = (random(53, 1), random(7, 2));
    let mut run = Run::new(&main, &extra, OptimizerKind::Adam, 0.01);
    let mut reference = Run::new(&main, &extra, OptimizerKind::Adam, 0.01);
    let (mut inputs, mut labels) = (Vec::new(), Vec::new());
    for step in 0..40 {
        let (before, before_extra) = (progress(&run.order), progress(&run.extra_order));
        let loss = run.mixed(&main, &extra, 0.4, 1).unwrap();
        assert_eq!(progress(&run.extra_order) - before_extra, 3, "step {step}");
        let in_epoch = 53 - before % 53;
        assert_eq!(
            progress(&run.order) - before,
            in_epoch.min(5),
            "step {step}"
        );

        // The same batch made by hand: the next 5 of the first, then the next 3 of the second.
        let mut indices = reference.extra_order.next_batch(3);
        while indices.len() < 3 {
            let more = reference.extra_order.next_batch(3 - indices.len());
            indices.extend(more);
        }
        main.fill_batch(&reference.order.next_batch(5), &mut inputs, &mut labels);
        let (mut extra_inputs, mut extra_labels) = (Vec::new(), Vec::new());
        extra.fill_batch(&indices, &mut extra_inputs, &mut extra_labels);
        inputs.extend(extra_inputs);
        labels.extend(extra_labels);
        let expected = reference
            .trainer
            .step(&mut reference.network, &inputs, &labels)
            .unwrap();
        assert_eq!(loss.to_bits(), expected.to_bits(), "step {step}");
        assert_eq!(run.state(), reference.state(), "step {step}");
    }
    assert!(run.order.epoch() >= 3 && run.extra_order.epoch() >= 15);
}

#[test]
fn share_0_is_train_batches_bit_for_bit() {
    let (main, extra) = (random(45, 3), random(9, 4));
    for optimizer in [
        OptimizerKind::Sgd,
        OptimizerKind::Momentum,
        OptimizerKind::Adam,
    ] {
        let mut mixed = Run::new(&main, &extra, optimizer, 0.05);
        let mut plain = Run::new(&main, &extra, optimizer, 0.05);
        for count in [1, 7, 30] {
            let a = mixed.mixed(&main, &extra, 0.0, count).unwrap();
            let b = plain
                .trainer
                .train_batches(&mut plain.network, &main, &mut plain.order, count)
                .unwrap();
            assert_eq!(a.to_bits(), b.to_bits());
            assert_eq!(mixed.state(), plain.state(), "{optimizer:?}");
        }
        // The second dataset's order never moved.
        assert_eq!(mixed.extra_order, BatchOrder::new(9, 5));
    }
}

#[test]
fn share_1_takes_every_example_from_the_second_dataset() {
    let (main, extra) = (random(45, 3), random(9, 4));
    let mut run = Run::new(&main, &extra, OptimizerKind::Sgd, 0.05);
    run.mixed(&main, &extra, 1.0, 9).unwrap();
    assert_eq!(run.order, BatchOrder::new(45, 11));
    assert_eq!(progress(&run.extra_order), 72);
    // A share rounds to whole examples: 0.3 of 8 is 2.
    run.mixed(&main, &extra, 0.3, 1).unwrap();
    assert_eq!((progress(&run.order), progress(&run.extra_order)), (6, 74));
}

#[test]
fn mixed_training_is_deterministic() {
    let (main, extra) = (random(45, 3), random(9, 4));
    let mut a = Run::new(&main, &extra, OptimizerKind::Momentum, 0.05);
    let mut b = Run::new(&main, &extra, OptimizerKind::Momentum, 0.05);
    a.mixed(&main, &extra, 0.25, 20).unwrap();
    for _ in 0..20 {
        b.mixed(&main, &extra, 0.25, 1).unwrap();
    }
    assert_eq!(a.state(), b.state());
}

#[test]
fn a_diverging_mixed_call_puts_both_orders_back() {
    // Leaky ReLU with momentum at learning rate 3 diverges within a few epochs.
    let (main, extra) = (random(24, 3), random(6, 9));
    let mut run = Run::new(&main, &extra, OptimizerKind::Momentum, 3.0);
    run.mixed(&main, &extra, 0.5, 2).unwrap();
    let before = run.state();
    let err = run
        .mixed(&main, &extra, 0.5, 100)
        .expect_err("the call diverges");
    assert_eq!(err.kind, ErrorKind::Diverged);
    assert!(
        err.message.starts_with("training diverged at step "),
        "{}",
        err.message
    );
    assert_eq!(run.state(), before);
    // One step at a time, the failing one changes nothing either.
    loop {
        let before = run.state();
        if run.mixed(&main, &extra, 0.5, 1).is_err() {
            assert_eq!(run.state(), before);
            break;
        }
    }
}

#[test]
fn a_share_outside_0_to_1_or_data_that_does_not_fit_is_refused() {
    let (main, extra) = (random(24, 3), random(6, 9));
    let mut run = Run::new(&main, &extra, OptimizerKind::Sgd, 0.1);
    let before = run.state();
    for share in [-0.1, 1.5, f32::NAN] {
        let err = run.mixed(&main, &extra, share, 3).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Input);
        assert_eq!(
            err.message,
            format!("the share of a mini-batch from the second dataset must be from 0 to 1, got {share}")
        );
    }
    let small = Dataset::new(2, 2, vec![0; 8], vec![0, 1]).unwrap();
    let err = run.mixed(&main, &small, 0.5, 3).unwrap_err();
    assert_eq!(
        err.message,
        "the dataset's images have 4 pixels but the network has 16 inputs"
    );
    assert_eq!(run.state(), before);
}
