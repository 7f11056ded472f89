// Training on every core: on the cross-origin isolated dev server a training worker trains on
// the threaded build with min(cores, 8) threads, says so, and gives the same weights, bit for
// bit, as the ordinary build on one thread (and as another run on the same threads); the
// playground moves training between engines as its layers and the fused-multiply-add choice
// change.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { expectNoProblems, openPage, setup } from './harness.mjs';
import { open, siteWithWww } from './embed-harness.mjs';

const STEPS = 30;
// Wide enough that every product of a step is shared between threads.
const WIDE = { hidden: [256, 128], seed: 3, batch: 64 };
const ATTRIBUTES = `view="train" layers="${WIDE.hidden}" seed="${WIDE.seed}" batch="${WIDE.batch}" steps="${STEPS}" loading="eager"`;
const PAGES = {
  'threads.html': `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="favicon.svg" type="image/svg+xml">
<script type="module" src="element/backprop-lab.js"></script><title>Threads</title></head><body>
<backprop-lab id="first" ${ATTRIBUTES}></backprop-lab>
<backprop-lab id="second" ${ATTRIBUTES}></backprop-lab>
</body></html>`,
};

let env;
before(async () => { env = await setup(siteWithWww(PAGES), { cleanup: true }); });
after(async () => { await env?.close(); });

test('two elements train on every core, and their weights are the one-thread weights', async () => {
  const page = await open(env, 'threads.html');
  await page.waitForFunction(
    (steps) => ['first', 'second'].every((id) => document.getElementById(id).network?.step === steps),
    STEPS, { timeout: 120_000 },
  );
  const result = await page.evaluate(async ({ steps, wide }) => {
    const hash = (values) => {
      let h = 0x811c9dc5;
      for (const bits of new Uint32Array(values.buffer, values.byteOffset, values.length)) h = Math.imul(h ^ bits, 0x01000193) >>> 0;
      return h;
    };
    const shown = (id) => document.getElementById(id).shadowRoot.getElementById('stat-threads').textContent;
    // The same run on this page's own thread, in the ordinary build.
    const core = await import('/js/wasm.js');
    await core.loadCore();
    const train = core.Dataset.fromIdx(...await core.dataBytes('train'), 0);
    const net = new core.Network({ hidden: wide.hidden, seed: wide.seed, training: { batchSize: wide.batch } });
    train.reshuffle(wide.seed);
    net.trainBatches(train, steps);
    return {
      isolated: crossOriginIsolated,
      expected: Math.min(8, navigator.hardwareConcurrency),
      shown: [shown('first'), shown('second')],
      hashes: [hash(document.getElementById('first').network.parameters()), hash(document.getElementById('second').network.parameters())],
      oneThread: hash(net.parameters()),
      pageThreads: net.threads,
    };
  }, { steps: STEPS, wide: WIDE });
  assert.equal(result.isolated, true, 'the dev server makes pages cross-origin isolated');
  assert.deepEqual(result.shown, [String(result.expected), String(result.expected)], 'each element trains on every core (at most 8) and says so');
  assert.equal(result.pageThreads, 1, 'the page itself runs the ordinary build');
  assert.equal(result.hashes[0], result.hashes[1], 'two runs on the same threads give the same weights');
  assert.equal(result.hashes[0], result.oneThread, 'the threads give the weights of one thread, bit for bit');
  expectNoProblems(assert, page);
});

test('the playground shows how many threads train', async () => {
  const page = await openPage(env, { hash: '#hidden=256,128&seed=3' });
  await page.click('#train-step');
  await page.waitForFunction(() => document.getElementById('stat-step').textContent === '1', null, { timeout: 60_000 });
  const [shown, expected] = await page.evaluate(() => [document.getElementById('stat-threads').textContent, Math.min(8, navigator.hardwareConcurrency)]);
  assert.equal(shown, String(expected));
  expectNoProblems(assert, page);
});

test('the playground moves training onto every core when its layers grow wide', async () => {
  const page = await openPage(env, { hash: '#hidden=32&seed=3' });
  await page.click('#train-step');
  await page.waitForFunction(() => document.getElementById('stat-step').textContent === '1', null, { timeout: 60_000 });
  assert.equal(await page.text('#stat-threads'), '1', 'a narrow network trains on one thread');
  await page.click('#classic-layers');
  const cores = await page.evaluate(() => Math.min(8, navigator.hardwareConcurrency));
  await page.waitForFunction((n) => document.getElementById('stat-threads').textContent === String(n), cores, { timeout: 120_000 });
  await page.click('#train-step');
  await page.waitForFunction(() => document.getElementById('stat-step').textContent === '1', null, { timeout: 60_000 });
  expectNoProblems(assert, page);
});

test('fused multiply-add: training moves to the fused build with the network as it is, and the choice stays in this browser', async (t) => {
  const page = await openPage(env, { hash: '#hidden=32,16&seed=4' });
  if (await page.isDisabled('#set-fma')) {
    t.skip('this browser does not run relaxed SIMD');
    return;
  }
  assert.match(await page.text('#fma-note'), /^Off/);
  await page.click('#set-fma');
  assert.match(await page.text('#fma-note'), /^On from the first training step/, 'nothing is loaded before something trains');
  await page.click('#train-step');
  await page.waitForFunction(() => /^On:/.test(document.getElementById('fma-note').textContent), null, { timeout: 60_000 });
  assert.equal(await page.text('#stat-step'), '1', 'the step trained before the move is kept');
  await page.click('#train-step');
  await page.waitForFunction(() => document.getElementById('stat-step').textContent === '2', null, { timeout: 60_000 });
  // The training path came along: steps 0 and 1 from the first engine, 2 from this one.
  await page.select('#landscape-kind', 'path');
  await page.click('#landscape-compute');
  await page.waitFor('#landscape-status', { hasText: /holds [\d.]+% and [\d.]+% of the path's spread/, timeout: 60_000 });

  await page.reload();
  await page.waitFor('#app:not([hidden])', { timeout: 60_000 });
  await page.waitForFunction(() => /^On:/.test(document.getElementById('fma-note').textContent), null, { timeout: 60_000 });
  assert.equal(await page.isChecked('#set-fma'), true, 'the choice was kept');
  const shown = () => page.evaluate(() => ({ step: document.getElementById('stat-step').textContent, outputs: document.getElementById('output-bars').textContent, hash: location.hash }));
  const before = await shown();
  await page.click('#set-fma');
  await page.waitForFunction(() => /^Off:/.test(document.getElementById('fma-note').textContent), null, { timeout: 60_000 });
  assert.deepEqual(await shown(), before, 'the same network, step and link after moving back');
  await page.click('#train-step');
  await page.waitForFunction((s) => document.getElementById('stat-step').textContent === s, String(Number(before.step) + 1), { timeout: 60_000 });
  expectNoProblems(assert, page);
});
