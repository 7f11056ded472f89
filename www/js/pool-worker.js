// One pool worker of the threaded core (threads.js starts them): it shares the training
// worker's wasm memory and takes its part of every training step, for ever.
import init, { poolWorker } from '../pkg-threads/backprop_lab.js';

self.onmessage = async ({ data: { module, memory, index } }) => {
  await init({ module_or_path: module, memory });
  self.postMessage('started');
  poolWorker(index);
};
