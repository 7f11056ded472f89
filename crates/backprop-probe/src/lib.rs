//! backprop-probe: looks inside a backprop-core network without changing it.
//!
//! - [`check_gradient`]: backpropagation's gradient beside central finite differences of an f64
//!   forward pass, for chosen parameters ([`sample_parameters`] spreads them over the layers).
//! - [`preferred_inputs`]: for every neuron of a layer, the input image that excites it most.
//! - [`neuron_terms`]: one neuron's weighted sum z = Σ wᵢ·aᵢ + b, its largest terms named
//!   ([`strongest`] ranks values by magnitude, as the page's picture of a wide layer does).
//! - The loss landscape: [`filter_normalised_directions`] and [`path_plane`] choose directions
//!   through the weights, [`Plane`] and [`loss_line`] evaluate the loss along them.
//!
//! Parameters are addressed in the flat layout of `Network::parameter_parts`: for each weight
//! layer from the input side, its weights (`outputs × inputs`, row-major), then its biases.
//! Layers of neurons are numbered as in the core's `error_terms`: 0 is the input, 1 the first
//! hidden layer, the last one the output layer.

mod checks;
mod directions;
mod eigen;
mod gradient_check;
mod landscape;
mod layout;
mod neuron_terms;
mod path_plane;
mod preferred_inputs;
mod strongest;
mod widened;

pub use directions::filter_normalised_directions;
pub use gradient_check::{
    check_gradient, sample_parameters, CheckedParameter, GradientCheck, DEFAULT_STEP,
};
pub use landscape::{loss_line, Losses, Plane};
pub use neuron_terms::{neuron_terms, NeuronTerms};
pub use path_plane::{path_plane, PathPlane, MAX_PATH_POINTS};
pub use preferred_inputs::{preferred_inputs, ASCENT_STEP, ASCENT_STEPS, GREY};
pub use strongest::strongest;
