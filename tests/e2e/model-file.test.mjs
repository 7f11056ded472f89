// Saving and loading the model: a saved file loads back into the same network; a bad file
// shows an error and leaves the current model untouched.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { expectNoProblems, openPage, setup } from './harness.mjs';

const HASH = '#hidden=24,12&activation=tanh&loss=softmax_cross_entropy&optimizer=adam&lr=0.003&batch=16&l2=0.0001&seed=11&steps=150';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

async function save(page) {
  return (await page.download(() => page.click('#save-model'))).text;
}

function shownOutputs(page) {
  return page.evaluate(() => [...document.querySelectorAll('#output-bars .bar-value')].map((el) => el.textContent).join(' '));
}

async function pick(page, name, text) {
  await page.setFiles('#load-model', { name, text });
}

test('bad model files are refused with an error and change nothing', async () => {
  const page = await openPage(env, { hash: HASH });
  const before = await save(page);
  const outputs = await shownOutputs(page);
  const hash = await page.evaluate(() => location.hash);

  const saved = JSON.parse(before);
  const truncated = { ...saved, layers: saved.layers.map((l, i) => (i === 0 ? { ...l, weights: l.weights.slice(1) } : l)) };
  const wrongShape = { ...saved, network: { ...saved.network, inputs: 100 }, layers: [] };
  const badBias = { ...saved, layers: saved.layers.map((l, i) => (i === 1 ? { ...l, biases: ['x', ...l.biases.slice(1)] } : l)) };
  const bare = { ...saved };
  delete bare.metadata;
  const notesTwice = `${JSON.stringify(bare).slice(0, -1)},"metadata":{"name":"a","name":"b"}}`;
  const cases = [
    ['not-json.json', 'this is not a model {', /Could not load not-json\.json/],
    ['other.json', JSON.stringify({ hello: 'world' }), /Could not load other\.json: .*backprop-lab/],
    ['truncated.json', JSON.stringify(truncated), /Could not load truncated\.json/],
    ['small.json', JSON.stringify(wrongShape), /Could not load small\.json/],
    // The message names the bad value by its path, and the line and column.
    ['bias.json', JSON.stringify(badBias), /Could not load bias\.json: .*layers\[1\]\.biases\[0\]: invalid type: string "x", expected f32 at line 1 column \d+/],
    ['notes.json', notesTwice, /Could not load notes\.json: .*metadata: the key "name" appears twice at line 1 column \d+/],
  ];
  for (const [name, text, message] of cases) {
    await pick(page, name, text);
    await page.waitForFunction((n) => document.getElementById('model-message').textContent.includes(n), name);
    assert.match(await page.text('#model-message'), message);
    assert.match(await page.text('#model-message'), /unchanged/);
    assert.equal(await page.attribute('#model-message', 'class'), 'model-message error');
  }
  await page.scrollIntoView('#model-message');
  await page.screenshot('desktop-bad-model-file');
  assert.equal(await save(page), before, 'the network is exactly as it was');
  assert.equal(await shownOutputs(page), outputs);
  assert.equal(await page.evaluate(() => location.hash), hash);
  expectNoProblems(assert, page);
});

test('a saved model loads back with its settings and weights', async () => {
  const page = await openPage(env, { hash: HASH });
  const saved = await save(page);
  const outputs = await shownOutputs(page);

  await page.click('#train-reset');
  await page.waitForFunction(() => document.getElementById('stat-step').textContent === '0');
  await page.select('#set-activation', 'sigmoid');
  await page.waitForFunction(() => location.hash.includes('activation=sigmoid'));

  await pick(page, 'saved.json', saved);
  await page.waitForFunction(() => document.getElementById('model-message').textContent.startsWith('Loaded saved.json'));
  assert.equal(await page.value('#set-activation'), 'tanh');
  assert.equal(await page.value('#set-optimizer'), 'adam');
  assert.equal(await page.value('#set-lr'), '0.003');
  await page.waitForFunction((o) => [...document.querySelectorAll('#output-bars .bar-value')].map((el) => el.textContent).join(' ') === o, outputs);
  const reloaded = JSON.parse(await save(page));
  assert.deepEqual(reloaded.layers, JSON.parse(saved).layers);
  expectNoProblems(assert, page);
});
