//! Hidden-layer activation functions, each beside its derivative.

/// Slope of leaky ReLU for negative inputs.
pub const LEAKY_SLOPE: f32 = 0.01;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    Sigmoid,
    Tanh,
    Relu,
    LeakyRelu,
}

crate::named!(Activation { Sigmoid = "sigmoid", Tanh = "tanh", Relu = "relu", LeakyRelu = "leaky_relu" });

impl Activation {
    /// a = f(z). `#[inline]` here and below: loops over activations in other crates
    /// (backprop-probe's) can then inline and vectorise it; without, the release wasm, whose
    /// link-time optimisation works at backprop-wasm's size level, calls it once per value.
    #[inline]
    pub fn apply(self, z: f32) -> f32 {
        match self {
            Activation::Sigmoid => sigmoid(z),
            Activation::Tanh => z.tanh(),
            // A branch, not `f32::max`, which compiles to a call to `fmaxf` on wasm32.
            Activation::Relu => {
                if z > 0.0 {
                    z
                } else {
                    0.0
                }
            }
            Activation::LeakyRelu => {
                if z > 0.0 {
                    z
                } else {
                    LEAKY_SLOPE * z
                }
            }
        }
    }

    /// f'(z), written with the already computed a = f(z) where that is cheaper.
    #[inline]
    pub fn derivative(self, z: f32, a: f32) -> f32 {
        match self {
            Activation::Sigmoid => a * (1.0 - a),
            Activation::Tanh => 1.0 - a * a,
            Activation::Relu => {
                if z > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
            Activation::LeakyRelu => {
                if z > 0.0 {
                    1.0
                } else {
                    LEAKY_SLOPE
                }
            }
        }
    }

    /// a = f(z) for a whole layer. The activation is chosen once, outside the loop, so that
    /// each function's loop is compiled on its own and vectorised where it can be.
    pub fn apply_all(self, z: &[f32], a: &mut [f32]) {
        let pairs = a.iter_mut().zip(z);
        match self {
            Activation::Sigmoid => pairs.for_each(|(a, &z)| *a = Activation::Sigmoid.apply(z)),
            Activation::Tanh => pairs.for_each(|(a, &z)| *a = Activation::Tanh.apply(z)),
            Activation::Relu => pairs.for_each(|(a, &z)| *a = Activation::Relu.apply(z)),
            Activation::LeakyRelu => {
                pairs.for_each(|(a, &z)| *a = Activation::LeakyRelu.apply(z));
            }
        }
    }

    /// d ← d · f′(z) for a whole layer (a = f(z)): back-propagated sums become error signals.
    /// Chosen once, outside the loop, as in `apply_all`.
    pub fn scale_by_derivative(self, d: &mut [f32], z: &[f32], a: &[f32]) {
        let triples = d.iter_mut().zip(z).zip(a);
        let f =
            |f: Activation| move |((d, &z), &a): ((&mut f32, &f32), &f32)| *d *= f.derivative(z, a);
        match self {
            Activation::Sigmoid => triples.for_each(f(Activation::Sigmoid)),
            Activation::Tanh => triples.for_each(f(Activation::Tanh)),
            Activation::Relu => triples.for_each(f(Activation::Relu)),
            Activation::LeakyRelu => triples.for_each(f(Activation::LeakyRelu)),
        }
    }
}

/// σ(z) = 1 / (1 + e^-z), written to stay finite for large |z|.
#[inline]
pub fn sigmoid(z: f32) -> f32 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}
