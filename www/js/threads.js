// The threaded build of the core (www/pkg-threads: the same Rust, its memory shared between
// Web Workers, or www/pkg-threads-fma, the same with fused multiply-adds), for the training
// worker of a cross-origin isolated page. `loadCore(module,
// threads)` instantiates it from the page's compiled module and starts its pool: this thread
// and `threads - 1` pool workers (pool-worker.js), each of which takes its part of every
// training step for as long as this thread lives. Steps give the same weights, bit for bit,
// whatever the number of threads; small products stay on this thread (the core decides).
import init, { startPool } from '../pkg-threads/backprop_lab.js';
import { workerUrl } from './worker-requests.js';

const POOL_WORKER = new URL('./pool-worker.js', import.meta.url);

let started = null;

/** Instantiates the threaded core and starts its pool; resolves to the number of threads. */
export function loadCore(module, threads) {
  started ??= (async () => {
    const { memory } = await init({ module_or_path: module });
    const count = startPool(threads);
    await Promise.all(Array.from({ length: count - 1 }, (_, i) => startWorker(module, memory, i + 1)));
    return count;
  })();
  return started;
}

function startWorker(module, memory, index) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerUrl(POOL_WORKER), { type: 'module', name: `backprop-lab thread ${index}` });
    worker.onmessage = () => resolve(worker);
    worker.onerror = (event) => {
      event.preventDefault();
      reject(new Error(`training thread ${index} did not start: ${event.message ?? 'no reason given'}`));
    };
    worker.postMessage({ module, memory, index });
  });
}

export { Checkpoint, Dataset, Network, fusedMultiplyAdd } from '../pkg-threads/backprop_lab.js';
