//! Native training throughput of the W1 network (784-128-64-10 ReLU, softmax, SGD, batch 32)
//! on synthetic inputs: prints examples per second. `cargo bench -p backprop-core`.

use std::time::Instant;

use backprop_core::{Network, NetworkConfig, Rng, Trainer, TrainingConfig};

const BATCH: usize = 32;
const BATCHES: usize = 2000;

fn main() {
    let mut network = Network::new(NetworkConfig {
        seed: 1,
        ..NetworkConfig::default()
    })
    .expect("the default network is valid");
    let mut trainer = Trainer::new(TrainingConfig {
        learning_rate: 0.01,
        ..TrainingConfig::default()
    })
    .expect("the default training settings are valid");
    let mut rng = Rng::new(7);
    let inputs: Vec<f32> = (0..BATCH * 784).map(|_| rng.next_f32()).collect();
    let labels: Vec<u8> = (0..BATCH).map(|_| rng.below(10) as u8).collect();

    for _ in 0..100 {
        trainer
            .step(&mut network, &inputs, &labels)
            .expect("inputs fit");
    }
    let mut rates = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        for _ in 0..BATCHES {
            trainer
                .step(&mut network, &inputs, &labels)
                .expect("inputs fit");
        }
        rates.push((BATCHES * BATCH) as f64 / start.elapsed().as_secs_f64());
    }
    rates.sort_by(f64::total_cmp);
    println!(
        "train 784-128-64-10 relu, batch {BATCH}: median {:.0} examples/s (min {:.0}, max {:.0})",
        rates[2], rates[0], rates[4]
    );
}
