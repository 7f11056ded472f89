// The playground's link keys beyond the network (read by the core's settings validator):
// `model`, `digit`, `label`, `step` (the backprop player's step) and `view`.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { expectNoProblems, openPage, setup } from './harness.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

const inViewport = (page, selector) => page.evaluate((s) => {
  const { top, bottom } = document.querySelector(s).getBoundingClientRect();
  return top < window.innerHeight && bottom > 0 && Math.abs(top) < 40;
}, selector);

test('a link opens a model file at a digit, a desired label, a backprop step and a card', async () => {
  const page = await openPage(env, { hash: '#model=models/digits-small.json&digit=3&label=5&step=2&view=backprop' });
  await page.waitForFunction(() => document.getElementById('model-message').textContent.startsWith("Loaded the link's model"));
  // digits-small is 784-16-16-10 sigmoid: the controls show the model's settings.
  assert.deepEqual(await page.evalAll('#layer-list input', (els) => els.map((el) => el.value)), ['16', '16']);
  assert.equal(await page.value('#set-activation'), 'sigmoid');
  assert.equal(await page.attribute('#digit-source', 'data-index'), '3');
  assert.equal(await page.value('#desired-label'), '5');
  await page.waitFor('#step-table[data-step="2"]');
  assert.match(await page.text('#step-title'), /5/, 'the step is about the desired digit 5');
  assert.ok(await inViewport(page, '.backprop-card'), 'the backprop card is scrolled into view');
  assert.equal(await page.isHidden('#untrained-note'), true, 'a trained model is not called untrained');
  const hash = await page.evaluate(() => location.hash);
  for (const part of ['model=models/digits-small.json', 'digit=3', 'label=5', 'step=2', 'view=backprop']) {
    assert.ok(hash.includes(part), `${hash} keeps ${part}`);
  }

  // Stepping and another desired digit are written back into the link.
  await page.click('#step-next');
  await page.waitForFunction(() => /(^#|&)step=3(&|$)/.test(location.hash));
  await page.select('#desired-label', '7');
  await page.waitForFunction(() => /(^#|&)label=7(&|$)/.test(location.hash));
  expectNoProblems(assert, page);
});

test('a model that cannot be loaded, a digit out of range and a step past the lesson are reported', async () => {
  const page = await openPage(env, { hash: '#hidden=24&seed=4&model=models/missing.json&digit=5000&step=9&view=train' });
  await page.waitForFunction(() => document.getElementById('notices').textContent.includes('missing.json'));
  const notices = await page.text('#notices');
  assert.match(notices, /The link's model "models\/missing\.json" could not be loaded \(HTTP 404\); the network from the link's other settings is shown/);
  assert.match(notices, /The link's digit 5000 is not one of the 1000 held-out examples \(0 to 999\); a random one is shown/);
  assert.match(notices, /lesson has steps 1 to 4; the link's step 9 is past them, so step 3 is shown/);
  assert.deepEqual(await page.evalAll('#layer-list input', (els) => els.map((el) => el.value)), ['24']);
  assert.equal(await page.value('#set-seed'), '4');
  await page.waitFor('#step-table[data-step="3"]');
  assert.ok(await inViewport(page, '.train-card'), 'the training card is scrolled into view');
  assert.doesNotMatch(await page.evaluate(() => location.hash), /model=/, 'the link no longer names a model it could not load');

  // A hash change in place opens the new settings without reloading.
  await page.evaluate(() => { location.hash = 'hidden=12&seed=2&digit=7'; });
  await page.waitForFunction(() => document.querySelectorAll('#layer-list input').length === 1 && document.querySelector('#layer-list input').value === '12');
  await page.waitForFunction(() => document.getElementById('digit-source').dataset.index === '7');
  // The missing file's 404 is the only problem.
  assert.deepEqual(page.problems, ['HTTP 404 /models/missing.json']);
});
