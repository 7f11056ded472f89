//! Where the tests' data files are, and the shipped models with their plans. Every test that
//! reads data files is `#[ignore]`d: `make test-native` runs those whose data is present and
//! says which data is missing.
#![allow(dead_code)] // each test file uses a different part of this module

use std::path::{Path, PathBuf};

use backprop_cli::{load_embedded, load_mnist_test, EmbeddedData, Plan};
use backprop_core::Dataset;

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The embedded digits that `make data` writes to www/data.
pub fn embedded() -> EmbeddedData {
    load_embedded(&root().join("www/data"))
        .unwrap_or_else(|e| panic!("the embedded digits are missing ({e}): run `make data`"))
}

/// The real MNIST test set, from $MNIST_TEST_DIR (default ../shared/data/mnist).
pub fn mnist_test_set() -> Dataset {
    let dir = std::env::var_os("MNIST_TEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/data/mnist"));
    let test = load_mnist_test(&dir).unwrap_or_else(|e| panic!("{e}"));
    test.unwrap_or_else(|| panic!("the MNIST test set is not at {}", dir.display()))
}

/// (plan, shipped model file) pairs, one per plan in configs/.
pub fn shipped() -> Vec<(Plan, String)> {
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
