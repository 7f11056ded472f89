// Drawing: pointer strokes become a 28×28 input and a live prediction, on desktop and phone.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  ONE, PHONE, ZERO, drawWithMouse, drawWithTouch, expectNoProblems, openPage, setup,
} from './harness.mjs';

// A short training run (replayed from the link) so that the predictions mean something.
const TRAINED = '#hidden=32,16&activation=relu&loss=softmax_cross_entropy&optimizer=sgd&lr=0.1&batch=32&l2=0&seed=1&steps=900';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

async function shownInk(page) {
  return page.evaluate(() => {
    const data = document.getElementById('input-preview').getContext('2d').getImageData(0, 0, 28, 28).data;
    let ink = 0;
    for (let i = 0; i < data.length; i += 4) ink += 255 - data[i];
    return ink / 255;
  });
}

async function prediction(page) {
  return page.evaluate(() => {
    const shown = [...document.querySelectorAll('#output-bars .bar-value')].map((el) => parseFloat(el.textContent) / 100);
    return { digit: Number(document.getElementById('prediction-summary').dataset.prediction), shown };
  });
}

test('a digit drawn with the mouse is prepared as 28×28 and predicted live', async () => {
  const page = await openPage(env, { hash: TRAINED });
  await page.click('#clear-button');
  await page.waitForFunction(() => /Draw a digit/.test(document.getElementById('prediction-summary').textContent));
  assert.equal(await shownInk(page), 0, 'clearing leaves an empty input');

  await drawWithMouse(page, ONE);
  await page.waitForFunction(() => /says 1/.test(document.getElementById('prediction-summary').textContent), null, { timeout: 10_000 });
  const one = await prediction(page);
  assert.equal(one.digit, 1);
  const total = one.shown.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(total - 1) < 0.02, `the ten probabilities add up to 1 (got ${total})`);
  const ink = await shownInk(page);
  assert.ok(ink > 15 && ink < 120, `the 28×28 input holds a thin stroke (ink ${ink})`);
  // MNIST centres digits by their centre of mass: check the input does too.
  const centre = await page.evaluate(() => {
    const data = document.getElementById('input-preview').getContext('2d').getImageData(0, 0, 28, 28).data;
    let mass = 0, mx = 0, my = 0, top = 28, bottom = -1;
    for (let i = 0; i < 784; i++) {
      const v = (255 - data[i * 4]) / 255;
      if (v > 0.05) { top = Math.min(top, Math.floor(i / 28)); bottom = Math.max(bottom, Math.floor(i / 28)); }
      mass += v; mx += v * ((i % 28) + 0.5); my += v * (Math.floor(i / 28) + 0.5);
    }
    return { x: mx / mass, y: my / mass, height: bottom - top + 1 };
  });
  assert.ok(Math.abs(centre.x - 14) <= 1 && Math.abs(centre.y - 14) <= 1, `centre of mass near the middle: ${JSON.stringify(centre)}`);
  assert.ok(centre.height >= 19 && centre.height <= 21, `the digit is scaled to 20 pixels high: ${centre.height}`);

  await page.click('#clear-button');
  await drawWithMouse(page, ZERO);
  await page.waitForFunction(() => /says 0/.test(document.getElementById('prediction-summary').textContent), null, { timeout: 10_000 });
  await page.screenshot('desktop-drawn-zero');
  expectNoProblems(assert, page);
});

test('the sample button loads a held-out digit with its true label', async () => {
  const page = await openPage(env, { hash: TRAINED });
  await page.click('#clear-button');
  await page.waitForFunction(() => /Draw a digit/.test(document.getElementById('prediction-summary').textContent));
  await page.click('#sample-button');
  await page.waitForFunction(() => /The network says/.test(document.getElementById('prediction-summary').textContent));
  const label = await page.attribute('#digit-source', 'data-label');
  assert.match(label, /^[0-9]$/);
  assert.match(await page.text('#digit-source'), new RegExp(`it is an? ${label}\\.`));
  assert.equal(await page.value('#desired-label'), label, 'the desired digit defaults to the true label');
  assert.ok(await shownInk(page) > 10, 'the held-out digit is shown as the input');
  expectNoProblems(assert, page);
});

test('on a phone the layout fits and a finger can draw', async () => {
  const page = await openPage(env, { hash: TRAINED, viewport: PHONE });
  await page.screenshot('phone-top');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no sideways scrolling (page is ${overflow}px too wide)`);
  await page.click('#clear-button');
  await drawWithTouch(page, ONE);
  await page.waitForFunction(() => /says 1/.test(document.getElementById('prediction-summary').textContent), null, { timeout: 10_000 });
  assert.ok(await shownInk(page) > 15);
  await page.screenshot('phone-drawn-one');
  // The step player sits right under the picture, so its arrows and caption are seen together.
  // For a drawing the lesson first asks which digit it is: it never takes the network's guess.
  await page.evaluate(() => document.getElementById('network-view').scrollIntoView({ block: 'start' }));
  assert.equal(await page.text('#step-title'), 'Which digit did you draw?');
  assert.equal(await page.isDisabled('#step-next'), true, 'no lesson until the learner says');
  await page.click('.ask button[data-digit="1"]');
  await page.waitFor('#step-title', { hasText: /^The guess/ });
  assert.equal(await page.value('#desired-label'), '1');
  await page.click('#step-next');
  await page.waitFor('#step-table[data-step="1"]', { state: 'attached' });
  const gap = await page.evaluate(() => document.getElementById('step-next').getBoundingClientRect().top
    - document.getElementById('network-view').getBoundingClientRect().bottom);
  assert.ok(gap >= 0 && gap < 120, `the step buttons are just below the picture (${gap}px)`);
  await page.screenshot('phone-network-step');
  await page.scrollIntoView('#backprop-title');
  await page.screenshot('phone-backprop');
  await page.scrollIntoView('#train-title');
  await page.screenshot('phone-train');
  expectNoProblems(assert, page);
});
