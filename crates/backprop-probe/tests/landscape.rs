//! The loss landscape: the grid's centre and the line's end are `evaluate` bit for bit, and
//! every other point is the loss of the network moved there.
#![cfg(not(target_arch = "wasm32"))]

use backprop_core::{Activation, Dataset, ErrorKind, Loss, Named, Network, NetworkConfig, Rng};
use backprop_probe::{filter_normalised_directions, loss_line, Plane};

const SIDE: usize = 7;
const EXAMPLES: usize = 60;

/// Random 7 × 7 images with random labels.
fn data(rng: &mut Rng, examples: usize) -> Dataset {
    let pixels = (0..examples * SIDE * SIDE)
        .map(|_| rng.below(256) as u8)
        .collect();
    let labels = (0..examples).map(|_| rng.below(10) as u8).collect();
    Dataset::new(SIDE, SIDE, pixels, labels).unwrap()
}

/// The first `count` examples of `data` as a dataset of their own.
fn first(data: &Dataset, count: usize) -> Dataset {
    let pixels = (0..count).flat_map(|i| data.image(i).to_vec()).collect();
    let labels = data.labels()[..count].to_vec();
    Dataset::new(SIDE, SIDE, pixels, labels).unwrap()
}

fn network(hidden: Vec<usize>, activation: Activation, loss: Loss, seed: u64) -> Network {
    Network::new(NetworkConfig {
        inputs: SIDE * SIDE,
        hidden,
        outputs: 10,
        activation,
        loss,
        init: None,
        seed,
    })
    .unwrap()
}

fn parameters(network: &Network) -> Vec<f32> {
    network.parameter_parts().flatten().copied().collect()
}

/// A direction with every weight and bias random, so that biases move too.
fn random_direction(network: &Network, rng: &mut Rng, scale: f32) -> Vec<f32> {
    (0..network.config().parameter_count())
        .map(|_| rng.symmetric(scale))
        .collect()
}

/// Every combination of activation, loss and depth (no hidden layer, one, two), with every
/// weight and bias moved a little off its initial value (biases start at zero).
fn networks() -> Vec<Network> {
    let mut rng = Rng::new(10);
    let mut all = Vec::new();
    for (seed, hidden) in [vec![], vec![16], vec![20, 12]].into_iter().enumerate() {
        for &activation in Activation::VARIANTS {
            for &loss in Loss::VARIANTS {
                let mut network = network(hidden.clone(), activation, loss, seed as u64);
                let moved: Vec<f32> = parameters(&network)
                    .iter()
                    .map(|p| p + rng.symmetric(0.1))
                    .collect();
                network.set_parameters(&moved).unwrap();
                all.push(network);
            }
        }
    }
    all
}

#[test]
fn the_grid_s_centre_is_evaluate_bit_for_bit() {
    let mut rng = Rng::new(1);
    let data = data(&mut rng, EXAMPLES);
    for network in networks() {
        for count in [1, 37, EXAMPLES] {
            let [d1, _] = filter_normalised_directions(&network, 3);
            let d2 = random_direction(&network, &mut rng, 0.1);
            let mut plane = Plane::new(&network, &data, count, &d1, &d2).unwrap();
            let grid = plane.grid(&[-0.5, 0.0, 0.25], &[0.0, 1.0]).unwrap();
            assert_eq!(grid.loss.len(), 6);
            let expected = network.evaluate(&first(&data, count)).unwrap();
            let case = format!("{:?}, {count} examples", network.config());
            // (alphas[1], betas[0]) = (0, 0), alpha-major.
            assert_eq!(grid.loss[2].to_bits(), expected.loss.to_bits(), "{case}");
            assert_eq!(
                grid.accuracy[2].to_bits(),
                expected.accuracy.to_bits(),
                "{case}"
            );
        }
    }
}

#[test]
fn every_grid_point_is_the_loss_of_the_network_moved_there() {
    let mut rng = Rng::new(2);
    let data = data(&mut rng, EXAMPLES);
    let (alphas, betas) = ([-1.0f32, 0.0, 0.6], [-0.3f32, 0.0, 0.8]);
    for network in networks() {
        let d1 = random_direction(&network, &mut rng, 0.2);
        let [_, d2] = filter_normalised_directions(&network, 4);
        let mut plane = Plane::new(&network, &data, EXAMPLES, &d1, &d2).unwrap();
        let grid = plane.grid(&alphas, &betas).unwrap();
        let theta = parameters(&network);
        for (i, &alpha) in alphas.iter().enumerate() {
            for (j, &beta) in betas.iter().enumerate() {
                let moved: Vec<f32> = (0..theta.len())
                    .map(|p| theta[p] + alpha * d1[p] + beta * d2[p])
                    .collect();
                let mut there = network.clone();
                there.set_parameters(&moved).unwrap();
                let expected = there.evaluate(&data).unwrap();
                let at = i * betas.len() + j;
                let case = format!("{:?} at ({alpha}, {beta})", network.config());
                let (got, want) = (grid.loss[at], expected.loss);
                assert!(
                    (got - want).abs() <= 1e-5 * want.abs() + 1e-6,
                    "{case}: {got} vs {want}"
                );
                // Rounding may flip a prediction whose two best outputs are nearly equal.
                let flips = (grid.accuracy[at] - expected.accuracy).abs() * EXAMPLES as f32;
                assert!(flips <= 1.01, "{case}");
            }
        }
    }
}

#[test]
fn a_grid_can_be_evaluated_row_by_row() {
    let mut rng = Rng::new(3);
    let data = data(&mut rng, EXAMPLES);
    let network = network(vec![12], Activation::Relu, Loss::SoftmaxCrossEntropy, 9);
    let [d1, d2] = filter_normalised_directions(&network, 9);
    let mut plane = Plane::new(&network, &data, 40, &d1, &d2).unwrap();
    let (alphas, betas) = ([-1.0, -0.5, 0.5], [-0.2, 0.0, 0.3, 2.0]);
    let whole = plane.grid(&alphas, &betas).unwrap();
    let mut rows = plane.grid(&alphas[..1], &betas).unwrap();
    for alpha in &alphas[1..] {
        let row = plane.grid(&[*alpha], &betas).unwrap();
        rows.loss.extend(row.loss);
        rows.accuracy.extend(row.accuracy);
    }
    assert_eq!(rows, whole);
    // The loss grows away from the centre along a filter-normalised direction, here.
    assert!(whole.loss[3] > whole.loss[1], "{:?}", whole.loss);
}

#[test]
fn the_line_ends_at_evaluate_and_passes_the_networks_between() {
    let mut rng = Rng::new(4);
    let data = data(&mut rng, EXAMPLES);
    for network in networks() {
        let start = random_direction(&network, &mut rng, 0.3);
        let ts = [0.0f32, 0.5, 1.0, 1.5];
        let line = loss_line(&network, &data, EXAMPLES, &start, &ts).unwrap();
        let expected = network.evaluate(&data).unwrap();
        assert_eq!(line.loss[2].to_bits(), expected.loss.to_bits());
        assert_eq!(line.accuracy[2].to_bits(), expected.accuracy.to_bits());
        let theta = parameters(&network);
        for (k, &t) in ts.iter().enumerate() {
            let moved: Vec<f32> = theta
                .iter()
                .zip(&start)
                .map(|(&end, &begin)| begin + t * (end - begin))
                .collect();
            let mut there = network.clone();
            there.set_parameters(&moved).unwrap();
            let want = there.evaluate(&data).unwrap().loss;
            let got = line.loss[k];
            assert!(
                (got - want).abs() <= 1e-5 * want.abs() + 1e-6,
                "t {t}: {got} vs {want}"
            );
        }
    }
}

#[test]
fn counts_directions_and_coefficients_that_do_not_fit_are_input_errors() {
    let mut rng = Rng::new(5);
    let data = data(&mut rng, EXAMPLES);
    let network = network(vec![8], Activation::Tanh, Loss::SoftmaxCrossEntropy, 1);
    let [d1, d2] = filter_normalised_directions(&network, 1);
    let input_error = |result: Result<Plane, backprop_core::Error>| {
        let err = result.err().expect("an error");
        assert_eq!(err.kind, ErrorKind::Input, "{}", err.message);
        err.message
    };
    assert_eq!(
        input_error(Plane::new(&network, &data, 0, &d1, &d2)),
        "the count of examples must be from 1 to 60, the dataset's size; got 0"
    );
    input_error(Plane::new(&network, &data, EXAMPLES + 1, &d1, &d2));
    assert_eq!(
        input_error(Plane::new(&network, &data, 5, &d1[1..], &d2)),
        format!(
            "direction 1 needs {} values, one per weight and bias, got {}",
            d1.len(),
            d1.len() - 1
        )
    );
    let mut bad = d2.clone();
    bad[4] = f32::INFINITY;
    assert_eq!(
        input_error(Plane::new(&network, &data, 5, &d1, &bad)),
        "direction 2: value 4 is not a finite number"
    );
    let mut plane = Plane::new(&network, &data, 5, &d1, &d2).unwrap();
    assert_eq!(
        plane.grid(&[0.0], &[f32::NAN]).unwrap_err().kind,
        ErrorKind::Input
    );
    let err = loss_line(&network, &data, 5, &d1[2..], &[0.0]).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Input);
    let err = loss_line(&network, &data, 5, &d1, &[f32::NAN]).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Input);
    // A dataset whose images do not fit the network.
    let wide = Dataset::new(8, 8, vec![0; 64], vec![0]).unwrap();
    assert!(Plane::new(&network, &wide, 1, &d1, &d2).is_err());
}
