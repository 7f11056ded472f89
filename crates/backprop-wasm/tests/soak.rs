//! Long runs in the browser: training stays finite and wasm memory stops growing after the
//! first epoch; creating and freeing networks does not leak.
#![cfg(target_arch = "wasm32")]

use backprop_core::Rng;
use backprop_wasm::{Dataset, Network};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn memory_bytes() -> u32 {
    wasm_bindgen::memory()
        .unchecked_into::<js_sys::WebAssembly::Memory>()
        .buffer()
        .unchecked_into::<js_sys::ArrayBuffer>()
        .byte_length()
}

fn options(text: &str) -> wasm_bindgen::JsValue {
    js_sys::JSON::parse(text).unwrap()
}

/// 600 random 28×28 "digits": noise plus a class-dependent bright row, so there is something
/// to learn.
fn synthetic_idx() -> (Vec<u8>, Vec<u8>) {
    const N: u32 = 600;
    let mut rng = Rng::new(11);
    let mut images = vec![0, 0, 8, 3];
    for d in [N, 28, 28] {
        images.extend_from_slice(&d.to_be_bytes());
    }
    let mut labels = vec![0, 0, 8, 1];
    labels.extend_from_slice(&N.to_be_bytes());
    for _ in 0..N {
        let label = rng.below(10);
        labels.push(label as u8);
        for row in 0..28 {
            for _ in 0..28 {
                let ink = if row == 2 + 2 * label {
                    255
                } else {
                    rng.below(60)
                };
                images.push(ink as u8);
            }
        }
    }
    (images, labels)
}

#[wasm_bindgen_test]
fn fifty_epochs_stay_finite_with_flat_memory() {
    let (images, labels) = synthetic_idx();
    let mut data = Dataset::from_idx(&images, &labels, 3).unwrap();
    let mut net = Network::new(options(
        r#"{"hidden": [32, 16], "seed": 4, "training": {"optimizer": "adam", "learningRate": 0.003, "batchSize": 32}}"#,
    ))
    .unwrap();
    let batches_per_epoch = data.length().div_ceil(32) as u32;
    net.train_batches(&mut data, batches_per_epoch).unwrap();
    net.evaluate(&data).unwrap();
    let after_first_epoch = memory_bytes();
    let mut last_loss = f32::NAN;
    while data.epoch() < 50 {
        last_loss = net.train_batches(&mut data, batches_per_epoch).unwrap();
        assert!(
            last_loss.is_finite(),
            "loss {last_loss} at epoch {}",
            data.epoch()
        );
        net.evaluate(&data).unwrap();
    }
    assert!(net.is_finite());
    assert!(
        last_loss < 0.5,
        "the synthetic task was not learned: loss {last_loss}"
    );
    assert_eq!(
        memory_bytes(),
        after_first_epoch,
        "wasm memory grew after the first epoch"
    );
}

#[wasm_bindgen_test]
fn ten_thousand_networks_created_and_freed_leave_memory_flat() {
    let make = || Network::new(options(r#"{"hidden": [16, 16], "seed": 1}"#)).unwrap();
    for _ in 0..100 {
        drop(make());
    }
    let before = memory_bytes();
    for _ in 0..10_000 {
        let net = make();
        assert_eq!(net.sizes().length(), 4);
        drop(net); // what the generated `free()` does when JS calls it
    }
    assert_eq!(
        memory_bytes(),
        before,
        "creating and freeing networks leaked memory"
    );
}
