//! Native benchmarks of the probes, at the sizes the page uses: `cargo bench -p backprop-probe`.
//! The browser figures come from `bench/run.mjs --only probes`.
//!
//! - a gradient check of 20 parameters of W1 (784-128-64-10 ReLU);
//! - every neuron picture of W1 (its layers 2 and 3: 74 pictures);
//! - a 41 × 41 loss grid on 512 digits, for 784-32-16-10 and for W1.
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

    use backprop_core::{Dataset, Network, NetworkConfig, Rng};
    use backprop_probe::{
        check_gradient, filter_normalised_directions, preferred_inputs, sample_parameters, Plane,
        DEFAULT_STEP,
    };
    use criterion::{criterion_group, Criterion};

    const GRID: usize = 41;
    const EXAMPLES: usize = 512;

    fn network(hidden: Vec<usize>) -> Network {
        Network::new(NetworkConfig {
            hidden,
            seed: 1,
            ..NetworkConfig::default()
        })
        .expect("a valid network")
    }

    fn digits(rng: &mut Rng) -> Dataset {
        let pixels = (0..EXAMPLES * 784).map(|_| rng.below(256) as u8).collect();
        let labels = (0..EXAMPLES).map(|_| rng.below(10) as u8).collect();
        Dataset::new(28, 28, pixels, labels).expect("a valid dataset")
    }

    fn probes(c: &mut Criterion) {
        let mut rng = Rng::new(7);
        let w1 = network(vec![128, 64]);
        let mut group = c.benchmark_group("probes");
        group.sample_size(10);
        let input: Vec<f32> = (0..784).map(|_| rng.next_f32()).collect();
        let indices = sample_parameters(&w1, 20, 1, None).expect("20 parameters exist");
        group.bench_function("gradient check of 20 parameters, 784-128-64-10", |b| {
            b.iter(|| check_gradient(&w1, black_box(&input), 3, &indices, DEFAULT_STEP))
        });
        group.bench_function("every neuron picture, 784-128-64-10 (layers 2, 3)", |b| {
            b.iter(|| {
                (2..=3)
                    .map(|l| preferred_inputs(&w1, l))
                    .collect::<Vec<_>>()
            })
        });
        let data = digits(&mut rng);
        let steps: Vec<f32> = (0..GRID).map(|i| i as f32 / 20.0 - 1.0).collect();
        for hidden in [vec![32, 16], vec![128, 64]] {
            let net = network(hidden);
            let [d1, d2] = filter_normalised_directions(&net, 1);
            let name = format!("41 x 41 loss grid on 512 digits, {:?}", net.sizes());
            group.bench_function(name, |b| {
                b.iter(|| {
                    let mut plane =
                        Plane::new(&net, &data, EXAMPLES, &d1, &d2).expect("directions fit");
                    plane.grid(&steps, &steps)
                })
            });
        }
        group.finish();
    }

    criterion_group!(benches, probes);
}
