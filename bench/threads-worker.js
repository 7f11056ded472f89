// The thread-scaling task's worker (bench.js, task "threads"): the app's threaded build on
// `threads` threads, as a playground's training worker runs it, training one workload with
// trainBatches for a few epochs. Answers the examples per second of each epoch and a hash of
// the final weights (the same for every number of threads).
import { Dataset, Network, loadCore } from '/app/js/threads.js';

function hash(values) {
  let h = 0x811c9dc5;
  for (const bits of new Uint32Array(values.buffer, values.byteOffset, values.length)) h = Math.imul(h ^ bits, 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

self.onmessage = async ({ data: { threads, module, images, labels, spec, epochs, seed, learningRate } }) => {
  try {
    await loadCore(module, threads);
    const net = new Network({
      hidden: spec.hidden,
      activation: spec.activation,
      seed,
      training: { optimizer: 'sgd', learningRate, batchSize: spec.batch },
    });
    const data = Dataset.fromIdx(images, labels, seed);
    const batches = Math.floor(data.length / spec.batch);
    const rates = [];
    for (let e = 0; e < epochs; e++) {
      const start = performance.now();
      net.trainBatches(data, batches);
      rates.push((batches * spec.batch) / ((performance.now() - start) / 1000));
    }
    self.postMessage({ threads: net.threads, rates, weights: hash(net.parameters()) });
  } catch (e) {
    self.postMessage({ error: e.message ?? String(e) });
  }
};
