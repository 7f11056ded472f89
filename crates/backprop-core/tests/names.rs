//! Every settings enum reads back each of its variants by name, and nothing else.

use backprop_core::{Activation, Init, Loss, Named, OptimizerKind};

fn reads_back_its_names<T: Named + std::fmt::Debug>() {
    assert_eq!(T::VARIANTS.len(), T::NAMES.len());
    for &variant in T::VARIANTS {
        assert_eq!(T::by_name(variant.name()), Some(variant));
    }
    for name in ["", "Relu", " relu", "relu "] {
        assert_eq!(T::by_name(name), None, "{name:?}");
    }
}

#[test]
fn every_variant_has_its_own_name() {
    reads_back_its_names::<Activation>();
    reads_back_its_names::<Loss>();
    reads_back_its_names::<Init>();
    reads_back_its_names::<OptimizerKind>();
    assert_eq!(Activation::LeakyRelu.name(), "leaky_relu");
    assert_eq!(Loss::SoftmaxCrossEntropy.name(), "softmax_cross_entropy");
}
