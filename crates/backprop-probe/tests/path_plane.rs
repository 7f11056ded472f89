//! The PCA of a training path finds the plane it lies in.
#![cfg(not(target_arch = "wasm32"))]

use backprop_core::{ErrorKind, Rng};
use backprop_probe::{path_plane, MAX_PATH_POINTS};

const WIDTH: usize = 3000;

fn dot(a: &[f32], b: &[f32]) -> f64 {
    a.iter().zip(b).map(|(&x, &y)| x as f64 * y as f64).sum()
}

fn unit(rng: &mut Rng) -> Vec<f32> {
    let v: Vec<f32> = (0..WIDTH).map(|_| rng.symmetric(1.0)).collect();
    let n = dot(&v, &v).sqrt() as f32;
    v.iter().map(|x| x / n).collect()
}

/// A path of k points θ + aᵢ·u + bᵢ·v + noise, spiralling into θ like training does.
struct Spiral {
    points: Vec<f32>,
    centre: Vec<f32>,
    /// u and v, orthonormal.
    plane: [Vec<f32>; 2],
    /// (aᵢ, bᵢ) of each point.
    planted: Vec<[f32; 2]>,
}

fn spiral(k: usize, noise: f32) -> Spiral {
    let mut rng = Rng::new(5);
    let centre: Vec<f32> = (0..WIDTH).map(|_| rng.symmetric(0.5)).collect();
    let u = unit(&mut rng);
    let mut v = unit(&mut rng);
    let along = dot(&u, &v) as f32;
    v.iter_mut().zip(&u).for_each(|(x, &y)| *x -= along * y);
    let n = dot(&v, &v).sqrt() as f32;
    v.iter_mut().for_each(|x| *x /= n);
    let mut points = Vec::new();
    let mut planted = Vec::new();
    for i in 0..k {
        let r = 4.0 * (k - i) as f32 / k as f32;
        let angle = i as f32 * 0.4;
        let (a, b) = (-r * angle.cos() * 1.5, -r * angle.sin());
        planted.push([a, b]);
        points.extend((0..WIDTH).map(|p| centre[p] + a * u[p] + b * v[p] + rng.symmetric(noise)));
    }
    Spiral {
        points,
        centre,
        plane: [u, v],
        planted,
    }
}

#[test]
fn a_planar_path_is_found_with_its_coordinates() {
    let Spiral {
        points,
        centre,
        plane: [u, v],
        planted,
    } = spiral(30, 0.0);
    let plane = path_plane(&points, &centre).unwrap();
    let [d1, d2] = &plane.directions;
    for (a, b, want) in [(d1, d1, 1.0), (d2, d2, 1.0), (d1, d2, 0.0)] {
        assert!((dot(a, b) - want).abs() < 1e-5, "{}", dot(a, b));
    }
    // Both directions lie in the plane of u and v.
    for d in [d1, d2] {
        let inside = dot(d, &u).powi(2) + dot(d, &v).powi(2);
        assert!((inside - 1.0).abs() < 1e-5, "{inside}");
    }
    assert!((plane.explained[0] + plane.explained[1] - 1.0).abs() < 1e-6);
    assert!(plane.explained[0] > plane.explained[1]);
    // The coordinates are the planted ones, up to a rotation of the plane: distances agree.
    for (c, p) in plane.coordinates.iter().zip(&planted) {
        let (got, want) = (c[0].hypot(c[1]), p[0].hypot(p[1]));
        assert!((got - want).abs() < 1e-4 * want.max(1.0), "{c:?} vs {p:?}");
    }
    assert!(plane.coordinates[0][0] < 0.0 && plane.coordinates[0][1] < 0.0);
    assert!(
        plane.off_plane.iter().all(|&d| d < 1e-4),
        "{:?}",
        plane.off_plane
    );
}

#[test]
fn noise_off_the_plane_is_measured() {
    let noise = 0.01;
    let Spiral {
        points,
        centre,
        plane: [u, v],
        planted,
    } = spiral(20, noise);
    let plane = path_plane(&points, &centre).unwrap();
    // Pythagoras: the distance from the centre is made of the coordinates and the distance off
    // the plane.
    let (mut off_squares, mut noise_squares) = (0.0, 0.0);
    for (i, point) in points.chunks_exact(WIDTH).enumerate() {
        let d: Vec<f32> = point.iter().zip(&centre).map(|(p, c)| p - c).collect();
        let [pa, pb] = planted[i];
        for ((&d, &u), &v) in d.iter().zip(&u).zip(&v) {
            noise_squares += ((d - pa * u - pb * v) as f64).powi(2);
        }
        let [a, b] = plane.coordinates[i].map(|c| c as f64);
        let off = plane.off_plane[i] as f64;
        let whole = dot(&d, &d);
        assert!(
            (a * a + b * b + off * off - whole).abs() < 1e-4 * whole,
            "point {i}"
        );
        off_squares += off * off;
    }
    // The principal plane fits best, so it leaves no more off the plane than the planted plane
    // does; being only a plane in 3,000 dimensions, it can take up little of the noise.
    assert!(
        off_squares <= noise_squares,
        "{off_squares} vs {noise_squares}"
    );
    assert!(
        off_squares > 0.8 * noise_squares,
        "{off_squares} vs {noise_squares}"
    );
    assert!(plane.explained[0] + plane.explained[1] > 0.95);
}

#[test]
fn a_straight_path_has_no_second_direction() {
    let mut rng = Rng::new(1);
    let centre: Vec<f32> = (0..WIDTH).map(|_| rng.symmetric(1.0)).collect();
    let u = unit(&mut rng);
    let points: Vec<f32> = [3.0f32, 2.0, 0.5]
        .iter()
        .flat_map(|&t| centre.iter().zip(&u).map(move |(&c, &d)| c + t * d))
        .collect();
    let plane = path_plane(&points, &centre).unwrap();
    assert!((plane.explained[0] - 1.0).abs() < 1e-6);
    assert_eq!(plane.explained[1], 0.0);
    assert!(plane.directions[1].iter().all(|&d| d == 0.0));
    assert!(
        (dot(&plane.directions[0], &u) + 1.0).abs() < 1e-5,
        "points at the start"
    );
    assert!((plane.coordinates[0][0] + 3.0).abs() < 1e-4);
    // A path that stays at the centre has no directions at all.
    let still = path_plane(&centre.repeat(2), &centre).unwrap();
    assert_eq!(still.explained, [0.0, 0.0]);
    assert!(still.off_plane.iter().all(|&d| d == 0.0));
}

#[test]
fn paths_that_do_not_fit_are_input_errors() {
    let centre = vec![0.5; 10];
    for points in [vec![], vec![0.0; 15], vec![0.0; 10 * (MAX_PATH_POINTS + 1)]] {
        let err = path_plane(&points, &centre).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Input, "{} values", points.len());
    }
    let mut points = vec![0.0; 20];
    points[13] = f32::NAN;
    let err = path_plane(&points, &centre).unwrap_err();
    assert_eq!(err.message, "path points: value 13 is not a finite number");
    assert_eq!(path_plane(&[], &[]).unwrap_err().kind, ErrorKind::Input);
}
