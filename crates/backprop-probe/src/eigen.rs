//! Eigenvalues and eigenvectors of a small symmetric matrix by cyclic Jacobi rotations: a few
//! dozen lines, accurate to the last bits even for tiny eigenvalues, and deterministic. Its
//! O(n³) sweeps suit the Gram matrices of training paths (n ≤ a few hundred).

/// Sweeps after which the rotations stop even if the matrix is not yet diagonal; a handful
/// suffice in practice (convergence is quadratic).
const MAX_SWEEPS: usize = 64;

/// The eigenvalues of the symmetric `n × n` matrix `a` (row-major), largest first, each with
/// its unit eigenvector (`vectors[k]`).
pub(crate) fn symmetric_eigen(mut a: Vec<f64>, n: usize) -> (Vec<f64>, Vec<Vec<f64>>) {
    // v holds the eigenvectors as columns: a = v · diag · vᵀ.
    let mut v = vec![0.0; n * n];
    for i in 0..n {
        v[i * n + i] = 1.0;
    }
    let total: f64 = a.iter().map(|x| x * x).sum();
    for _ in 0..MAX_SWEEPS {
        let off: f64 = (0..n)
            .flat_map(|p| (0..n).filter(move |&q| q != p).map(move |q| (p, q)))
            .map(|(p, q)| a[p * n + q] * a[p * n + q])
            .sum();
        if off <= f64::EPSILON * f64::EPSILON * total {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                rotate(&mut a, &mut v, n, p, q);
            }
        }
    }
    // Insertion sort, largest first: n is small, and it is far less code than a general sort.
    let mut order: Vec<usize> = Vec::with_capacity(n);
    for k in 0..n {
        let at = order
            .iter()
            .position(|&j| a[j * n + j] < a[k * n + k])
            .unwrap_or(order.len());
        order.insert(at, k);
    }
    let values = order.iter().map(|&k| a[k * n + k]).collect();
    let vectors = order
        .iter()
        .map(|&k| (0..n).map(|i| v[i * n + k]).collect())
        .collect();
    (values, vectors)
}

/// The Jacobi rotation in the (p, q) plane that zeroes a[p][q] (Golub & Van Loan, 8.5.2).
fn rotate(a: &mut [f64], v: &mut [f64], n: usize, p: usize, q: usize) {
    let apq = a[p * n + q];
    if apq == 0.0 {
        return;
    }
    let theta = (a[q * n + q] - a[p * n + p]) / (2.0 * apq);
    let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
    let c = 1.0 / (t * t + 1.0).sqrt();
    let s = t * c;
    for k in 0..n {
        let (akp, akq) = (a[k * n + p], a[k * n + q]);
        a[k * n + p] = c * akp - s * akq;
        a[k * n + q] = s * akp + c * akq;
    }
    for k in 0..n {
        let (apk, aqk) = (a[p * n + k], a[q * n + k]);
        a[p * n + k] = c * apk - s * aqk;
        a[q * n + k] = s * apk + c * aqk;
    }
    for k in 0..n {
        let (vkp, vkq) = (v[k * n + p], v[k * n + q]);
        v[k * n + p] = c * vkp - s * vkq;
        v[k * n + q] = s * vkp + c * vkq;
    }
}

#[cfg(test)]
mod tests {
    use super::symmetric_eigen;
    use backprop_core::Rng;

    #[test]
    fn eigenpairs_of_a_random_symmetric_matrix() {
        let mut rng = Rng::new(6);
        for n in [1, 2, 5, 12, 40] {
            let mut a = vec![0.0; n * n];
            for i in 0..n {
                for j in 0..=i {
                    let x = rng.symmetric(1.0) as f64;
                    a[i * n + j] = x;
                    a[j * n + i] = x;
                }
            }
            let (values, vectors) = symmetric_eigen(a.clone(), n);
            assert!(values.windows(2).all(|w| w[0] >= w[1]), "{values:?}");
            for (k, (&value, v)) in values.iter().zip(&vectors).enumerate() {
                for i in 0..n {
                    let av: f64 = (0..n).map(|j| a[i * n + j] * v[j]).sum();
                    assert!(
                        (av - value * v[i]).abs() < 1e-12 * n as f64,
                        "n {n} pair {k}"
                    );
                }
                for (l, w) in vectors.iter().enumerate() {
                    let dot: f64 = v.iter().zip(w).map(|(x, y)| x * y).sum();
                    let want = if k == l { 1.0 } else { 0.0 };
                    assert!((dot - want).abs() < 1e-12, "n {n} vectors {k}, {l}");
                }
            }
        }
    }

    #[test]
    fn a_rank_one_gram_matrix_has_one_positive_eigenvalue() {
        // x xᵀ for x = (1, 2, 2): eigenvalue 9 along x / 3, and two zeros.
        let x = [1.0, 2.0, 2.0];
        let a: Vec<f64> = (0..9).map(|e| x[e / 3] * x[e % 3]).collect();
        let (values, vectors) = symmetric_eigen(a, 3);
        assert!((values[0] - 9.0).abs() < 1e-14, "{values:?}");
        assert!(
            values[1].abs() < 1e-14 && values[2].abs() < 1e-14,
            "{values:?}"
        );
        let along: f64 = vectors[0].iter().zip(&x).map(|(v, x)| v * x / 3.0).sum();
        assert!((along.abs() - 1.0).abs() < 1e-14);
    }
}
