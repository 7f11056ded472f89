// The loss landscape: after training, its centre is the network the page shows (the same
// held-out loss, bit for bit), a click moves the weights there and undo brings them back bit
// for bit; the plane of the training path says how much of the path it holds.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { expectNoProblems, openPage, setup } from './harness.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

const save = async (page) => (await page.download(() => page.click('#save-model'))).text;

test('the landscape around the trained network: its centre is the page\'s network, a click moves there, undo comes back', async () => {
  const page = await openPage(env, { hash: '#seed=2&steps=400' });
  await page.scrollIntoView('#landscape-slot');
  await page.click('#landscape-compute');
  await page.waitFor('#landscape-status', { hasText: /At the centre/, timeout: 60_000 });
  assert.equal(await page.attribute('#landscape-map', 'data-centre-loss'), await page.attribute('#stat-loss', 'data-value'), 'the centre\'s loss is the held-out loss the page shows');
  assert.match(await page.text('#landscape-status'), new RegExp(`accuracy ${(Number(await page.attribute('#stat-heldout', 'data-value')) * 100).toFixed(1)}%`));
  await page.screenshot('desktop-landscape-random');

  const trained = await save(page);
  const box = await page.box('#landscape-map');
  await page.evaluate(() => document.getElementById('landscape-map').scrollIntoView({ block: 'center' }));
  await page.hover('#landscape-map');
  await page.waitFor('#landscape-readout', { hasText: /held-out loss .* the network would say \d/ });
  await page.click('#landscape-map');
  const moved = await save(page);
  assert.notEqual(moved, trained, 'the click moved the weights');
  assert.ok(box.width > 100);
  await page.click('#lesson-undo');
  await page.waitForFunction(() => document.getElementById('lesson-undo').hidden);
  assert.equal(await save(page), trained, 'undo brings back every weight, bit for bit');

  await page.select('#landscape-kind', 'path');
  await page.click('#landscape-compute');
  await page.waitFor('#landscape-status', { hasText: /holds [\d.]+% and [\d.]+% of the path's spread/, timeout: 60_000 });
  await page.screenshot('desktop-landscape-path');
  expectNoProblems(assert, page);
  await page.close();
});

test('jumping down to the landscape moves nothing under the pointer', async () => {
  const page = await openPage(env, { hash: '#seed=2' });
  const top = () => page.evaluate(() => document.getElementById('landscape-compute').getBoundingClientRect().top);
  // Scrolled and read straight away, not through page.scrollIntoView and page.box: their extra
  // round trips let the pictures lay out first, and the test then passes without the fix.
  await page.evaluate(() => document.getElementById('landscape-slot').scrollIntoView({ block: 'center', behavior: 'instant' }));
  const landed = await top();
  // Views near the viewport draw now (the neuron pictures just above among them): two seconds
  // is far longer than that takes.
  await new Promise((resolve) => { setTimeout(resolve, 2000); });
  assert.equal(await top(), landed, 'nothing above the landscape changed its height');
  expectNoProblems(assert, page);
  await page.close();
});
