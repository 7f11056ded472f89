//! Data-parallel training through the JavaScript API, in Chromium and Firefox.
#![cfg(target_arch = "wasm32")]

use backprop_wasm::Network;
use js_sys::{Error, Float32Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const INPUTS: usize = 6;
const BATCH: usize = 8;
const OPTIONS: &str = r#"{"inputs": 6, "hidden": [5, 4], "outputs": 3, "seed": 9,
    "training": {"optimizer": "momentum", "learningRate": 0.2, "batchSize": 8}}"#;

fn network() -> Network {
    Network::new(js_sys::JSON::parse(OPTIONS).unwrap()).expect("valid options")
}

fn batch(step: usize) -> (Vec<f32>, Vec<u8>) {
    let inputs = (0..BATCH * INPUTS)
        .map(|i| (((i + step * 7) * 37 % 101) as f32 / 50.0) - 1.0)
        .collect();
    let labels = (0..BATCH).map(|i| ((i + step) % 3) as u8).collect();
    (inputs, labels)
}

fn parameters(net: &Network) -> Vec<f32> {
    (0..3)
        .flat_map(|l| {
            let mut p = net.weights(l).unwrap().to_vec();
            p.extend(net.biases(l).unwrap().to_vec());
            p
        })
        .collect()
}

fn error_name(result: Result<impl Sized, JsValue>) -> String {
    let e: Error = result.err().expect("must throw").dyn_into().unwrap();
    e.name().into()
}

#[wasm_bindgen_test]
fn half_batch_gradients_averaged_and_applied_match_train_step() {
    let mut whole = network();
    let mut replicas = [network(), network()];
    let count = whole.parameter_count() as usize;
    assert_eq!(count, 6 * 5 + 5 + 5 * 4 + 4 + 4 * 3 + 3);
    let half = BATCH / 2;
    for step in 0..10 {
        let (inputs, labels) = batch(step);
        let loss = whole.train_step(&inputs, &labels).unwrap();
        let shards = [
            Float32Array::new_with_length(count as u32),
            Float32Array::new_with_length(count as u32),
        ];
        let mut losses = [0.0; 2];
        for (k, (net, out)) in replicas.iter_mut().zip(&shards).enumerate() {
            let rows = k * half..(k + 1) * half;
            losses[k] = net
                .batch_gradient(
                    &inputs[rows.start * INPUTS..rows.end * INPUTS],
                    &labels[rows],
                    out,
                )
                .unwrap();
        }
        assert!(((losses[0] + losses[1]) / 2.0 - loss).abs() < 1e-5);
        let both = [shards[0].to_vec(), shards[1].to_vec()].concat();
        for net in &mut replicas {
            net.apply_mean_gradient(&both, &[0.5, 0.5]).unwrap();
        }
    }
    let expected = parameters(&whole);
    let [a, b] = &replicas;
    assert_eq!(
        parameters(a),
        parameters(b),
        "the replicas are bit-identical"
    );
    assert_eq!(a.steps(), 10);
    for (x, e) in parameters(a).iter().zip(&expected) {
        assert!((x - e).abs() < 1e-5 * (1.0 + e.abs()), "{x} vs {e}");
    }
}

#[wasm_bindgen_test]
fn wrong_sizes_and_non_finite_gradients_throw_and_change_nothing() {
    let mut net = network();
    let before = parameters(&net);
    let count = net.parameter_count() as usize;
    let (inputs, labels) = batch(0);
    let short = vec![0.0; count - 1];
    let short_out = Float32Array::new_with_length(count as u32 - 1);
    assert_eq!(
        error_name(net.batch_gradient(&inputs, &labels, &short_out)),
        "InputError"
    );
    assert_eq!(
        error_name(net.apply_mean_gradient(&short, &[1.0])),
        "InputError"
    );
    let mut gradient = vec![0.0; count];
    gradient[3] = f32::INFINITY;
    assert_eq!(
        error_name(net.apply_mean_gradient(&gradient, &[1.0])),
        "DivergedError"
    );
    assert_eq!(parameters(&net), before);
    assert_eq!(net.steps(), 0);
}
