//! A drawing prepared as MNIST prepared its digits: the ink's bounding box scaled to fit 20×20
//! keeping its aspect ratio (area-averaged, so anti-aliased), then placed in 28×28 with its
//! centre of mass in the middle.
//!
//! This is the page's former JavaScript, ported operation for operation: arithmetic in f64,
//! the resampled values kept as f32 (JavaScript's Float32Arrays), and JavaScript's rounding,
//! so that it gives the same bits.

use backprop_core::{Error, Result};

/// MNIST images are 28×28.
const SIDE: usize = 28;
/// The digit itself fits in 20×20.
const BOX: f64 = 20.0;
/// Alpha at or below this is not ink when finding the bounding box.
const INK_THRESHOLD: f64 = 0.02;

/// Prepares `ink` (alpha 0..1 of a `width × height` drawing, row-major) as a 28×28 network
/// input (784 values 0..1); `None` when nothing is drawn. Ink of the wrong length, or a value
/// outside 0..1, is an `Input` error.
pub fn prepare_drawing(ink: &[f32], width: usize, height: usize) -> Result<Option<Vec<f32>>> {
    if width.checked_mul(height) != Some(ink.len()) {
        return Err(Error::input(format!(
            "a drawing of {width} × {height} pixels needs {} ink values, got {}",
            width as f64 * height as f64,
            ink.len()
        )));
    }
    if let Some(bad) = ink.iter().position(|v| !(0.0..=1.0).contains(v)) {
        return Err(Error::input(format!(
            "ink value {bad} is {}; ink is alpha from 0 to 1",
            ink[bad]
        )));
    }
    let Some((left, top, w, h)) = bounding_box(ink, width) else {
        return Ok(None);
    };
    let scale = BOX / w.max(h) as f64;
    let tw = (js_round(w as f64 * scale) as usize).max(1);
    let th = (js_round(h as f64 * scale) as usize).max(1);

    // Area-average the bounding box to tw × th: rows first, then columns.
    let mut rows = vec![0.0f32; tw * h];
    for y in 0..h {
        let line = Line {
            start: (top + y) * width + left,
            step: 1,
            len: w,
        };
        let into = Line {
            start: y * tw,
            step: 1,
            len: tw,
        };
        resample(ink, line, &mut rows, into);
    }
    let mut box_ = vec![0.0f32; tw * th];
    for x in 0..tw {
        let line = Line {
            start: x,
            step: tw,
            len: h,
        };
        let into = Line {
            start: x,
            step: tw,
            len: th,
        };
        resample(&rows, line, &mut box_, into);
    }

    // Centre of mass of the box, moved to the middle of the 28×28 image.
    let (mut mass, mut mx, mut my) = (0.0f64, 0.0f64, 0.0f64);
    for (y, row) in box_.chunks_exact(tw).enumerate() {
        for (x, &v) in row.iter().enumerate() {
            let v = v as f64;
            mass += v;
            mx += v * (x as f64 + 0.5);
            my += v * (y as f64 + 0.5);
        }
    }
    let place = |centre: f64, size: usize| {
        js_round(SIDE as f64 / 2.0 - centre / mass).clamp(0.0, (SIDE - size) as f64) as usize
    };
    let (ox, oy) = (place(mx, tw), place(my, th));
    let mut out = vec![0.0f32; SIDE * SIDE];
    for (y, row) in box_.chunks_exact(tw).enumerate() {
        let start = (oy + y) * SIDE + ox;
        for (o, &v) in out[start..start + tw].iter_mut().zip(row) {
            *o = v.min(1.0);
        }
    }
    Ok(Some(out))
}

/// The smallest box holding every pixel with more than `INK_THRESHOLD` alpha, as (left, top,
/// width, height); `None` when there is no ink.
fn bounding_box(ink: &[f32], width: usize) -> Option<(usize, usize, usize, usize)> {
    let (mut left, mut right, mut top, mut bottom) = (usize::MAX, 0, usize::MAX, 0);
    for (y, row) in ink.chunks_exact(width.max(1)).enumerate() {
        for (x, &v) in row.iter().enumerate() {
            if v as f64 > INK_THRESHOLD {
                left = left.min(x);
                right = right.max(x);
                top = top.min(y);
                bottom = bottom.max(y);
            }
        }
    }
    (left != usize::MAX).then(|| (left, top, right - left + 1, bottom - top + 1))
}

/// `len` values of a buffer, `step` apart from `start`.
#[derive(Clone, Copy)]
struct Line {
    start: usize,
    step: usize,
    len: usize,
}

/// Area-weighted resampling of the values of `line` in `src` into those of `into` in `dst`.
fn resample(src: &[f32], line: Line, dst: &mut [f32], into: Line) {
    let (n, m) = (line.len, into.len);
    let ratio = n as f64 / m as f64;
    for j in 0..m {
        let from = j as f64 * ratio;
        let to = from + ratio;
        let mut sum = 0.0f64;
        for i in from.floor() as usize..n.min(to.ceil() as usize) {
            let overlap = to.min(i as f64 + 1.0) - from.max(i as f64);
            if overlap > 0.0 {
                sum += src[line.start + i * line.step] as f64 * overlap;
            }
        }
        dst[into.start + j * into.step] = (sum / ratio) as f32;
    }
}

/// JavaScript's `Math.round`: the nearest integer, halves rounded up (−2.5 to −2, where Rust's
/// `round` gives −3).
fn js_round(v: f64) -> f64 {
    let down = v.floor();
    if v - down >= 0.5 {
        down + 1.0
    } else {
        down
    }
}
