//! backprop-probe: looks inside a backprop-core network without changing it.
//!
//! - [`check_gradient`]: backpropagation's gradient beside central finite differences of an f64
//!   forward pass, for chosen parameters ([`sample_parameters`] spreads them over the layers).
//!
//! Parameters are addressed in the flat layout of `Network::parameter_parts`: for each weight
//! layer from the input side, its weights (`outputs × inputs`, row-major), then its biases.

mod gradient_check;
mod layout;
mod widened;

pub use gradient_check::{
    check_gradient, sample_parameters, CheckedParameter, GradientCheck, DEFAULT_STEP,
};
