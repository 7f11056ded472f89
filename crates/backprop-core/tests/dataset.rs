//! Datasets in memory: parts of one, taken as datasets of their own.

mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use backprop_core::{Dataset, ErrorKind};

/// 10 images of 2×3 pixels, example k all pixels k·10 + position, label k % 4.
fn data() -> Dataset {
    let pixels = (0..10u8)
        .flat_map(|k| (0..6).map(move |p| k * 10 + p))
        .collect();
    let labels = (0..10).map(|k| k % 4).collect();
    Dataset::new(2, 3, pixels, labels).unwrap()
}

#[test]
fn a_slice_holds_exactly_those_examples() {
    let data = data();
    let part = data.slice(3, 7).unwrap();
    assert_eq!((part.len(), part.rows(), part.cols()), (4, 2, 3));
    for i in 0..4 {
        assert_eq!(part.image(i), data.image(3 + i));
        assert_eq!(part.input(i), data.input(3 + i));
    }
    assert_eq!(part.labels(), &data.labels()[3..7]);
    assert_eq!(part.pixels(), &data.pixels()[18..42]);
    assert_eq!(part.class_count(), 4);
    // Each part counts its own classes: one more than its largest label.
    assert_eq!(data.slice(6, 8).unwrap().class_count(), 4);
    assert_eq!(data.slice(8, 10).unwrap().class_count(), 2);
    assert_eq!(data.slice(0, 10).unwrap(), data);
}

#[test]
fn an_empty_or_out_of_range_slice_is_refused() {
    let data = data();
    for (start, end) in [(3, 3), (5, 2), (0, 11), (10, 12)] {
        let e = data.slice(start, end).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Input);
        assert_eq!(
            e.message,
            format!("cannot take examples {start} to {end} of a dataset of 10: a part needs start < end ≤ 10")
        );
    }
}
