//! Training on several threads gives the same weights, bit for bit, as on one: each product
//! and each update is cut into ranges of rows, one per thread, and every value is computed as
//! one thread computes it. Native threads here; in the browsers the end-to-end tests train
//! with Web Workers.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use backprop_core::{
    Activation, BatchOrder, Dataset, Extra, Network, NetworkConfig, OptimizerKind, Parallel, Pool,
    Rng, Trainer, TrainingConfig,
};
use common::weight_checksum;

const INPUTS: usize = 196;

/// A dataset of random 14 × 14 images with 10 classes.
fn data(count: usize) -> Dataset {
    data_from(count, 5)
}

fn data_from(count: usize, seed: u64) -> Dataset {
    let mut rng = Rng::new(seed);
    let pixels = (0..count * INPUTS).map(|_| rng.below(256) as u8).collect();
    let labels = (0..count).map(|_| rng.below(10) as u8).collect();
    Dataset::new(14, 14, pixels, labels).unwrap()
}

/// The network's weights after 12 mini-batches on `threads` threads (`None`: no pool).
fn train(
    hidden: &[usize],
    activation: Activation,
    optimizer: OptimizerKind,
    batch_size: usize,
    threads: Option<usize>,
) -> u64 {
    train_mixing(hidden, activation, optimizer, batch_size, threads, None)
}

/// As `train`, with every mini-batch taking `share` of its examples from a second dataset
/// (`train_batches_mixed`) when `share` is given.
fn train_mixing(
    hidden: &[usize],
    activation: Activation,
    optimizer: OptimizerKind,
    batch_size: usize,
    threads: Option<usize>,
    share: Option<f32>,
) -> u64 {
    let mut network = Network::new(NetworkConfig {
        inputs: INPUTS,
        hidden: hidden.to_vec(),
        activation,
        seed: 3,
        ..NetworkConfig::default()
    })
    .unwrap();
    let mut trainer = Trainer::new(TrainingConfig {
        optimizer,
        learning_rate: if optimizer == OptimizerKind::Adam {
            0.002
        } else {
            0.05
        },
        l2: 0.0005,
        batch_size,
        ..TrainingConfig::default()
    })
    .unwrap();
    let pool = threads.map(Pool::spawn);
    trainer.set_pool(pool.clone());
    assert_eq!(trainer.threads(), threads.unwrap_or(1));
    let data = data(300);
    let mut order = BatchOrder::new(data.len(), 9);
    match share {
        None => trainer.train_batches(&mut network, &data, &mut order, 12),
        Some(share) => {
            let drawings = data_from(45, 8);
            let extra = Extra {
                data: &drawings,
                order: &mut BatchOrder::new(drawings.len(), 4),
                share,
            };
            trainer.train_batches_mixed(&mut network, &data, &mut order, extra, 12)
        }
    }
    .unwrap();
    if let Some(pool) = pool.filter(|p| p.threads() > 1) {
        assert!(
            pool.tasks() >= 12,
            "the steps were shared: {} tasks",
            pool.tasks()
        );
    }
    weight_checksum(&network)
}

#[test]
fn threads_change_no_bit_of_the_weights() {
    // Wide enough that every product, and the update, is shared; odd widths and batches so
    // that the threads' ranges have edges.
    for (hidden, activation, optimizer, batch) in [
        (vec![300, 200], Activation::Relu, OptimizerKind::Sgd, 64),
        (vec![256, 130], Activation::Tanh, OptimizerKind::Adam, 37),
        (
            vec![129, 67, 33],
            Activation::LeakyRelu,
            OptimizerKind::Momentum,
            50,
        ),
        (vec![40], Activation::Sigmoid, OptimizerKind::Sgd, 16),
    ] {
        let one = train(&hidden, activation, optimizer, batch, None);
        for threads in [1, 2, 3, 4] {
            assert_eq!(
                train(&hidden, activation, optimizer, batch, Some(threads)),
                one,
                "{hidden:?} {activation:?} {optimizer:?} batch {batch} on {threads} threads"
            );
        }
    }
}

#[test]
fn two_runs_on_two_threads_agree() {
    let run = || {
        train(
            &[300, 200],
            Activation::Relu,
            OptimizerKind::Momentum,
            40,
            Some(2),
        )
    };
    assert_eq!(run(), run());
}

#[test]
fn mixed_training_on_threads_changes_no_bit_either() {
    for share in [0.0, 0.25, 1.0] {
        let args = (&[300, 200][..], Activation::Relu, OptimizerKind::Adam, 48);
        let one = train_mixing(args.0, args.1, args.2, args.3, None, Some(share));
        for threads in [2, 3] {
            assert_eq!(
                train_mixing(args.0, args.1, args.2, args.3, Some(threads), Some(share)),
                one,
                "share {share} on {threads} threads"
            );
        }
    }
}
