//! Data-parallel training: shard gradients, combined by their example-weighted mean and
//! applied in every replica, match ordinary steps on whole batches.

mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use backprop_core::{
    Activation, ErrorKind, Layer, Network, NetworkConfig, OptimizerKind, Rng, Trainer,
    TrainingConfig,
};
use common::weight_checksum;

const INPUTS: usize = 20;
const CLASSES: usize = 5;
const BATCH: usize = 12;
/// Unequal shards, so that a plain mean of the two gradients would be wrong.
const FIRST_SHARD: usize = 5;

fn network() -> Network {
    Network::new(NetworkConfig {
        inputs: INPUTS,
        hidden: vec![16, 8],
        outputs: CLASSES,
        activation: Activation::Relu,
        seed: 11,
        ..NetworkConfig::default()
    })
    .unwrap()
}

fn trainer(optimizer: OptimizerKind) -> Trainer {
    Trainer::new(TrainingConfig {
        optimizer,
        learning_rate: if optimizer == OptimizerKind::Adam {
            0.01
        } else {
            0.1
        },
        l2: 0.001,
        batch_size: BATCH,
        ..TrainingConfig::default()
    })
    .unwrap()
}

/// A batch of random inputs in [-1, 1] and labels.
fn batch(rng: &mut Rng) -> (Vec<f32>, Vec<u8>) {
    let inputs = (0..BATCH * INPUTS).map(|_| rng.symmetric(1.0)).collect();
    let labels = (0..BATCH).map(|_| rng.below(CLASSES) as u8).collect();
    (inputs, labels)
}

/// The flat gradient of one shard, and its size.
fn shard_gradient(
    trainer: &mut Trainer,
    net: &Network,
    inputs: &[f32],
    labels: &[u8],
) -> (Vec<f32>, usize) {
    trainer.compute_gradient(net, inputs, labels).unwrap();
    let flat: Vec<f32> = trainer.gradient_parts().flatten().copied().collect();
    assert_eq!(flat.len(), net.config().parameter_count());
    (flat, labels.len())
}

/// Σ nₖ·gₖ / Σ nₖ over the shards.
fn weighted_mean(shards: &[(Vec<f32>, usize)]) -> Vec<f32> {
    let total: usize = shards.iter().map(|(_, n)| n).sum();
    let mut mean = vec![0.0; shards[0].0.len()];
    for (g, n) in shards {
        let w = *n as f32 / total as f32;
        for (m, &v) in mean.iter_mut().zip(g) {
            *m += w * v;
        }
    }
    mean
}

/// The two shards' gradients of one batch, each from its own replica.
fn two_shards(
    replicas: &mut [(Network, Trainer); 2],
    inputs: &[f32],
    labels: &[u8],
) -> [(Vec<f32>, usize); 2] {
    let split = FIRST_SHARD * INPUTS;
    let [(net_a, trainer_a), (net_b, trainer_b)] = replicas;
    [
        shard_gradient(trainer_a, net_a, &inputs[..split], &labels[..FIRST_SHARD]),
        shard_gradient(trainer_b, net_b, &inputs[split..], &labels[FIRST_SHARD..]),
    ]
}

fn assert_close(actual: &[f32], expected: &[f32], tolerance: f32, what: &str) {
    assert_eq!(actual.len(), expected.len());
    for (k, (&a, &e)) in actual.iter().zip(expected).enumerate() {
        assert!(
            (a - e).abs() <= tolerance * (1.0 + e.abs()),
            "{what} {k}: {a} vs {e}"
        );
    }
}

fn parameters(net: &Network) -> Vec<f32> {
    net.layers()
        .iter()
        .flat_map(|l| l.weights.iter().chain(&l.biases).copied())
        .collect()
}

#[test]
fn the_flat_gradient_is_each_layer_s_weights_then_biases() {
    let net = network();
    let (inputs, labels) = batch(&mut Rng::new(1));
    let whole = net.gradient_batch(&inputs, &labels).unwrap();
    let mut t = trainer(OptimizerKind::Sgd);
    let (flat, _) = shard_gradient(&mut t, &net, &inputs, &labels);
    let expected: Vec<f32> = whole
        .weights
        .iter()
        .zip(&whole.biases)
        .flat_map(|(w, b)| w.iter().chain(b).copied())
        .collect();
    assert_eq!(flat, expected);
}

#[test]
fn the_weighted_mean_of_two_shard_gradients_is_the_whole_batch_gradient() {
    let net = network();
    let mut rng = Rng::new(2);
    for _ in 0..5 {
        let (inputs, labels) = batch(&mut rng);
        let mut whole = trainer(OptimizerKind::Sgd);
        let (expected, _) = shard_gradient(&mut whole, &net, &inputs, &labels);
        let mut replicas = [
            (net.clone(), trainer(OptimizerKind::Sgd)),
            (net.clone(), trainer(OptimizerKind::Sgd)),
        ];
        let mean = weighted_mean(&two_shards(&mut replicas, &inputs, &labels));
        assert_close(&mean, &expected, 1e-5, "gradient value");
    }
}

#[test]
fn steps_on_two_shards_track_ordinary_steps_and_keep_the_replicas_identical() {
    const STEPS: usize = 30;
    let shares = [
        FIRST_SHARD as f32 / BATCH as f32,
        (BATCH - FIRST_SHARD) as f32 / BATCH as f32,
    ];
    for optimizer in [
        OptimizerKind::Sgd,
        OptimizerKind::Momentum,
        OptimizerKind::Adam,
    ] {
        let mut reference = (network(), trainer(optimizer));
        let mut replicas = [
            (network(), trainer(optimizer)),
            (network(), trainer(optimizer)),
        ];
        let mut rng = Rng::new(3);
        for _ in 0..STEPS {
            let (inputs, labels) = batch(&mut rng);
            reference
                .1
                .step(&mut reference.0, &inputs, &labels)
                .unwrap();
            let [(a, _), (b, _)] = two_shards(&mut replicas, &inputs, &labels);
            let both = [a, b].concat();
            for (net, t) in &mut replicas {
                t.apply_mean_gradient(net, &both, &shares).unwrap();
            }
        }
        let [(a, trainer_a), (b, _)] = &replicas;
        assert_eq!(weight_checksum(a), weight_checksum(b), "{optimizer:?}");
        assert_eq!(trainer_a.steps(), STEPS as u32);
        assert_close(
            &parameters(a),
            &parameters(&reference.0),
            1e-4,
            &format!("{optimizer:?} parameter"),
        );
        assert_ne!(
            parameters(a),
            parameters(&network()),
            "training moved the weights"
        );
    }
}

#[test]
fn one_gradient_with_share_one_is_exactly_an_ordinary_step() {
    let (inputs, labels) = batch(&mut Rng::new(6));
    let mut stepped = network();
    trainer(OptimizerKind::Adam)
        .step(&mut stepped, &inputs, &labels)
        .unwrap();
    let mut applied = network();
    let mut t = trainer(OptimizerKind::Adam);
    let (gradient, _) = shard_gradient(&mut t, &applied, &inputs, &labels);
    t.apply_mean_gradient(&mut applied, &gradient, &[1.0])
        .unwrap();
    assert_eq!(applied, stepped);
}

#[test]
fn gradients_of_the_wrong_size_or_before_any_batch_are_refused() {
    let mut net = network();
    let before = net.clone();
    let mut t = trainer(OptimizerKind::Sgd);
    let count = net.config().parameter_count();
    let out = vec![0.0; count];
    assert_eq!(t.gradient_parts().count(), 0, "no gradient before a batch");
    let e = t
        .apply_mean_gradient(&mut net, &out[1..], &[1.0])
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Input);
    assert!(e.message.contains(&count.to_string()), "{}", e.message);
    for shares in [&[][..], &[0.5, 0.5], &[f32::NAN]] {
        let e = t.apply_mean_gradient(&mut net, &out, shares).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Input, "{shares:?}");
    }
    assert_eq!(net, before);
    assert_eq!(t.steps(), 0);
}

#[test]
fn a_non_finite_gradient_is_divergence_and_changes_nothing() {
    let mut net = network();
    let before = net.clone();
    let mut t = trainer(OptimizerKind::Momentum);
    let count = net.config().parameter_count();
    let mut gradients = vec![0.0; 2 * count];
    gradients[count + 7] = f32::NAN;
    let e = t
        .apply_mean_gradient(&mut net, &gradients, &[0.5, 0.5])
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Diverged);
    assert!(e.message.contains("value 7 of gradient 1"), "{}", e.message);
    assert_eq!(net, before);
    assert_eq!(t.steps(), 0);
}

#[test]
fn an_update_that_overflows_the_weights_is_divergence_and_changes_nothing() {
    let mut net = network();
    let before = net.clone();
    let mut t = Trainer::new(TrainingConfig {
        learning_rate: 10.0,
        ..TrainingConfig::default()
    })
    .unwrap();
    let gradient = vec![f32::MAX; net.config().parameter_count()];
    let e = t
        .apply_mean_gradient(&mut net, &gradient, &[1.0])
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Diverged);
    assert!(
        e.message
            .contains("training diverged at step 1: weights would become NaN or infinite"),
        "{}",
        e.message
    );
    assert_eq!(net, before);
    assert_eq!(t.steps(), 0);
}

#[test]
fn a_non_finite_loss_is_divergence_before_the_update() {
    let net = network();
    // Weights so large that the forward pass overflows on an ordinary input.
    let layers = net
        .layers()
        .iter()
        .map(|l| Layer {
            weights: vec![1e30; l.weights.len()],
            ..l.clone()
        })
        .collect();
    let mut huge = Network::from_layers(net.config().clone(), layers).unwrap();
    let before = huge.clone();
    let mut t = trainer(OptimizerKind::Sgd);
    let (inputs, labels) = batch(&mut Rng::new(5));
    let e = t.compute_gradient(&huge, &inputs, &labels).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Diverged);
    assert!(e.message.contains("the loss became"), "{}", e.message);
    assert_eq!(
        t.step(&mut huge, &inputs, &labels).unwrap_err().kind,
        ErrorKind::Diverged
    );
    assert_eq!(huge, before);
    assert_eq!(t.steps(), 0);
}
