//! Preparing a drawing as MNIST did: bit for bit what the page's JavaScript made of the same
//! drawings before it moved into Rust (tests/data/drawings.json: canvas strokes rendered by
//! Chromium, and a few made by hand), and what MNIST's preparation promises.

mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use backprop_core::ErrorKind;
use backprop_formats::prepare_drawing;
use serde::Deserialize;

#[derive(Deserialize)]
struct Fixture {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    width: usize,
    height: usize,
    /// Runs of non-zero alpha bytes: (start, hex).
    ink: Vec<(usize, String)>,
    /// 784 f32 little-endian, as hex; null for no ink.
    expected: Option<String>,
}

fn bytes(hex: &str) -> Vec<u8> {
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}

impl Case {
    /// The ink as the page reads it from the canvas: alpha byte / 255, stored as f32.
    fn ink(&self) -> Vec<f32> {
        let mut ink = vec![0.0; self.width * self.height];
        for (start, hex) in &self.ink {
            for (i, a) in bytes(hex).into_iter().enumerate() {
                ink[start + i] = (a as f64 / 255.0) as f32;
            }
        }
        ink
    }

    fn expected(&self) -> Option<Vec<u32>> {
        let b = bytes(self.expected.as_deref()?);
        Some(
            b.chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect(),
        )
    }
}

fn cases() -> Vec<Case> {
    let text = include_str!("data/drawings.json");
    serde_json::from_str::<Fixture>(text).unwrap().cases
}

#[test]
fn drawings_come_out_bit_for_bit_as_the_page_s_javascript_made_them() {
    let cases = cases();
    assert!(cases.len() >= 10);
    for case in cases {
        let got = prepare_drawing(&case.ink(), case.width, case.height).unwrap();
        let got = got.map(|v| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>());
        assert_eq!(got, case.expected(), "{}", case.name);
    }
}

/// Centre of mass (x, y) and the rows and columns that hold ink, of a 28×28 input.
fn shape(input: &[f32]) -> ((f64, f64), usize, usize) {
    let (mut mass, mut mx, mut my) = (0.0, 0.0, 0.0);
    let (mut rows, mut cols) = ([false; 28], [false; 28]);
    for (i, &v) in input.iter().enumerate() {
        let (x, y) = (i % 28, i / 28);
        mass += v as f64;
        mx += v as f64 * (x as f64 + 0.5);
        my += v as f64 * (y as f64 + 0.5);
        rows[y] |= v > 0.0;
        cols[x] |= v > 0.0;
    }
    let count = |used: [bool; 28]| used.iter().filter(|&&u| u).count();
    ((mx / mass, my / mass), count(rows), count(cols))
}

#[test]
fn the_ink_is_fitted_into_20_pixels_and_centred_by_its_mass() {
    // A tall stroke anywhere on the pad: 20 pixels high, narrower, centred within a pixel.
    let (width, height) = (120, 90);
    let mut ink = vec![0.0; width * height];
    for y in 10..70 {
        for x in 80..95 {
            ink[y * width + x] = if x < 84 { 1.0 } else { 0.25 };
        }
    }
    let input = prepare_drawing(&ink, width, height).unwrap().unwrap();
    assert_eq!(input.len(), 784);
    let ((cx, cy), rows, cols) = shape(&input);
    assert_eq!(rows, 20);
    assert_eq!(cols, 5);
    assert!(
        (cx - 14.0).abs() <= 0.5 && (cy - 14.0).abs() <= 0.5,
        "{cx}, {cy}"
    );
    assert!(input.iter().all(|v| (0.0..=1.0).contains(v)));
}

#[test]
fn an_empty_pad_gives_nothing_and_bad_ink_is_refused() {
    assert_eq!(prepare_drawing(&[0.0; 12], 4, 3).unwrap(), None);
    assert_eq!(prepare_drawing(&[0.02; 12], 4, 3).unwrap(), None);
    assert_eq!(prepare_drawing(&[], 0, 0).unwrap(), None);
    for (ink, width, height, expected) in [
        (
            vec![0.0; 11],
            4,
            3,
            "a drawing of 4 × 3 pixels needs 12 ink values, got 11",
        ),
        (
            vec![0.5, f32::NAN],
            2,
            1,
            "ink value 1 is NaN; ink is alpha from 0 to 1",
        ),
        (
            vec![1.5],
            1,
            1,
            "ink value 0 is 1.5; ink is alpha from 0 to 1",
        ),
        (
            vec![-0.1],
            1,
            1,
            "ink value 0 is -0.1; ink is alpha from 0 to 1",
        ),
        (
            vec![],
            u32::MAX as usize,
            2,
            "a drawing of 4294967295 × 2 pixels needs 8589934590 ink values, got 0",
        ),
    ] {
        let e = prepare_drawing(&ink, width, height).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Input);
        assert_eq!(e.message, expected);
    }
}
