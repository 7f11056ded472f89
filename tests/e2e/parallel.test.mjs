// Data-parallel training (www/js/parallel-trainer.js) in the served playground page: two module
// workers learn the embedded digits together and their replicas end bit-identical. The dev
// server sends COOP and COEP, so the page is cross-origin isolated and the workers share the
// gradients in a SharedArrayBuffer; forced to messages, they take the path of every page
// without those headers.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { expectNoProblems, openPage, setup } from './harness.mjs';

const TIMEOUT = 120_000;   // generous: the machine may be busy with other builds

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

/**
 * Runs in the page: the embedded training digits as network inputs, and a model to train.
 * Returns what `train(page, ...)` needs, on `window.parallelLab`.
 */
async function prepare(page, options) {
  await page.evaluate(async (networkOptions) => {
    const { loadCore, loadDataset, Network } = await import('/js/wasm.js');
    await loadCore();
    const idx = async (name) => {
      const response = await fetch(`/data/${name}`);
      const stream = response.body.pipeThrough(new DecompressionStream('gzip'));
      const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
      return bytes.subarray(4 + 4 * bytes[3]);
    };
    const [pixels, labels] = await Promise.all([idx('mnist-train-images.idx.gz'), idx('mnist-train-labels.idx.gz')]);
    const inputs = Float32Array.from(pixels, (p) => p / 255);
    window.parallelLab = {
      inputs,
      labels,
      model: new Network(networkOptions).toJSON(),
      heldout: await loadDataset('heldout', 0),
      Network,
    };
  }, options);
}

for (const [exchange, expected] of [['auto', 'shared'], ['messages', 'messages']]) test(`two workers learn the digits in one epoch and their replicas stay identical (exchange: ${exchange})`, { timeout: TIMEOUT }, async () => {
  const page = await openPage(env);
  await prepare(page, {
    hidden: [128, 64], activation: 'relu', seed: 1,
    training: { optimizer: 'sgd', learningRate: 0.1, batchSize: 32 },
  });
  const result = await page.evaluate(async (exchange) => {
    const { ParallelTrainer } = await import('/js/parallel-trainer.js');
    const { inputs, labels, model, heldout, Network } = window.parallelLab;
    const trainer = await ParallelTrainer.create({ model, inputs, labels, workers: 2, exchange });
    // A seeded shuffle (xorshift32) of the 9,000 training digits.
    const order = Uint32Array.from(labels, (_, i) => i);
    let s = 7;
    for (let i = order.length - 1; i > 0; i--) {
      s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
      const j = (s >>> 0) % (i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    const first = await trainer.train(order.subarray(0, 320));
    const rest = await trainer.train(order.subarray(320));
    const models = await trainer.models();
    trainer.terminate();
    const before = Network.fromJSON(model).evaluate(heldout).accuracy;
    const after = Network.fromJSON(models[0]).evaluate(heldout).accuracy;
    return {
      isolated: globalThis.crossOriginIsolated,
      exchange: trainer.exchange,
      workers: trainer.workerCount,
      steps: first.steps + rest.steps,
      losses: [first.loss, rest.loss],
      identical: models.every((m) => m === models[0]),
      trained: models[0] !== model,
      before,
      after,
    };
  }, exchange);
  assert.equal(result.isolated, true, 'the dev server isolates the page (COOP and COEP)');
  assert.equal(result.exchange, expected);
  assert.equal(result.workers, 2);
  assert.equal(result.steps, 10 + Math.floor((9000 - 320) / 32));
  assert.ok(result.losses[1] < result.losses[0], `the loss falls (${result.losses})`);
  assert.ok(result.trained, 'the weights changed');
  assert.ok(result.identical, 'both replicas hold bit-identical weights');
  assert.ok(result.before < 0.3, `the untrained network guesses (${result.before})`);
  assert.ok(result.after > 0.85, `held-out accuracy after one epoch: ${result.after}`);
  expectNoProblems(assert, page);
});

test('divergence in a worker reaches the page as a DivergedError and stops the trainer', { timeout: TIMEOUT }, async () => {
  const page = await openPage(env);
  // Leaky ReLU at learning rate 10 blows up within a few mini-batches (see diverge.test.mjs).
  await prepare(page, { hidden: [32, 16], activation: 'leaky_relu', seed: 1, training: { learningRate: 10 } });
  const result = await page.evaluate(async () => {
    const { ParallelTrainer } = await import('/js/parallel-trainer.js');
    const { inputs, labels, model } = window.parallelLab;
    const trainer = await ParallelTrainer.create({ model, inputs, labels, workers: 2 });
    const order = Uint32Array.from({ length: 3200 }, (_, i) => i);
    const thrown = await trainer.train(order).then(() => null, (e) => ({ name: e.name, message: e.message }));
    const again = await trainer.train(order).then(() => null, (e) => e.name);
    trainer.terminate();
    const badInputs = await ParallelTrainer.create({ model, inputs: inputs.subarray(1), labels, workers: 2 })
      .then(() => null, (e) => e.message);
    return { thrown, again, badInputs };
  });
  assert.equal(result.thrown?.name, 'DivergedError');
  assert.match(result.thrown.message, /^training diverged at step \d+/);
  assert.equal(result.again, 'DivergedError', 'a failed trainer refuses to go on');
  assert.match(result.badInputs, /not 9000 examples × 784/);
  expectNoProblems(assert, page);
});
