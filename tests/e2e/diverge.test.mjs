// Training that diverges: the page stops, shows the core's message and offers to restore the
// last good weights or to lower the learning rate; a diverged network is never shown or saved.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { PHONE, expectNoProblems, openPage, setup } from './harness.mjs';

// Leaky ReLU at the page's largest learning rate blows up within a few mini-batches (ReLU at
// the same rate does not: its neurons die instead). Checked against the core before use.
const DIVERGING = '#activation=leaky_relu&lr=10';
const TIMEOUT = 60_000;

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

async function divergeByTraining(page) {
  await page.click('#train-play');
  await page.waitFor('#diverged:not([hidden])', { timeout: TIMEOUT });
  assert.match(await page.text('#diverged-message'), /^Training diverged at step \d+: the loss became NaN; try a lower learning rate\.$/);
  assert.equal(await page.attribute('#train-play', 'aria-pressed'), 'false', 'training paused');
  assert.equal(await page.isDisabled('#train-play'), true, 'no more training until restored');
  assert.equal(await page.isDisabled('#train-step'), true);
}

/** The outputs the page shows: every bar a real number, never NaN. */
async function shownOutputs(page) {
  const values = await page.evalAll('#output-bars .bar-value', (els) => els.map((el) => el.textContent));
  assert.equal(values.length, 10);
  for (const value of values) assert.doesNotMatch(value, /NaN|∞|Infinity/, `a shown output is ${value}`);
  return values;
}

async function save(page) {
  return JSON.parse((await page.download(() => page.click('#save-model'))).text);
}

function allFinite(model) {
  return model.layers.every((layer) => [...layer.weights, ...layer.biases].every(Number.isFinite));
}

test('a diverging run stops with the core\'s message; restore and lower the learning rate', async () => {
  const page = await openPage(env, { hash: DIVERGING });
  await divergeByTraining(page);
  assert.match(await page.text('#diverged-detail'), /last good copy of the network, from step \d+/);
  assert.match(await page.text('#diverged-detail'), /lower the learning rate from 10 to 1/);
  await shownOutputs(page);
  assert.match(await page.text('#gallery-empty'), /Training diverged: restore the last good weights/);
  await page.scrollIntoView('#diverged');
  await page.screenshot('desktop-diverged');

  // Saving a diverged network is refused, with the core's message.
  await page.click('#save-model');
  await page.waitForFunction(() => document.getElementById('model-message').textContent.startsWith('Could not save'));
  assert.match(await page.text('#model-message'), /Could not save: training diverged at step \d+: the loss became NaN/);

  // Restore: the alert goes, the weights are the last good ones, training may go on.
  await page.click('#restore-weights');
  await page.waitFor('#diverged', { state: 'hidden' });
  assert.match(await page.text('#notices'), /Restored the weights from step \d+/);
  assert.equal(await page.isDisabled('#train-play'), false);
  const restored = await save(page);
  assert.ok(allFinite(restored), 'the restored network is finite');
  assert.equal(restored.training.learningRate, 10, 'restoring alone keeps the learning rate');
  await shownOutputs(page);

  // It diverges again at the same rate; this time lower it.
  await divergeByTraining(page);
  await page.click('#lower-lr');
  await page.waitFor('#diverged', { state: 'hidden' });
  assert.equal(await page.value('#set-lr'), '1', 'the control shows the lower rate');
  await page.waitForFunction(() => /(^#|&)lr=1(&|$)/.test(location.hash));
  assert.match(await page.text('#notices'), /lowered the learning rate to 1/);
  assert.equal(await page.attribute('#train-play', 'aria-pressed'), 'false', 'nothing resumes by itself');
  const lowered = await save(page);
  assert.ok(allFinite(lowered));
  assert.ok(Math.abs(lowered.training.learningRate - 1) < 1e-6, 'the network trains at the lower rate');
  await shownOutputs(page);

  expectNoProblems(assert, page);
});

test('a link whose replay diverges opens with the alert; on a phone it fits', async () => {
  const page = await openPage(env, { hash: `${DIVERGING}&steps=200`, viewport: PHONE });
  await page.waitFor('#diverged:not([hidden])');
  assert.match(await page.text('#diverged-message'), /^Training diverged at step \d+/);
  await shownOutputs(page);
  await page.scrollIntoView('#diverged');
  await page.screenshot('phone-diverged');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no sideways scrolling (${overflow}px)`);
  expectNoProblems(assert, page);
});
