//! backprop-core: the feed-forward network behind backprop-lab, in pure Rust.
//!
//! A network reads an input vector (784 grey pixels for MNIST), passes it through any number of
//! fully connected hidden layers and produces one output per class. [`Network::forward`] keeps
//! every layer's weighted sums and activations, [`Network::gradient`] computes the error signals
//! and weight gradients backwards from the output without changing anything, and [`Trainer`]
//! applies them with an optimiser. Everything random draws from an explicit seed.
//!
//! The core is only the network: its arithmetic (the dense products, SIMD and the thread pool)
//! is `backprop-kernels`, and reading and writing its files (model files, IDX data, settings
//! text) is `backprop-formats`. Its configurations derive serde's traits and its enums implement
//! them by name ([`Named`]); all of it is generic, so no serde code is compiled here.

mod activation;
mod config;
mod dataset;
mod error;
mod evaluate;
mod finite;
mod gradient;
mod loss;
mod mixed;
mod names;
mod network;
mod optimizer;
mod rng;
mod train;

pub use activation::{sigmoid, Activation, LEAKY_SLOPE};
/// The batched dense kernels and the pool that shares them (backprop-kernels), for passes built
/// on top of the network (crates/backprop-probe) and for pages that start the pool's threads.
pub use backprop_kernels::{affine, backpropagate, part, OneThread, Parallel, Pool, MAX_THREADS};
pub use config::{
    Init, NetworkConfig, OptimizerKind, TrainingConfig, MAX_BATCH_SIZE, MAX_HIDDEN_LAYERS,
    MAX_INPUTS, MAX_LAYER_WIDTH, MAX_OUTPUTS, MAX_PARAMETERS,
};
pub use dataset::{BatchOrder, Dataset};
pub use error::{Error, ErrorKind, Result};
pub use evaluate::{argmax, Evaluation, Mistake, Mistakes};
pub use gradient::{ErrorTerms, Gradient};
pub use loss::Loss;
pub use mixed::Extra;
pub use names::{deserialize_named, Named};
pub use network::{Layer, Network, Trace};
pub use optimizer::{apply_sgd, OptimizerState};
pub use rng::Rng;
pub use train::{check_fits, Trainer};
