// The backprop lesson: every number it shows, step by step, equals the core's gradient for
// the current digit (each hidden neuron's error term by term too), and "Apply" changes the
// network exactly as the core's applyGradient does at the learning rate divided by the batch
// size; Previous takes it back, bit for bit.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { expectNoProblems, openPage, parseShown, setup } from './harness.mjs';

const LEARNING_RATE = 0.1;
const BATCH = 32;
const RATE = LEARNING_RATE / BATCH;   // one example's share of a training step
const HASH = `#hidden=20,16,12&activation=relu&loss=softmax_cross_entropy&optimizer=sgd&lr=${LEARNING_RATE}&batch=${BATCH}&l2=0&seed=5&steps=120`;

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

async function savedModel(page) {
  return (await page.download(() => page.click('#save-model'))).text;
}

/** The core's own answer, computed in the page from the saved model and the held-out digit. */
function reference(page, json, index, label) {
  return page.evaluate(async ({ json, index, label, learningRate }) => {
    const core = await import('/pkg/backprop_lab.js');
    await core.default();
    const { gunzipIdx } = await import('/js/gunzip.js');
    const bytes = async (name) => new Uint8Array(await (await fetch(`/data/${name}`)).arrayBuffer());
    const files = await gunzipIdx(await bytes('mnist-heldout-images.idx.gz'), await bytes('mnist-heldout-labels.idx.gz'));
    const data = core.Dataset.fromIdx(...files, 0);
    const input = data.input(index);
    const net = core.Network.fromJSON(json);
    const g = net.gradient(input, label);
    const plain = (arrays) => arrays.map((a) => Array.from(a));
    const layers = Array.from(net.sizes()).length - 1;
    const result = {
      sizes: Array.from(net.sizes()),
      weights: Array.from({ length: layers }, (_, l) => Array.from(net.weights(l))),
      loss: g.loss,
      errors: plain(g.errors),
      weightGradients: plain(g.weightGradients),
      preActivations: plain(g.preActivations),
      activations: plain(g.activations),
    };
    net.applyGradient(input, label, learningRate);
    result.after = Array.from(net.predict(input));
    result.afterLayers = JSON.parse(net.toJSON()).layers;
    return result;
  }, { json, index, label, learningRate: RATE });
}

/** The rows of each table `selector` matches, as { column: shown value }; "≈ 0" gives its exact value. */
function shownTables(page, selector) {
  return page.evaluate((sel) => [...document.querySelectorAll(sel)].map((table) => [...table.querySelectorAll('tbody tr')].map((tr) => {
    const row = {};
    for (const td of tr.querySelectorAll('td')) row[td.dataset.col] = td.dataset.exact ?? td.textContent;
    return row;
  })), selector);
}

async function shownTable(page, step) {
  await page.waitFor(`#step-table[data-step="${step}"]`);
  return (await shownTables(page, '#step-table'))[0];
}

/** The tables after the first: a hidden step's error term by term, then its weight changes. */
const shownTerms = (page) => shownTables(page, 'table.terms');

function assertClose(shown, expected, what) {
  const value = parseShown(shown);
  const tolerance = 1e-3 * Math.abs(expected) + 1e-7;   // the page shows four significant digits
  assert.ok(Math.abs(value - expected) <= tolerance, `${what}: page shows ${shown}, the core says ${expected}`);
}

test('every backprop step shows the core gradient, and Apply applies it', async () => {
  const page = await openPage(env, { hash: HASH });
  const index = Number(await page.attribute('#digit-source', 'data-index'));
  const trueLabel = Number(await page.attribute('#digit-source', 'data-label'));
  assert.equal(Number(await page.value('#desired-label')), trueLabel, 'the desired digit starts as the true label');
  const label = (trueLabel + 3) % 10;
  await page.select('#desired-label', String(label));

  const json = await savedModel(page);
  const ref = await reference(page, json, index, label);
  const L = ref.sizes.length - 1;
  assert.deepEqual(ref.sizes, [784, 20, 16, 12, 10]);
  const dots = await page.count('#step-dots button');
  assert.equal(dots, L + 3, 'guess, output error, weights into the output, one step per hidden layer, apply');

  // 0: the forward pass.
  let rows = await shownTable(page, 0);
  rows.forEach((row, d) => {
    assertClose(row.output, ref.activations[L][d], `output ${d}`);
    assertClose(row.sum, ref.preActivations[L - 1][d], `weighted sum of output ${d}`);
  });

  // 1: the output error signals.
  await page.click('#step-next');
  rows = await shownTable(page, 1);
  assert.equal(rows.length, 10);
  rows.forEach((row, d) => {
    assertClose(row.delta, ref.errors[L - 1][d], `error signal of output ${d}`);
    assert.equal(row.desired, d === label ? '1' : '0');
    assert.equal(row.move.startsWith('rise'), ref.errors[L - 1][d] < 0, `direction of output ${d}`);
  });
  await page.screenshot('desktop-backprop-output-error');

  // 2: the weights from the last hidden layer into the desired output.
  await page.click('#step-next');
  rows = await shownTable(page, 2);
  const inputs = ref.sizes[L - 1];
  assert.equal(rows.length, inputs);
  rows.forEach((row, i) => {
    const gradient = ref.weightGradients[L - 1][label * inputs + i];
    assertClose(row.activation, ref.activations[L - 1][i], `activation of hidden neuron ${i}`);
    assertClose(row.delta, ref.errors[L - 1][label], 'error signal of the desired output');
    assertClose(row.gradient, gradient, `slope of weight ${i} → ${label}`);
    assertClose(row.change, -RATE * gradient, `change of weight ${i} → ${label}`);
  });
  await page.screenshot('desktop-backprop-weights');

  // 3 … L+1: one step per hidden layer, last to first.
  for (let layer = L - 1; layer >= 1; layer--) {
    const step = L + 2 - layer;
    await page.click('#step-next');
    rows = await shownTable(page, step);
    assert.equal(rows.length, ref.sizes[layer]);
    rows.forEach((row, j) => {
      assertClose(row.delta, ref.errors[layer - 1][j], `error signal of hidden ${layer} neuron ${j}`);
      assertClose(row.activation, ref.activations[layer][j], `activation of hidden ${layer} neuron ${j}`);
      assertClose(row.sum, ref.preActivations[layer - 1][j], `weighted sum of hidden ${layer} neuron ${j}`);
    });
    // The followed neuron (the strongest signal): its δ term by term, then its incoming changes.
    const deltas = ref.errors[layer - 1];
    const j = deltas.reduce((best, d, i) => (Math.abs(d) > Math.abs(deltas[best]) ? i : best), 0);
    const [terms, changes] = await shownTerms(page);
    const next = ref.sizes[layer + 1];
    assert.equal(terms.length, next + 3, 'one term per neuron of the next layer, then the sum, the slope and δ');
    for (let k = 0; k < next; k++) {
      const w = ref.weights[layer][k * ref.sizes[layer] + j];
      assertClose(terms[k].weight, w, `weight from hidden ${layer} neuron ${j} to ${k}`);
      assertClose(terms[k].delta, ref.errors[layer][k], `δ of neuron ${k} of the next layer`);
      assertClose(terms[k].term, w * ref.errors[layer][k], `term ${k}`);
    }
    const [sum, slope, delta] = terms.slice(next).map((row) => parseShown(row.term));
    assertClose(String(sum * slope), deltas[j], 'the sum times the slope is δ');
    assertClose(terms.at(-1).term, deltas[j], `δ of hidden ${layer} neuron ${j}`);
    assert.ok(Math.abs(delta - deltas[j]) <= 1e-3 * Math.abs(deltas[j]) + 1e-7);
    const from = ref.sizes[layer - 1];
    if (layer > 1) assert.equal(changes.length, from, 'one change per incoming weight');
    changes.forEach((row) => assertClose(row.change, -RATE * parseShown(row.gradient), 'Δw = −η × a × δ'));
    if (layer === 1) {
      assert.equal(await page.isVisible('#neuron-figure'), true, 'the first hidden layer shows its 784 weight changes');
      await page.screenshot('desktop-backprop-first-hidden');
    }
  }

  // Last: apply, and show the output before and after.
  await page.click('#step-next');
  rows = await shownTable(page, L + 2);
  assert.equal(rows.length, 10);
  rows.forEach((row, d) => {
    assertClose(row.before, ref.activations[L][d], `output ${d} before`);
    assertClose(row.after, ref.after[d], `output ${d} after`);
  });
  assert.ok(ref.after[label] > ref.activations[L][label], 'the desired output rose');
  await page.screenshot('desktop-backprop-apply');

  const applied = JSON.parse(await savedModel(page));
  assert.deepEqual(applied.layers, ref.afterLayers, 'the training network took exactly the core\'s step');
  assert.match(await page.text('#step-caption'), /learning rate 0\.1 divided by the batch size 32/, 'the step size is said');

  // Previous from Apply undoes the lesson, bit for bit.
  await page.click('#step-prev');
  await page.waitFor(`#step-table[data-step="${L + 1}"]`);
  assert.equal(await savedModel(page), json, 'the weights are back as they were');
  expectNoProblems(assert, page);
});

test('the player plays through its steps by itself', async () => {
  const page = await openPage(env, { hash: HASH });
  await page.select('#step-speed', '1500');
  await page.click('#step-play');
  await page.waitFor('#step-table[data-step="2"]', { timeout: 20_000 });
  await page.click('#step-play');
  const paused = await page.attribute('#step-table', 'data-step');
  await page.waitForTimeout(2500);
  assert.equal(await page.attribute('#step-table', 'data-step'), paused, 'pause stops the player');
  expectNoProblems(assert, page);
});
