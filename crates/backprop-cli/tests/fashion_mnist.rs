//! A user's own MNIST-format dataset: full Fashion-MNIST (60,000 + 10,000 gzip IDX files from
//! Debian's `dataset-fashion-mnist`, installed by `make test`) reads and trains.

use std::path::Path;

use backprop_core::{BatchOrder, Dataset, Network, NetworkConfig, Trainer, TrainingConfig};
use backprop_formats::read_dataset;

const DIR: &str = "/usr/share/datasets/fashion-mnist";

fn load(prefix: &str) -> Dataset {
    let dir = Path::new(DIR);
    let read = |kind: &str| {
        let path = dir.join(format!(
            "{prefix}-{kind}-idx{}-ubyte.gz",
            if kind == "images" { 3 } else { 1 }
        ));
        std::fs::read(&path)
            .unwrap_or_else(|e| panic!("Fashion-MNIST is missing: {}: {e}", path.display()))
    };
    read_dataset(&read("images"), &read("labels")).unwrap()
}

#[test]
#[ignore = "needs Fashion-MNIST (Debian's dataset-fashion-mnist, at /usr/share/datasets/fashion-mnist)"]
fn fashion_mnist_reads_and_trains_past_80_percent() {
    let (train, test) = (load("train"), load("t10k"));
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
