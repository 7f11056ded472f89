//! Native benchmarks of the core, for quick iteration: `cargo bench -p backprop-core`.
//!
//! - `kernels/*`: the three batched dense kernels at W1's first-layer sizes (784 → 128, batch
//!   32); criterion's throughput is in FLOP/s.
//! - `w1/*`: the W1 network (784-128-64-10 ReLU, softmax, SGD): a batch-32 training step
//!   (throughput in examples/s), one forward pass and one single-example step.
//! - Then one line with W1's training examples per second, the figure the browser benchmark
//!   (`bench/run.mjs`) reports for the wasm build.
//!
//! Inputs are synthetic: speed does not depend on the pixel values.

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(native::benches);

/// Benchmarks run natively only; this keeps `clippy --all-targets --target wasm32` building.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::hint::black_box;
    use std::time::Instant;

    use backprop_core::{Network, NetworkConfig, Rng, Trainer, TrainingConfig};
    use criterion::{criterion_group, Criterion, Throughput};

    const BATCH: usize = 32;
    const INPUTS: usize = 784;
    const OUTPUTS: usize = 128;
    /// W1's cost per training example (forward, weight gradients, backpropagated errors).
    const W1_FLOPS: f64 =
        (2 * 2 * (784 * 128 + 128 * 64 + 64 * 10) + 2 * (128 * 64 + 64 * 10)) as f64;

    fn random(rng: &mut Rng, len: usize) -> Vec<f32> {
        (0..len).map(|_| rng.next_f32()).collect()
    }

    fn w1() -> (Network, Trainer, Vec<f32>, Vec<u8>) {
        let network = Network::new(NetworkConfig {
            seed: 1,
            ..NetworkConfig::default()
        })
        .expect("the default network is valid");
        let trainer = Trainer::new(TrainingConfig {
            learning_rate: 0.01,
            ..TrainingConfig::default()
        })
        .expect("the default training settings are valid");
        let mut rng = Rng::new(7);
        let inputs = random(&mut rng, BATCH * INPUTS);
        let labels = (0..BATCH).map(|_| rng.below(10) as u8).collect();
        (network, trainer, inputs, labels)
    }

    /// The kernels through the public API: a one-layer network's forward pass and gradient.
    fn kernels(c: &mut Criterion) {
        let network = Network::new(NetworkConfig {
            hidden: vec![OUTPUTS],
            seed: 1,
            ..NetworkConfig::default()
        })
        .expect("a valid network");
        let mut rng = Rng::new(7);
        let inputs = random(&mut rng, BATCH * INPUTS);
        let labels: Vec<u8> = (0..BATCH).map(|_| rng.below(10) as u8).collect();
        let mut group = c.benchmark_group("kernels");
        let macs = (BATCH * (INPUTS * OUTPUTS + OUTPUTS * 10)) as u64;
        group.throughput(Throughput::Elements(2 * macs));
        let mut trace = Default::default();
        group.bench_function("forward 784-128-10 batch 32 (FLOP)", |b| {
            b.iter(|| network.forward_into(black_box(&inputs), BATCH, &mut trace))
        });
        // Forward, both weight gradients and the 10 → 128 backpropagation.
        group.throughput(Throughput::Elements(
            2 * (2 * macs + (BATCH * OUTPUTS * 10) as u64),
        ));
        let mut gradient = Default::default();
        group.bench_function("gradient 784-128-10 batch 32 (FLOP)", |b| {
            b.iter(|| network.gradient_into(black_box(&inputs), &labels, &mut gradient))
        });
        group.finish();
    }

    fn w1_steps(c: &mut Criterion) {
        let (mut network, mut trainer, inputs, labels) = w1();
        let mut group = c.benchmark_group("w1");
        group.throughput(Throughput::Elements(BATCH as u64));
        group.bench_function("train step batch 32 (examples)", |b| {
            b.iter(|| trainer.step(&mut network, black_box(&inputs), &labels))
        });
        group.throughput(Throughput::Elements(1));
        let one = &inputs[..INPUTS];
        group.bench_function("forward one image", |b| {
            b.iter(|| network.predict(black_box(one)))
        });
        group.bench_function("train step one example", |b| {
            b.iter(|| trainer.step(&mut network, black_box(one), &labels[..1]))
        });
        group.finish();
    }

    /// W1's training rate, median of five timed runs, as one line.
    fn w1_rate(_: &mut Criterion) {
        const BATCHES: usize = 500;
        let (mut network, mut trainer, inputs, labels) = w1();
        let mut step = || {
            trainer
                .step(&mut network, &inputs, &labels)
                .expect("inputs fit")
        };
        for _ in 0..100 {
            step();
        }
        let mut rates: Vec<f64> = (0..5)
            .map(|_| {
                let start = Instant::now();
                for _ in 0..BATCHES {
                    step();
                }
                (BATCHES * BATCH) as f64 / start.elapsed().as_secs_f64()
            })
            .collect();
        rates.sort_by(f64::total_cmp);
        println!(
            "train 784-128-64-10 relu, batch {BATCH}: median {:.0} examples/s \
             (min {:.0}, max {:.0}) = {:.1} GFLOP/s",
            rates[2],
            rates[0],
            rates[4],
            rates[2] * W1_FLOPS / 1e9
        );
    }

    criterion_group!(benches, kernels, w1_steps, w1_rate);
}
