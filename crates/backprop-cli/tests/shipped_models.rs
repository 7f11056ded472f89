//! Every model shipped in www/models loads, fits the architecture of its training plan, scores
//! exactly the held-out accuracy its metadata says, records the steps it was trained, and is
//! reproduced bit for bit by its plan.
//! (Their MNIST test accuracy: `mnist_test_set.rs`.)

mod common;

use backprop_cli::{recorded_accuracy, train};
use backprop_formats::Model;
use common::{embedded, shipped};

#[test]
#[ignore = "needs the embedded digits (make data)"]
fn shipped_models_fit_their_plans_and_score_what_they_say() {
    let data = embedded();
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
        // Its step: the plan's epochs of mini-batches, the last of each epoch shorter.
        let per_epoch = data.train.len().div_ceil(plan.training.batch_size);
        let steps = model
            .metadata
            .fields()
            .get("steps")
            .and_then(|s| s.as_u64());
        assert_eq!(
            steps,
            Some((plan.epochs as usize * per_epoch) as u64),
            "{}",
            plan.name
        );
    }
}

#[test]
#[ignore = "needs the embedded digits (make data)"]
fn the_small_model_is_reproduced_bit_for_bit_by_its_plan() {
    let data = embedded();
    let (plan, text) = shipped()
        .into_iter()
        .find(|(p, _)| p.name == "digits-small")
        .unwrap();
    let retrained = train(&plan, &data, None).unwrap();
    let shipped = Model::from_json(&text).unwrap();
    assert_eq!(retrained.network, shipped.network);
}
