//! The probes' JavaScript face: `ProbedNetwork`, a copy of a network made from the main
//! module's `options()` and `parameters()`, with the gradient check, what each neuron looks
//! for and the loss landscape (backprop-probe); `Examples` to evaluate the landscape on; and
//! `pathDirections`. A second WebAssembly module, so that a page fetches these only when a
//! reader first opens one (a third of the main module's size, gzipped). Its numerics are the
//! main module's code compiled the same way, so its losses equal the main module's
//! `evaluate` bit for bit.

mod examples;
mod landscape;
mod network;
mod probe;

pub use examples::Examples;
pub use landscape::{path_directions, LossPlane};
pub use network::ProbedNetwork;
