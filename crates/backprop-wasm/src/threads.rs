//! Training on several threads, in the threaded build of this crate (compiled with the
//! `atomics` target feature, its memory shared between Web Workers): `startPool(n)` makes the
//! pool of n threads that every network made afterwards trains on, and each of the n − 1 pool
//! workers that the page starts (`www/js/threads.js`) calls `poolWorker(i)`, which never
//! returns. A step's result is the same bit for bit whatever the number of threads. In the
//! ordinary build neither function exists and every network trains on its caller's thread.

use std::sync::{Arc, OnceLock};

use backprop_core::Pool;

static POOL: OnceLock<Arc<Pool>> = OnceLock::new();

/// The pool that networks train on, once started.
pub(crate) fn pool() -> Option<Arc<Pool>> {
    POOL.get().cloned()
}

#[cfg(target_feature = "atomics")]
mod exports {
    use backprop_core::{Pool, MAX_THREADS};
    use wasm_bindgen::prelude::*;

    use super::POOL;

    /// Makes the pool of `threads` threads (the caller's included, at most 16) that every
    /// network made from now on trains on; returns its size. Its workers must then call
    /// `poolWorker(1)` … `poolWorker(threads - 1)`, each in a Web Worker sharing this memory.
    /// Throws when a pool was made already.
    #[wasm_bindgen(js_name = startPool)]
    pub fn start_pool(threads: u32) -> Result<u32, JsValue> {
        let threads = (threads as usize).clamp(1, MAX_THREADS);
        POOL.set(Pool::new(threads))
            .map_err(|_| js_sys::Error::new("the thread pool was started already"))?;
        Ok(threads as u32)
    }

    /// Pool worker `index`'s loop (1 ≤ index < threads): takes its part of every task, for
    /// ever. Call it in a Web Worker, after `startPool`.
    #[wasm_bindgen(js_name = poolWorker)]
    pub fn pool_worker(index: u32) -> Result<(), JsValue> {
        let pool = POOL
            .get()
            .ok_or_else(|| js_sys::Error::new("no thread pool was started"))?;
        if index == 0 || index as usize >= backprop_core::Parallel::threads(&**pool) {
            return Err(js_sys::Error::new(&format!("there is no pool worker {index}")).into());
        }
        pool.work(index as usize)
    }
}
