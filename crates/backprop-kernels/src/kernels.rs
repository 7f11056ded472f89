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
//! it falls in: how a product is cut into blocks, tiles, chunks or threads changes its speed,
//! never a bit of its result.

use std::ops::Range;

use crate::parallel::{part, Parallel, Shared};
use crate::simd::{lanes_mut, F4};

/// Rows of a register block: examples in `affine`, output rows in the outer-product kernel.
const ROWS: usize = 4;

/// Up to this many outer products (a batch of one or two examples) are summed row by row,
/// skipping zero coefficients: memory-bound, and ReLU's error signals are about half zeros.
const SPARSE_DEPTH: usize = 2;

/// `affine` takes the outputs in tiles of about this many bytes of weights, small enough to
/// stay in a core's L2 cache while every block of examples passes them.
const TILE_BYTES: usize = 128 * 1024;

/// Columns of the outer-product kernel's widest register block (two four-lane vectors).
const PANEL: usize = 8;

/// A product shared between threads is cut into chunks of at least this many multiply-adds
/// (a few microseconds' work), at most `CHUNKS_PER_THREAD` per thread; a product too small for
/// two chunks runs on the caller's thread alone, as waking the others would cost more.
const CHUNK_MIN: usize = 1 << 15;
const CHUNKS_PER_THREAD: usize = 3;

/// Packed operands of the outer-product kernels, kept between calls so that training
/// allocates nothing once warm: q's panels, shared by all threads, and p's rows for each one.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scratch {
    panels: Vec<f32>,
    rows: Vec<Vec<f32>>,
}

/// How many chunks of `units` rows a product of `macs` multiply-adds is cut into on `par`.
fn chunks(par: &dyn Parallel, macs: usize, units: usize) -> usize {
    if par.threads() == 1 {
        return 1;
    }
    (macs / CHUNK_MIN)
        .min(CHUNKS_PER_THREAD * par.threads())
        .min(units)
        .max(1)
}

/// `affine` on the threads of `par`, in chunks of examples, then `then(z, a)` on each chunk's
/// rows of z and of `a_out` (the layer's activation).
pub fn affine_on(
    par: &dyn Parallel,
    (a, w, b, inputs): (&[f32], &[f32], &[f32], usize),
    z: &mut [f32],
    a_out: &mut [f32],
    then: impl Fn(&[f32], &mut [f32]) + Sync,
) {
    let outputs = b.len();
    let batch = a.len() / inputs;
    let count = chunks(par, batch * inputs * outputs, batch.div_ceil(ROWS));
    if count == 1 {
        affine(a, w, b, inputs, z);
        then(z, a_out);
        return;
    }
    let (z, a_out) = (Shared::new(z), Shared::new(a_out));
    par.run(count, &|chunk, _| {
        let n = part(batch, ROWS, count, chunk);
        let outs = n.start * outputs..n.end * outputs;
        // SAFETY: the chunks' ranges of examples are disjoint.
        let (z, a_out) = unsafe { (z.part(outs.clone()), a_out.part(outs)) };
        affine(&a[n.start * inputs..n.end * inputs], w, b, inputs, z);
        then(z, a_out);
    });
}

/// `weight_gradient` on the threads of `par`, in chunks of output neurons (rows of dw).
pub fn weight_gradient_on(
    par: &dyn Parallel,
    (delta, a, inputs, scale): (&[f32], &[f32], usize, f32),
    dw: &mut [f32],
    db: &mut [f32],
    scratch: &mut Scratch,
) {
    let outputs = db.len();
    let batch = delta.len() / outputs;
    let outer = Outer::gradient(delta, a, inputs, scale);
    let count = chunks(par, batch * inputs * outputs, outputs.div_ceil(ROWS));
    if count == 1 || outer.depth <= SPARSE_DEPTH {
        weight_gradient(delta, a, inputs, scale, dw, db, scratch.first());
        return;
    }
    outer.pack_panels(par, &mut scratch.panels);
    scratch.rows.resize_with(par.threads(), Vec::new);
    let (panels, rows) = (&scratch.panels[..], Shared::new(&mut scratch.rows));
    let (dw, db) = (Shared::new(dw), Shared::new(db));
    par.run(count, &|chunk, thread| {
        let o = part(outputs, ROWS, count, chunk);
        // SAFETY: the chunks' ranges of output neurons are disjoint, and a thread runs one chunk
        // at a time, so its packed rows are its own.
        let (dw, db, packed) = unsafe {
            (
                dw.part(o.start * inputs..o.end * inputs),
                db.part(o.clone()),
                &mut rows.part(thread..thread + 1)[0],
            )
        };
        bias_gradient(delta, outputs, o.clone(), scale, db);
        packed.clear();
        outer.pack_rows(o.clone(), packed);
        outer.write_packed(o, panels, packed, dw);
    });
}

/// `backpropagate` on the threads of `par`, in chunks of examples, then `then(n, g)` on each
/// chunk's rows of g, the first of them example n.
pub fn backpropagate_on(
    par: &dyn Parallel,
    (delta, w, inputs): (&[f32], &[f32], usize),
    g: &mut [f32],
    scratch: &mut Scratch,
    then: impl Fn(usize, &mut [f32]) + Sync,
) {
    let outputs = w.len() / inputs;
    let batch = delta.len() / outputs;
    let outer = Outer::backward(delta, w, inputs);
    let count = chunks(par, batch * inputs * outputs, batch.div_ceil(ROWS));
    if count == 1 || outer.depth <= SPARSE_DEPTH {
        backpropagate(delta, w, inputs, g, scratch.first());
        then(0, g);
        return;
    }
    outer.pack_panels(par, &mut scratch.panels);
    scratch.rows.resize_with(par.threads(), Vec::new);
    let (panels, rows, g) = (
        &scratch.panels[..],
        Shared::new(&mut scratch.rows),
        Shared::new(g),
    );
    par.run(count, &|chunk, thread| {
        let n = part(batch, ROWS, count, chunk);
        // SAFETY: the chunks' ranges of examples are disjoint, and a thread runs one chunk at a
        // time, so its packed rows are its own.
        let (g, packed) = unsafe {
            (
                g.part(n.start * inputs..n.end * inputs),
                &mut rows.part(thread..thread + 1)[0],
            )
        };
        packed.clear();
        outer.pack_rows(n.clone(), packed);
        outer.write_packed(n.clone(), panels, packed, g);
        then(n.start, g);
    });
}

impl Scratch {
    /// The caller's thread's buffer, for a product it computes alone.
    fn first(&mut self) -> &mut Vec<f32> {
        if self.rows.is_empty() {
            self.rows.push(Vec::new());
        }
        &mut self.rows[0]
    }
}

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
    bias_gradient(delta, db.len(), 0..db.len(), scale, db);
    Outer::gradient(delta, a, inputs, scale).write(dw, scratch);
}

/// db = scale · Σ_n δ[n][o] for the output neurons in `o` of δ's `outputs` (`db` holds those).
fn bias_gradient(delta: &[f32], outputs: usize, o: Range<usize>, scale: f32, db: &mut [f32]) {
    db.fill(0.0);
    for d_row in delta.chunks_exact(outputs) {
        for (db_o, &d) in db.iter_mut().zip(&d_row[o.clone()]) {
            *db_o += d;
        }
    }
    for db_o in db.iter_mut() {
        *db_o *= scale;
    }
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
    Outer::backward(delta, w, inputs).write(g, scratch);
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
///
/// Both operands are packed first: p in blocks of rows (four, then two, then one), each block
/// `depth × R`, and q's columns in panels of eight (then one of four), each `depth × lanes`, so
/// that the register blocks read them from neighbouring memory and they stay in cache whatever
/// the widths (rows a power of two apart would otherwise fall into the same few cache sets).
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

impl<'a> Outer<'a> {
    /// dw = scale · δᵀ·a: rows are output neurons, depth the examples.
    fn gradient(delta: &'a [f32], a: &'a [f32], inputs: usize, scale: f32) -> Self {
        let batch = a.len() / inputs;
        let outputs = delta.len() / batch;
        Outer {
            p: delta,
            depth_stride: outputs,
            row_stride: 1,
            rows: outputs,
            depth: batch,
            q: a,
            width: inputs,
            scale,
        }
    }

    /// g = δ·w: rows are examples, depth the output neurons.
    fn backward(delta: &'a [f32], w: &'a [f32], inputs: usize) -> Self {
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
    }

    #[inline(always)]
    fn p(&self, k: usize, r: usize) -> f32 {
        self.p[k * self.depth_stride + r * self.row_stride]
    }

    /// All of c, packing both operands into `scratch`.
    fn write(&self, c: &mut [f32], scratch: &mut Vec<f32>) {
        debug_assert!(self.depth > 0, "callers check that a batch is not empty");
        if self.depth <= SPARSE_DEPTH {
            self.sparse(c);
            return;
        }
        scratch.clear();
        self.pack_rows(0..self.rows, scratch);
        let packed = scratch.len();
        self.pack_panels_onto(scratch);
        let (rows, panels) = scratch.split_at(packed);
        self.write_packed(0..self.rows, panels, rows, c);
    }

    /// Columns that the vector kernel covers: whole panels of eight, then one of four.
    fn vector_width(&self) -> usize {
        self.width / 4 * 4
    }

    /// q's panels, packed into `out` by the threads of `par`: panel after panel, each
    /// `depth × lanes` (eight lanes, the last one four when four columns are left).
    fn pack_panels(&self, par: &dyn Parallel, out: &mut Vec<f32>) {
        let depth = self.depth;
        let panels = self.vector_width().div_ceil(PANEL);
        out.clear();
        out.resize(depth * self.vector_width(), 0.0);
        let count = chunks(par, depth * self.vector_width() * 4, panels);
        let shared = Shared::new(out);
        par.run(count, &|chunk, _| {
            let mine = part(panels, 1, count, chunk);
            let at = |j: usize| (j * PANEL).min(self.vector_width()) * depth;
            // SAFETY: the chunks' ranges of panels are disjoint.
            let out = unsafe { shared.part(at(mine.start)..at(mine.end)) };
            for (j, panel) in mine.zip(out.chunks_mut(PANEL * depth)) {
                self.pack_panel(j * PANEL, panel);
            }
        });
    }

    fn pack_panels_onto(&self, out: &mut Vec<f32>) {
        let start = out.len();
        out.resize(start + self.depth * self.vector_width(), 0.0);
        let panels = out[start..].chunks_mut(PANEL * self.depth);
        for (j, panel) in (0..self.vector_width()).step_by(PANEL).zip(panels) {
            self.pack_panel(j, panel);
        }
    }

    /// The panel of q's columns from `j` (eight, or the last four) into `out`.
    fn pack_panel(&self, j: usize, out: &mut [f32]) {
        let rows = self.q.chunks_exact(self.width);
        if j + PANEL <= self.width {
            for (to, q_row) in out.as_chunks_mut::<PANEL>().0.iter_mut().zip(rows) {
                *to = q_row[j..j + PANEL].try_into().expect("a panel's lanes");
            }
        } else {
            for (to, q_row) in out.as_chunks_mut::<4>().0.iter_mut().zip(rows) {
                *to = q_row[j..j + 4].try_into().expect("four lanes");
            }
        }
    }

    /// p's rows `rows`, packed in blocks onto the end of `out`.
    fn pack_rows(&self, rows: Range<usize>, out: &mut Vec<f32>) {
        let start = out.len();
        out.resize(start + rows.len() * self.depth, 0.0);
        let out = &mut out[start..];
        let first = rows.start;
        for (r, size) in row_blocks(rows) {
            let block = &mut out[(r - first) * self.depth..][..size * self.depth];
            for (k, to) in block.chunks_exact_mut(size).enumerate() {
                for (i, to) in to.iter_mut().enumerate() {
                    *to = self.p(k, r + i);
                }
            }
        }
    }

    /// Rows `rows` of c (`c` holds just those) from q's packed panels and those rows of p,
    /// packed.
    fn write_packed(&self, rows: Range<usize>, panels: &[f32], packed: &[f32], c: &mut [f32]) {
        let depth = self.depth;
        let first = rows.start;
        let mut j = 0;
        while j < self.vector_width() {
            let panel = &panels[j * depth..];
            for (r, size) in row_blocks(rows.clone()) {
                let p = &packed[(r - first) * depth..][..size * depth];
                let at = (r - first) * self.width + j;
                if j + PANEL <= self.width {
                    self.block::<2>(size, p, panel, c, at);
                } else {
                    self.block::<1>(size, p, panel, c, at);
                }
            }
            j += if j + PANEL <= self.width { PANEL } else { 4 };
        }
        for j in self.vector_width()..self.width {
            for r in rows.clone() {
                let s: f32 = (0..depth)
                    .map(|k| self.p(k, r) * self.q[k * self.width + j])
                    .sum();
                c[(r - first) * self.width + j] = self.scale * s;
            }
        }
    }

    /// One register block of `size` rows and V four-lane vectors, at `at` in c.
    #[inline(always)]
    fn block<const V: usize>(
        &self,
        size: usize,
        p: &[f32],
        panel: &[f32],
        c: &mut [f32],
        at: usize,
    ) {
        let q: &[[[f32; 4]; V]] = &panel.as_chunks::<4>().0.as_chunks::<V>().0[..self.depth];
        match size {
            ROWS => micro::<ROWS, V>(p, q, self.scale, c, at, self.width),
            2 => micro::<2, V>(p, q, self.scale, c, at, self.width),
            _ => micro::<1, V>(p, q, self.scale, c, at, self.width),
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

/// `rows` in blocks of four, then two, then one: (first row, rows in the block).
fn row_blocks(rows: Range<usize>) -> impl Iterator<Item = (usize, usize)> {
    let full = rows.start + rows.len() / ROWS * ROWS;
    let rest = rows.end - full;
    let pair = (rest >= 2).then_some((full, 2));
    let single = (rest % 2 == 1).then_some((rows.end - 1, 1));
    (rows.start..full)
        .step_by(ROWS)
        .map(|r| (r, ROWS))
        .chain(pair)
        .chain(single)
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
    use backprop_core::Rng;

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

    /// One product's operands, drawn in this order: activations, weights, biases, errors.
    fn operands(rng: &mut Rng, batch: usize, inputs: usize, outputs: usize) -> [Vec<f32>; 4] {
        [
            random(rng, batch * inputs, false),
            random(rng, outputs * inputs, false),
            random(rng, outputs, false),
            random(rng, batch * outputs, true),
        ]
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
                    let [a, w, b, delta] = operands(&mut rng, batch, inputs, outputs);

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
        // (batch, inputs, outputs, gradient scale), in the order the hash was first taken.
        let mut cases = Vec::new();
        for batch in [1, 2, 3, 4, 5, 6, 7, 9, 13, 32] {
            for inputs in [1, 3, 4, 5, 7, 8, 12, 13, 17, 33, 70] {
                for outputs in [1, 2, 3, 5, 6, 7, 10, 16, 17, 40] {
                    cases.push((batch, inputs, outputs, 0.25));
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
            cases.push((batch, inputs, outputs, 1.0 / batch as f32));
        }
        let mut scratch = Vec::new();
        for (batch, inputs, outputs, scale) in cases {
            let [a, w, b, delta] = operands(&mut rng, batch, inputs, outputs);
            let mut z = vec![f32::NAN; batch * outputs];
            affine(&a, &w, &b, inputs, &mut z);
            eat(&z);
            let mut dw = vec![f32::NAN; outputs * inputs];
            let mut db = vec![f32::NAN; outputs];
            weight_gradient(&delta, &a, inputs, scale, &mut dw, &mut db, &mut scratch);
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
