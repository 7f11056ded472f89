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

#[test]
fn an_order_rebuilt_from_its_parts_goes_on_the_same() {
    let mut order = BatchOrder::new(10, 5);
    order.next_batch(13);
    order.next_batch(4);
    let mut rebuilt = BatchOrder::from_parts(
        order.indices().to_vec(),
        backprop_core::Rng::new(order.rng().state()),
        order.position(),
        order.epoch(),
    )
    .unwrap();
    assert_eq!(rebuilt, order);
    for _ in 0..7 {
        assert_eq!(rebuilt.next_batch(3), order.next_batch(3));
    }
    assert_eq!((rebuilt.epoch(), rebuilt.len()), (order.epoch(), 10));
}

#[test]
fn parts_that_are_no_order_are_refused() {
    let rng = || backprop_core::Rng::new(1);
    for (indices, position, expected) in [
        (
            vec![0, 2, 2],
            0,
            "a batch order of 3 examples must hold each of 0 to 2 once; 2 is out of place",
        ),
        (
            vec![0, 3, 1],
            0,
            "a batch order of 3 examples must hold each of 0 to 2 once; 3 is out of place",
        ),
        (
            vec![2, 0, 1],
            3,
            "a batch order of 3 examples cannot be at example 3 of an epoch",
        ),
        (
            vec![],
            0,
            "a batch order of 0 examples cannot be at example 0 of an epoch",
        ),
    ] {
        let e = BatchOrder::from_parts(indices, rng(), position, 0).unwrap_err();
        assert_eq!(e.message, expected);
    }
}
