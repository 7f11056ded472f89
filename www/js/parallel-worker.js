// One replica of data-parallel training, started by parallel-trainer.js: a module worker that
// owns a copy of the network and the training examples. For each mini-batch it computes the
// gradient of its shard, then applies the weighted mean of every replica's shard gradient,
// which all replicas apply alike. It answers `{ id, type }` requests with `{ id, status }` or
// `{ id, error }`.
//
// With shared memory the workers run a whole pass over the order on their own: each writes its
// shard's gradient into its slot of a SharedArrayBuffer, waits at a barrier (Atomics) until
// every slot is written, and applies the mean of all slots. Two sets of slots alternate, so a
// worker that starts the next step early never overwrites a gradient another is still reading.
// Without shared memory the trainer passes the gradients around in messages (`step`, `apply`).
import { share, shardShares } from './parallel-trainer.js';
import { Network, loadCore } from './wasm.js';
import { answerRequests } from './worker-requests.js';

// Control words of the shared barrier.
const ARRIVED = 0;                // workers that reached the barrier in this generation
const GENERATION = 1;             // barriers passed so far
const FAILED = 2;                 // 1 once any worker failed: the others stop too
const SPINS = 20_000;             // busy checks before sleeping: shards finish close together
const WAIT_MS = 50;               // a sleeping worker looks at FAILED this often

let net = null;
let data = null;                  // { inputs, labels, width }
let plan = null;                  // { index, count, batch, size, shares }
let order = null;                 // example indices of the current pass
let shard = null;                 // reused { inputs, labels } of this worker's shard
let shared = null;                // { gradients, control } with shared memory

/** Gathers step `step`'s shard into the reused buffers and computes its gradient into `out`. */
function shardGradient(step, out) {
  const [first, end] = share(plan.index, plan.count, plan.batch);
  const { width } = data;
  const rows = end - first;
  for (let r = 0; r < rows; r++) {
    const i = order[step * plan.batch + first + r];
    shard.inputs.set(data.inputs.subarray(i * width, (i + 1) * width), r * width);
    shard.labels[r] = data.labels[i];
  }
  return rows * net.batchGradient(shard.inputs, shard.labels, out);
}

/** Worker `k`'s slot in a buffer holding one gradient per worker. */
const slot = (gradients, k) => gradients.subarray(k * plan.size, (k + 1) * plan.size);

function barrier(control) {
  const generation = Atomics.load(control, GENERATION);
  if (Atomics.add(control, ARRIVED, 1) === plan.count - 1) {
    Atomics.store(control, ARRIVED, 0);
    Atomics.add(control, GENERATION, 1);
    Atomics.notify(control, GENERATION);
  } else {
    for (let spin = 0; Atomics.load(control, GENERATION) === generation; spin++) {
      if (Atomics.load(control, FAILED)) break;
      if (spin > SPINS) Atomics.wait(control, GENERATION, generation, WAIT_MS);
    }
  }
  if (Atomics.load(control, FAILED)) throw new Error('data-parallel training stopped: another worker failed');
}

/** Wakes the other workers at the barrier and tells them to stop. */
function fail(control) {
  Atomics.store(control, FAILED, 1);
  Atomics.add(control, GENERATION, 1);
  Atomics.notify(control, GENERATION);
}

/** A whole pass over `order` in shared memory; returns this shard's summed loss. */
function sharedPass() {
  const { gradients, control } = shared;
  const { index, count, batch, size, shares } = plan;
  const sets = [0, 1].map((s) => gradients.subarray(s * count * size, (s + 1) * count * size));
  const steps = Math.floor(order.length / batch);
  let lossSum = 0;
  try {
    for (let s = 0; s < steps; s++) {
      const set = sets[s % 2];
      lossSum += shardGradient(s, slot(set, index));
      barrier(control);
      net.applyMeanGradient(set, shares);
    }
  } catch (e) {
    fail(control);
    throw e;
  }
  return { lossSum };
}

const handlers = {
  async init({ model, inputs, labels, index, count }) {
    await loadCore();
    net = Network.fromJSON(model);
    const options = net.options();
    const width = options.inputs;
    const batch = options.training.batchSize;
    const size = net.parameterCount;
    data = { inputs, labels, width };
    plan = { index, count, batch, size, shares: shardShares(count, batch) };
    const [first, end] = share(index, count, batch);
    shard = { inputs: new Float32Array((end - first) * width), labels: new Uint8Array(end - first) };
    return { parameterCount: size, batchSize: batch, width };
  },
  /** Shared memory: two sets of gradient slots, one per worker each, and the barrier's words. */
  share({ gradients, control }) {
    shared = { gradients: new Float32Array(gradients), control: new Int32Array(control) };
    return {};
  },
  order({ order: examples }) {
    order = examples;
    return {};
  },
  pass() {
    return sharedPass();
  },
  /** Applies the previous step's gradients (if any), then writes step `step`'s into its slot. */
  step({ step, gradients, previous }) {
    if (previous) net.applyMeanGradient(gradients, plan.shares);
    const lossSum = shardGradient(step, slot(gradients, plan.index));
    return { gradients, lossSum };
  },
  apply({ gradients }) {
    net.applyMeanGradient(gradients, plan.shares);
    return { gradients };
  },
  model() {
    return { json: net.toJSON() };
  },
};

answerRequests(handlers, (result) => (result.gradients ? [result.gradients.buffer] : []));
