//! A user's own MNIST-format dataset: full Fashion-MNIST (60,000 + 10,000 gzip IDX files from
//! Debian's `dataset-fashion-mnist`, installed by `make test`) reads and trains.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

use backprop_core::{BatchOrder, Dataset, Network, NetworkConfig, Trainer, TrainingConfig};

const DIR: &str = "/usr/share/datasets/fashion-mnist";

fn load(prefix: &str) -> Option<Dataset> {
    let dir = Path::new(DIR);
    let images = dir.join(format!("{prefix}-images-idx3-ubyte.gz"));
    if !images.exists() {
        println!("SKIPPED: Fashion-MNIST is not installed at {DIR} (Debian package dataset-fashion-mnist)");
        return None;
    }
    let labels = dir.join(format!("{prefix}-labels-idx1-ubyte.gz"));
    Some(
        Dataset::from_idx(
            &std::fs::read(images).unwrap(),
            &std::fs::read(labels).unwrap(),
        )
        .unwrap(),
    )
}

#[test]
fn fashion_mnist_reads_and_trains_past_80_percent() {
    let (Some(train), Some(test)) = (load("train"), load("t10k")) else {
        return;
    };
    assert_eq!(
        (train.len(), test.len(), train.rows(), train.cols()),
        (60_000, 10_000, 28, 28)
    );
    assert_eq!(train.class_count(), 10);
    let mut network = Network::new(NetworkConfig {
        hidden: vec![64],
        seed: 2,
        ..NetworkConfig::default()
    })
    .unwrap();
    let mut trainer = Trainer::new(TrainingConfig {
        optimizer: backprop_core::OptimizerKind::Adam,
        learning_rate: 0.001,
        ..TrainingConfig::default()
    })
    .unwrap();
    let mut order = BatchOrder::new(train.len(), 2);
    while order.epoch() < 1 {
        trainer.step_on(&mut network, &train, &mut order).unwrap();
    }
    let accuracy = network.evaluate(&test).unwrap().accuracy;
    println!(
        "Fashion-MNIST, 784-64-10, one epoch: test accuracy {:.2}%",
        accuracy * 100.0
    );
    assert!(accuracy > 0.8, "test accuracy {accuracy}");
}
