// A lesson a learner can afford, and training a learner can watch: a lesson from the mistakes
// gallery moves the held-out accuracy by at most a point and is undone bit for bit, every
// derived number follows it; a tap picks a neuron on a phone; the first run is paced and stops
// by itself; a run that collapses without NaN is named. Screenshots of every step.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { PHONE, expectNoProblems, openPage, setup } from './harness.mjs';

const TRAINED = '#seed=1&steps=1200';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

const save = async (page) => (await page.download(() => page.click('#save-model'))).text;
const heldout = async (page) => Number(await page.attribute('#stat-heldout', 'data-value'));
const wrong = async (page) => Number(/It gets (\d+) of 1000/.exec(await page.text('#gallery-empty'))[1]);

/** Clicks Next and waits until the lesson shows step `step`. */
async function next(page, step) {
  await page.click('#step-next');
  await page.waitFor(`#step-table[data-step="${step}"]`, { state: 'attached' });
}

for (const [name, viewport] of [['desktop', undefined], ['phone', PHONE]]) {
  test(`a lesson from the mistakes gallery changes little, is derived everywhere and is undone (${name})`, async () => {
    const page = await openPage(env, { hash: TRAINED, viewport });
    await page.waitFor('#gallery .gallery-item');
    const accuracy = await heldout(page);
    const mistakes = await wrong(page);
    assert.equal(mistakes, Math.round((1 - accuracy) * 1000), 'the gallery and the accuracy are of one network');
    await page.click('#gallery .gallery-item');
    await page.waitFor('#step-table[data-step="0"]', { state: 'attached' });
    const weights = await save(page);
    const steps = await page.count('#step-dots button');
    for (let step = 1; step < steps; step++) {
      await page.screenshot(`${name}-lesson-step-${step - 1}`);
      await next(page, step);
    }
    await page.waitFor('#step-title', { hasText: /Apply: every weight/ });
    await page.screenshot(`${name}-lesson-apply`);
    await page.waitFor('#gallery-empty', { hasText: /It gets \d+ of 1000/ });
    const after = await heldout(page);
    assert.ok(Math.abs(after - accuracy) <= 0.01, `one lesson moves the held-out accuracy by at most a point: ${accuracy} → ${after}`);
    assert.equal(await wrong(page), Math.round((1 - after) * 1000), 'the mistakes are counted again for the changed network');
    assert.notEqual(await save(page), weights, 'the lesson changed the weights');
    assert.equal(await page.text('#stat-step'), '1200', 'a lesson is not a training step');

    await page.click('#lesson-undo');
    await page.waitFor('#step-table[data-step="4"]', { state: 'attached' });
    assert.equal(await save(page), weights, 'undo brings back every weight, bit for bit');
    assert.equal(await heldout(page), accuracy, 'and the held-out accuracy with them');
    expectNoProblems(assert, page);
    await page.close();
  });
}

test('New lesson keeps the change; a lesson after it starts from the changed network', async () => {
  const page = await openPage(env, { hash: '#seed=2&steps=200&digit=3' });
  const first = await save(page);
  for (let step = 1; step <= 5; step++) await next(page, step);
  const applied = await save(page);
  assert.notEqual(applied, first);
  assert.equal(await page.text('#step-next'), 'New lesson ▶');
  await next(page, 0);
  assert.equal(await save(page), applied, 'the change is kept');
  assert.doesNotMatch(await page.evaluate(() => location.hash), /step=/);
  expectNoProblems(assert, page);
  await page.close();
});

test('on a phone a tap picks a neuron, and the texts say tap', async () => {
  const page = await openPage(env, { hash: '#seed=2&steps=100', viewport: PHONE });
  // Where the picture puts output 3 (views/network-canvas.js): the output column stands 92 px
  // from the right edge; the ten outputs are spaced evenly between the titles and the foot.
  const { width, height } = await page.evaluate(() => {
    const canvas = document.getElementById('network-view');
    return { width: canvas.clientWidth, height: canvas.clientHeight };
  });
  const spacing = Math.min(26, (height - 40) / 10);
  const y = 30 + (height - 40 - spacing * 10) / 2 + spacing / 2 + 3 * spacing;
  const box = await page.box('#network-view');
  await page.touch('#network-view', [[[(width - 92 + 1) / box.width, (y + 1) / box.height]]]);
  await page.waitFor('#neuron-title', { hasText: /^output 3$/, timeout: 5000 });
  assert.match(await page.text('.neuron-hint'), /^Tap a neuron/);
  await page.screenshot('phone-tapped-neuron');
  expectNoProblems(assert, page);
  await page.close();
});

test('the first run is paced to be watched, brings its charts into view, and stops by itself', async () => {
  const page = await openPage(env, { hash: '#seed=4' });
  await page.fill('#train-epochs', '2');
  await page.press('#train-epochs', 'Tab');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.click('#quick-train');
  await page.waitFor('#train-status', { hasText: /first epoch runs slowly/ });
  // Pressing "Train it" at the top of the page scrolls the charts into view.
  await page.waitForFunction(() => {
    const { top, bottom } = document.getElementById('loss-chart').getBoundingClientRect();
    return top >= 0 && bottom <= innerHeight;
  }, null, { timeout: 5000 });
  await page.waitForTimeout(1000);
  const epoch = Number(await page.text('#stat-epoch'));
  assert.ok(epoch > 0 && epoch < 0.5, `after a second of the first epoch it is not over: epoch ${epoch}`);
  await page.waitForFunction(() => document.getElementById('train-play').getAttribute('aria-pressed') === 'false', null, { timeout: 120_000 });
  assert.match(await page.text('#train-status'), /Stopped by itself after 2 epochs/);
  const stopped = Number(await page.text('#stat-epoch'));
  assert.ok(stopped >= 2 && stopped < 2.2, `it stopped at epoch ${stopped}`);
  await page.scrollIntoView('#loss-chart');
  await page.screenshot('desktop-paced-run');
  expectNoProblems(assert, page);
  await page.close();
});

test('a run that collapses without NaN is named, with its remedies', async () => {
  const page = await openPage(env, { hash: '#lr=5&seed=1' });
  await page.select('#train-pace', '');
  await page.click('#train-play');
  await page.waitFor('#collapsed', { timeout: 120_000 });
  const message = await page.text('#collapsed-message');
  // The loss shown is the latest chart point's: named within 0.05 of ln 10, it stays named while above ln 10 − 0.2.
  const stuck = Number(/^Training has stalled, though nothing became NaN: the loss is stuck at (\d\.\d\d),/.exec(message)?.[1]);
  assert.ok(Math.abs(stuck - Math.LN10) < 0.2, message);
  assert.match(message, /answers \d for \d+% of the held-out digits/);
  assert.match(message, /The learning rate 5 is probably too high/);
  assert.equal(await page.isHidden('#diverged'), true, 'it is not a divergence');
  await page.scrollIntoView('#collapsed');
  await page.screenshot('desktop-collapsed');
  const stalledAt = Number(await page.text('#stat-step'));
  await page.click('#collapse-lower');
  await page.waitForFunction(() => /(^#|&)lr=0\.5(&|$)/.test(location.hash));
  assert.equal(await page.value('#set-lr'), '0.5');
  assert.ok(Number(await page.text('#stat-step')) < stalledAt, 'it starts again from the seed (and trains on)');
  await page.waitFor('#collapsed', { state: 'hidden' });
  expectNoProblems(assert, page);
  await page.close();
});
