//! The probe module's JavaScript API (gradient check, neuron pictures, the loss landscape), in
//! Chromium and Firefox, on copies of the main module's networks as the page makes them.
#![cfg(target_arch = "wasm32")]

use backprop_probe_wasm::{path_directions, Examples, ProbedNetwork};
use backprop_wasm::{Dataset, Network};
use js_sys::{Float32Array, Float64Array, Reflect, Uint32Array, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const ACTIVATIONS: [&str; 4] = ["sigmoid", "tanh", "relu", "leaky_relu"];
const LOSSES: [&str; 2] = ["softmax_cross_entropy", "sigmoid_squared_error"];

fn network(options: &str) -> Network {
    Network::new(js_sys::JSON::parse(options).expect("test JSON is valid")).expect("valid options")
}

/// 16 inputs, two hidden layers, 3 outputs.
fn small(activation: &str, loss: &str, seed: u32) -> Network {
    network(&format!(
        r#"{{"inputs": 16, "hidden": [7, 5], "outputs": 3, "activation": "{activation}",
            "loss": "{loss}", "seed": {seed}}}"#
    ))
}

/// The probe module's copy of `net`, as the page makes it.
fn probed(net: &Network) -> ProbedNetwork {
    let [activation, loss] =
        ["activation", "loss"].map(|k| get(&net.options().unwrap(), k).as_string().unwrap());
    ProbedNetwork::new(
        &net.sizes().to_vec(),
        &activation,
        &loss,
        &net.parameters().to_vec(),
    )
    .expect("the network's own shape")
}

/// The examples of a main-module dataset of 4 × 4 images, as the page hands them over.
fn examples(data: &Dataset) -> Examples {
    Examples::new(4, 4, data.images().to_vec(), data.labels().to_vec())
        .expect("a dataset's own examples")
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &JsValue::from_str(key)).expect("object property")
}

fn f32s(value: JsValue) -> Vec<f32> {
    value
        .dyn_into::<Float32Array>()
        .expect("a Float32Array")
        .to_vec()
}

fn f64s(value: JsValue) -> Vec<f64> {
    value
        .dyn_into::<Float64Array>()
        .expect("a Float64Array")
        .to_vec()
}

fn number(obj: &JsValue, key: &str) -> f64 {
    get(obj, key).as_f64().expect("a number")
}

/// The error a call threw, as (name, message).
fn thrown<T>(result: Result<T, JsValue>) -> (String, String) {
    let err: js_sys::Error = result
        .err()
        .expect("the call must throw")
        .dyn_into()
        .expect("a JS Error");
    (err.name().into(), err.message().into())
}

fn input(seed: usize, width: usize) -> Vec<f32> {
    (0..width)
        .map(|i| ((i * 37 + seed * 11) % 29) as f32 / 28.0)
        .collect()
}

/// 24 examples of 4 × 4 images, as IDX files read by `Dataset.fromIdx`.
fn dataset() -> Dataset {
    let header = |dims: &[u32]| {
        let mut h = vec![0, 0, 8, dims.len() as u8];
        dims.iter()
            .for_each(|d| h.extend_from_slice(&d.to_be_bytes()));
        h
    };
    let pixels: Vec<u8> = (0..24 * 16).map(|i| (i * 97 % 256) as u8).collect();
    let labels: Vec<u8> = (0..24).map(|i| (i % 3) as u8).collect();
    let images = [header(&[24, 4, 4]), pixels].concat();
    let labels = [header(&[24]), labels].concat();
    Dataset::from_idx(&images, &labels, 1).expect("valid IDX files")
}

#[wasm_bindgen_test]
fn gradient_checks_agree_with_backpropagation_in_every_configuration() {
    for activation in ACTIVATIONS {
        for loss in LOSSES {
            let net = small(activation, loss, 3);
            let probe = probed(&net);
            let indices = probe.sample_parameters(20, 5, None).unwrap();
            assert_eq!(indices.length(), 20);
            let x = input(1, 16);
            let check = probe
                .gradient_check(&x, 2, &indices.to_vec(), None)
                .unwrap();
            assert_eq!(number(&check, "h"), 1e-5);
            let loss_value = Reflect::get(&net.gradient(&x, 2).unwrap(), &"loss".into()).unwrap();
            assert_eq!(get(&check, "loss"), loss_value);
            let checked: Uint32Array = get(&check, "indices").dyn_into().unwrap();
            assert_eq!(checked.to_vec(), indices.to_vec());
            let kink: Uint8Array = get(&check, "kink").dyn_into().unwrap();
            let (analytic, numeric) = (f64s(get(&check, "analytic")), f64s(get(&check, "numeric")));
            let relative = f64s(get(&check, "relative"));
            for k in 0..20 {
                if kink.get_index(k as u32) == 1 {
                    continue;
                }
                let (a, n) = (analytic[k], numeric[k]);
                let size = a.abs().max(n.abs());
                let case = format!("{activation} {loss} parameter {k}: {a} vs {n}");
                assert!((a - n).abs() <= 1e-3 * size.max(1e-3), "{case}");
                assert_eq!(relative[k], (a - n).abs() / size.max(1e-8), "{case}");
            }
        }
    }
}

#[wasm_bindgen_test]
fn gradient_check_arguments_that_do_not_fit_throw_input_errors() {
    let net = probed(&small("relu", LOSSES[0], 1));
    let count = net.parameter_count();
    assert_eq!(count, 16 * 7 + 7 + 7 * 5 + 5 + 5 * 3 + 3);
    let x = input(0, 16);
    let (name, message) = thrown(net.gradient_check(&x, 0, &[count], None));
    assert_eq!(name, "InputError");
    assert!(
        message.starts_with(&format!("parameter {count} does not exist")),
        "{message}"
    );
    assert_eq!(
        thrown(net.gradient_check(&x, 0, &[0], Some(0.0))).0,
        "InputError"
    );
    assert_eq!(
        thrown(net.gradient_check(&x[1..], 0, &[0], None)).0,
        "InputError"
    );
    assert_eq!(
        thrown(net.sample_parameters(count + 1, 0, None)).0,
        "InputError"
    );
    assert_eq!(
        thrown(net.sample_parameters(1, 0, Some(x[1..].to_vec()))).0,
        "InputError"
    );
    let check = net.gradient_check(&x, 0, &[0, 1], Some(1e-3)).unwrap();
    assert_eq!(number(&check, "h"), 1e-3);
}

#[wasm_bindgen_test]
fn neuron_pictures_excite_their_neurons_more_than_grey() {
    let net = small("tanh", LOSSES[0], 4);
    let probe = probed(&net);
    for (layer, neurons) in [(2usize, 5usize), (3, 3)] {
        let pictures = probe.preferred_inputs(layer).unwrap().to_vec();
        assert_eq!(pictures.len(), neurons * 16);
        assert!(pictures.iter().all(|p| (0.0..=1.0).contains(p)));
        let grey = nth_pre_activation(&net, &[0.5; 16], layer);
        for n in 0..neurons {
            let own = nth_pre_activation(&net, &pictures[n * 16..(n + 1) * 16], layer);
            assert!(own[n] > grey[n], "layer {layer} neuron {n}");
        }
    }
    let (name, message) = thrown(probe.preferred_inputs(4));
    assert_eq!(name, "InputError");
    assert_eq!(
        message,
        "layer 4 is not a layer of neurons with weights; they are layers 1 to 3"
    );
}

/// The weighted sums of neuron layer `layer` for one input.
fn nth_pre_activation(net: &Network, x: &[f32], layer: usize) -> Vec<f32> {
    let trace = net.forward(x).unwrap();
    let all: js_sys::Array = get(&trace, "preActivations").dyn_into().unwrap();
    f32s(all.get(layer as u32 - 1))
}

#[wasm_bindgen_test]
fn filter_directions_are_seeded_and_normalised_per_neuron() {
    let net = small("relu", LOSSES[0], 8);
    let probe = probed(&net);
    let size = net.parameter_count() as usize;
    let directions = probe.filter_directions(2).to_vec();
    assert_eq!(directions.len(), 2 * size);
    assert_eq!(probe.filter_directions(2).to_vec(), directions);
    assert_ne!(probe.filter_directions(3).to_vec(), directions);
    let theta = net.parameters().to_vec();
    // The first hidden layer: 7 rows of 16 weights, then 7 zero biases.
    for d in [&directions[..size], &directions[size..]] {
        for row in 0..7 {
            let norm = |v: &[f32]| v.iter().map(|&x| (x as f64).powi(2)).sum::<f64>().sqrt();
            let (got, want) = (norm(&d[row * 16..][..16]), norm(&theta[row * 16..][..16]));
            assert!((got - want).abs() < 1e-6 * want, "{got} vs {want}");
        }
        assert!(d[112..119].iter().all(|&b| b == 0.0));
    }
}

#[wasm_bindgen_test]
fn path_directions_give_the_plane_of_a_path() {
    let centre: Vec<f32> = (0..50).map(|i| i as f32 / 50.0).collect();
    // Three points: two along coordinate 0, one along coordinate 1.
    let mut points = Vec::new();
    for (along, by) in [(0, 3.0), (0, 1.0), (1, 0.5)] {
        let mut p = centre.clone();
        p[along] += by;
        points.extend(p);
    }
    let plane = path_directions(&points, &centre).unwrap();
    let directions = f32s(get(&plane, "directions"));
    assert_eq!(directions.len(), 100);
    assert!(
        (directions[0] + 1.0).abs() < 1e-6,
        "the first point lies at negative α"
    );
    assert!(directions[51].abs() > 0.999);
    // Squared distances 9, 1 and 0.25 (up to the f32 rounding of the points).
    let explained = f64s(get(&plane, "explained"));
    assert!((explained[0] - 10.0 / 10.25).abs() < 1e-6, "{explained:?}");
    assert!((explained[1] - 0.25 / 10.25).abs() < 1e-6, "{explained:?}");
    let coordinates = f32s(get(&plane, "coordinates"));
    assert_eq!(coordinates.len(), 6);
    assert!((coordinates[0] + 3.0).abs() < 1e-6 && coordinates[1].abs() < 1e-6);
    assert!(f32s(get(&plane, "offPlane")).iter().all(|&d| d < 1e-6));
    assert_eq!(
        thrown(path_directions(&points[1..], &centre)).0,
        "InputError"
    );
}

#[wasm_bindgen_test]
fn the_loss_grid_s_centre_is_the_main_module_s_evaluate_bit_for_bit() {
    let data = dataset();
    let held_out = examples(&data);
    for activation in ACTIVATIONS {
        for loss in LOSSES {
            let mut net = small(activation, loss, 9);
            // Biases away from zero, so that they count.
            let moved: Vec<f32> = net
                .parameters()
                .to_vec()
                .iter()
                .enumerate()
                .map(|(i, p)| p + (i % 7) as f32 * 0.01 - 0.03)
                .collect();
            net.set_parameters(&moved).unwrap();
            let probe = probed(&net);
            let directions = probe.filter_directions(1).to_vec();
            let steps = [-1.0, -0.5, 0.0, 0.5];
            let grid = probe
                .loss_grid(&held_out, 24, &directions, &steps, &steps)
                .unwrap();
            let (loss_grid, accuracy) = (f32s(get(&grid, "loss")), f32s(get(&grid, "accuracy")));
            assert_eq!(loss_grid.len(), 16);
            let e = net.evaluate(&data).unwrap();
            // (α, β) = (0, 0) is entry 2 · 4 + 2.
            assert_eq!(
                loss_grid[10],
                number(&e, "loss") as f32,
                "{activation} {loss}"
            );
            assert_eq!(
                accuracy[10],
                number(&e, "accuracy") as f32,
                "{activation} {loss}"
            );
            // Row by row through a plane gives the same grid.
            let mut plane = probe.loss_plane(&held_out, 24, &directions).unwrap();
            let mut rows = Vec::new();
            for alpha in steps {
                rows.extend(f32s(get(&plane.grid(&[alpha], &steps).unwrap(), "loss")));
            }
            assert_eq!(rows, loss_grid);
            // The line from the initial weights ends at the network.
            let start = small(activation, loss, 9).parameters().to_vec();
            let line = probe.loss_line(&held_out, 24, &start, &[0.0, 1.0]).unwrap();
            let line_loss = f32s(get(&line, "loss"));
            assert_eq!(line_loss[1], number(&e, "loss") as f32);
            assert_eq!(
                f32s(get(&line, "accuracy"))[1],
                number(&e, "accuracy") as f32
            );
            let initial = small(activation, loss, 9).evaluate(&data).unwrap();
            let initial_loss = number(&initial, "loss") as f32;
            assert!((line_loss[0] - initial_loss).abs() < 1e-5 * initial_loss.abs() + 1e-6);
        }
    }
}

#[wasm_bindgen_test]
fn loss_landscape_arguments_that_do_not_fit_throw_input_errors() {
    let data = examples(&dataset());
    let net = probed(&small("relu", LOSSES[0], 2));
    let directions = net.filter_directions(1).to_vec();
    let (name, message) = thrown(net.loss_plane(&data, 24, &directions[1..]));
    assert_eq!(name, "InputError");
    assert!(message.starts_with("the directions need 2 × "), "{message}");
    assert_eq!(
        thrown(net.loss_plane(&data, 0, &directions)).0,
        "InputError"
    );
    assert_eq!(
        thrown(net.loss_plane(&data, 25, &directions)).0,
        "InputError"
    );
    assert_eq!(
        thrown(net.loss_line(&data, 24, &directions, &[0.0])).0,
        "InputError"
    );
    let mut plane = net.loss_plane(&data, 24, &directions).unwrap();
    assert_eq!(thrown(plane.grid(&[f32::NAN], &[0.0])).0, "InputError");
    // The plane keeps its own copy of the weights: it outlives the network.
    let before = f32s(get(&plane.grid(&[0.0], &[0.0]).unwrap(), "loss"));
    drop(net);
    assert_eq!(
        f32s(get(&plane.grid(&[0.0], &[0.0]).unwrap(), "loss")),
        before
    );
}

#[wasm_bindgen_test]
fn a_copy_needs_a_shape_the_core_takes_and_every_parameter() {
    let net = small("sigmoid", LOSSES[1], 3);
    let parameters = net.parameters().to_vec();
    assert_eq!(probed(&net).parameter_count(), net.parameter_count());
    let sizes = [16, 7, 5, 3];
    let copy = |sizes: &[u32], activation: &str, loss: &str, parameters: &[f32]| {
        thrown(ProbedNetwork::new(sizes, activation, loss, parameters))
    };
    let (name, message) = copy(&sizes, "sigmoid", LOSSES[1], &parameters[1..]);
    assert_eq!(name, "InputError");
    assert!(
        message.contains(&format!("{}", parameters.len())),
        "{message}"
    );
    let mut nan = parameters.clone();
    nan[4] = f32::NAN;
    assert_eq!(copy(&sizes, "sigmoid", LOSSES[1], &nan).0, "InputError");
    let (name, message) = copy(&sizes, "swish", LOSSES[1], &parameters);
    assert_eq!(name, "ConfigError");
    assert!(
        message.starts_with("invalid activation: unknown variant `swish`"),
        "{message}"
    );
    assert_eq!(copy(&sizes, "relu", "hinge", &parameters).0, "ConfigError");
    assert_eq!(copy(&[16], "relu", LOSSES[0], &parameters).0, "ConfigError");
    assert_eq!(
        copy(&[16, 0, 3], "relu", LOSSES[0], &parameters).0,
        "ConfigError"
    );
    assert_eq!(
        thrown(Examples::new(4, 4, vec![0; 15], vec![1])).0,
        "DatasetError"
    );
}
