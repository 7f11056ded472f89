//! The plane a training path lies closest to: the first two principal directions of the path's
//! points seen from the current weights, as Li et al. (2018) plot optimisation paths.

use backprop_core::{Error, Result};

use crate::checks::finite;
use crate::eigen::symmetric_eigen;

/// The most path points one call takes: the eigen-decomposition costs k³ and the Gram matrix
/// k²·P/2 multiply-adds.
pub const MAX_PATH_POINTS: usize = 128;

/// Parameters per slice of the passes over the points: a slice of every point, widened to
/// f64, stays in the cache while their products are summed.
const SLICE: usize = 1024;

/// A principal direction with an eigenvalue this small relative to the largest has no variance
/// of its own, only rounding: the path spans fewer dimensions.
const RANK_TOLERANCE: f64 = 1e-12;

#[derive(Clone, Debug, PartialEq)]
pub struct PathPlane {
    /// The two unit directions in the flat parameter layout. A path that spans only one
    /// dimension (or none) has a zero second (and first) direction.
    pub directions: [Vec<f32>; 2],
    /// The share of the path's squared distances from the centre that each direction explains.
    pub explained: [f64; 2],
    /// Each point's coordinates (along the first direction, along the second) in the plane
    /// through the centre, in the order of the points. The first point's coordinates are
    /// negative: a path that ends at the centre comes from the lower left.
    pub coordinates: Vec<[f32; 2]>,
    /// Each point's distance from that plane.
    pub off_plane: Vec<f32>,
}

/// The PCA of the differences θᵢ − θ between `points` (k recorded parameter vectors, one after
/// another) and `centre` (θ, the current parameters), through their k × k Gram matrix: its
/// eigenvectors uⱼ with eigenvalues λⱼ give the directions Σᵢ uⱼ[i]·(θᵢ − θ) / √λⱼ. Counts that
/// do not fit, more than [`MAX_PATH_POINTS`] points, or values that are not finite are an
/// `Input` error.
pub fn path_plane(points: &[f32], centre: &[f32]) -> Result<PathPlane> {
    let width = centre.len();
    if width == 0 || points.is_empty() || !points.len().is_multiple_of(width) {
        return Err(Error::input(format!(
            "the path needs one or more points of {width} values each (as many as the centre), \
             got {} values",
            points.len()
        )));
    }
    let k = points.len() / width;
    if k > MAX_PATH_POINTS {
        return Err(Error::input(format!(
            "the path has {k} points; at most {MAX_PATH_POINTS} can be analysed"
        )));
    }
    finite(points, "path points")?;
    finite(centre, "centre")?;
    let differences = Differences {
        points,
        centre,
        k,
        width,
    };
    let (values, vectors) = symmetric_eigen(differences.gram(), k);
    let total: f64 = values.iter().map(|v| v.max(0.0)).sum();
    let largest = values[0].max(0.0);
    let mut explained = [0.0; 2];
    let mut weights = [vec![0.0; k], vec![0.0; k]];
    for j in 0..2.min(k) {
        let value = values[j];
        if value > RANK_TOLERANCE * largest && value > 0.0 {
            explained[j] = value / total;
            // The first point's coordinate, √λ·u[0], is made negative.
            let sign = if vectors[j][0] > 0.0 { -1.0 } else { 1.0 };
            let scale = sign / value.sqrt();
            weights[j] = vectors[j].iter().map(|u| u * scale).collect();
        }
    }
    let directions = weights.map(|w| differences.combination(&w));
    let (coordinates, off_plane) = differences.project(&directions);
    Ok(PathPlane {
        directions,
        explained,
        coordinates,
        off_plane,
    })
}

/// The differences θᵢ − θ, formed in f64 slice by slice whenever a pass needs them.
struct Differences<'a> {
    points: &'a [f32],
    centre: &'a [f32],
    k: usize,
    width: usize,
}

impl Differences<'_> {
    /// Calls `f(start, rows)` for consecutive slices of the parameters, `rows[i]` holding
    /// θᵢ − θ over the slice that begins at `start`.
    fn by_slice(&self, mut f: impl FnMut(usize, &[Vec<f64>])) {
        let mut rows = vec![Vec::with_capacity(SLICE); self.k];
        for start in (0..self.width).step_by(SLICE) {
            let end = (start + SLICE).min(self.width);
            let centre = &self.centre[start..end];
            for (i, row) in rows.iter_mut().enumerate() {
                let point = &self.points[i * self.width + start..i * self.width + end];
                row.clear();
                row.extend(point.iter().zip(centre).map(|(&p, &c)| p as f64 - c as f64));
            }
            f(start, &rows);
        }
    }

    /// G[i][j] = (θᵢ − θ)·(θⱼ − θ).
    fn gram(&self) -> Vec<f64> {
        let k = self.k;
        let mut gram = vec![0.0; k * k];
        self.by_slice(|_, rows| {
            for i in 0..k {
                for j in i..k {
                    gram[i * k + j] += dot(&rows[i], &rows[j]);
                }
            }
        });
        for i in 0..k {
            for j in 0..i {
                gram[i * k + j] = gram[j * k + i];
            }
        }
        gram
    }

    /// Σᵢ weights[i]·(θᵢ − θ), rounded to f32.
    fn combination(&self, weights: &[f64]) -> Vec<f32> {
        let mut out = Vec::with_capacity(self.width);
        if weights.iter().all(|&w| w == 0.0) {
            out.resize(self.width, 0.0);
            return out;
        }
        self.by_slice(|_, rows| {
            let len = rows[0].len();
            out.extend((0..len).map(|p| {
                let sum: f64 = rows.iter().zip(weights).map(|(r, w)| r[p] * w).sum();
                sum as f32
            }));
        });
        out
    }

    /// Each point's coordinates along the directions and its distance from their plane.
    fn project(&self, directions: &[Vec<f32>; 2]) -> (Vec<[f32; 2]>, Vec<f32>) {
        let mut coordinates = vec![[0.0f64; 2]; self.k];
        self.by_slice(|start, rows| {
            for (c, row) in coordinates.iter_mut().zip(rows) {
                for (c_j, d) in c.iter_mut().zip(directions) {
                    *c_j += row
                        .iter()
                        .zip(&d[start..])
                        .map(|(r, &d)| r * d as f64)
                        .sum::<f64>();
                }
            }
        });
        let mut squares = vec![0.0f64; self.k];
        self.by_slice(|start, rows| {
            for ((s, row), c) in squares.iter_mut().zip(rows).zip(&coordinates) {
                let [d1, d2] = [&directions[0][start..], &directions[1][start..]];
                for ((&r, &a), &b) in row.iter().zip(d1).zip(d2) {
                    let off = r - c[0] * a as f64 - c[1] * b as f64;
                    *s += off * off;
                }
            }
        });
        (
            coordinates.iter().map(|c| c.map(|x| x as f32)).collect(),
            squares.iter().map(|s| s.sqrt() as f32).collect(),
        )
    }
}

/// A dot product with four running sums, which the compiler can keep in vector registers.
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut sums = [0.0; 4];
    let (a4, a_tail) = a.as_chunks::<4>();
    let (b4, b_tail) = b.as_chunks::<4>();
    for (x, y) in a4.iter().zip(b4) {
        for l in 0..4 {
            sums[l] += x[l] * y[l];
        }
    }
    let tail: f64 = a_tail.iter().zip(b_tail).map(|(x, y)| x * y).sum();
    (sums[0] + sums[1]) + (sums[2] + sums[3]) + tail
}
