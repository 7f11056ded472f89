//! Accuracy on the real MNIST test set (10,000 digits the network never trains on): a small
//! network trained on the embedded digits beats 90%, and each shipped model scores exactly the
//! test accuracy its metadata records.

mod common;

use backprop_cli::recorded_accuracy;
use backprop_core::{BatchOrder, Network, NetworkConfig, Trainer, TrainingConfig};
use backprop_formats::Model;
use common::{embedded, mnist_test_set, shipped};

#[test]
#[ignore = "needs the MNIST test set (MNIST_TEST_DIR, default ../shared/data/mnist)"]
fn a_small_mlp_beats_90_percent_on_the_real_test_set() {
    let test = mnist_test_set();
    assert_eq!(test.len(), 10_000);
    let train = embedded().train;
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

#[test]
#[ignore = "needs the MNIST test set (MNIST_TEST_DIR, default ../shared/data/mnist)"]
fn shipped_models_score_their_recorded_test_accuracy() {
    let test = mnist_test_set();
    for (plan, text) in shipped() {
        let model = Model::from_json(&text).unwrap();
        let accuracy = model.network.evaluate(&test).unwrap().accuracy;
        assert_eq!(
            Some(accuracy),
            recorded_accuracy(&model, "testAccuracy"),
            "{}",
            plan.name
        );
        println!(
            "{}: MNIST test accuracy {:.2}%",
            plan.name,
            accuracy * 100.0
        );
    }
}
