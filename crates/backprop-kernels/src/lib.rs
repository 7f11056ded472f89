//! backprop-kernels: the arithmetic under backprop-lab's network, in pure Rust.
//!
//! A fully connected layer needs three dense products over a mini-batch: the weighted sums
//! (`affine`), the weight gradient, and the errors passed back to the layer below
//! (`backpropagate`). They are written once against four f32 lanes (`F4`: WebAssembly SIMD,
//! SSE, or plain arrays) and can be shared between the threads of a [`Pool`]; every output is
//! one sum in one fixed order, so the results are the same bits on any number of threads.
//! backprop-core builds the network, its training and its evaluation on them.

mod kernels;
mod parallel;
mod simd;

pub use kernels::{
    affine, affine_on, backpropagate, backpropagate_on, weight_gradient, weight_gradient_on,
    Scratch,
};
pub use parallel::{part, OneThread, Parallel, Pool, Shared, MAX_THREADS};
