// Data-parallel training across module workers (parallel-worker.js). Every worker holds a
// replica of the same network and all the training examples; each mini-batch is split into one
// shard per worker, each replica computes its shard's gradient, and every replica applies the
// same mean gradient (each shard weighted by its number of examples), so the replicas stay
// bit-identical and together make the same updates as one network trained on whole batches.
//
//   const trainer = await ParallelTrainer.create({ model: net.toJSON(), inputs, labels, workers: 2 });
//   const { loss } = await trainer.train(order);   // example indices; whole batches of the
//   const [json] = await trainer.models();         // model's batchSize are trained
//   trainer.terminate();
//
// The gradients travel through a SharedArrayBuffer when the page is cross-origin isolated (the
// workers then synchronise with Atomics and never wait for this thread), otherwise in messages
// with transferred buffers, one round trip per step.

import { WorkerClient } from './worker-requests.js';

const WORKER_URL = new URL('./parallel-worker.js', import.meta.url);

/** Whether this page may share memory with its workers (it needs COOP and COEP headers). */
export const canShareMemory = () => typeof SharedArrayBuffer === 'function' && globalThis.crossOriginIsolated === true;

/** Part `k` of `parts` near-equal parts of `total` items, as [first, end). */
export function share(k, parts, total) {
  return [Math.floor((k * total) / parts), Math.floor(((k + 1) * total) / parts)];
}

/** Each worker's share of the mean gradient: its shard's examples over the batch's. */
export function shardShares(workers, batch) {
  return Float32Array.from({ length: workers }, (_, k) => {
    const [first, end] = share(k, workers, batch);
    return (end - first) / batch;
  });
}

export class ParallelTrainer {
  /**
   * Starts `workers` replicas of `model` (JSON text from `Network.toJSON`, whose training
   * settings give the optimiser and the batch size) with the training examples: `inputs` holds
   * `labels.length` examples one after another. `exchange` is 'shared', 'messages' or 'auto'
   * (shared memory when the page is cross-origin isolated).
   */
  static async create({ model, inputs, labels, workers = 2, exchange = 'auto' }) {
    const shared = exchange === 'auto' ? canShareMemory() : exchange === 'shared';
    if (shared && !canShareMemory()) throw new Error('shared memory needs a cross-origin isolated page');
    if (!['auto', 'shared', 'messages'].includes(exchange)) throw new Error(`unknown exchange "${exchange}"`);
    if (!(Number.isInteger(workers) && workers >= 1)) throw new Error(`workers must be a positive integer, got ${workers}`);
    const trainer = new ParallelTrainer(workers, shared);
    try {
      await trainer.start(model, inputs, labels);
    } catch (e) {
      trainer.terminate();
      throw e;
    }
    return trainer;
  }

  constructor(workers, shared) {
    this.replicas = Array.from({ length: workers }, () => new WorkerClient(WORKER_URL, 'parallel-worker.js'));
    this.exchange = shared ? 'shared' : 'messages';
    this.broken = null;
  }

  get workerCount() {
    return this.replicas.length;
  }

  async start(model, inputs, labels) {
    const count = this.replicas.length;
    const shared = this.exchange === 'shared';
    const data = shared ? { inputs: sharedCopy(inputs), labels: sharedCopy(labels) } : { inputs, labels };
    const [first] = await Promise.all(
      this.replicas.map((replica, index) => replica.request('init', { model, ...data, index, count })),
    );
    if (inputs.length !== labels.length * first.width) {
      throw new Error(`inputs holds ${inputs.length} values, not ${labels.length} examples × ${first.width}`);
    }
    if (first.batchSize < count) {
      throw new Error(`a batch of ${first.batchSize} cannot be split between ${count} workers`);
    }
    this.batchSize = first.batchSize;
    this.parameterCount = first.parameterCount;
    if (shared) {
      const memory = {
        gradients: new SharedArrayBuffer(2 * 4 * count * this.parameterCount),
        control: new SharedArrayBuffer(4 * 3),
      };
      await Promise.all(this.replicas.map((replica) => replica.request('share', memory)));
    } else {
      this.buffers = this.replicas.map(() => new Float32Array(count * this.parameterCount));
    }
  }

  /**
   * One update per whole batch of `order` (example indices, e.g. a shuffled epoch; examples
   * past the last whole batch are left out). Resolves to `{ steps, loss }`, the mean loss.
   * Any error (a `DivergedError` from the core, say) leaves the replicas unusable.
   */
  async train(order) {
    if (this.broken) throw this.broken;
    const steps = Math.floor(order.length / this.batchSize);
    if (steps === 0) return { steps, loss: NaN };
    try {
      await Promise.all(this.replicas.map((replica) => replica.request('order', { order })));
      const lossSum = this.exchange === 'shared' ? await this.sharedPass() : await this.messagePass(steps);
      return { steps, loss: lossSum / (steps * this.batchSize) };
    } catch (e) {
      this.broken = e;
      throw e;
    }
  }

  /** The workers run the pass on their own, meeting at shared-memory barriers. */
  async sharedPass() {
    const settled = await Promise.allSettled(this.replicas.map((replica) => replica.request('pass')));
    const failed = settled.filter((s) => s.status === 'rejected').map((s) => s.reason);
    // The first worker that failed has the cause; the others only stopped because of it.
    if (failed.length) throw failed.find((e) => !/another worker failed/.test(e.message)) ?? failed[0];
    return settled.reduce((sum, s) => sum + s.value.lossSum, 0);
  }

  /**
   * One round trip per step: each worker gets a buffer with every worker's gradient of the
   * previous step (which it applies) and returns it with its own gradient of this step in its
   * slot; this thread copies each new gradient into the other workers' buffers.
   */
  async messagePass(steps) {
    const size = this.parameterCount;
    let lossSum = 0;
    for (let s = 0; s < steps; s++) {
      const replies = await Promise.all(
        this.replicas.map((replica, k) =>
          replica.request('step', { step: s, gradients: this.buffers[k], previous: s > 0 }, [this.buffers[k].buffer]),
        ),
      );
      this.buffers = replies.map((reply) => reply.gradients);
      replies.forEach((reply, k) => {
        lossSum += reply.lossSum;
        const own = reply.gradients.subarray(k * size, (k + 1) * size);
        this.buffers.forEach((buffer, m) => m !== k && buffer.set(own, k * size));
      });
    }
    const applied = await Promise.all(
      this.replicas.map((replica, k) => replica.request('apply', { gradients: this.buffers[k] }, [this.buffers[k].buffer])),
    );
    this.buffers = applied.map((reply) => reply.gradients);
    return lossSum;
  }

  /** Every replica's network as model JSON; equal texts mean bit-identical weights. */
  async models() {
    return (await Promise.all(this.replicas.map((replica) => replica.request('model')))).map((r) => r.json);
  }

  terminate() {
    for (const replica of this.replicas) replica.terminate();
  }
}

/** A copy of a typed array in a SharedArrayBuffer, which workers then read without copies. */
function sharedCopy(array) {
  const copy = new array.constructor(new SharedArrayBuffer(array.byteLength));
  copy.set(array);
  return copy;
}
