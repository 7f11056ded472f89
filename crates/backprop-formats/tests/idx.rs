//! The IDX reader accepts MNIST-format files, raw or gzip, and refuses anything malformed.

mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use std::io::Write;

use backprop_core::ErrorKind;
use backprop_formats::{parse_idx, read_dataset, MAX_IDX_BYTES};
use common::{gzip, idx_bytes};

fn images(n: u32) -> Vec<u8> {
    idx_bytes(&[n, 2, 3], &(0..n * 6).map(|v| v as u8).collect::<Vec<_>>())
}

fn labels(values: &[u8]) -> Vec<u8> {
    idx_bytes(&[values.len() as u32], values)
}

fn dataset_error(images: &[u8], labels: &[u8]) -> String {
    let err = read_dataset(images, labels).expect_err("must be refused");
    assert_eq!(err.kind, ErrorKind::Dataset, "{err}");
    err.message
}

#[test]
fn reads_raw_and_gzip_files_alike() {
    let raw = read_dataset(&images(3), &labels(&[1, 0, 2])).unwrap();
    let zipped = read_dataset(&gzip(&images(3)), &gzip(&labels(&[1, 0, 2]))).unwrap();
    assert_eq!(raw, zipped);
    assert_eq!(raw.len(), 3);
    assert_eq!(
        (raw.rows(), raw.cols(), raw.input_size(), raw.class_count()),
        (2, 3, 6, 3)
    );
    assert_eq!(raw.image(1), &[6, 7, 8, 9, 10, 11]);
    assert_eq!(raw.input(0)[5], 5.0 / 255.0);
}

#[test]
fn refuses_malformed_files_with_specific_messages() {
    let good_labels = labels(&[0, 1]);
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (vec![], "not an IDX file"),
        (vec![1, 2, 3, 4, 5], "not an IDX file"),
        (
            vec![0, 0, 0x0d, 3, 0, 0, 0, 2],
            "unsupported IDX data type 0x0d",
        ),
        (vec![0, 0, 8, 0], "1 to 4 dimensions"),
        (vec![0, 0, 8, 3, 0, 0, 0, 2, 0, 0], "ends inside its header"),
        (images(2)[..20].to_vec(), "truncated"),
        ([images(2), vec![0]].concat(), "1 bytes after the data"),
        (idx_bytes(&[2, 6], &[0; 12]), "must have 3 dimensions"),
        (idx_bytes(&[u32::MAX, u32::MAX, u32::MAX], &[]), "too large"),
        (idx_bytes(&[2, 100, 100], &[0; 20000]), "not supported"),
        (gzip(&images(2))[..10].to_vec(), "gzip data is corrupt"),
    ];
    for (bytes, expected) in cases {
        let message = dataset_error(&bytes, &good_labels);
        assert!(
            message.starts_with("image file") || expected == "not supported",
            "{message}"
        );
        assert!(
            message.contains(expected),
            "expected {expected:?} in {message:?}"
        );
    }
    assert!(dataset_error(&images(3), &good_labels).contains("2 labels need 2 images"));
    assert!(
        dataset_error(&images(2), &images(2)).starts_with("label file: it must have 1 dimension")
    );
}

#[test]
fn refuses_a_gzip_bomb_without_inflating_it_all() {
    // 1 MB of zeros per 1 KB of gzip: a header claiming a huge file, then far more data than the cap.
    let header = idx_bytes(&[1], &[]);
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(&header).unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..(MAX_IDX_BYTES >> 20) + 2 {
        encoder.write_all(&zeros).unwrap();
    }
    let bomb = encoder.finish().unwrap();
    assert!(
        bomb.len() < 1 << 20,
        "the bomb itself is small ({} bytes)",
        bomb.len()
    );
    let err = parse_idx(&bomb).expect_err("must be refused");
    assert!(
        err.message.contains("decompresses to more than 200 MB"),
        "{err}"
    );
}
