//! Helpers shared by the core's tests, which run natively and (through wasm-bindgen-test) in
//! Chromium and Firefox.
#![allow(dead_code)] // each test file uses a different part of this module

use backprop_core::{Activation, Layer, Loss, Network, NetworkConfig};

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// 16-8-6-4 leaky ReLU from seed 7: with momentum at learning rate 3 it diverges within a few
/// epochs of random 4×4 images in batches of 5 to 8.
pub fn leaky_network() -> Network {
    Network::new(NetworkConfig {
        inputs: 16,
        hidden: vec![8, 6],
        outputs: 4,
        activation: Activation::LeakyRelu,
        seed: 7,
        ..NetworkConfig::default()
    })
    .unwrap()
}

/// FNV-1a over the bit patterns of every weight and bias: equal only when bit-identical.
pub fn weight_checksum(network: &Network) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    for layer in network.layers() {
        for v in layer.weights.iter().chain(&layer.biases) {
            for byte in v.to_bits().to_le_bytes() {
                hash ^= byte as u64;
                hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
    }
    hash
}

/// A layer's parameters in f64, for the reference below.
#[derive(Clone)]
pub struct ReferenceLayer {
    inputs: usize,
    outputs: usize,
    /// Weights then biases.
    params: Vec<f64>,
}

impl ReferenceLayer {
    fn from(layer: &Layer) -> Self {
        let params = layer
            .weights
            .iter()
            .chain(&layer.biases)
            .map(|&v| v as f64)
            .collect();
        ReferenceLayer {
            inputs: layer.inputs,
            outputs: layer.outputs,
            params,
        }
    }
    fn weight(&self, o: usize, i: usize) -> f64 {
        self.params[o * self.inputs + i]
    }
    fn bias(&self, o: usize) -> f64 {
        self.params[self.inputs * self.outputs + o]
    }
}

/// An independent f64 reference of the forward pass and loss, written directly from the
/// textbook formulas, for finite-difference checks of the core's f32 backpropagation.
/// Returns the mean loss over the batch and, per hidden neuron, which side of zero its weighted
/// sum fell on (a finite difference across a ReLU kink is not a derivative).
pub fn reference_loss(
    layers: &[ReferenceLayer],
    activation: Activation,
    loss: Loss,
    inputs: &[f32],
    labels: &[u8],
) -> (f64, Vec<bool>) {
    let mut total = 0.0;
    let mut sides = Vec::new();
    for (x, &label) in inputs.chunks(layers[0].inputs).zip(labels) {
        let mut a: Vec<f64> = x.iter().map(|&v| v as f64).collect();
        for (l, layer) in layers.iter().enumerate() {
            let z: Vec<f64> = (0..layer.outputs)
                .map(|o| {
                    layer.bias(o)
                        + (0..layer.inputs)
                            .map(|i| layer.weight(o, i) * a[i])
                            .sum::<f64>()
                })
                .collect();
            if l + 1 < layers.len() {
                sides.extend(z.iter().map(|&z| z > 0.0));
                a = z
                    .iter()
                    .map(|&z| match activation {
                        Activation::Sigmoid => 1.0 / (1.0 + (-z).exp()),
                        Activation::Tanh => z.tanh(),
                        Activation::Relu => z.max(0.0),
                        Activation::LeakyRelu => {
                            if z > 0.0 {
                                z
                            } else {
                                0.01 * z
                            }
                        }
                    })
                    .collect();
            } else {
                let y = label as usize;
                total += match loss {
                    Loss::SoftmaxCrossEntropy => {
                        let max = z.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                        let sum: f64 = z.iter().map(|&v| (v - max).exp()).sum();
                        sum.ln() - (z[y] - max)
                    }
                    Loss::SigmoidSquaredError => z
                        .iter()
                        .enumerate()
                        .map(|(i, &v)| {
                            let t = if i == y { 1.0 } else { 0.0 };
                            0.5 * (1.0 / (1.0 + (-v).exp()) - t).powi(2)
                        })
                        .sum(),
                };
            }
        }
    }
    (total / labels.len() as f64, sides)
}

/// Checks every weight and bias gradient of `network` on a batch against central finite
/// differences (step 1e-4) of the f64 reference. Tolerance: |analytic − numeric| ≤
/// 1e-4 + 1e-3·|numeric|, allowing for the analytic side's f32 arithmetic. Parameters whose
/// step crosses a ReLU kink are skipped. Returns how many parameters were checked.
pub fn check_gradient(network: &Network, inputs: &[f32], labels: &[u8]) -> usize {
    const H: f64 = 1e-4;
    let config = network.config();
    let gradient = network.gradient_batch(inputs, labels).expect("valid batch");
    let base: Vec<ReferenceLayer> = network.layers().iter().map(ReferenceLayer::from).collect();
    let mut checked = 0;
    for (l, layer) in network.layers().iter().enumerate() {
        let analytic = gradient.weights[l].iter().chain(&gradient.biases[l]);
        for (k, &analytic) in analytic.enumerate() {
            let eval = |step: f64| {
                let mut moved = base.clone();
                moved[l].params[k] += step;
                reference_loss(&moved, config.activation, config.loss, inputs, labels)
            };
            let ((plus, sides_plus), (minus, sides_minus)) = (eval(H), eval(-H));
            if sides_plus != sides_minus {
                continue;
            }
            let numeric = (plus - minus) / (2.0 * H);
            let analytic = analytic as f64;
            assert!(
                (analytic - numeric).abs() <= 1e-4 + 1e-3 * numeric.abs(),
                "layer {l} parameter {k} of {}: analytic {analytic} vs numeric {numeric}\n{config:?}",
                layer.weights.len() + layer.biases.len()
            );
            checked += 1;
        }
    }
    checked
}
