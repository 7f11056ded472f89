//! The network learns: XOR, and MNIST digits to over 90% on the real test set.

mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use backprop_core::{
    argmax, Activation, Loss, Network, NetworkConfig, OptimizerKind, Trainer, TrainingConfig,
};

fn xor_learns(activation: Activation, loss: Loss, optimizer: OptimizerKind, learning_rate: f32) {
    let inputs = [0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0];
    let labels = [0u8, 1, 1, 0];
    let config = NetworkConfig {
        inputs: 2,
        hidden: vec![8],
        outputs: 2,
        activation,
        loss,
        init: None,
        seed: 3,
    };
    let mut network = Network::new(config).unwrap();
    let mut trainer = Trainer::new(TrainingConfig {
        optimizer,
        learning_rate,
        batch_size: 4,
        ..TrainingConfig::default()
    })
    .unwrap();
    let first = trainer.step(&mut network, &inputs, &labels).unwrap();
    let mut last = first;
    for _ in 0..3000 {
        last = trainer.step(&mut network, &inputs, &labels).unwrap();
    }
    for (x, &y) in inputs.chunks(2).zip(&labels) {
        let out = network.predict(x).unwrap();
        assert_eq!(
            argmax(&out),
            y as usize,
            "{activation:?} {loss:?} {optimizer:?}: {x:?} → {out:?}"
        );
    }
    assert!(last < first / 4.0, "loss only went from {first} to {last}");
}

#[test]
fn xor_converges_with_each_optimiser() {
    xor_learns(
        Activation::Tanh,
        Loss::SoftmaxCrossEntropy,
        OptimizerKind::Sgd,
        0.5,
    );
    xor_learns(
        Activation::Relu,
        Loss::SoftmaxCrossEntropy,
        OptimizerKind::Momentum,
        0.05,
    );
    xor_learns(
        Activation::LeakyRelu,
        Loss::SoftmaxCrossEntropy,
        OptimizerKind::Adam,
        0.01,
    );
    xor_learns(
        Activation::Sigmoid,
        Loss::SigmoidSquaredError,
        OptimizerKind::Sgd,
        5.0,
    );
}

#[cfg(not(target_arch = "wasm32"))]
mod mnist {
    use std::path::{Path, PathBuf};

    use backprop_core::{BatchOrder, Dataset, Network, NetworkConfig, Trainer, TrainingConfig};

    fn read(path: &Path) -> Vec<u8> {
        std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    fn root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
    }

    /// The 9,000 embedded training digits that `make data` writes to www/data (the other
    /// 1,000 are the page's held-out set).
    fn embedded_training_set() -> Dataset {
        let data = root().join("www/data");
        assert!(
            data.join("mnist-train-images.idx.gz").exists(),
            "the embedded MNIST digits are missing: run `make data` first"
        );
        Dataset::from_idx(
            &read(&data.join("mnist-train-images.idx.gz")),
            &read(&data.join("mnist-train-labels.idx.gz")),
        )
        .unwrap()
    }

    /// The real MNIST test set, from ../shared/data/mnist (or $MNIST_TEST_DIR).
    fn test_set() -> Option<Dataset> {
        let dir = std::env::var_os("MNIST_TEST_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| root().join("../shared/data/mnist"));
        let images = dir.join("t10k-images-idx3-ubyte.gz");
        if !images.exists() {
            println!(
                "SKIPPED: the MNIST test set is not at {} (set MNIST_TEST_DIR)",
                dir.display()
            );
            return None;
        }
        Some(
            Dataset::from_idx(
                &read(&images),
                &read(&dir.join("t10k-labels-idx1-ubyte.gz")),
            )
            .unwrap(),
        )
    }

    #[test]
    fn small_mlp_beats_90_percent_on_the_real_test_set() {
        let Some(test) = test_set() else { return };
        assert_eq!(test.len(), 10_000);
        let train = embedded_training_set();
        assert_eq!(train.len(), 9_000);
        let config = NetworkConfig {
            hidden: vec![64],
            seed: 1,
            ..NetworkConfig::default()
        };
        let mut network = Network::new(config).unwrap();
        let mut trainer = Trainer::new(TrainingConfig::default()).unwrap();
        let mut order = BatchOrder::new(train.len(), 1);
        // Eight epochs of batch 32: 2,256 updates (about 94% on this seed).
        while order.epoch() < 8 {
            trainer.step_on(&mut network, &train, &mut order).unwrap();
        }
        let result = network.evaluate(&test).unwrap();
        println!(
            "784-64-10 after 8 epochs: test accuracy {:.2}%",
            result.accuracy * 100.0
        );
        assert!(result.accuracy > 0.90, "test accuracy {}", result.accuracy);
        assert_eq!(result.confusion.iter().sum::<u32>(), 10_000);
    }
}
