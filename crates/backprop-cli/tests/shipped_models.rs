//! Every model shipped in www/models loads, fits the architecture of its training plan, scores
//! exactly what its metadata says, and is reproduced bit for bit by its plan.

use std::path::{Path, PathBuf};

use backprop_cli::{load_embedded, load_mnist_test, recorded_accuracy, train, Plan};
use backprop_core::Model;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// (plan, shipped model) pairs, one per plan in configs/.
fn shipped() -> Vec<(Plan, String)> {
    let mut pairs = Vec::new();
    for entry in std::fs::read_dir(root().join("crates/backprop-cli/configs")).unwrap() {
        let plan =
            Plan::from_json(&std::fs::read_to_string(entry.unwrap().path()).unwrap()).unwrap();
        let model_path = root().join(format!("www/models/{}.json", plan.name));
        let text = std::fs::read_to_string(&model_path)
            .unwrap_or_else(|e| panic!("{} is not shipped: {e}", model_path.display()));
        pairs.push((plan, text));
    }
    assert!(pairs.len() >= 2, "expected at least two shipped models");
    pairs
}

#[test]
fn shipped_models_fit_their_plans_and_score_what_they_say() {
    let data = load_embedded(&root().join("www/data")).expect("run `make data` first");
    let test = load_mnist_test(&root().join("../shared/data/mnist")).unwrap();
    if test.is_none() {
        println!("SKIPPED test-accuracy checks: no MNIST test set at ../shared/data/mnist");
    }
    for (plan, text) in shipped() {
        let model = Model::from_json(&text).unwrap_or_else(|e| panic!("{}: {e}", plan.name));
        assert_eq!(model.network.config(), &plan.network, "{}", plan.name);
        let held_out = model.network.evaluate(&data.held_out).unwrap().accuracy;
        assert_eq!(
            Some(held_out),
            recorded_accuracy(&model, "heldOutAccuracy"),
            "{}",
            plan.name
        );
        assert!(
            held_out > 0.9,
            "{}: held-out accuracy {held_out}",
            plan.name
        );
        if let Some(test) = &test {
            let accuracy = model.network.evaluate(test).unwrap().accuracy;
            assert_eq!(
                Some(accuracy),
                recorded_accuracy(&model, "testAccuracy"),
                "{}",
                plan.name
            );
            println!(
                "{}: held-out {:.2}%, MNIST test {:.2}%",
                plan.name,
                held_out * 100.0,
                accuracy * 100.0
            );
        }
    }
}

#[test]
fn the_small_model_is_reproduced_bit_for_bit_by_its_plan() {
    let data = load_embedded(&root().join("www/data")).expect("run `make data` first");
    let test = load_mnist_test(&root().join("../shared/data/mnist")).unwrap();
    let (plan, text) = shipped()
        .into_iter()
        .find(|(p, _)| p.name == "digits-small")
        .unwrap();
    let retrained = train(&plan, &data, test.as_ref()).unwrap();
    let shipped = Model::from_json(&text).unwrap();
    assert_eq!(retrained.network, shipped.network);
}
