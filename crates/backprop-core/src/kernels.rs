//! The three dense matrix products a fully connected layer needs, over a whole mini-batch.
//!
//! Layouts are row-major: activations and error signals are `batch × width`, weights are
//! `outputs × inputs` (row o holds the weights into neuron o).

/// z[n][o] = b[o] + Σ_i w[o][i] · a[n][i]
pub fn affine(a: &[f32], w: &[f32], b: &[f32], inputs: usize, z: &mut [f32]) {
    let outputs = b.len();
    for (a_row, z_row) in a.chunks_exact(inputs).zip(z.chunks_exact_mut(outputs)) {
        for ((z_o, w_row), &b_o) in z_row.iter_mut().zip(w.chunks_exact(inputs)).zip(b) {
            *z_o = b_o + dot(w_row, a_row);
        }
    }
}

/// dw[o][i] += scale · Σ_n δ[n][o] · a[n][i]  and  db[o] += scale · Σ_n δ[n][o]
pub fn accumulate_weight_gradient(
    delta: &[f32],
    a: &[f32],
    inputs: usize,
    scale: f32,
    dw: &mut [f32],
    db: &mut [f32],
) {
    let outputs = db.len();
    for (d_row, a_row) in delta.chunks_exact(outputs).zip(a.chunks_exact(inputs)) {
        for ((dw_row, db_o), &d) in dw.chunks_exact_mut(inputs).zip(db.iter_mut()).zip(d_row) {
            if d != 0.0 {
                let s = scale * d;
                *db_o += s;
                axpy(s, a_row, dw_row);
            }
        }
    }
}

/// g[n][i] = Σ_o δ[n][o] · w[o][i]: how the loss changes with each input activation.
pub fn backpropagate(delta: &[f32], w: &[f32], inputs: usize, g: &mut [f32]) {
    let outputs = w.len() / inputs;
    g.fill(0.0);
    for (d_row, g_row) in delta.chunks_exact(outputs).zip(g.chunks_exact_mut(inputs)) {
        for (&d, w_row) in d_row.iter().zip(w.chunks_exact(inputs)) {
            if d != 0.0 {
                axpy(d, w_row, g_row);
            }
        }
    }
}

/// Σ x[i]·y[i], in eight independent lanes so the compiler can vectorise it.
fn dot(x: &[f32], y: &[f32]) -> f32 {
    let mut lanes = [0.0f32; 8];
    let xc = x.chunks_exact(8);
    let yc = y.chunks_exact(8);
    let tail: f32 = xc
        .remainder()
        .iter()
        .zip(yc.remainder())
        .map(|(a, b)| a * b)
        .sum();
    for (xs, ys) in xc.zip(yc) {
        for k in 0..8 {
            lanes[k] += xs[k] * ys[k];
        }
    }
    lanes.iter().sum::<f32>() + tail
}

/// y += s · x
fn axpy(s: f32, x: &[f32], y: &mut [f32]) {
    for (yi, &xi) in y.iter_mut().zip(x) {
        *yi += s * xi;
    }
}
