//! The three dense matrix products a fully connected layer needs, over a whole mini-batch.
//!
//! Layouts are row-major: activations and error signals are `batch × width`, weights are
//! `outputs × inputs` (row o holds the weights into neuron o).
//!
//! Each product is cut into register blocks: a small grid of four-lane accumulators that stays
//! in registers while the shared dimension streams past, so every value loaded from memory
//! feeds several multiply-adds. Any sizes work; edges fall back to narrower blocks and, for
//! widths that are not a multiple of four, scalar code. Every kernel overwrites its output, so
//! no pass is spent clearing it first.
//!
//! Every output value is one sum whose terms are added in one fixed order, whatever the block
//! it falls in: how a product is cut into blocks, tiles or threads changes its speed, never a
//! bit of its result.

use crate::simd::{lanes_mut, F4};

/// Rows of a register block: examples in `affine`, output rows in the outer-product kernel.
const ROWS: usize = 4;

/// Up to this many outer products (a batch of one or two examples) are summed row by row,
/// skipping zero coefficients: memory-bound, and ReLU's error signals are about half zeros.
const SPARSE_DEPTH: usize = 2;

/// `affine` takes the outputs in tiles of about this many bytes of weights, small enough to
/// stay in a core's L2 cache while every block of examples passes them.
const TILE_BYTES: usize = 128 * 1024;

/// Columns of the outer-product kernel's register block (two four-lane vectors).
const PANEL: usize = 8;

/// z[n][o] = b[o] + Σ_i w[o][i] · a[n][i]
pub fn affine(a: &[f32], w: &[f32], b: &[f32], inputs: usize, z: &mut [f32]) {
    let outputs = b.len();
    let batch = a.len() / inputs;
    let dots = Dots {
        a,
        w,
        b,
        inputs,
        outputs,
    };
    // An even number of outputs per tile, so that only the last tile has an odd one left.
    let tile = ((TILE_BYTES / (4 * inputs)) & !1).max(2);
    let mut start = 0;
    while start < outputs {
        let end = (start + tile).min(outputs);
        let mut n = 0;
        while n + ROWS <= batch {
            let mut o = start;
            while o + 2 <= end {
                dots.block::<ROWS, 2>(n, o, z);
                o += 2;
            }
            if o < end {
                dots.block::<ROWS, 1>(n, o, z);
            }
            n += ROWS;
        }
        // Left-over examples (all of them for a single image): one row of `a` against four of `w`.
        for n in n..batch {
            let mut o = start;
            while o + 4 <= end {
                dots.block::<1, 4>(n, o, z);
                o += 4;
            }
            for o in o..end {
                dots.block::<1, 1>(n, o, z);
            }
        }
        start = end;
    }
}

/// dw[o][i] = scale · Σ_n δ[n][o] · a[n][i]  and  db[o] = scale · Σ_n δ[n][o]
/// `scratch` holds packed copies of the operands between calls (no allocation once warm).
pub fn weight_gradient(
    delta: &[f32],
    a: &[f32],
    inputs: usize,
    scale: f32,
    dw: &mut [f32],
    db: &mut [f32],
    scratch: &mut Vec<f32>,
) {
    let outputs = db.len();
    db.fill(0.0);
    for d_row in delta.chunks_exact(outputs) {
        for (db_o, &d) in db.iter_mut().zip(d_row) {
            *db_o += d;
        }
    }
    for db_o in db.iter_mut() {
        *db_o *= scale;
    }
    Outer {
        p: delta,
        depth_stride: outputs,
        row_stride: 1,
        rows: outputs,
        depth: delta.len() / outputs,
        q: a,
        width: inputs,
        scale,
    }
    .write(dw, scratch);
}

/// g[n][i] = Σ_o δ[n][o] · w[o][i]: how the loss changes with each input activation.
/// `scratch` holds packed copies of the operands between calls (no allocation once warm).
pub fn backpropagate(
    delta: &[f32],
    w: &[f32],
    inputs: usize,
    g: &mut [f32],
    scratch: &mut Vec<f32>,
) {
    let outputs = w.len() / inputs;
    Outer {
        p: delta,
        depth_stride: 1,
        row_stride: outputs,
        rows: delta.len() / outputs,
        depth: outputs,
        q: w,
        width: inputs,
        scale: 1.0,
    }
    .write(g, scratch);
}

/// The forward product z = a·wᵀ + b as dot products of rows.
struct Dots<'a> {
    a: &'a [f32],
    w: &'a [f32],
    b: &'a [f32],
    inputs: usize,
    outputs: usize,
}

impl Dots<'_> {
    /// z[n + r][o + c] for r < R, c < C: R rows of `a` against C rows of `w`.
    #[inline(always)]
    fn block<const R: usize, const C: usize>(&self, n: usize, o: usize, z: &mut [f32]) {
        let inputs = self.inputs;
        let quads = inputs / 4;
        let a: [&[f32]; R] = std::array::from_fn(|r| &self.a[(n + r) * inputs..][..inputs]);
        let w: [&[f32]; C] = std::array::from_fn(|c| &self.w[(o + c) * inputs..][..inputs]);
        // Rows as four-lane chunks, cut to one known length so the loop needs no bounds checks.
        let a4: [&[[f32; 4]]; R] = std::array::from_fn(|r| &a[r].as_chunks::<4>().0[..quads]);
        let w4: [&[[f32; 4]]; C] = std::array::from_fn(|c| &w[c].as_chunks::<4>().0[..quads]);
        let mut acc = [[F4::splat(0.0); C]; R];
        for k in 0..quads {
            let wv: [F4; C] = std::array::from_fn(|c| F4::load(&w4[c][k]));
            for (acc_r, a_r) in acc.iter_mut().zip(&a4) {
                let av = F4::load(&a_r[k]);
                for (acc_rc, &wv_c) in acc_r.iter_mut().zip(&wv) {
                    *acc_rc = acc_rc.mul_add(av, wv_c);
                }
            }
        }
        for (r, acc_r) in acc.iter().enumerate() {
            for (c, acc_rc) in acc_r.iter().enumerate() {
                let tail: f32 = (quads * 4..inputs).map(|i| a[r][i] * w[c][i]).sum();
                z[(n + r) * self.outputs + o + c] = self.b[o + c] + (acc_rc.sum() + tail);
            }
        }
    }
}

/// c[r][j] = scale · Σ_k p(k, r) · q[k][j], with p(k, r) = p[k·depth_stride + r·row_stride],
/// q `depth × width` and c `rows × width`: a sum of outer products, the shape of both the
/// weight gradient (k = example, p = δ) and backpropagation (k = output neuron, p = δᵀ).
struct Outer<'a> {
    p: &'a [f32],
    depth_stride: usize,
    row_stride: usize,
    rows: usize,
    depth: usize,
    q: &'a [f32],
    width: usize,
    scale: f32,
}

impl Outer<'_> {
    #[inline(always)]
    fn p(&self, k: usize, r: usize) -> f32 {
        self.p[k * self.depth_stride + r * self.row_stride]
    }

    /// Packs p into `scratch` in blocks of rows (four, then two, then one), each block `depth ×
    /// R` so that the kernel reads it from neighbouring memory, then takes the columns of q in
    /// panels, each packed `depth × 8` behind p: both stay in cache whatever the widths (rows
    /// a power of two apart would otherwise fall into the same few cache sets).
    fn write(&self, c: &mut [f32], scratch: &mut Vec<f32>) {
        debug_assert!(self.depth > 0, "callers check that a batch is not empty");
        if self.depth <= SPARSE_DEPTH {
            self.sparse(c);
            return;
        }
        let depth = self.depth;
        scratch.clear();
        for (r, size) in self.row_blocks() {
            for k in 0..depth {
                scratch.extend((r..r + size).map(|i| self.p(k, i)));
            }
        }
        let packed = scratch.len();
        let mut j = 0;
        while j + PANEL <= self.width {
            self.panel::<2>(j, c, scratch, packed);
            j += PANEL;
        }
        if j + 4 <= self.width {
            self.panel::<1>(j, c, scratch, packed);
            j += 4;
        }
        for j in j..self.width {
            for r in 0..self.rows {
                let s: f32 = (0..depth)
                    .map(|k| self.p(k, r) * self.q[k * self.width + j])
                    .sum();
                c[r * self.width + j] = self.scale * s;
            }
        }
    }

    /// The blocks of rows: (first row, rows in the block).
    fn row_blocks(&self) -> impl Iterator<Item = (usize, usize)> {
        let full = self.rows / ROWS * ROWS;
        let rest = self.rows - full;
        let pair = (rest >= 2).then_some((full, 2));
        let single = (rest % 2 == 1).then_some((self.rows - 1, 1));
        (0..full)
            .step_by(ROWS)
            .map(|r| (r, ROWS))
            .chain(pair)
            .chain(single)
    }

    /// Columns j..j + 4V of every row of `c`: that panel of q is packed behind p in `scratch`.
    fn panel<const V: usize>(
        &self,
        j: usize,
        c: &mut [f32],
        scratch: &mut Vec<f32>,
        packed: usize,
    ) {
        let depth = self.depth;
        scratch.truncate(packed);
        for q_row in self.q.chunks_exact(self.width) {
            scratch.extend_from_slice(&q_row[j..j + 4 * V]);
        }
        let (p, q) = scratch.split_at(packed);
        let q: &[[[f32; 4]; V]] = &q.as_chunks::<4>().0.as_chunks::<V>().0[..depth];
        for (r, size) in self.row_blocks() {
            let p = &p[r * depth..][..size * depth];
            let at = r * self.width + j;
            match size {
                ROWS => micro::<ROWS, V>(p, q, self.scale, c, at, self.width),
                2 => micro::<2, V>(p, q, self.scale, c, at, self.width),
                _ => micro::<1, V>(p, q, self.scale, c, at, self.width),
            }
        }
    }

    /// c[r] = Σ_k (scale · p(k, r)) · q[k], skipping zero p(k, r): the first product writes
    /// each row (zeros where p is zero), later ones add to it.
    fn sparse(&self, c: &mut [f32]) {
        let quads = self.width / 4;
        for (k, q_row) in self.q.chunks_exact(self.width).enumerate() {
            let q4 = &q_row.as_chunks::<4>().0[..quads];
            for (r, c_row) in c.chunks_exact_mut(self.width).enumerate() {
                let s = self.scale * self.p(k, r);
                if s == 0.0 {
                    if k == 0 {
                        c_row.fill(0.0);
                    }
                    continue;
                }
                let sv = F4::splat(s);
                let (c4, c_tail) = c_row.as_chunks_mut::<4>();
                let tail = c_tail.iter_mut().zip(&q_row[quads * 4..]);
                if k == 0 {
                    for (c_v, q_v) in c4[..quads].iter_mut().zip(q4) {
                        sv.mul(F4::load(q_v)).store(c_v);
                    }
                    tail.for_each(|(c_j, &q_j)| *c_j = s * q_j);
                } else {
                    for (c_v, q_v) in c4[..quads].iter_mut().zip(q4) {
                        F4::load(c_v).add(sv.mul(F4::load(q_v))).store(c_v);
                    }
                    tail.for_each(|(c_j, &q_j)| *c_j += s * q_j);
                }
            }
        }
    }
}

/// c[at + i·stride + 4v..][..4] = scale · Σ_k p[k][i] · q[k][v] for i < R, v < V: R × V
/// four-lane accumulators over packed p (`depth × R`) and a packed panel of q.
#[inline(always)]
fn micro<const R: usize, const V: usize>(
    p: &[f32],
    q: &[[[f32; 4]; V]],
    scale: f32,
    c: &mut [f32],
    at: usize,
    stride: usize,
) {
    let p: &[[f32; R]] = &p.as_chunks::<R>().0[..q.len()];
    let mut acc = [[F4::splat(0.0); V]; R];
    for (p_k, q_k) in p.iter().zip(q) {
        let qv: [F4; V] = std::array::from_fn(|v| F4::load(&q_k[v]));
        for (acc_i, p_i) in acc.iter_mut().zip(p_k) {
            let pv = F4::load_splat(p_i);
            for (acc_iv, &q_v) in acc_i.iter_mut().zip(&qv) {
                *acc_iv = acc_iv.mul_add(pv, q_v);
            }
        }
    }
    let scale = F4::splat(scale);
    for (i, acc_i) in acc.iter().enumerate() {
        for (v, acc_iv) in acc_i.iter().enumerate() {
            acc_iv
                .mul(scale)
                .store(lanes_mut(c, at + i * stride + 4 * v));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    // In the browsers too (wasm-pack test): there the kernels run on WebAssembly SIMD.
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;
    #[cfg(target_arch = "wasm32")]
    wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

    fn random(rng: &mut Rng, len: usize, zeros: bool) -> Vec<f32> {
        // With `zeros`, about a third are exactly zero, like ReLU error signals.
        (0..len)
            .map(|_| {
                let x = rng.symmetric(1.0);
                if zeros && x < -0.33 {
                    0.0
                } else {
                    x
                }
            })
            .collect()
    }

    fn close(got: &[f32], want: &[f32], what: &str) {
        for (k, (g, w)) in got.iter().zip(want).enumerate() {
            assert!(
                (g - w).abs() <= 1e-5 * (1.0 + w.abs()),
                "{what}[{k}]: {g} vs {w}"
            );
        }
    }

    /// Every block shape and edge (rows and columns not multiples of the blocks, the sparse
    /// path for one or two examples) against the textbook triple loops.
    #[test]
    fn blocked_kernels_match_plain_loops() {
        let mut rng = Rng::new(3);
        for batch in [1, 2, 3, 4, 5, 9] {
            for inputs in [1, 3, 4, 7, 8, 12, 17] {
                for outputs in [1, 2, 3, 5, 10] {
                    let a = random(&mut rng, batch * inputs, false);
                    let w = random(&mut rng, outputs * inputs, false);
                    let b = random(&mut rng, outputs, false);
                    let delta = random(&mut rng, batch * outputs, true);

                    let mut z = vec![f32::NAN; batch * outputs];
                    affine(&a, &w, &b, inputs, &mut z);
                    let mut want = b.repeat(batch);
                    let mut dw_want = vec![0.0; outputs * inputs];
                    let mut db_want = vec![0.0; outputs];
                    let mut g_want = vec![0.0; batch * inputs];
                    for n in 0..batch {
                        for o in 0..outputs {
                            db_want[o] += 0.5 * delta[n * outputs + o];
                            for i in 0..inputs {
                                let (no, oi) = (n * outputs + o, o * inputs + i);
                                want[no] += a[n * inputs + i] * w[oi];
                                dw_want[oi] += 0.5 * delta[no] * a[n * inputs + i];
                                g_want[n * inputs + i] += delta[no] * w[oi];
                            }
                        }
                    }
                    close(&z, &want, "z");

                    // Stale values, as in a reused buffer: the kernels overwrite them.
                    let mut dw = vec![f32::NAN; outputs * inputs];
                    let mut db = vec![f32::NAN; outputs];
                    weight_gradient(&delta, &a, inputs, 0.5, &mut dw, &mut db, &mut Vec::new());
                    close(&dw, &dw_want, "dw");
                    close(&db, &db_want, "db");

                    let mut g = vec![f32::NAN; batch * inputs];
                    backpropagate(&delta, &w, inputs, &mut g, &mut Vec::new());
                    close(&g, &g_want, "g");
                }
            }
        }
    }

    /// The exact bits of every kernel's results over a sweep of shapes that reaches every block,
    /// panel, tile and edge (and the sparse path), as one FNV-1a hash: fixed since the kernels
    /// were first blocked, so no change of blocking, packing, tiling or threads changes a bit.
    /// Natively (SSE) and in both browsers (WebAssembly SIMD) alike.
    #[test]
    fn kernel_results_keep_their_bits() {
        let mut rng = Rng::new(11);
        let mut hash = 0xcbf2_9ce4_8422_2325_u64;
        let mut eat = |values: &[f32]| {
            for v in values {
                for byte in v.to_bits().to_le_bytes() {
                    hash = (hash ^ byte as u64).wrapping_mul(0x0100_0000_01b3);
                }
            }
        };
        let shapes = [1, 2, 3, 4, 5, 6, 7, 9, 13, 32];
        let widths = [1, 3, 4, 5, 7, 8, 12, 13, 17, 33, 70];
        let mut scratch = Vec::new();
        for &batch in &shapes {
            for &inputs in &widths {
                for &outputs in &[1, 2, 3, 5, 6, 7, 10, 16, 17, 40] {
                    let a = random(&mut rng, batch * inputs, false);
                    let w = random(&mut rng, outputs * inputs, false);
                    let b = random(&mut rng, outputs, false);
                    let delta = random(&mut rng, batch * outputs, true);
                    let mut z = vec![f32::NAN; batch * outputs];
                    affine(&a, &w, &b, inputs, &mut z);
                    eat(&z);
                    let mut dw = vec![f32::NAN; outputs * inputs];
                    let mut db = vec![f32::NAN; outputs];
                    weight_gradient(&delta, &a, inputs, 0.25, &mut dw, &mut db, &mut scratch);
                    eat(&dw);
                    eat(&db);
                    let mut g = vec![f32::NAN; batch * inputs];
                    backpropagate(&delta, &w, inputs, &mut g, &mut scratch);
                    eat(&g);
                }
            }
        }
        // Wide layers at a training batch: several tiles, many panels, the 784 inputs of MNIST.
        for (batch, inputs, outputs) in [
            (128, 784, 512),
            (128, 512, 512),
            (32, 784, 128),
            (37, 300, 90),
        ] {
            let a = random(&mut rng, batch * inputs, false);
            let w = random(&mut rng, outputs * inputs, false);
            let b = random(&mut rng, outputs, false);
            let delta = random(&mut rng, batch * outputs, true);
            let mut z = vec![f32::NAN; batch * outputs];
            affine(&a, &w, &b, inputs, &mut z);
            eat(&z);
            let mut dw = vec![f32::NAN; outputs * inputs];
            let mut db = vec![f32::NAN; outputs];
            weight_gradient(
                &delta,
                &a,
                inputs,
                1.0 / batch as f32,
                &mut dw,
                &mut db,
                &mut scratch,
            );
            eat(&dw);
            eat(&db);
            let mut g = vec![f32::NAN; batch * inputs];
            backpropagate(&delta, &w, inputs, &mut g, &mut scratch);
            eat(&g);
        }
        assert_eq!(
            hash, 0x2f08_bbe8_4d38_9f56,
            "a kernel's results changed: {hash:#018x}"
        );
    }
}
