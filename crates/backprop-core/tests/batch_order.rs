//! The batch order: every example once per epoch, reshuffled each epoch from its seed.

mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use backprop_core::BatchOrder;

#[test]
fn batch_order_covers_every_example_once_per_epoch() {
    let mut order = BatchOrder::new(10, 5);
    let mut seen = Vec::new();
    while order.epoch() < 1 {
        seen.extend(order.next_batch(3));
    }
    seen.sort_unstable();
    assert_eq!(seen, (0..10).collect::<Vec<u32>>());
    let second = order.next_batch(10);
    assert_eq!(order.epoch(), 2);
    let mut fresh = BatchOrder::new(10, 5);
    assert_ne!(
        fresh.next_batch(10),
        second.as_slice(),
        "each epoch is reshuffled"
    );
}
